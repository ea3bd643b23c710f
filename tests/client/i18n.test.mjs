// Plural forms in the browser: the catalogue's counted messages arrive as arrays of forms under
// their singular msgid (GET /i18n/{lang}.json), and tn() picks the form by Intl.PluralRules, as
// the server picks it with Babel; English and missing entries fall back to the msgids.
const assert = (c, m) => { if (!c) { console.error("FAIL", m); process.exitCode = 1; } else console.log("ok", m); };

const catalogues = {
  nb: { "Rank %(rank)s:": "Plass %(rank)s:", "%(n)s dot": ["%(n)s prikk", "%(n)s prikker"], "Broken": [1, 2], "Empty": [] },
  sv: { "%(n)s dot": ["%(n)s prick", "%(n)s prickar"] },
};
globalThis.fetch = async (url) => {
  const lang = /\/i18n\/(\w+)\.json$/.exec(url)[1];
  return { ok: true, json: async () => catalogues[lang] };
};

const nb = await import("../../client/i18n.js?nb");
await nb.loadTranslations("nb");
const dots = (m, n) => m.tn("%(n)s dot", "%(n)s dots", n, { n });
assert(dots(nb, 1) === "1 prikk", "nb: 1 prikk");
assert(dots(nb, 2) === "2 prikker" && dots(nb, 0) === "0 prikker", "nb: 0 and 2 prikker");
assert(nb.t("Rank %(rank)s:", { rank: 3 }) === "Plass 3:", "nb: plain messages still work");
assert(nb.tn("Broken", "Brokens", 1) === "Broken" && nb.tn("Empty", "Empties", 2) === "Empties",
  "an entry that is not a list of texts falls back to the msgids");
assert(nb.tn("%(count)s note", "%(count)s notes", 5, { count: 5 }) === "5 notes", "a missing entry falls back to English");

const sv = await import("../../client/i18n.js?sv");
await sv.loadTranslations("sv");
assert(dots(sv, 1) === "1 prick" && dots(sv, 7) === "7 prickar", "sv: 1 prick, 7 prickar");

const en = await import("../../client/i18n.js?en");
await en.loadTranslations("en");
assert(dots(en, 1) === "1 dot" && dots(en, 2) === "2 dots", "en: the msgids themselves");
