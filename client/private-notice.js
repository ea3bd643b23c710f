// A participant's phone must say that what they write is private: on a phone the phase's
// sentence is folded away, so one small line under the phase bar says it while private writing
// is on (the reveal turns it off for everyone). Facilitators' notes are never private, and a
// coach writes no notes, so only participants see the line.

import { $, app, myRole, show } from "./context.js";
import { privateBadgeContent } from "./private-badge.js";

const notice = $("private-notice");
const icon = notice ? notice.querySelector(".private-notice-icon") : null;
if (icon) icon.append(privateBadgeContent("")[0]); // the same lock as on a private note

/** Whether this person's new notes are private now. */
export function writesPrivately(room, role) {
  return Boolean(room && room.settings && room.settings.private_writing) && role === "participant";
}

export function renderPrivateNotice() {
  if (!notice) return;
  const welcomed = Boolean(app.conn && app.conn.everWelcomed && app.confirmed.room);
  show(notice, welcomed && writesPrivately(app.room, myRole()));
}
