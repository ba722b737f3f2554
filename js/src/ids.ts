// Element ids that are unique in the whole page, for `url(#id)` references
// (clip paths, gradients) and `aria-describedby`.
//
// A page resolves `url(#id)` to the first element with that id anywhere in the
// document, so two outputs using the same id draw with each other's clip paths.
// A counter alone does not prevent that: anywidget imports the bundle once per
// widget model, so every copy of this module starts counting from zero. A
// random token per copy of the module tells the copies apart; the counter tells
// the views (and elements) of one copy apart.

function randomToken(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}

const TOKEN = randomToken();
let counter = 0;

/** A new id `${prefix}-${token}-${n}`, never handed out before in this page. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${TOKEN}-${counter}`;
}
