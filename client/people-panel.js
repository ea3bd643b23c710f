// The list of people in the room: who is online, from which department, and for facilitators
// how many notes each person has written privately and a way to share the facilitator role.

import { $, app, currentMe, isFacilitator, isStaff, roleLabel, send, show } from "./context.js";
import { locale, t, tn } from "./i18n.js";
import { announce } from "./toasts.js";
import { removeButton, renderLobbyPanel } from "./lobby-panel.js";

// The elements this module works with.
const el = {
  departments: $("departments"),
  peopleCount: $("people-count"),
  peopleDepartments: $("people-departments"),
  peopleList: $("people-list"),
  peopleSummary: $("people-summary"),
};

function hiddenText(count) {
  return tn("%(count)s hidden note", "%(count)s hidden notes", count, { count });
}

/** "Helse: 3, Skole: 2" for the participants online now, most first. Facilitators and coaches
 * are left out on purpose: the line shows which departments the room hears from, and the staff
 * who run or follow the session would blur that (the walkthrough asked why the sums differed
 * from "Online", so the line says whom it counts). */
function departmentSummary(participants) {
  const counts = new Map();
  for (const p of participants) {
    if (!p.online || p.role !== "participant") continue;
    const key = p.department.trim();
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  if (counts.size === 0) return "";
  const parts = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] ? (b[0] ? a[0].localeCompare(b[0], locale()) : -1) : 1))
    .map(([name, count]) => t("%(department)s: %(count)s", { department: name || t("No group given"), count }));
  return t("Participants online by group (facilitators and coaches not counted): %(list)s", { list: parts.join(", ") });
}

function roleButton(p) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button small person-action";
  button.dataset.person = p.id;
  const makeFacilitator = p.role !== "facilitator";
  const label = document.createElement("span");
  label.textContent = makeFacilitator ? t("Make facilitator") : t("Remove facilitator");
  const who = document.createElement("span");
  who.className = "visually-hidden";
  who.textContent = ` (${p.name})`;
  button.append(label, who);
  button.addEventListener("click", () => {
    const role = makeFacilitator ? "facilitator" : "participant";
    send("role.grant", { participant: p.id, role });
    announce(
      makeFacilitator
        ? t("%(name)s will be a facilitator.", { name: p.name })
        : t("%(name)s will no longer be a facilitator.", { name: p.name }),
    );
  });
  return button;
}

export function renderPeople() {
  const participants = [...app.confirmed.participants.values()];
  const me = currentMe();
  const rank = { facilitator: 0, coach: 1, participant: 2 };
  participants.sort(
    (a, b) =>
      Number(b.online) - Number(a.online) ||
      (rank[a.role] ?? 3) - (rank[b.role] ?? 3) ||
      a.name.localeCompare(b.name, locale()),
  );
  const online = participants.filter((p) => p.online).length;
  // Someone waiting to be let in must not depend on a toast being seen: the People button says so.
  const waiting = isFacilitator() && app.confirmed.waiting ? app.confirmed.waiting.size : 0;
  el.peopleCount.textContent = waiting
    ? t("%(online)s · %(count)s waiting", { online, count: waiting })
    : String(online);
  el.peopleCount.classList.toggle("has-waiting", waiting > 0);
  el.peopleSummary.textContent = t("Online: %(count)s of %(total)s", { count: online, total: participants.length });
  const mix = departmentSummary(participants);
  el.peopleDepartments.textContent = mix;
  show(el.peopleDepartments, Boolean(mix));

  const staff = isStaff();
  const facilitator = isFacilitator();
  const hidden = (staff && app.confirmed.hiddenCounts) || {};
  const focusedPerson = el.peopleList.contains(document.activeElement) ? document.activeElement.dataset.person : null;

  const items = participants.map((p) => {
    const li = document.createElement("li");
    li.className = `person ${p.online ? "is-online" : "is-offline"}`;
    const dot = document.createElement("span");
    dot.className = "person-dot";
    dot.setAttribute("aria-hidden", "true");
    const main = document.createElement("span");
    main.className = "person-main";
    const name = document.createElement("span");
    name.className = "person-name";
    name.textContent = me && p.id === me.id ? t("%(name)s (you)", { name: p.name }) : p.name;
    main.append(name);
    if (p.department) {
      const dept = document.createElement("span");
      dept.className = "person-department";
      dept.textContent = p.department;
      main.append(dept);
    }
    const meta = document.createElement("span");
    meta.className = "person-meta";
    if (p.role !== "participant") {
      const role = document.createElement("span");
      role.className = `role-badge role-${p.role}`;
      role.textContent = roleLabel(p.role);
      meta.append(role);
    }
    const state = document.createElement("span");
    state.className = "person-state";
    state.textContent = p.online ? t("Online") : t("Offline");
    meta.append(state);
    const count = hidden[p.id] || 0;
    if (count > 0) {
      const badge = document.createElement("span");
      badge.className = "person-hidden";
      badge.dataset.hiddenCount = String(count);
      badge.textContent = hiddenText(count);
      meta.append(badge);
    }
    li.dataset.personId = p.id;
    li.append(dot, main, meta);
    if (facilitator && !(me && p.id === me.id)) {
      const actions = document.createElement("span");
      actions.className = "person-actions";
      actions.append(roleButton(p));
      if (p.role !== "facilitator") actions.append(removeButton(p));
      li.append(actions);
    }
    return li;
  });
  el.peopleList.replaceChildren(...items);
  if (focusedPerson) {
    // The list was drawn anew: keep the keyboard where it was.
    const again = el.peopleList.querySelector(`button[data-person="${CSS.escape(focusedPerson)}"]`);
    if (again) again.focus();
    else el.peopleList.closest(".side-panel").querySelector("h2").focus();
  }
  renderLobbyPanel();

  const departments = [...new Set(participants.map((p) => p.department.trim()).filter(Boolean))].sort((a, b) =>
    a.localeCompare(b, locale()),
  );
  el.departments.replaceChildren(
    ...departments.map((d) => {
      const option = document.createElement("option");
      option.value = d;
      return option;
    }),
  );
}
