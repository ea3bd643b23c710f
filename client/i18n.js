// Translations for the browser. The server builds /i18n/{lang}.json from the same .po files
// that the templates use, so every msgid is English and falls back to itself.

let messages = Object.create(null);
// Counted messages: singular msgid -> its forms, in gettext order (msgstr[0], msgstr[1], …).
let plurals = Object.create(null);
let current = "en";

// CLDR plural categories in the order gettext numbers a language's forms; the server picks a
// form the same way (server/i18n.py, PLURAL_CATEGORIES), so a page and its exports agree.
const PLURAL_CATEGORIES = ["zero", "one", "two", "few", "many", "other"];

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
        else if (Array.isArray(value) && value.length > 0 && value.every((form) => typeof form === "string" && form !== "")) {
          plurals[key] = value;
        }
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
  const text = Object.prototype.hasOwnProperty.call(messages, msgid) ? messages[msgid] : msgid;
  return fill(text, params);
}

/** A counted message: the form of `singular`/`plural` that fits `n` in the current language
 * ("1 prikk", "2 prikker"), its placeholders filled from `params` (which should hold `n`). */
export function tn(singular, plural, n, params) {
  const index = pluralIndex(n);
  const forms = Object.prototype.hasOwnProperty.call(plurals, singular) ? plurals[singular] : null;
  const text = forms && index < forms.length ? forms[index] : index === 0 ? singular : plural;
  return fill(text, params);
}

let rules = null;
let rulesFor = "";
let ordered = []; // the language's categories in gettext's order (kept: counts are drawn often)

/** Which gettext form fits `n`: its CLDR category's place among the language's categories. */
function pluralIndex(n) {
  if (rulesFor !== current) {
    rules = new Intl.PluralRules(locale());
    rulesFor = current;
    const used = rules.resolvedOptions().pluralCategories;
    ordered = PLURAL_CATEGORIES.filter((category) => used.includes(category));
  }
  return Math.max(0, ordered.indexOf(rules.select(n)));
}

function fill(text, params) {
  if (!params) return text;
  return text.replace(/%\((\w+)\)s|%%/g, (match, name) => {
    if (match === "%%") return "%";
    return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match;
  });
}

/** The language in use: "nb", "sv" or "en". */
export function currentLanguage() {
  return current;
}

/** A BCP 47 tag for Intl formatting. */
export function locale() {
  return { nb: "nb-NO", sv: "sv-SE", en: "en-GB" }[current] || "en-GB";
}
