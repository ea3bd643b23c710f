// Translations for the browser. The server builds /i18n/{lang}.json from the same .po files
// that the templates use, so every msgid is English and falls back to itself.

let messages = Object.create(null);
let current = "en";

/** Fetch the catalogue for `lang` once; English (or any failure) uses the msgids. */
export async function loadTranslations(lang) {
  current = ["nb", "sv", "en"].includes(lang) ? lang : "en";
  if (current === "en") return;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 4000);
  try {
    // The page names its catalog with a version (kept by the browser like the scripts).
    const body = typeof document === "undefined" ? null : document.body;
    const named = body?.dataset.lang === current ? body.dataset.catalog : "";
    const response = await fetch(named || `/i18n/${current}.json`, {
      credentials: "same-origin",
      signal: controller.signal,
    });
    if (!response.ok) return;
    const data = await response.json();
    if (data && typeof data === "object" && !Array.isArray(data)) {
      for (const [key, value] of Object.entries(data)) {
        if (typeof value === "string" && value !== "") messages[key] = value;
      }
    }
  } catch {
    // Offline or slow: English text is better than no page.
  } finally {
    clearTimeout(timer);
  }
}

/** Translate `msgid` and fill `%(name)s` placeholders from `params`. */
export function t(msgid, params) {
  let text = Object.prototype.hasOwnProperty.call(messages, msgid) ? messages[msgid] : msgid;
  if (params) {
    text = text.replace(/%\((\w+)\)s|%%/g, (match, name) => {
      if (match === "%%") return "%";
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match;
    });
  }
  return text;
}

/** The language in use: "nb", "sv" or "en". */
export function currentLanguage() {
  return current;
}

/** A BCP 47 tag for Intl formatting. */
export function locale() {
  return { nb: "nb-NO", sv: "sv-SE", en: "en-GB" }[current] || "en-GB";
}
