// Moving things on the board, the same way for notes and groups: by pointer (mouse, touch,
// pen) a press becomes a drag only past a few pixels, something that may not move says why
// once and lets go (touch then scrolls the board), Escape puts it back, and one op is sent on
// drop; by arrow keys a press sends at once and a held key draws the item where it is going
// and sends one move when released. The drag and key-move state lives here, not in the page's
// shared state; the views ask for it (`drag()`, `keyMove()`).

import { arrowDelta, release, stepOrHold, toBoard } from "./board-input.js";

const DRAG_THRESHOLD_PX = 6;

let active = null; // the one pointer drag on the page (a note or a group): {owner, id, …}

/**
 * Make the items under `container` (matched by `handle`) movable.
 *
 * @param {object} spec
 * @param {Element} spec.container                 where the items are (events are delegated)
 * @param {string} spec.handle                     selector of what is grabbed and focused
 * @param {(node: Element) => string} spec.idOf     the item's id from its handle
 * @param {(id: string) => boolean} spec.exists     whether the item is still on the board
 * @param {(id: string) => boolean} spec.movable    whether this person may move it now
 * @param {() => void} spec.refuse                  say why it cannot move (a toast)
 * @param {(e: PointerEvent) => boolean} [spec.ignore]   a press on the item's own controls
 * @param {(id: string, point: {x, y}, e: PointerEvent) => object} [spec.grab]
 *        extra fields for a new drag (where in the item it was grabbed, …)
 * @param {(drag: object) => void} [spec.lift]      the press became a drag
 * @param {(drag: object, point: {x, y}, e: PointerEvent) => void} spec.follow
 *        the pointer moved (board units): draw the item there, keeping what it needs in `drag`
 * @param {(drag: object, commit: boolean) => void} spec.drop   let go after a drag (commit false:
 *        cancelled, put it back)
 * @param {(drag: object) => void} [spec.tap]       a press and release without a drag
 * @param {(id: string, dx: number, dy: number) => number[]} [spec.limit]
 *        the key move kept on the board: [dx, dy]
 * @param {(move: {id, dx, dy}) => void} spec.drawKeys    draw a held key move
 * @param {(id: string, dx: number, dy: number) => void} spec.moveBy   send a key move
 * @param {(e: KeyboardEvent, id: string, node: Element) => void} [spec.key]   other keys
 * @returns {{drag: () => object|null, keyMove: () => object|null, forget: (id: string) => void}}
 */
export function makeDraggable(spec) {
  const owner = {};
  let keys = null; // a key move not sent yet: {id, dx, dy, timer}

  const mine = () => (active && active.owner === owner ? active : null);

  function flushKeys() {
    const km = keys;
    if (!km) return;
    clearTimeout(km.timer);
    keys = null;
    spec.moveBy(km.id, km.dx, km.dy);
  }

  function onKeyDown(e) {
    const node = e.target.closest && e.target.closest(spec.handle);
    if (!node || node !== e.target) return;
    const id = spec.idOf(node);
    if (!spec.exists(id)) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const delta = arrowDelta(e);
    if (!delta) {
      if (spec.key) spec.key(e, id, node);
      return;
    }
    e.preventDefault();
    if (!spec.movable(id)) {
      if (!e.repeat) spec.refuse();
      return;
    }
    if (keys && keys.id !== id) flushKeys();
    const base = keys || { id, dx: 0, dy: 0, timer: null };
    const [dx, dy] = spec.limit ? spec.limit(id, base.dx + delta[0], base.dy + delta[1]) : [base.dx + delta[0], base.dy + delta[1]];
    keys = { id, dx, dy, timer: base.timer };
    stepOrHold(e, keys, spec.drawKeys, flushKeys);
  }

  function onPointerDown(e) {
    const node = e.target.closest && e.target.closest(spec.handle);
    if (!node || active) return;
    if (spec.ignore && spec.ignore(e)) return;
    if (e.pointerType === "mouse" && e.button !== 0) return;
    const id = spec.idOf(node);
    if (!spec.exists(id)) return;
    flushKeys();
    const point = toBoard(e);
    active = {
      ...(spec.grab ? spec.grab(id, point, e) : {}),
      owner,
      id,
      node,
      pointerId: e.pointerId,
      type: e.pointerType,
      startX: e.clientX,
      startY: e.clientY,
      moved: false,
      fixed: !spec.movable(id),
    };
    try {
      node.setPointerCapture(e.pointerId);
    } catch {
      // capture is a nicety
    }
  }

  function onPointerMove(e) {
    const d = mine();
    if (!d || e.pointerId !== d.pointerId) return;
    if (!d.moved) {
      if (Math.hypot(e.clientX - d.startX, e.clientY - d.startY) < DRAG_THRESHOLD_PX) return;
      if (d.fixed) {
        active = null;
        release(d.node, d.pointerId);
        spec.refuse();
        return;
      }
      d.moved = true;
      if (spec.lift) spec.lift(d);
    }
    e.preventDefault();
    spec.follow(d, toBoard(e), e);
  }

  function end(pointerId, commit) {
    const d = mine();
    if (!d || pointerId !== d.pointerId) return;
    active = null;
    release(d.node, pointerId);
    if (d.moved) spec.drop(d, commit);
    else if (commit && spec.tap) spec.tap(d);
  }

  const box = spec.container;
  box.addEventListener("keydown", onKeyDown);
  box.addEventListener("keyup", (e) => {
    if (e.key.startsWith("Arrow")) flushKeys();
  });
  box.addEventListener("focusout", (e) => {
    if (keys && e.target.closest && e.target.closest(spec.handle) === e.target && spec.idOf(e.target) === keys.id) flushKeys();
  });
  box.addEventListener("pointerdown", onPointerDown);
  box.addEventListener("pointermove", onPointerMove);
  box.addEventListener("pointerup", (e) => end(e.pointerId, true));
  box.addEventListener("pointercancel", (e) => end(e.pointerId, false));
  box.addEventListener("lostpointercapture", (e) => end(e.pointerId, true));
  window.addEventListener("keydown", (e) => {
    const d = mine();
    if (e.key === "Escape" && d) end(d.pointerId, false);
  });

  return {
    /** The pointer drag of one of these items, or null. */
    drag: mine,
    /** The key move not sent yet ({id, dx, dy}), or null. */
    keyMove: () => keys,
    /** Item `id` left the board: drop its drag without sending anything. */
    forget(id) {
      const d = mine();
      if (d && d.id === id) active = null;
    },
  };
}
