// A list of short names edited as chips: type one and press Enter (or "Add"), remove one with
// its × button; pasting several lines adds each. Used for the groups a facilitator wants to
// hear from, on the landing page and in the facilitation panel (t14g). Keyboard: Enter adds,
// Backspace in the empty field focuses the last chip's remove button; after a removal the
// focus goes to the next chip (or the field), so it is never lost. Text is set with
// textContent only.

/** One group however it was typed (the server's `reach.group_key`). */
export function groupKey(name) {
  return String(name || "").trim().split(/\s+/).join(" ").toLocaleLowerCase();
}

/** Trimmed, empty ones dropped, duplicates (ignoring case and spacing) dropped; order kept. */
export function cleanGroups(names) {
  const seen = new Set();
  const kept = [];
  for (const raw of names) {
    const name = String(raw || "").trim().split(/\s+/).join(" ");
    const key = name.toLocaleLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    kept.push(name);
  }
  return kept;
}

/**
 * @param {object} o
 * @param {HTMLInputElement} o.input  where a name is typed
 * @param {HTMLButtonElement} o.add  the "Add" button
 * @param {HTMLUListElement} o.list  the chips
 * @param {HTMLElement} o.error  a message under the field (too many, too long, already there)
 * @param {(msgid: string, params?: object) => string} o.t  translate
 * @param {(message: string) => void} o.announce  say something to screen readers
 * @param {(groups: string[]) => void} [o.changed]  called after every add or remove
 * @param {number} [o.max]  how many names at most
 * @param {number} [o.maxLength]  how long one name may be
 */
export function chipEditor(o) {
  let groups = [];
  const max = () => o.max || 20;

  function setError(message) {
    o.error.textContent = message;
    o.error.hidden = !message;
    if (message) o.input.setAttribute("aria-invalid", "true");
    else o.input.removeAttribute("aria-invalid");
  }

  function draw() {
    o.list.replaceChildren(
      ...groups.map((name, index) => {
        const li = document.createElement("li");
        li.className = "chip";
        const label = document.createElement("span");
        label.className = "chip-label";
        label.textContent = name;
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "chip-remove";
        remove.dataset.index = String(index);
        const mark = document.createElement("span");
        mark.setAttribute("aria-hidden", "true");
        mark.textContent = "×";
        const said = document.createElement("span");
        said.className = "visually-hidden";
        said.textContent = o.t("Remove %(group)s", { group: name });
        remove.append(mark, said);
        remove.addEventListener("click", () => removeAt(index));
        li.append(label, remove);
        return li;
      }),
    );
    o.list.hidden = groups.length === 0;
  }

  function removeAt(index) {
    const [gone] = groups.splice(index, 1);
    draw();
    setError("");
    const next = o.list.querySelectorAll(".chip-remove")[Math.min(index, groups.length - 1)];
    (next || o.input).focus();
    o.announce(o.t("Removed %(group)s.", { group: gone }));
    if (o.changed) o.changed(groups.slice());
  }

  /** Add each of `names`; false (with a message) when one could not be added. */
  function addNames(names) {
    const added = [];
    for (const raw of names) {
      const name = String(raw || "").trim().split(/\s+/).join(" ");
      if (!name) continue;
      if (o.maxLength && name.length > o.maxLength) {
        setError(o.t("A group's name can have at most %(max)s characters.", { max: o.maxLength }));
        return false;
      }
      if (groups.some((g) => groupKey(g) === groupKey(name))) {
        setError(o.t("%(group)s is already on the list.", { group: name }));
        return false;
      }
      if (groups.length >= max()) {
        setError(o.t("The list has all the groups it can hold (at most %(max)s).", { max: max() }));
        return false;
      }
      groups.push(name);
      added.push(name);
    }
    setError("");
    if (added.length) {
      draw();
      o.announce(added.length === 1 ? o.t("Added %(group)s.", { group: added[0] }) : o.t("Added %(groups)s.", { groups: added.join(", ") }));
      if (o.changed) o.changed(groups.slice());
    }
    return true;
  }

  function addTyped() {
    if (!o.input.value.trim()) return;
    if (addNames([o.input.value])) o.input.value = "";
    o.input.focus();
  }

  o.add.addEventListener("click", addTyped);
  o.input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault(); // never submits the surrounding form
      addTyped();
    } else if (e.key === "Backspace" && !o.input.value && groups.length) {
      const last = o.list.querySelectorAll(".chip-remove")[groups.length - 1];
      if (last) last.focus();
    }
  });
  o.input.addEventListener("paste", (e) => {
    const text = e.clipboardData ? e.clipboardData.getData("text") : "";
    if (!/[\n\r]/.test(text)) return;
    e.preventDefault(); // one group per line: each becomes a chip
    addNames(text.split(/[\r\n]+/));
  });
  o.input.addEventListener("input", () => setError(""));
  draw();

  return {
    /** The names now, in order. */
    value: () => groups.slice(),
    /** Show `names` (from the server); nothing is announced or sent. */
    set(names) {
      const next = cleanGroups(names);
      if (next.join("\n") === groups.join("\n")) return;
      const focused = o.list.contains(document.activeElement);
      groups = next;
      draw();
      if (focused) o.input.focus();
    },
    /** What is typed but not added yet, added now (a form submitted without pressing Add). */
    flush() {
      if (!o.input.value.trim()) return true;
      const ok = addNames([o.input.value]);
      if (ok) o.input.value = "";
      return ok;
    },
  };
}
