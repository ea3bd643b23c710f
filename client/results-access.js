// On the "not published yet" page: the facilitator's key arrives in the fragment (#key=…), which
// the browser never sends. Take it out of the address bar (and history) at once, post it to get
// a short-lived results cookie, and reload: the results page itself needs no script.

const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash);

async function openWithKey(key) {
  const base = window.location.pathname.replace(/\/results\/?$/, "");
  const answer = await fetch(`${base}/results/access`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ key }),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (answer.ok) {
    window.location.reload();
    return;
  }
  const refused = document.getElementById("results-access-refused");
  if (refused) refused.hidden = false;
}

if (match) {
  window.history.replaceState(null, "", window.location.pathname);
  openWithKey(decodeURIComponent(match[1])).catch(() => {
    const refused = document.getElementById("results-access-refused");
    if (refused) refused.hidden = false;
  });
}
