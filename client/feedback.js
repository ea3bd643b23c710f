// Telling people what just happened to the session, where they look: a toast with the link
// when the results are published (for participants and coaches; the facilitator published
// them; the toast says what happened, never that the session is over), and "Time is up" put
// away when the phase changes; the "results so far are published" line shown and hidden live. Hint toasts are the hints panel's,
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
  // The page's "results so far are published" line, with its link, comes and goes with them.
  if (frame.op === "results.publish" && frame.data) showPublished(frame.data.published === true);
}

/** After a welcome (a reconnect may have missed the publishing): the line as the room is now. */
export function feedbackReset(room) {
  if (room && typeof room.results_published === "boolean") showPublished(room.results_published);
}

// The line is the server's (templates/board.html), there unless the page opened on the report
// back ("The session is over", decided by the server): this only shows or hides it.
function showPublished(published) {
  const notice = document.getElementById("published-notice");
  if (notice) notice.hidden = !published;
}
