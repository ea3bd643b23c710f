// Polite, batched announcements of what others changed while the list is open: "3 new notes
// in Behov" once, a moment after the last of them, instead of one interruption per note.
// The list's own live region (#list-announcer), so the canvas's announcements stay apart.

import { tn } from "./i18n.js";

const QUIET_MS = 1200; // a burst (a reveal, a busy minute) ends when nothing new came this long

const region = document.getElementById("list-announcer");
const pending = new Map(); // area title ("" for none) → new notes
let timer = null;

function sentence(area, count) {
  if (area) {
    return tn("%(count)s new note in %(area)s", "%(count)s new notes in %(area)s", count, { count, area });
  }
  return tn("%(count)s new note", "%(count)s new notes", count, { count });
}

function flush() {
  timer = null;
  const text = [...pending].map(([area, count]) => sentence(area, count)).join(". ");
  pending.clear();
  if (!text) return;
  // Cleared first, so that the same sentence twice is read twice.
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** A note someone else wrote appeared in `area` (its title, "" for none). */
export function noteArrived(area) {
  pending.set(area, (pending.get(area) || 0) + 1);
  if (timer) clearTimeout(timer);
  timer = setTimeout(flush, QUIET_MS);
}

/** Another round's board came: what was waiting to be said is about a board no longer shown. */
export function dropPending() {
  pending.clear();
  if (timer) clearTimeout(timer);
  timer = null;
}
