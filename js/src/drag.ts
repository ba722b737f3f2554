// Pointer dragging of cards, touchpoint columns, stages and lanes.
//
// While the pointer moves only a ghost moves (a transform, once per animation
// frame) and a drop indicator is placed; the map changes once, at the drop, as
// one edit. pointerdown is preventDefault()ed and stopPropagation()ed so that
// JupyterLab neither starts a cell drag nor moves focus, and hit-testing uses
// the root node's elementFromPoint so it also works inside marimo's shadow root.
import { rootOf } from "./dom";
import type { ItemKind, MapView } from "./host";
import { indicate } from "./indicator";
import { describeMove, moveEdit, type Target } from "./moves";
import { isTemporary } from "./session";
import type { Id } from "./types";

const THRESHOLD = 4; // px the pointer travels before a press becomes a drag
const EDGE = 40; // px from the scroller's edge where dragging scrolls it
const DOUBLE_CLICK_MS = 450;

interface Offsets {
  start: number;
  end: number;
}

interface DragState {
  kind: ItemKind;
  id: Id;
  source: HTMLElement;
  pointerId: number;
  startX: number;
  startY: number;
  x: number;
  y: number;
  shift: boolean;
  dragging: boolean;
  ghost: HTMLElement | null;
  grabX: number;
  grabY: number;
  target: Target | null;
  frame: number;
  columns: Offsets[];
  stages: Map<Id, Offsets>;
  lanes: Map<Id, Offsets>;
}

export class DragController {
  private state: DragState | null = null;
  private lastClick: { id: Id; time: number } | null = null;

  constructor(private readonly view: MapView) {
    const grid = view.grid;
    grid.addEventListener("pointermove", (e) => this.pointerMove(e));
    grid.addEventListener("pointerup", (e) => this.pointerUp(e));
    grid.addEventListener("pointercancel", () => this.cancel());
    grid.addEventListener("lostpointercapture", (e) => {
      if (this.state && e.pointerId === this.state.pointerId) this.cancel();
    });
  }

  /**
   * The map changed during a drag (an answer from the kernel, a change from Python): the
   * drag goes on unless what is dragged is gone; after a redraw its source and offsets are
   * found again.
   */
  storeChanged(redrawn: boolean): void {
    const s = this.state;
    if (!s) return;
    if (!this.view.store.entities.has(s.id)) {
      this.cancel();
      return;
    }
    if (redrawn) {
      const source = this.view.element(s.kind, s.id);
      if (source) {
        if (s.dragging) source.classList.add("jw-drag-source");
        s.source = source;
      }
      if (s.dragging) this.measure(s);
    }
  }

  /** Escape cancels a drag in progress; true when it did. */
  keyDown(e: KeyboardEvent): boolean {
    if (e.key !== "Escape" || !this.state?.dragging) return false;
    e.preventDefault();
    e.stopPropagation();
    this.cancel();
    this.view.announce("Move cancelled.");
    return true;
  }

  get active(): boolean {
    return this.state?.dragging ?? false;
  }

  pointerDown(e: PointerEvent): void {
    if (e.button !== 0 || this.state || this.view.isEditing) return;
    const target = e.target as Element;
    // Buttons, fields and the curve handle their own presses.
    if (target.closest?.("button, input, textarea, select, a, .jw-curve")) return;
    const item = this.view.itemOf(target);
    // Keep JupyterLab from starting a cell drag or stealing focus, and the browser
    // from selecting text, for every press inside the grid.
    e.preventDefault();
    e.stopPropagation();
    if (!item) {
      if (!e.shiftKey) this.view.select([]);
      return;
    }
    item.el.focus({ preventScroll: true });
    this.view.grid.setPointerCapture?.(e.pointerId);
    this.state = {
      kind: item.kind,
      id: item.id,
      source: item.el,
      pointerId: e.pointerId,
      startX: e.clientX,
      startY: e.clientY,
      x: e.clientX,
      y: e.clientY,
      shift: e.shiftKey,
      dragging: false,
      ghost: null,
      grabX: 0,
      grabY: 0,
      target: null,
      frame: 0,
      columns: [],
      stages: new Map(),
      lanes: new Map(),
    };
  }

  private pointerMove(e: PointerEvent): void {
    const s = this.state;
    if (!s || e.pointerId !== s.pointerId) return;
    e.preventDefault();
    s.x = e.clientX;
    s.y = e.clientY;
    if (!s.dragging) {
      if (Math.hypot(s.x - s.startX, s.y - s.startY) < THRESHOLD) return;
      if (this.view.readonly || isTemporary(s.id)) return;
      this.begin(s);
    }
    if (!s.frame) s.frame = requestAnimationFrame(() => this.frame());
  }

  private begin(s: DragState): void {
    s.dragging = true;
    const rect = s.source.getBoundingClientRect();
    s.grabX = s.startX - rect.left;
    s.grabY = s.startY - rect.top;
    const ghost = s.source.cloneNode(true) as HTMLElement;
    ghost.classList.add("jw-ghost");
    ghost.classList.remove("jw-selected");
    ghost.removeAttribute("tabindex");
    ghost.removeAttribute("data-id");
    ghost.setAttribute("aria-hidden", "true");
    ghost.style.gridArea = "";
    ghost.style.width = `${Math.min(rect.width, 280)}px`;
    ghost.style.height = `${Math.min(rect.height, 200)}px`;
    s.ghost = ghost;
    this.view.root.append(ghost);
    s.source.classList.add("jw-drag-source");
    this.view.root.classList.add("jw-dragging");
    this.measure(s);
  }

  /** Offsets (from the grid's top-left) of columns, stages and lanes; scrolling keeps them. */
  private measure(s: DragState): void {
    const grid = this.view.grid.getBoundingClientRect();
    const { layout, store } = this.view;
    const measured: (Offsets | null)[] = layout.columns.map((column) => {
      const node =
        column.touchpoint !== null
          ? this.view.element("touchpoint", column.touchpoint)
          : this.view.grid.querySelector<HTMLElement>(`.jw-empty-stage[data-stage="${CSS.escape(column.stage)}"]`);
      const r = node?.getBoundingClientRect();
      return r ? { start: r.left - grid.left, end: r.right - grid.left } : null;
    });
    // A wide map draws only the columns near the view; columns are all one width, so the
    // others are placed from one that is drawn.
    const known = measured.findIndex((c) => c !== null && c.end > c.start);
    const ref = measured[known] ?? null;
    s.columns = measured.map((c, i) => {
      if (c !== null) return c;
      if (ref === null) return { start: 0, end: 0 };
      const w = ref.end - ref.start;
      return { start: ref.start + (i - known) * w, end: ref.end + (i - known) * w };
    });
    s.stages.clear();
    s.lanes.clear();
    for (const stage of store.stages) {
      const r = this.view.element("stage", stage)?.getBoundingClientRect();
      if (r) s.stages.set(stage, { start: r.left - grid.left, end: r.right - grid.left });
      else {
        const span = layout.stageSpan.get(stage);
        const first = span && s.columns[span.start];
        const last = span && s.columns[span.start + span.count - 1];
        if (first && last) s.stages.set(stage, { start: first.start, end: last.end });
      }
    }
    for (const lane of store.lanes) {
      const r = this.view.element("lane", lane)?.getBoundingClientRect();
      if (r) s.lanes.set(lane, { start: r.top - grid.top, end: r.bottom - grid.top });
    }
  }

  private frame(): void {
    const s = this.state;
    if (!s?.dragging) return;
    s.frame = 0;
    const root = this.view.root.getBoundingClientRect();
    s.ghost!.style.transform = `translate3d(${s.x - root.left - s.grabX}px, ${s.y - root.top - s.grabY}px, 0)`;
    s.target = this.targetAt(s);
    indicate(this.view, s.target, s.id);
    if (this.autoScroll(s)) s.frame = requestAnimationFrame(() => this.frame());
  }

  /** Scroll the map when the pointer is near its edge; true while it keeps scrolling. */
  private autoScroll(s: DragState): boolean {
    const scroller = this.view.scroller;
    const r = scroller.getBoundingClientRect();
    let dx = 0;
    let dy = 0;
    if (s.x < r.left + EDGE && s.x >= r.left - EDGE) dx = -Math.ceil((r.left + EDGE - s.x) / 3);
    else if (s.x > r.right - EDGE && s.x <= r.right + EDGE) dx = Math.ceil((s.x - (r.right - EDGE)) / 3);
    if (s.y < r.top + EDGE && s.y >= r.top - EDGE) dy = -Math.ceil((r.top + EDGE - s.y) / 3);
    else if (s.y > r.bottom - EDGE && s.y <= r.bottom + EDGE) dy = Math.ceil((s.y - (r.bottom - EDGE)) / 3);
    const before = [scroller.scrollLeft, scroller.scrollTop];
    if (dx) scroller.scrollLeft += dx;
    if (dy) scroller.scrollTop += dy;
    return scroller.scrollLeft !== before[0] || scroller.scrollTop !== before[1];
  }

  // ------------------------------------------------------------------ targets
  private targetAt(s: DragState): Target | null {
    const grid = this.view.grid.getBoundingClientRect();
    const { store } = this.view;
    switch (s.kind) {
      case "card": {
        const hit = rootOf(this.view.root).elementFromPoint(s.x, s.y);
        const cell = hit?.closest<HTMLElement>(".jw-cell");
        if (!cell || !this.view.grid.contains(cell)) return null;
        const cards = [...cell.querySelectorAll<HTMLElement>(":scope > .jw-card:not(.jw-draft)")].filter(
          (c) => c.dataset["id"] !== s.id,
        );
        let index = cards.length;
        for (let i = 0; i < cards.length; i++) {
          const r = cards[i]!.getBoundingClientRect();
          if (s.y < r.top + r.height / 2) {
            index = i;
            break;
          }
        }
        return { kind: "card", touchpoint: cell.dataset["tp"]!, lane: cell.dataset["lane"]!, index };
      }
      case "touchpoint": {
        const x = s.x - grid.left;
        if (s.columns.length === 0) return null;
        let col = s.columns.findIndex((c) => x < c.end);
        if (col < 0) col = s.columns.length - 1;
        const stage = this.view.layout.columns[col]!.stage;
        const others = (store.touchpoints.get(stage) ?? []).filter((t) => t !== s.id);
        let index = 0;
        for (const t of others) {
          const c = s.columns[this.view.layout.columnOf.get(t) ?? -1];
          if (c && (c.start + c.end) / 2 < x) index += 1;
        }
        return { kind: "touchpoint", stage, index };
      }
      case "stage": {
        const x = s.x - grid.left;
        let index = 0;
        for (const stage of store.stages) {
          if (stage === s.id) continue;
          const o = s.stages.get(stage);
          if (o && (o.start + o.end) / 2 < x) index += 1;
        }
        return { kind: "stage", index };
      }
      case "lane": {
        const y = s.y - grid.top;
        let index = 0;
        for (const lane of store.lanes) {
          if (lane === s.id) continue;
          const o = s.lanes.get(lane);
          if (o && (o.start + o.end) / 2 < y) index += 1;
        }
        return { kind: "lane", index };
      }
    }
  }

  // ------------------------------------------------------------------ drop
  private pointerUp(e: PointerEvent): void {
    const s = this.state;
    if (!s || e.pointerId !== s.pointerId) return;
    e.preventDefault();
    e.stopPropagation();
    if (!s.dragging) {
      this.finish();
      this.click(s);
      return;
    }
    s.x = e.clientX;
    s.y = e.clientY;
    const target = this.targetAt(s);
    this.finish();
    if (target) this.drop(s.kind, s.id, target);
  }

  private click(s: DragState): void {
    const now = performance.now();
    const double = this.lastClick && this.lastClick.id === s.id && now - this.lastClick.time < DOUBLE_CLICK_MS;
    this.lastClick = double ? null : { id: s.id, time: now };
    if (s.kind === "card" || s.kind === "touchpoint") {
      if (s.shift) this.view.toggleSelected(s.id);
      else this.view.select([s.id]);
    }
    if (double) this.view.startEdit(s.kind, s.id);
  }

  private drop(kind: ItemKind, id: Id, target: Target): void {
    const edit = moveEdit(this.view.store, kind, id, target);
    if (!edit) return;
    if (this.view.commit(edit)) {
      this.view.announce(describeMove(this.view.store, this.view.language, kind, id));
      // It lies under the pointer: no need to scroll it into view (a forced layout).
      this.view.focusItem(kind, id, false);
    }
  }

  private finish(): void {
    const s = this.state;
    if (!s) return;
    this.state = null;
    if (s.frame) cancelAnimationFrame(s.frame);
    s.ghost?.remove();
    s.source.classList.remove("jw-drag-source");
    this.view.root.classList.remove("jw-dragging");
    this.view.indicator.hidden = true;
    if (this.view.grid.hasPointerCapture?.(s.pointerId)) {
      this.view.grid.releasePointerCapture(s.pointerId);
    }
  }

  cancel(): void {
    this.finish();
  }
}
