"""`pip install .` (not editable) gives a working Tavla: pages, scripts, styles and translations
come from the installed package, wherever the server is started."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import httpx
import pytest
import setuptools

from tests.support.servers import TavlaServer, wait_until

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
ASSETS = {"server.client": ROOT / "client", "server.templates": ROOT / "templates"}
# What a build never needs: local environments, caches, results, the repository itself.
_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                     ".hypothesis", "test-artifacts", "node_modules", "results")


def NOT_SOURCE(directory: str, names: list[str]) -> set[str]:
    """Generated folders stay out of the copy, but templates/results/ (the results page's
    includes) is source."""
    ignored = set(_NOT_SOURCE(directory, names))
    if Path(directory).name == "templates":
        ignored.discard("results")
    return ignored


def test_every_python_package_is_listed_for_the_wheel() -> None:
    """pyproject.toml lists packages by hand (client/ and templates/ are mapped in); none is forgotten."""
    found = set(setuptools.find_packages(str(ROOT), include=["server", "server.*"]))
    assert found | set(ASSETS) == set(PYPROJECT["packages"])
    assert {name: ROOT / path for name, path in PYPROJECT["package-dir"].items()} == ASSETS


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from a copy of this checkout, so the build leaves nothing behind in it."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(source)],
                   check=True, cwd=tmp, timeout=300)
    (built,) = (tmp / "dist").glob("tavla-*.whl")
    return built


def test_wheel_holds_every_page_script_style_and_catalog(wheel: Path) -> None:
    """Every file under client/ and templates/, and every translation catalog, is in the wheel."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for package, folder in ASSETS.items():
        inside = package.replace(".", "/")
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert f"{inside}/{path.relative_to(folder).as_posix()}" in names, path
    for po in (ROOT / "server" / "locale").rglob("*.po"):
        assert po.relative_to(ROOT).as_posix() in names, po


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed in a fresh venv; its dependencies come from this venv, so no network."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(purelib), str(wheel)],
                   check=True, timeout=300)
    # Dependencies from our own environment, after the installed Tavla on the path. A plain
    # path line: the .pth files there (our editable install of Tavla) are not run.
    (purelib / "zz-test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return python


class InstalledTavla(TavlaServer):
    """`python -m server` run by another interpreter (the test venv's), from another directory."""

    def __init__(self, python: Path, cwd: Path) -> None:
        super().__init__()
        self.python, self.cwd = python, cwd

    def start(self) -> InstalledTavla:
        self.proc = subprocess.Popen([str(self.python), "-m", "server"], cwd=self.cwd, env=self.env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_until(self._healthy, timeout=20, what=f"installed tavla on port {self.port}")
        return self


def test_installed_server_serves_pages_scripts_styles_and_translations(installed: Path, tmp_path: Path) -> None:
    """`python -m server` from the installed package, started outside the checkout, serves the
    landing page in Norwegian, the board's script, the stylesheet and the browser's catalog."""
    where = subprocess.run([str(installed), "-c", "import server; print(server.__file__)"], cwd=tmp_path,
                           check=True, capture_output=True, text=True).stdout.strip()
    assert not Path(where).is_relative_to(ROOT), where
    tavla = InstalledTavla(installed, tmp_path).start()
    try:
        landing = httpx.get(f"{tavla.http}/?lang=nb")
        assert landing.status_code == 200 and 'lang="nb"' in landing.text and "/static/" in landing.text
        script = httpx.get(f"{tavla.http}/static/board.js")
        assert script.status_code == 200 and "import" in script.text
        assert "javascript" in script.headers["content-type"]
        css = httpx.get(f"{tavla.http}/static/css/base.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        catalog = httpx.get(f"{tavla.http}/i18n/sv.json")
        assert catalog.status_code == 200 and len(catalog.json()) > 20
        room = tavla.create_room(language="nb")
        board = httpx.get(f"{tavla.http}/r/{room['code']}")
        assert board.status_code == 200 and "board.js" in board.text
        # Versioned and compressed from the installed copy as well (server/static.py).
        versioned = re.search(r'src="(/static/board\.js\?v=[0-9a-f]+)"', board.text)
        assert versioned is not None, "the board's script has a versioned URL"
        zipped = httpx.get(f"{tavla.http}{versioned.group(1)}", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip" and zipped.text == script.text
        assert zipped.headers["cache-control"] == "public, max-age=31536000, immutable"
        statement = httpx.get(f"{tavla.http}/accessibility?lang=sv")
        assert statement.status_code == 200 and "Tillgänglighetsredogörelse" in statement.text
    finally:
        tavla.stop()
