// The facilitator's side of "who may be in the room", in the People panel: the "ask to join"
// switch, the list of people waiting with Let in / Turn away, and Remove for a participant
// (with a confirmation: it cannot be undone). The rules are the server's; this only asks.

import { app, isFacilitator, send, setText, show } from "./context.js";
import { confirmAction } from "./confirm.js";
import { locale, t } from "./i18n.js";
import { announce } from "./toasts.js";

const $ = (id) => document.getElementById(id);

function actionButton(label, person, kind, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = `button small person-action${kind === "danger" ? " danger" : kind === "primary" ? " primary" : ""}`;
  button.dataset.person = person.id;
  button.dataset.action = label;
  const text = document.createElement("span");
  text.textContent = label;
  const who = document.createElement("span");
  who.className = "visually-hidden";
  // Two people may share a name: the department tells their buttons apart for screen readers.
  who.textContent = person.department ? ` (${person.name}, ${person.department})` : ` (${person.name})`;
  button.append(text, who);
  button.addEventListener("click", onClick);
  return button;
}

/** "Remove" for a participant or coach on the facilitator's list (never for a facilitator). */
export function removeButton(person) {
  return actionButton(t("Remove"), person, "danger", async () => {
    const sure = await confirmAction({
      title: t("Remove %(name)s from the session?", { name: person.name }),
      text: t("Their connection closes and they cannot come back with this device. What they wrote stays on the board; you can delete it yourself."),
      ok: t("Remove"),
    });
    if (!sure) return;
    send("participant.remove", { participant: person.id });
    announce(t("%(name)s was removed from the session.", { name: person.name }));
  });
}

function waitingItem(person) {
  const li = document.createElement("li");
  li.className = "person is-waiting";
  li.dataset.waitingId = person.id;
  const main = document.createElement("span");
  main.className = "person-main";
  const name = document.createElement("span");
  name.className = "person-name";
  name.textContent = person.name;
  main.append(name);
  if (person.department) {
    const dept = document.createElement("span");
    dept.className = "person-department";
    dept.textContent = person.department;
    main.append(dept);
  }
  const actions = document.createElement("span");
  actions.className = "waiting-actions";
  actions.append(
    actionButton(t("Let in"), person, "primary", () => {
      send("lobby.admit", { participant: person.id });
      announce(t("%(name)s was let in.", { name: person.name }));
    }),
    actionButton(t("Turn away"), person, "danger", async () => {
      const sure = await confirmAction({
        title: t("Turn %(name)s away?", { name: person.name }),
        text: t("They cannot ask again from this device."),
        ok: t("Turn away"),
      });
      if (!sure) return;
      send("lobby.deny", { participant: person.id });
      announce(t("%(name)s was turned away.", { name: person.name }));
    }),
  );
  li.append(main, actions);
  return li;
}

export function renderLobbyPanel() {
  const section = $("lobby-section");
  const facilitator = isFacilitator();
  show(section, facilitator);
  if (!facilitator) return;
  const room = app.confirmed.room;
  const on = Boolean(room && room.settings && room.settings.lobby);
  const toggle = $("lobby-toggle");
  if (toggle.checked !== on) toggle.checked = on;

  const waiting = [...(app.confirmed.waiting ? app.confirmed.waiting.values() : [])].sort((a, b) =>
    a.name.localeCompare(b.name, locale()),
  );
  show($("waiting-wrap"), on || waiting.length > 0);
  setText($("waiting-count"), waiting.length ? String(waiting.length) : "");
  show($("waiting-count"), waiting.length > 0);
  show($("waiting-empty"), waiting.length === 0);
  const list = $("waiting-list");
  const focused = list.contains(document.activeElement) ? document.activeElement : null;
  const keep = focused ? [focused.dataset.person, focused.dataset.action] : null;
  list.replaceChildren(...waiting.map(waitingItem));
  show(list, waiting.length > 0);
  if (keep) {
    // Drawn anew: keep the keyboard on the same button, or on the list's next person.
    const again =
      list.querySelector(`button[data-person="${CSS.escape(keep[0])}"][data-action="${CSS.escape(keep[1])}"]`) ||
      list.querySelector("button") ||
      toggle;
    again.focus();
  }
}

export function setupLobbyPanel() {
  $("lobby-toggle").addEventListener("change", (e) => {
    send("room.update", { settings: { lobby: e.target.checked } });
  });
}
