// The badge on a note only its author can see yet: a lock and one short word on the note (the
// whole sentence took half of a small note), the whole sentence for screen readers and as a
// tooltip.

import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";

function lockIcon() {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "private-badge-icon");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "12");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const body = document.createElementNS(SVG, "rect");
  for (const [name, value] of [["x", "2.5"], ["y", "7"], ["width", "11"], ["height", "8"], ["rx", "1.5"]]) body.setAttribute(name, value);
  const shackle = document.createElementNS(SVG, "path");
  shackle.setAttribute("d", "M5 7V5a3 3 0 0 1 6 0v2");
  shackle.setAttribute("fill", "none");
  shackle.setAttribute("stroke-width", "2");
  svg.append(body, shackle);
  return svg;
}

/** The badge's content: icon, "Private" (seen), the full sentence (heard). */
export function privateBadgeContent(fullText) {
  const short = document.createElement("span");
  short.className = "private-badge-label";
  short.setAttribute("aria-hidden", "true");
  short.textContent = t("Private");
  const full = document.createElement("span");
  full.className = "visually-hidden";
  full.textContent = fullText;
  return [lockIcon(), short, full];
}
