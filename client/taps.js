// A tap (touch or pen) that opens a dialog opens it on the tap's own click, not on pointerup:
// otherwise the click that follows a tap lands inside the dialog that just opened (a colour
// changes, a button is pressed) without the person knowing.

let pending = null; // {node, action, timer}

function run() {
  const tap = pending;
  pending = null;
  if (tap) {
    clearTimeout(tap.timer);
    tap.action();
  }
}

/** After a tap on `node`: do `action` on its click (or shortly after, if no click comes). */
export function afterTap(node, action) {
  if (pending) clearTimeout(pending.timer);
  pending = { node, action, timer: setTimeout(run, 450) };
}

export function setupTaps() {
  document.addEventListener(
    "click",
    (e) => {
      if (pending && pending.node.contains(e.target)) run();
    },
    true,
  );
}
