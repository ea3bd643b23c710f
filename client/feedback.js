// Telling people what just happened to the session, where they look: a toast with the link
// when the results are published (for participants and coaches; the facilitator published
// them; the toast says what happened, never that the session is over), and "Time is up" put
// away when the phase changes. Hint toasts are the hints panel's,
// the move-to-group toasts the note views'.

import { isFacilitator, resultsUrl } from "./context.js";
import { t } from "./i18n.js";
import { timerEvent } from "./timer.js";
import { toast } from "./toasts.js";

/** A confirmed event frame, after the board state has applied it. */
export function feedbackEvent(frame) {
  timerEvent(frame);
  if (frame.op === "results.publish" && frame.data && frame.data.published === true && !isFacilitator()) {
    toast(t("The results are published."), "info", { link: { href: resultsUrl(), text: t("Open the results"), newTab: true } });
  }
  // The page's "results so far are published" line (server-rendered) goes when they are taken back.
  const notice = document.getElementById("published-notice");
  if (notice && frame.op === "results.publish" && frame.data && frame.data.published === false) notice.hidden = true;
}
