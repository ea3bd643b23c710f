// Adding a photo to a new note (a sketch, a paper prototype): the "Take a photo" and "Choose a
// picture" buttons in the note dialog, shrinking the picture in the browser, sending it with
// progress and errors shown, and asking its author to describe it. The note itself is made by
// the note dialog, over the ordinary op path, with the `photo` id the server answered and the
// `alt` written here (docs/protocol.md, "Photos").
//
// Shrunk here first (createImageBitmap + canvas → JPEG, long side ≤ MAX_SIDE): a phone's 4 MB
// photo leaves as ~300 KB, and drawing it on a canvas already leaves its EXIF behind. The server
// decodes and re-encodes it anyway (server/photos.py) and trusts nothing from here.

import { $, app, code, KEYS, editBlockedReason, setFieldError, show } from "./context.js";
import { storage } from "./core/connection.js";
import { t } from "./i18n.js";
import { keepLocal, setPhoto } from "./photo-view.js";
import { announce } from "./toasts.js";

const MAX_SIDE = 1600;
const QUALITY = 0.85;
// What the server takes as it is, when the browser cannot draw a picture to shrink it.
const SENDABLE = ["image/jpeg", "image/png", "image/webp", "image/gif"];

const el = {
  field: $("note-photo-field"),
  pickers: $("note-photo-pickers"),
  camera: $("note-photo-camera"),
  cameraLabel: $("note-photo-camera-label"),
  file: $("note-photo-file"),
  preview: $("note-photo-preview"),
  img: $("note-photo-img"),
  status: $("note-photo-status"),
  progress: $("note-photo-progress"),
  error: $("note-photo-error"),
  remove: $("note-photo-remove"),
  altField: $("note-alt-field"),
  alt: $("note-alt"),
  altError: $("note-alt-error"),
  textLabel: $("note-text-label"),
};

// The photo of the note being written: null, or {state: "sending" | "sent" | "failed", id, url}.
let current = null;
let attempt = 0; // a newer choice or a closed dialog makes an older upload's answer moot

/** What the server's refusal codes mean to the person who chose the picture. */
function refusalText(error) {
  switch (error.code) {
    case "unsupported_type":
      return t("Only photos (JPEG, PNG, WebP or GIF) can be added.");
    case "type_mismatch":
      return t("The file is not the kind of picture it says it is.");
    case "not_an_image":
      return t("This file is not a picture Tavla can read.");
    case "too_large":
      return t("The photo is too large.");
    case "too_many_pixels":
      return t("The picture is too large (too many pixels).");
    case "too_many_photos":
      return t("This session has as many photos as it can take.");
    case "photos_full":
      return t("This session has no more room for photos.");
    case "rate_limited":
      return t("Too many photos in a short time. Wait a minute and try again.");
    case "phase":
    case "locked":
      return editBlockedReason() || t("Notes cannot be added right now.");
    case "forbidden":
      return t("Join the session before you add a photo.");
    default:
      return t("The photo could not be sent. Check the connection and try again.");
  }
}

/** The picture as a JPEG no larger than MAX_SIDE, upright; the file itself when the browser
 * cannot draw it (the server then decides). */
async function shrink(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    if (SENDABLE.includes(file.type)) return file;
    throw { code: file.type.startsWith("image/") ? "unsupported_type" : "not_an_image" };
  }
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // transparency becomes paper white, as on the server
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
  return blob || file;
}

/** POST the picture; resolves with the server's {photo, width, height}. XMLHttpRequest, not
 * fetch: only it reports upload progress. */
function send(blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/r/${encodeURIComponent(code)}/photos`);
    xhr.setRequestHeader("Content-Type", blob.type || "application/octet-stream");
    xhr.setRequestHeader("X-Tavla-Token", (app.me && app.me.token) || storage.get(KEYS.token) || "");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = {};
      }
      if (xhr.status === 201 && typeof body.photo === "string") resolve(body);
      else reject({ code: body.error || "network", max: body.max });
    });
    xhr.addEventListener("error", () => reject({ code: "network" }));
    xhr.addEventListener("timeout", () => reject({ code: "network" }));
    xhr.timeout = 120_000;
    xhr.send(blob);
  });
}

function setStatus(text) {
  el.status.textContent = text;
}

function showPicked(withPhoto) {
  show(el.preview, withPhoto);
  show(el.remove, withPhoto);
  show(el.altField, withPhoto);
  show(el.pickers, !withPhoto);
  el.textLabel.textContent = withPhoto ? t("Caption (optional)") : t("Note text");
}

function clear() {
  attempt += 1;
  if (current && current.url && current.state !== "sent") URL.revokeObjectURL(current.url);
  current = null;
  el.img.removeAttribute("src");
  el.img.alt = "";
  el.alt.value = "";
  el.camera.value = "";
  el.file.value = "";
  show(el.progress, false);
  setStatus("");
  setFieldError(el.alt, el.altError, "");
  el.error.textContent = "";
  show(el.error, false);
  showPicked(false);
}

function fail(error) {
  show(el.progress, false);
  setStatus("");
  el.error.textContent = refusalText(error);
  show(el.error, true);
  announce(el.error.textContent);
}

async function picked(input) {
  const file = input.files && input.files[0];
  if (!file) return;
  clear();
  const mine = attempt;
  el.error.textContent = "";
  show(el.error, false);
  setStatus(t("Preparing the photo…"));
  let blob;
  try {
    blob = await shrink(file);
  } catch (error) {
    if (mine === attempt) fail(error);
    return;
  }
  if (mine !== attempt) return;
  const url = URL.createObjectURL(blob);
  current = { state: "sending", id: null, url };
  el.img.src = url;
  el.img.alt = t("The photo you chose");
  showPicked(true);
  el.progress.value = 0;
  show(el.progress, true);
  setStatus(t("Sending the photo…"));
  el.alt.focus();
  try {
    const answer = await send(blob, (share) => {
      if (mine === attempt) el.progress.value = Math.round(share * 100);
    });
    if (mine !== attempt) return;
    current = { state: "sent", id: answer.photo, url };
    keepLocal(answer.photo, url);
    show(el.progress, false);
    setStatus(t("Photo sent. Describe it, then save the note."));
  } catch (error) {
    if (mine !== attempt) return;
    URL.revokeObjectURL(url);
    current = null;
    el.img.removeAttribute("src");
    showPicked(false);
    fail(error);
  }
}

/** Set the dialog up for a note: a new one may get a photo; an existing photo note shows its
 * photo (it cannot be changed: delete the note and add another). */
export function resetPhoto(note) {
  clear();
  if (note) {
    show(el.field, Boolean(note.photo));
    show(el.pickers, false);
    show(el.remove, false);
    if (note.photo) {
      setPhoto(el.img, note);
      show(el.preview, true);
      el.textLabel.textContent = t("Caption (optional)");
    }
    return;
  }
  show(el.field, true);
  // The camera button where there is a camera to point (a phone or tablet); a laptop's file
  // dialog is the other button.
  show(el.cameraLabel, window.matchMedia("(pointer: coarse)").matches);
}

/** The dialog closed: forget an unfinished choice (a sent photo no note uses is never shown to
 * anyone, and goes with the room). */
export function dropPhoto() {
  clear();
}

/** True when the note being written has a photo (sent or on its way): its text is optional. */
export function hasPhoto() {
  return current !== null;
}

/** For `note.create`: {} without a photo, {photo, alt} with one, or null when the photo is not
 * ready or not described (the reason is shown and the right field focused). */
export function photoArgs() {
  if (!current) return {};
  if (current.state !== "sent") {
    setStatus(t("Wait until the photo has been sent."));
    announce(t("Wait until the photo has been sent."));
    return null;
  }
  const alt = el.alt.value.trim();
  if (!alt) {
    setFieldError(el.alt, el.altError, t("Describe the photo in a few words, for those who cannot see it."));
    el.alt.focus();
    return null;
  }
  return { photo: current.id, alt };
}

/** The photo became part of a note: the next note starts without one. */
export function photoUsed() {
  current = null;
}

export function setupPhotoUpload() {
  for (const input of [el.camera, el.file]) input.addEventListener("change", () => picked(input));
  el.remove.addEventListener("click", () => {
    clear();
    el.file.focus();
  });
  el.alt.addEventListener("input", () => {
    if (!el.altError.hidden && el.alt.value.trim()) setFieldError(el.alt, el.altError, "");
  });
}
