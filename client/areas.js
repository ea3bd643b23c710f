// The labelled areas of a session template, drawn behind the notes.

import { $, currentRoom, show } from "./context.js";

// The elements this module works with.
const el = {
  areas: $("areas"),
};

let drawn = "";

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
      li.append(title);
      return li;
    }),
  );
  show(el.areas, areas.length > 0);
}
