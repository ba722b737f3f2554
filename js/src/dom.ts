// Small DOM helpers shared by the view's modules. User text only ever reaches
// the page through textContent and setAttribute, never innerHTML, so
// "<img onerror=...>" in a card is just text.

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(className: string, text: string, label: string, title?: string): HTMLButtonElement {
  const b = el("button", className, text);
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.title = title ?? label;
  return b;
}

/** The document or shadow root `node` lives in (marimo renders into a shadow root). */
export function rootOf(node: Node): Document | ShadowRoot {
  return node.getRootNode() as Document | ShadowRoot;
}

/**
 * Make `parent`'s children exactly `children`, moving only the nodes that are out of place:
 * a card moved between two 40-card cells touches two nodes, not eighty, and the browser
 * keeps the layout of everything else.
 */
export function reconcile(
  parent: Element,
  children: readonly Node[],
  keep: (node: ChildNode) => boolean = () => false,
): void {
  const wanted = new Set(children);
  let at: ChildNode | null = parent.firstChild;
  for (const node of children) {
    while (at && at !== node && !wanted.has(at) && !keep(at)) {
      const next: ChildNode | null = at.nextSibling;
      at.remove();
      at = next;
    }
    if (node === at) {
      at = at.nextSibling;
      continue;
    }
    // moveBefore (Chromium 133+) keeps a moved card's focus and state: removing a focused
    // element would blur it, and the browser would then re-check every off-screen cell.
    const move = (parent as Element & { moveBefore?: (n: Node, r: Node | null) => void }).moveBefore;
    if (move && node.isConnected && parent.isConnected) {
      try {
        move.call(parent, node, at);
        continue;
      } catch {
        // not movable atomically (another document...): fall back to a plain insert
      }
    }
    parent.insertBefore(node, at);
  }
  while (at) {
    const next: ChildNode | null = at.nextSibling;
    if (!wanted.has(at) && !keep(at)) at.remove();
    at = next;
  }
}
