// A photo note's picture wherever a note is drawn: the canvas, the list, the projector's wall.
// Always with the text alternative its author wrote as the img's alt (an image that cannot load
// shows that text instead). The server serves a photo only to whoever may see its note
// (server/photo_edge.py): a note still private to its author is fetched with the author's
// token and shown from a blob: URL; every other one by its plain address, which the browser
// keeps for a year (a photo never changes under its id).

import { app, code, KEYS } from "./context.js";
import { storage } from "./core/connection.js";
import { t } from "./i18n.js";

/** A note in words, for labels and announcements: its text, or for a photo note without a
 * caption its photo's description. */
export function noteWords(note) {
  if (note.text || !note.photo) return note.text || "";
  return t("Photo: %(alt)s", { alt: note.alt || "" });
}

/** The address of photo `id` of this room. */
export function photoUrl(id) {
  return `/r/${encodeURIComponent(code)}/photos/${encodeURIComponent(id)}`;
}

// Photo id → blob: URL of a picture this page already has: the one its author just chose and
// sent (shown at once, before the server's copy would load), and private ones fetched with the
// token. Kept for the page's life; there are at most a few dozen photos in a room.
const local = new Map();
const fetching = new Map(); // photo id → Promise of its blob: URL

/** The author's copy of the photo just uploaded as `id`: shown until the page is left. */
export function keepLocal(id, url) {
  local.set(id, url);
}

function token() {
  return (app.me && app.me.token) || storage.get(KEYS.token) || "";
}

function fetchPrivate(id) {
  if (!fetching.has(id)) {
    const wanted = fetch(photoUrl(id), { headers: { "X-Tavla-Token": token() }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(String(response.status)))))
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        local.set(id, url);
        return url;
      })
      .catch((error) => {
        fetching.delete(id); // asked again next time the note is drawn
        throw error;
      });
    fetching.set(id, wanted);
  }
  return fetching.get(id);
}

/** A new <img> for photos, in the given class. */
export function createPhotoEl(className) {
  const img = document.createElement("img");
  img.className = className;
  img.decoding = "async";
  img.draggable = false;
  img.alt = "";
  return img;
}

/** Point `img` at `note`'s photo with its alt, fetching a private one with the token. */
export function setPhoto(img, note) {
  const hidden = note.hidden ? "1" : "";
  if (img.dataset.photo === note.photo && img.alt === (note.alt || "") && img.dataset.hidden === hidden) return;
  img.alt = note.alt || "";
  img.dataset.photo = note.photo;
  img.dataset.hidden = hidden;
  const have = local.get(note.photo);
  if (have) {
    img.src = have;
  } else if (note.hidden) {
    img.removeAttribute("src");
    fetchPrivate(note.photo).then(
      (url) => {
        if (img.dataset.photo === note.photo) img.src = url;
      },
      () => {}, // the alt stays in its place
    );
  } else {
    img.src = photoUrl(note.photo);
  }
}

/** Keep `holder`'s photo in step with `note`: add it before `before`, update it, or take it
 * away. Returns the img (or null when the note has none). */
export function syncPhoto(holder, before, current, note, className) {
  if (!note.photo) {
    if (current) current.remove();
    return null;
  }
  const img = current || createPhotoEl(className);
  if (!current) holder.insertBefore(img, before);
  setPhoto(img, note);
  return img;
}
