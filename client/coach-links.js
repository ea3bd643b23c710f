// Coaching at a distance, the coach's sessions: a coach who opens a board with a coach link has
// it remembered in this browser (localStorage: code, title, when, and the link with its key),
// and the landing page lists them with "Open" and "Forget". Nothing of it is ever sent to the
// server; the keys stay in this browser (templates/privacy.html says so).
//
// The board page calls `rememberCoachLink`; the landing page calls `setupCoachLinks`.

import { locale, t } from "./i18n.js";

const KEY = "tavla:coach-links";
const MAX_LINKS = 50; // the oldest fall off: a list, not an archive
const CODE = /^[A-Z0-9]{4,12}$/;

function read() {
  try {
    const parsed = JSON.parse(window.localStorage.getItem(KEY) || "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (l) => l && typeof l === "object" && typeof l.code === "string" && CODE.test(l.code) &&
        typeof l.link === "string" && typeof l.title === "string" && typeof l.at === "number",
    );
  } catch {
    return [];
  }
}

function write(links) {
  try {
    if (links.length) window.localStorage.setItem(KEY, JSON.stringify(links));
    else window.localStorage.removeItem(KEY);
    return true;
  } catch {
    return false; // storage off or full: nothing remembered, nothing broken
  }
}

/** The remembered coach links, the most recently opened first. */
export function coachLinks() {
  return read().sort((a, b) => b.at - a.at);
}

/**
 * Remember (or refresh) the coach link of session `code`. Only a link that is a coach link of
 * this same site and this session is kept: `/r/CODE#key=…`.
 */
export function rememberCoachLink({ code, title, key, now = Date.now() }) {
  if (!CODE.test(String(code || "")) || !key) return false;
  const link = `${window.location.origin}/r/${encodeURIComponent(code)}#key=${encodeURIComponent(key)}`;
  const links = read().filter((l) => l.code !== code);
  links.push({ code, title: String(title || "").slice(0, 200), link, at: now });
  links.sort((a, b) => b.at - a.at);
  return write(links.slice(0, MAX_LINKS));
}

export function forgetCoachLink(code) {
  return write(read().filter((l) => l.code !== code));
}

/** A link is opened only if it points at a board of this site (a stored value is not trusted). */
export function safeLink(link, code) {
  try {
    const url = new URL(link, window.location.origin);
    return url.origin === window.location.origin && url.pathname === `/r/${encodeURIComponent(code)}` ? url.href : null;
  } catch {
    return null;
  }
}

// -- the landing page's list ----------------------------------------------------------------------

function formatWhen(ms) {
  try {
    return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "long", year: "numeric" }).format(new Date(ms));
  } catch {
    return "";
  }
}

function item(link, { forget }) {
  const li = document.createElement("li");
  li.className = "coach-link";
  li.dataset.code = link.code;
  const text = document.createElement("p");
  text.className = "coach-link-text";
  const title = document.createElement("span");
  title.className = "coach-link-title";
  title.id = `coach-link-${link.code}`;
  title.textContent = link.title || t("Session %(code)s", { code: link.code });
  const meta = document.createElement("span");
  meta.className = "coach-link-meta";
  const when = formatWhen(link.at);
  meta.textContent = when
    ? t("Code %(code)s · last opened %(date)s", { code: link.code, date: when })
    : t("Code %(code)s", { code: link.code });
  text.append(title, meta);

  const actions = document.createElement("div");
  actions.className = "coach-link-actions";
  const href = safeLink(link.link, link.code);
  if (href) {
    const open = document.createElement("a");
    open.className = "button primary";
    open.href = href;
    open.textContent = t("Open");
    open.setAttribute("aria-describedby", title.id);
    actions.append(open);
  }
  const drop = document.createElement("button");
  drop.type = "button";
  drop.className = "button";
  drop.textContent = t("Forget");
  drop.setAttribute("aria-describedby", title.id);
  drop.addEventListener("click", () => forget(link));
  actions.append(drop);
  li.append(text, actions);
  return li;
}

/** The landing page's "Sessions you coach": shown only when this browser remembers any. */
export function setupCoachLinks({ announce }) {
  const section = document.getElementById("coach-links");
  const list = document.getElementById("coach-links-list");
  const heading = document.getElementById("coach-links-heading");
  if (!section || !list) return;
  const draw = () => {
    const links = coachLinks();
    section.hidden = links.length === 0;
    list.replaceChildren(...links.map((l) => item(l, { forget })));
  };
  const forget = (link) => {
    const links = coachLinks();
    const index = links.findIndex((l) => l.code === link.code);
    forgetCoachLink(link.code);
    draw();
    announce(t("Forgotten in this browser: %(title)s.", { title: link.title || link.code }));
    // Focus to the next session's "Forget", or the one before, or the page's main heading.
    const rest = list.querySelectorAll(".coach-link button");
    const next = rest[Math.min(index, rest.length - 1)];
    if (next) next.focus();
    else (document.querySelector("h1") || heading)?.focus?.();
  };
  draw();
  window.addEventListener("storage", (e) => {
    if (e.key === KEY) draw();
  });
}
