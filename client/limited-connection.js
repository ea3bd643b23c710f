// The small "Limited connection" label next to the connection status: shown while the board
// runs over the HTTP fallback (client/core/transports.js), because this network does not let
// WebSockets through. Everything still works; it only says why updates may come a moment later.
// The label sits inside the status live region, so appearing is announced politely, once. It is
// empty while hidden, so the status region's text is only ever what a person can see.

import { t } from "./i18n.js";

const QUIET_STATUSES = new Set(["gone", "removed", "outdated"]);

/** Show or hide the label for the connection `conn` (null before joining). */
export function renderLimitedConnection(conn) {
  const label = document.getElementById("limited-connection");
  if (!label) return;
  const show = Boolean(conn && conn.limited && !QUIET_STATUSES.has(conn.status));
  if (label.hidden !== show) return;
  label.textContent = show ? t("Limited connection") : "";
  label.title = show ? t("This network blocks live connections, so Tavla uses a slower way. Everything still works.") : "";
  label.hidden = !show;
}
