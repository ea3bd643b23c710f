// Who took part (t14g): joiners pick their group from the facilitator's list (or "Other…"),
// the facilitator edits the list in the facilitation panel, and facilitators and coaches see,
// per group, how many joined and how many are online now, with the missing groups marked in
// words and with a sign (never by colour alone).

import { $, app, currentRoom, isFacilitator, isStaff, limit, send, show, setText } from "./context.js";
import { chipEditor, groupKey } from "./chips.js";
import { locale, t, tn } from "./i18n.js";
import { announce } from "./toasts.js";

// The elements this module works with.
const el = {
  department: $("join-department"),
  departmentField: $("join-department-field"),
  group: $("join-group"),
  groupOptions: $("join-group-options"),
  other: $("join-group-other"),
  otherText: $("join-other"),
  otherWrap: $("join-other-wrap"),
  reach: $("reach-section"),
  reachSummary: $("reach-panel-summary"),
  reachList: $("reach-panel-list"),
  reachOthers: $("reach-panel-others"),
  panelInput: $("panel-hear-from-input"),
};

let pageGroups = []; // the list the page was rendered with, until the server says more

/** The groups to hear from: the room's once the server said so, else what the page came with. */
function groups() {
  return app.confirmed.room ? currentRoom().hear_from || [] : pageGroups;
}

// -- joining: pick a group -------------------------------------------------------------------

let drawnOptions = null;

function drawOptions(list) {
  const sig = list.join("\n");
  if (sig === drawnOptions) return;
  drawnOptions = sig;
  const chosen = el.department.value;
  el.groupOptions.replaceChildren(
    ...list.map((name, i) => {
      const wrap = document.createElement("div");
      wrap.className = "group-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "join-group";
      input.id = `join-group-${i + 1}`;
      input.value = name;
      const label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = name;
      wrap.append(input, label);
      return wrap;
    }),
  );
  show(el.group, list.length > 0);
  show(el.departmentField, list.length === 0);
  selectFor(chosen);
}

/** Check the radio for `department` (a listed group, or "Other…" with its text). */
function selectFor(department) {
  const key = groupKey(department);
  const radios = [...el.groupOptions.querySelectorAll('input[type="radio"]')];
  const match = radios.find((r) => groupKey(r.value) === key);
  for (const r of radios) r.checked = r === match;
  el.other.checked = Boolean(key) && !match;
  el.otherText.value = el.other.checked ? department : "";
  show(el.otherWrap, el.other.checked);
}

/** What the joiner chose, into the department field the join form sends (screens.js). */
function chosenToDepartment() {
  if (el.group.hidden) return;
  const checked = el.group.querySelector('input[name="join-group"]:checked');
  show(el.otherWrap, Boolean(checked && checked.dataset.other));
  if (!checked) el.department.value = "";
  else if (checked.dataset.other) el.department.value = el.otherText.value.trim();
  else el.department.value = checked.value;
}

/** The join form was (re)opened with the stored department: show it as the choice. */
export function syncJoinGroup() {
  drawOptions(groups());
  selectFor(el.department.value);
}

// -- the facilitator's list ------------------------------------------------------------------

let editor = null;

// -- participation per group -----------------------------------------------------------------

let drawnReach = "";

function renderReach() {
  const list = currentRoom().hear_from || [];
  const staff = isStaff();
  show(el.reach, staff);
  if (!staff) return;
  const wanted = new Map(list.map((name) => [groupKey(name), { name, joined: 0, online: 0 }]));
  const others = new Map();
  for (const p of app.confirmed.participants.values()) {
    if (p.role !== "participant") continue;
    const key = groupKey(p.department);
    if (!key) continue;
    let entry = wanted.get(key) || others.get(key);
    if (!entry) {
      entry = { name: p.department.trim(), joined: 0, online: 0 };
      others.set(key, entry);
    }
    entry.joined += 1;
    if (p.online) entry.online += 1;
  }
  const rows = [...wanted.values()];
  const otherRows = [...others.values()].sort((a, b) => b.joined - a.joined || a.name.localeCompare(b.name, locale()));
  const sig = JSON.stringify([rows, otherRows]);
  if (sig === drawnReach) return;
  drawnReach = sig;
  const reached = rows.filter((r) => r.joined > 0).length;
  const missing = rows.filter((r) => r.joined === 0).map((r) => r.name);
  setText(
    el.reachSummary,
    rows.length === 0
      ? t("No groups listed. Add the groups you want to hear from in the Facilitation panel.")
      : [
          tn("Reached %(reached)s of %(wanted)s group.", "Reached %(reached)s of %(wanted)s groups.", rows.length, {
            reached,
            wanted: rows.length,
          }),
          missing.length ? t("Missing: %(groups)s", { groups: missing.join(", ") }) : t("Every group we wanted to hear from took part."),
        ].join(" "),
  );
  el.reachList.replaceChildren(
    ...rows.map((r) => {
      const li = document.createElement("li");
      li.className = `reach-item${r.joined ? "" : " is-missing"}`;
      const mark = document.createElement("span");
      mark.className = "reach-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = r.joined ? "✓" : "!";
      const name = document.createElement("span");
      name.className = "reach-name";
      name.textContent = r.name;
      const count = document.createElement("span");
      count.className = "reach-count";
      count.textContent = r.joined
        ? tn("%(joined)s joined, %(online)s online now", "%(joined)s joined, %(online)s online now", r.joined, r)
        : t("Missing: nobody from this group yet");
      li.append(mark, name, count);
      return li;
    }),
  );
  show(el.reachList, rows.length > 0);
  setText(
    el.reachOthers,
    otherRows.length
      ? t("Others (not on the list): %(list)s", {
          list: otherRows.map((r) => t("%(group)s: %(count)s", { group: r.name, count: r.joined })).join(", "),
        })
      : "",
  );
  show(el.reachOthers, otherRows.length > 0);
}

// -- wiring ----------------------------------------------------------------------------------

export function setupTookPart() {
  el.group.addEventListener("change", chosenToDepartment);
  el.otherText.addEventListener("input", chosenToDepartment);
  // The join form's own submit (screens.js) reads #join-department: make sure it is current.
  $("join-form").addEventListener("submit", chosenToDepartment, { capture: true });
  pageGroups = [...el.groupOptions.querySelectorAll('input[type="radio"]')].map((r) => r.value);
  drawnOptions = pageGroups.join("\n");
  selectFor(el.department.value);

  if (el.panelInput) {
    editor = chipEditor({
      input: el.panelInput,
      add: $("panel-hear-from-add"),
      list: $("panel-hear-from-list"),
      error: $("panel-hear-from-error"),
      t,
      announce,
      max: Number(el.panelInput.dataset.max) || 20,
      maxLength: el.panelInput.maxLength > 0 ? el.panelInput.maxLength : 60,
      changed: (list) => send("hear_from.set", { groups: list }),
    });
  }
}

export function renderTookPart() {
  const list = currentRoom().hear_from || [];
  if (editor && isFacilitator()) editor.set(list);
  const most = limit("department");
  if (most !== null && el.otherText.maxLength !== most) el.otherText.maxLength = most;
  if (!$("join-screen").hidden) drawOptions(groups());
  renderReach();
}
