// Selection and keyboard focus. The selection is the session's (shared by every
// view of the model); this draws it. Focus never falls out of the widget: when
// the focused item is redrawn it gets focus back, and when it is gone (Ctrl+Z
// removed it, the kernel gave a new card its real id) the item now in its place,
// or its nearest neighbour, gets it; failing that the widget itself does, so the
// next Ctrl+Z still reaches the map.
import type { EmotionCurve } from "./curve";
import { rootOf } from "./dom";
import type { ItemKind, MapSurface } from "./host";
import type { GridRenderer } from "./render";
import type { Session } from "./session";
import type { Id } from "./types";

/** What had focus before a redraw, and where it was. */
export interface FocusMark {
  kind: ItemKind;
  id: Id;
  /** A card's cell and index in it. */
  tp?: Id | undefined;
  lane?: Id | undefined;
  index: number;
}

export class Focus {
  private selectedEls: Element[] = [];

  constructor(
    private readonly view: MapSurface,
    private readonly session: Session,
    private readonly renderer: GridRenderer,
    private readonly curve: EmotionCurve,
  ) {}

  showSelection(): void {
    for (const node of this.selectedEls) {
      node.classList.remove("jw-selected");
      node.setAttribute("aria-pressed", "false");
    }
    this.selectedEls = [];
    const { store } = this.view;
    for (const id of this.session.selection) {
      const kind = store.kind(id);
      if (kind !== "card" && kind !== "touchpoint") continue;
      const node = this.view.element(kind, id);
      if (node) {
        node.classList.add("jw-selected");
        node.setAttribute("aria-pressed", "true");
        this.selectedEls.push(node);
      }
      if (kind === "touchpoint") {
        const point = this.curve.point(id);
        if (point) {
          point.classList.add("jw-selected");
          this.selectedEls.push(point);
        }
      }
    }
    this.view.root.classList.toggle("jw-has-selection", this.session.selection.length > 0);
  }

  /** Focus an item (after it was redrawn, moved or edited). */
  focusItem(kind: ItemKind, id: Id, scroll = true): boolean {
    let node = this.view.element(kind, id);
    // A wide map draws only the columns near the view: scroll to the item's and draw it.
    if (!node) {
      this.renderer.reveal(kind, id, true);
      node = this.view.element(kind, id);
    }
    if (!node) return false;
    if (kind === "card") this.renderer.setRoving(id);
    node.focus({ preventScroll: true });
    if (scroll) node.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    return true;
  }

  /** Focus an item once the current edit has been drawn. */
  refocus(kind: ItemKind, id: Id): void {
    queueMicrotask(() => this.focusItem(kind, id));
  }

  /**
   * A press on the title, the counts or a gap of the toolbar keeps focus (and so Ctrl+Z) in
   * the widget: without this the notebook takes focus, and Ctrl+Z undoes in the notebook.
   */
  keepFocus(e: PointerEvent): void {
    const target = e.target as Element;
    const root = this.view.root;
    if (
      this.view.grid.contains(target) ||
      target.closest?.("button, input, textarea, select, a, [tabindex]:not(.jw-root)")
    ) {
      return;
    }
    // No mousedown follows a prevented pointerdown, so the notebook never hears the press.
    e.preventDefault();
    e.stopPropagation();
    // Like any press elsewhere, it ends an edit in progress (the field loses focus).
    root.focus({ preventScroll: true });
  }

  /** Keep the roving tab stop on the card that has focus. */
  focusIn(e: FocusEvent): void {
    const item = this.view.itemOf(e.target);
    if (item?.kind === "card") this.renderer.setRoving(item.id);
  }

  /** The focused item, if focus is in the grid; taken before a redraw. */
  mark(): FocusMark | null {
    const active = rootOf(this.view.root).activeElement;
    if (!active || !this.view.grid.contains(active)) return null;
    const item = this.view.itemOf(active);
    if (!item) return null;
    const { store } = this.view;
    const index = item.kind === "touchpoint" ? store.journey().indexOf(item.id) : store.position(item.id);
    const mark: FocusMark = { kind: item.kind, id: item.id, index };
    const cell = item.el.parentElement;
    if (item.kind === "card" && cell?.classList.contains("jw-cell")) {
      mark.tp = cell.dataset["tp"];
      mark.lane = cell.dataset["lane"];
      mark.index = [...cell.querySelectorAll(":scope > .jw-card")].indexOf(item.el);
    }
    return mark;
  }

  /** Give focus back after a redraw: to the item, else to what took its place. */
  restore(mark: FocusMark | null, editing: boolean): void {
    if (!mark || editing) return;
    const active = rootOf(this.view.root).activeElement;
    const node = this.view.element(mark.kind, mark.id);
    if (node?.isConnected) {
      if (node !== active) node.focus({ preventScroll: true });
      return;
    }
    // Focus is elsewhere in the widget already (an editor, a button): leave it there.
    if (active && active !== this.view.root && this.view.root.contains(active)) return;
    const next = this.neighbour(mark);
    if (next) this.focusItem(next.kind, next.id);
    else this.view.root.focus({ preventScroll: true });
  }

  /** The item nearest to where a vanished one was. */
  private neighbour(mark: FocusMark): { kind: ItemKind; id: Id } | null {
    const { store } = this.view;
    if (mark.kind === "card" && mark.tp && mark.lane) {
      const cell = store.entities.has(mark.tp) && store.entities.has(mark.lane) ? store.cell(mark.tp, mark.lane) : [];
      const same = cell[Math.min(mark.index, cell.length - 1)];
      if (same) return { kind: "card", id: same };
      // The cell is empty now: the nearest card along the lane, else the touchpoint.
      const journey = store.journey();
      const at = journey.indexOf(mark.tp);
      for (let d = 1; at >= 0 && d < journey.length; d++) {
        for (const t of [journey[at - d], journey[at + d]]) {
          const cards = t && store.entities.has(mark.lane) ? store.cell(t, mark.lane) : [];
          if (cards[0]) return { kind: "card", id: cards[0] };
        }
      }
      if (store.entities.has(mark.tp)) return { kind: "touchpoint", id: mark.tp };
    }
    const siblings = mark.kind === "stage" ? store.stages : mark.kind === "lane" ? store.lanes : store.journey();
    const near = siblings[Math.min(Math.max(mark.index, 0), siblings.length - 1)];
    if (near) return { kind: mark.kind === "card" ? "touchpoint" : mark.kind, id: near };
    return null;
  }
}
