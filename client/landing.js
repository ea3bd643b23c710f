// The landing page: join a session by code, or create one and show its links.
// All text from the server is rendered with textContent / value only.

import { loadTranslations, t } from "./i18n.js";
import { copyText } from "./clipboard.js";
import { chipEditor } from "./chips.js";
import { setupCoachLinks } from "./coach-links.js";

const $ = (id) => document.getElementById(id);

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 6;

/** "k7m pq2", "K7M-PQ2", or a whole link → "K7MPQ2"; null when it cannot be a code. */
export function normaliseCode(raw) {
  let value = String(raw || "").trim();
  const fromLink = value.match(/\/r\/([A-Za-z0-9 _-]+)/);
  if (fromLink) value = fromLink[1];
  value = value.toUpperCase().replace(/[\s\-_.\u2010-\u2015]/g, "");
  if (value.length !== CODE_LENGTH) return null;
  for (const ch of value) if (!CODE_ALPHABET.includes(ch)) return null;
  return value;
}

function show(node, visible) {
  node.hidden = !visible;
}

function setText(node, text) {
  node.textContent = text;
}

function setFieldError(input, errorEl, message) {
  errorEl.textContent = message;
  show(errorEl, Boolean(message));
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

function announce(message) {
  const region = $("announcer");
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function setupJoin() {
  const form = $("join-code-form");
  const input = $("join-code");
  const error = $("join-code-error");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const code = normaliseCode(input.value);
    if (!code) {
      setFieldError(
        input,
        error,
        input.value.trim()
          ? t("That is not a session code. A code has six letters and digits, for example K7MPQ2.")
          : t("Please enter the session code."),
      );
      input.focus();
      return;
    }
    setFieldError(input, error, "");
    window.location.assign(`/r/${code}`);
  });
  input.addEventListener("input", () => {
    if (!error.hidden && normaliseCode(input.value)) setFieldError(input, error, "");
  });
}

function absolute(url) {
  try {
    return new URL(url, window.location.origin).href;
  } catch {
    return String(url || "");
  }
}

function showResult(data) {
  const urls = data.urls || {};
  $("result-code").textContent = String(data.code || "");
  const qr = $("result-qr");
  qr.src = `/r/${encodeURIComponent(String(data.code || ""))}/qr.svg`;
  show(qr, true);
  $("result-participant").value = absolute(urls.participant || `/r/${data.code}`);
  $("result-facilitator").value = absolute(urls.facilitator || "");
  $("result-coach").value = absolute(urls.coach || "");
  const open = $("open-facilitator");
  open.href = absolute(urls.facilitator || `/r/${data.code}`);
  const result = $("create-result");
  show(result, true);
  const heading = $("result-heading");
  // The whole card from its top edge (with a margin), at once: the code and the QR code are
  // what the facilitator came for. Focus without scrolling first, so the browser does not
  // scroll the heading to some other place of its own choosing.
  heading.focus({ preventScroll: true });
  result.style.scrollMarginTop = "1rem";
  result.scrollIntoView({ block: "start", behavior: "instant" });
}

const TEMPLATES = ["blank", "need-solution-test", "works-doesnt", "user-journey"];

/** The session template chosen in the create form; blank unless another is checked. */
function chosenTemplate() {
  const checked = document.querySelector('#create-form input[name="template"]:checked');
  return checked && TEMPLATES.includes(checked.value) ? checked.value : "blank";
}

function setupCreate() {
  const form = $("create-form");
  const title = $("create-title");
  const titleError = $("create-title-error");
  const language = $("create-language");
  const formError = $("create-error");
  const submit = $("create-submit");
  let busy = false;
  // The groups the facilitator wants to hear from (t14g): chips, sent with the title.
  const hearFrom = chipEditor({
    input: $("hear-from-input"),
    add: $("hear-from-add"),
    list: $("hear-from-list"),
    error: $("hear-from-error"),
    t,
    announce,
    max: Number($("hear-from-input").dataset.max) || 20,
    maxLength: $("hear-from-input").maxLength > 0 ? $("hear-from-input").maxLength : 60,
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    const value = title.value.trim();
    if (!value) {
      setFieldError(title, titleError, t("Please give the session a title."));
      title.focus();
      return;
    }
    setFieldError(title, titleError, "");
    if (!hearFrom.flush()) {
      $("hear-from-input").focus();
      return;
    }
    formError.textContent = "";
    show(formError, false);
    busy = true;
    submit.setAttribute("aria-disabled", "true");
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/api/rooms", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({
          title: value,
          language: language.value,
          template: chosenTemplate(),
          hear_from: hearFrom.value(),
        }),
      });
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      if (response.status === 201 || (response.ok && data && data.code)) {
        // The form gives way to a short line and "Create another session": left filled in and
        // active, a second click made a second session.
        setText($("create-done-text"), t("“%(title)s” is created. Its code and links are below.", { title: value }));
        show(form, false);
        show($("create-done"), true);
        showResult(data);
      } else {
        const message =
          response.status === 429
            ? t("Too many sessions were created from here just now. Please wait a minute and try again.")
            : data && typeof data.message === "string" && data.message
              ? data.message
              : t("The session could not be created. Please try again.");
        show(formError, true);
        formError.textContent = message;
      }
    } catch {
      show(formError, true);
      formError.textContent = t("Could not reach the server. Check your connection and try again.");
    } finally {
      busy = false;
      submit.removeAttribute("aria-disabled");
      form.removeAttribute("aria-busy");
    }
  });

  title.addEventListener("input", () => {
    if (!titleError.hidden && title.value.trim()) setFieldError(title, titleError, "");
  });

  // A fresh, empty form; the card of the session just made stays until the next one is made
  // (its facilitator link cannot be shown again).
  $("create-another").addEventListener("click", () => {
    form.reset();
    hearFrom.set([]);
    show($("create-done"), false);
    show(form, true);
    title.focus();
  });

  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const field = $(button.dataset.copy);
      if (!field || !field.value) return;
      if (await copyText(field.value)) {
        announce(t("Link copied."));
        button.classList.add("is-copied");
        setTimeout(() => button.classList.remove("is-copied"), 2500);
      } else {
        field.focus();
        field.select();
        announce(t("Could not copy. The link is selected: press Ctrl+C or Cmd+C to copy it."));
      }
    });
  }
}

async function main() {
  await loadTranslations(document.body.dataset.lang || document.documentElement.lang || "en");
  setupJoin();
  setupCreate();
  setupCoachLinks({ announce });
}

main();
