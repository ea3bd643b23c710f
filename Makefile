# The two commands of the README. Everything installs into .venv; nothing global but the
# system packages the tests need, and those only under CI=true (or when asked: make test-deps).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-deps bench mutate

$(VENV)/.run-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.run-installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.run-installed
	$(PY) -m server

# redis-server, Chromium and Node (client logic tests) come from Debian; CI (CI=true, as root) installs them here.
test-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v node >/dev/null || missing="$$missing nodejs"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

test: $(VENV)/.test-installed
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-deps; fi
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	$(PY) -m bench --write-doc $(BENCH_ARGS)

# Mutation testing of the pure domain (docs/testing.md); not part of CI. Results and the report
# (mutants/report.md) stay in the ignored mutants/ folder. Each run starts clean: mutmut keeps
# an old verdict even when the tests changed, so a reused folder could report stale survivors.
MUTATE_JOBS ?= 2
$(VENV)/.mutate-installed: pyproject.toml $(VENV)/.test-installed
	$(PY) -m pip install --quiet -e '.[test,mutate]'
	touch $@

mutate: $(VENV)/.mutate-installed
	@rm -rf mutants && mkdir -p mutants
	@echo "mutmut: mutating server/domain and running the domain tests against each mutant (log: mutants/run.log)"
	$(VENV)/bin/mutmut run --max-children $(MUTATE_JOBS) > mutants/run.log 2>&1 || (tail -c 3000 mutants/run.log; exit 1)
	$(PY) -m tests.support.mutation_report
