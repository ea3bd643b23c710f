// The labelled areas of a session template, drawn behind the notes.

import { $, currentRoom, show } from "./context.js";
import { NOTE_MIN_HEIGHT, NOTE_WIDTH } from "./core/state.js";

// The elements this module works with.
const el = {
  areas: $("areas"),
};

let drawn = "";
const LONG_AREA_TITLE = 60;

/** The area whose box holds the board point (x, y), or null: one rule for every view. */
export function areaAt(areas, x, y) {
  return areas.find((a) => x >= a.x && x < a.x + a.w && y >= a.y && y < a.y + a.h) || null;
}

/** The area a note (or anything placed like one at x, y) is in: where its middle is. */
export function areaOfNote(note, areas) {
  return areaAt(areas, note.x + NOTE_WIDTH / 2, note.y + NOTE_MIN_HEIGHT / 2);
}

export function renderAreas() {
  const areas = currentRoom().areas || [];
  const sig = JSON.stringify(areas);
  if (sig === drawn) return;
  drawn = sig;
  el.areas.replaceChildren(
    ...areas.map((area, i) => {
      const li = document.createElement("li");
      li.className = `area area-${i % 5}`;
      li.dataset.areaId = area.id;
      li.style.transform = `translate(${Math.round(area.x)}px, ${Math.round(area.y)}px)`;
      li.style.width = `${Math.round(area.w)}px`;
      li.style.height = `${Math.round(area.h)}px`;
      const title = document.createElement("span");
      title.className = "area-title";
      title.textContent = area.title;
      // A need carried in as an area can be a whole note: smaller, at most three lines on the
      // board's title band (the projector's columns and the list show it whole), whole on hover.
      if (area.title.length > LONG_AREA_TITLE) {
        title.classList.add("area-title-long");
        title.title = area.title;
      }
      li.append(title);
      return li;
    }),
  );
  show(el.areas, areas.length > 0);
}
