// The diff overlay (`w.show_diff(older)` in Python): what changed since an older
// version of the map. The kernel computes the changes (jw.diff) and sends them
// in the `_diff` trait; this module only draws them: added and changed items are
// marked where they are, removed cards come back as ghosts in their old cell,
// and removed headers (and cards whose cell is gone) are listed beside a small
// legend. Ghosts are not items: no data-kind, so no gesture reaches them.
import { button, el } from "./dom";
import type { ItemKind } from "./host";
import type { Id } from "./types";

/** One removed entity, where it was. */
export interface Ghost {
  kind: string;
  id: Id;
  text: string;
  touchpoint?: Id | null;
  lane?: Id | null;
  stage?: Id | null;
  position?: number | null;
}

/** The `_diff` trait (see src/journeywidgets/diff_overlay.py); `{}` when there is no overlay. */
export interface DiffData {
  summary?: string;
  added?: Record<Id, string>;
  changed?: Record<Id, { kind: string; fields: string[]; detail: string[] }>;
  removed?: Ghost[];
}

/** What the overlay needs of the drawn map. */
export interface DiffSurface {
  element(kind: ItemKind, id: Id): HTMLElement | null;
  cellElement(tp: Id, lane: Id): HTMLElement | null;
}

export const ADDED = "jw-diff-added";
export const CHANGED = "jw-diff-changed";
export const GHOST = "jw-removed-item";
/** Removed items listed in the panel, at most (a map diffed against an empty one lists all). */
const LISTED = 30;

const KINDS: readonly string[] = ["card", "touchpoint", "stage", "lane"];

/** Whether the trait holds an overlay to draw. */
export function hasDiff(data: DiffData | null | undefined): data is DiffData {
  return Boolean(data && typeof data.summary === "string");
}

export class DiffOverlay {
  /** The toolbar's "Changes" toggle (shown only while there is an overlay). */
  readonly button: HTMLButtonElement;
  /** Legend, summary and the removed items that have no cell to stand in. */
  readonly el: HTMLElement;
  private data: DiffData = {};
  private shown = true;
  private marked: HTMLElement[] = [];
  private ghosts: HTMLElement[] = [];
  private readonly summary: HTMLElement;
  private readonly elsewhere: HTMLElement;

  constructor(private readonly surface: DiffSurface) {
    this.button = button("jw-btn jw-diff-toggle", "Changes", "Show the changes since the base version");
    this.button.setAttribute("aria-pressed", "true");
    this.button.hidden = true;
    this.button.addEventListener("click", () => this.toggle());

    this.el = el("div", "jw-diff-panel");
    this.el.hidden = true;
    this.el.setAttribute("role", "group");
    this.el.setAttribute("aria-label", "Changes since the base version");
    const legend = el("ul", "jw-diff-legend");
    for (const [cls, text] of [
      ["jw-diff-key-added", "added"],
      ["jw-diff-key-changed", "changed"],
      ["jw-diff-key-removed", "removed"],
    ] as const) {
      const li = el("li", `jw-diff-key ${cls}`);
      const swatch = el("span", "jw-diff-swatch");
      swatch.setAttribute("aria-hidden", "true");
      li.append(swatch, el("span", "", text));
      legend.append(li);
    }
    this.summary = el("span", "jw-diff-summary");
    this.elsewhere = el("div", "jw-diff-elsewhere");
    this.el.append(legend, this.summary, this.elsewhere);
  }

  get visible(): boolean {
    return this.shown && hasDiff(this.data);
  }

  /** New changes from the kernel (or none). */
  set(data: DiffData | null | undefined): void {
    this.data = hasDiff(data) ? data : {};
    this.apply();
  }

  /** Hide or show the marks (per view: it is how this person looks at the map). */
  toggle(show = !this.shown): void {
    this.shown = show;
    // One label, its state in aria-pressed (a toggle button's label does not flip).
    this.button.setAttribute("aria-pressed", String(show));
    this.apply();
  }

  /** Draw the marks again: after every redraw of the grid (new elements have none). */
  apply(): void {
    this.clear();
    const present = hasDiff(this.data);
    this.button.hidden = !present;
    this.el.hidden = !this.visible;
    if (!present) return;
    this.summary.textContent = this.data.summary ?? "";
    if (!this.shown) return;
    const { surface } = this;
    for (const [id, kind] of Object.entries(this.data.added ?? {})) {
      this.mark(surface.element(kind as ItemKind, id), ADDED, "added since the base version");
    }
    for (const [id, change] of Object.entries(this.data.changed ?? {})) {
      const what = change.detail.join("; ");
      this.mark(surface.element(change.kind as ItemKind, id), CHANGED, `changed since the base version: ${what}`);
    }
    const unplaced: Ghost[] = [];
    for (const ghost of this.data.removed ?? []) {
      if (!KINDS.includes(ghost.kind)) continue;
      const cell = ghost.kind === "card" && ghost.touchpoint && ghost.lane;
      const home = cell ? surface.cellElement(ghost.touchpoint!, ghost.lane!) : null;
      if (home) this.placeGhost(home, ghost);
      else unplaced.push(ghost);
    }
    this.elsewhere.hidden = unplaced.length === 0;
    if (unplaced.length > 0) {
      const list = el("ul", "jw-diff-removed");
      list.setAttribute("aria-label", "Removed");
      for (const ghost of unplaced.slice(0, LISTED)) {
        const li = el("li", `${GHOST} jw-removed-${ghost.kind}`, ghost.text);
        li.setAttribute("aria-label", `removed ${ghost.kind}: ${ghost.text}`);
        li.title = `Removed ${ghost.kind}: ${ghost.text}`;
        list.append(li);
      }
      if (unplaced.length > LISTED) list.append(el("li", "jw-diff-more", `and ${unplaced.length - LISTED} more`));
      this.elsewhere.replaceChildren(el("span", "jw-diff-elsewhere-label", "Removed:"), list);
    }
  }

  private mark(node: HTMLElement | null, cls: string, description: string): void {
    if (!node) return;
    node.classList.add(cls);
    // Read after the item's own label, so "Touchpoint Website, ..." then what changed.
    node.setAttribute("aria-description", description);
    this.marked.push(node);
  }

  private placeGhost(cell: HTMLElement, ghost: Ghost): void {
    const node = el("div", `${GHOST} jw-removed-card`, ghost.text);
    node.setAttribute("role", "note");
    node.setAttribute("aria-label", `removed: ${ghost.text}`);
    node.title = `Removed since the base version: ${ghost.text}`;
    node.dataset["ghost"] = ghost.id;
    // Where it was among the cell's cards, as far as the cell still has them.
    const cards = cell.querySelectorAll(":scope > .jw-card, :scope > .jw-removed-item");
    const before = cards[ghost.position ?? cards.length] ?? cell.querySelector(":scope > .jw-add-card");
    cell.insertBefore(node, before ?? null);
    this.ghosts.push(node);
  }

  private clear(): void {
    for (const node of this.marked) {
      node.classList.remove(ADDED, CHANGED);
      node.removeAttribute("aria-description");
    }
    this.marked = [];
    for (const node of this.ghosts) node.remove();
    this.ghosts = [];
    this.elsewhere.replaceChildren();
  }
}
