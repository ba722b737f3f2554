// Drawing the grid: builds every header, cell and card from the store, and
// redraws only what an edit touched. Keeps the element of every item (for
// focus, selection and hit-testing) and the cards' roving tab stop.
import { anyBadges } from "./badges";
import { CardFactory, sameLook } from "./cards";
import type { EmotionCurve } from "./curve";
import { button, el, reconcile } from "./dom";
import { fillCurveLabel, fillLane, fillStage, fillTouchpoint, type HeaderContext } from "./headers";
import type { ItemKind } from "./host";
import { type Column, FIRST_COLUMN, FIRST_ROW, computeLayout, labelOf, type Layout } from "./layout";
import { cellKey, type Dirty } from "./store";
import type { Card, Id, Lane, Touchpoint } from "./types";

export interface RenderContext extends HeaderContext {
  readonly readonly: boolean;
  readonly root: HTMLElement;
  readonly grid: HTMLElement;
  readonly indicator: HTMLElement;
  readonly curve: EmotionCurve;
  /** The scrolling box around the grid: which columns are in view. */
  readonly scroller: HTMLElement;
  laneColour(lane: Lane | undefined): string;
  /** Widths in px of a column and of the lane labels, as the view sizes them now. */
  columnMetrics(): { column: number; label: number };
  /** A wide map drew other columns (after a scroll): redraw what is drawn per column. */
  columnsShown(): void;
}

/**
 * Maps with more columns than this draw only the columns in view and a margin around
 * them (and the rest as the grid's empty tracks, so the scroll bar stays true). Smaller
 * maps draw every column, exactly as before.
 */
export const VIRTUAL_ABOVE = 150;
/** Columns drawn beyond each side of the view, at least. */
const MARGIN = 8;
/** Width assumed for a view not yet laid out (a widget drawn before it is attached). */
const UNSIZED_WIDTH = 1600;

type CardEntry = { entity: Card; el: HTMLElement; language: string | null };

export class GridRenderer {
  layout!: Layout;
  /** The card that holds the cards' one tab stop. */
  roving: Id | null = null;
  private cardEls = new Map<Id, CardEntry>();
  private cellEls = new Map<string, HTMLElement>();
  private tpEls = new Map<Id, HTMLElement>();
  private stageEls = new Map<Id, HTMLElement>();
  private laneEls = new Map<Id, HTMLElement>();
  private curveLabel: HTMLElement | null = null;
  private readonly cards: CardFactory;
  /** Whether only some columns are drawn (a map wider than VIRTUAL_ABOVE columns). */
  virtual = false;
  /** Column indices drawn now, when virtual. */
  private shown = new Set<number>();
  /** Each touchpoint's (or empty stage's) column index, when virtual. */
  private columnOf = new Map<Id, number>();
  /** The empty-stage placeholders of a column, when virtual. */
  private emptyEls = new Map<number, HTMLElement[]>();
  /** Lanes in row order with their grid row and colour, for drawing a column's cells. */
  private laneRows: { lane: Id; row: number; colour: string }[] = [];
  private frame = 0;

  constructor(private readonly ctx: RenderContext) {
    this.cards = new CardFactory(ctx.helpId);
  }

  element(kind: ItemKind, id: Id): HTMLElement | null {
    switch (kind) {
      case "card":
        return this.cardEls.get(id)?.el ?? null;
      case "touchpoint":
        return this.tpEls.get(id) ?? null;
      case "stage":
        return this.stageEls.get(id) ?? null;
      case "lane":
        return this.laneEls.get(id) ?? null;
    }
  }

  cellElement(tp: Id, lane: Id): HTMLElement | null {
    return this.cellEls.get(cellKey(tp, lane)) ?? null;
  }

  /** Draw the whole grid again. */
  renderAll(): void {
    const { ctx } = this;
    const store = ctx.store;
    this.layout = computeLayout(store);
    const { columns, rows, stageSpan } = this.layout;
    const grid = ctx.grid;
    const nCols = Math.max(columns.length, 1);
    grid.style.gridTemplateColumns = `var(--jw-label-w) repeat(${nCols}, var(--jw-col-w))`;
    grid.style.gridTemplateRows = [
      "var(--jw-stage-h)",
      "var(--jw-tp-h)",
      ...rows.map((r) => (r.kind === "curve" ? "var(--jw-curve-h)" : "minmax(var(--jw-row-min), auto)")),
    ].join(" ");
    grid.style.setProperty("--jw-columns", String(nCols));

    const oldCards = this.cardEls;
    this.cardEls = new Map();
    this.cellEls = new Map();
    this.tpEls = new Map();
    this.stageEls = new Map();
    this.laneEls = new Map();
    const frag = document.createDocumentFragment();

    const corner = el("div", "jw-corner");
    corner.style.gridArea = "1 / 1 / 3 / 2";
    corner.append(el("span", "jw-corner-stages", "Stages"), el("span", "jw-corner-tps", "Touchpoints"));
    frag.append(corner);

    this.virtual = columns.length > VIRTUAL_ABOVE;
    this.shown = new Set();
    this.columnOf = new Map();
    this.emptyEls = new Map();
    this.laneRows = [];
    rows.forEach((row, r) => {
      if (row.kind === "lane") {
        this.laneRows.push({ lane: row.lane, row: FIRST_ROW + r, colour: ctx.laneColour(store.get<Lane>(row.lane)) });
      }
    });
    if (this.virtual) {
      for (const column of columns) this.columnOf.set(column.touchpoint ?? column.stage, column.index);
      const wanted = this.wantedRange(MARGIN);
      // Redrawn after an edit, the focused item's column stays drawn even if scrolled away.
      this.shown = this.heldColumns();
      for (let i = wanted[0]; i < wanted[1]; i++) this.shown.add(i);
    }

    for (const stage of store.stages) {
      const span = stageSpan.get(stage)!;
      if (this.virtual && !this.overlaps(span.start, span.count)) continue;
      frag.append(this.stageNode(stage));
    }

    if (this.virtual) {
      for (const i of this.shown) frag.append(...this.columnNodes(columns[i]!, oldCards));
    } else {
      for (const column of columns) {
        if (column.touchpoint === null) frag.append(...this.emptyColumn(column));
        else frag.append(this.touchpointNode(column));
      }
    }

    this.curveLabel = null;
    rows.forEach((row, r) => {
      const gridRow = FIRST_ROW + r;
      if (row.kind === "curve") {
        const label = el("div", "jw-lane-label jw-curve-label");
        label.style.gridArea = `${gridRow} / 1`;
        this.curveLabel = label;
        fillCurveLabel(ctx, label);
        frag.append(label);
        const holder = el("div", "jw-curve");
        holder.style.gridArea = `${gridRow} / ${FIRST_COLUMN} / ${gridRow + 1} / ${FIRST_COLUMN + nCols}`;
        holder.append(ctx.curve.el);
        frag.append(holder);
        return;
      }
      const lane = row.lane;
      const label = el("div", "jw-lane-label");
      label.dataset["kind"] = "lane";
      label.dataset["id"] = lane;
      label.style.gridArea = `${gridRow} / 1`;
      this.laneEls.set(lane, label);
      const colour = ctx.laneColour(store.get<Lane>(lane));
      fillLane(ctx, lane, label, colour);
      frag.append(label);
      if (this.virtual) return;
      for (const column of columns) {
        if (column.touchpoint === null) continue;
        frag.append(this.cellNode(column.touchpoint, column.index, { lane, row: gridRow, colour }, oldCards));
      }
    });

    if (columns.length === 0) {
      const hint = el(
        "div",
        "jw-empty-hint",
        ctx.readonly ? "This map has no stages yet." : "This map has no stages yet: add one with \u201c+ Stage\u201d.",
      );
      hint.style.gridArea = `1 / ${FIRST_COLUMN} / ${FIRST_ROW + rows.length} / ${FIRST_COLUMN + 1}`;
      frag.append(hint);
    }
    frag.append(ctx.indicator);
    grid.replaceChildren(frag);
    ctx.root.classList.toggle("jw-empty-map", store.stages.length === 0);
    this.refreshBadgeRow();
    if (this.roving === null || !this.cardEls.has(this.roving)) {
      this.roving = null;
      const first = this.firstCard();
      if (first) this.setRoving(first);
    } else {
      const node = this.cardEls.get(this.roving)?.el;
      if (node) node.tabIndex = 0;
    }
  }

  // ------------------------------------------------------------------ columns
  private stageNode(stage: Id): HTMLElement {
    const span = this.layout.stageSpan.get(stage)!;
    const node = el("div", "jw-stage");
    node.dataset["kind"] = "stage";
    node.dataset["id"] = stage;
    node.style.gridArea = `1 / ${FIRST_COLUMN + span.start} / 2 / span ${span.count}`;
    this.stageEls.set(stage, node);
    fillStage(this.ctx, stage, node);
    return node;
  }

  private touchpointNode(column: Column): HTMLElement {
    const tp = column.touchpoint!;
    const node = el("div", "jw-tp");
    node.dataset["kind"] = "touchpoint";
    node.dataset["id"] = tp;
    node.dataset["stage"] = column.stage;
    node.style.gridArea = `2 / ${FIRST_COLUMN + column.index}`;
    this.tpEls.set(tp, node);
    fillTouchpoint(this.ctx, tp, node);
    return node;
  }

  /** A stage without touchpoints: its add button and the placeholder under it. */
  private emptyColumn(column: Column): HTMLElement[] {
    const col = FIRST_COLUMN + column.index;
    const empty = el("div", "jw-tp jw-tp-empty");
    empty.style.gridArea = `2 / ${col}`;
    const add = button("jw-add jw-add-tp-empty", "+ Touchpoint", "Add a touchpoint to this stage");
    add.dataset["action"] = "add-touchpoint";
    add.dataset["stage"] = column.stage;
    empty.append(add);
    const body = el("div", "jw-empty-stage", "No touchpoints yet: drag one here or add one.");
    body.dataset["stage"] = column.stage;
    body.style.gridArea = `${FIRST_ROW} / ${col} / ${FIRST_ROW + this.layout.rows.length} / ${col + 1}`;
    return [empty, body];
  }

  private cellNode(
    tp: Id,
    index: number,
    at: { lane: Id; row: number; colour: string },
    previous: Map<Id, CardEntry>,
  ): HTMLElement {
    const cell = el("div", "jw-cell");
    cell.dataset["tp"] = tp;
    cell.dataset["lane"] = at.lane;
    cell.style.gridArea = `${at.row} / ${FIRST_COLUMN + index}`;
    cell.style.setProperty("--jw-lane", at.colour);
    this.cellEls.set(cellKey(tp, at.lane), cell);
    this.fillCell(cell, tp, at.lane, previous);
    return cell;
  }

  /** Everything drawn in one column of a wide map: its header and its cells. */
  private columnNodes(column: Column, previous: Map<Id, CardEntry>): HTMLElement[] {
    if (column.touchpoint === null) {
      const nodes = this.emptyColumn(column);
      this.emptyEls.set(column.index, nodes);
      return nodes;
    }
    const tp = column.touchpoint;
    const nodes = [this.touchpointNode(column)];
    // A fresh map of cards: a card drawn before is reused, one redrawn since is not stale.
    for (const at of this.laneRows) nodes.push(this.cellNode(tp, column.index, at, previous));
    return nodes;
  }

  private dropColumn(index: number): void {
    const column = this.layout.columns[index];
    if (!column) return;
    if (column.touchpoint === null) {
      for (const node of this.emptyEls.get(index) ?? []) node.remove();
      this.emptyEls.delete(index);
      return;
    }
    const tp = column.touchpoint;
    this.tpEls.get(tp)?.remove();
    this.tpEls.delete(tp);
    for (const { lane } of this.laneRows) {
      const key = cellKey(tp, lane);
      const cell = this.cellEls.get(key);
      if (!cell) continue;
      for (const child of cell.querySelectorAll<HTMLElement>(":scope > .jw-card")) {
        const id = child.dataset["id"];
        if (id && this.cardEls.get(id)?.el === child) this.cardEls.delete(id);
      }
      cell.remove();
      this.cellEls.delete(key);
    }
  }

  private overlaps(start: number, count: number): boolean {
    for (let i = start; i < start + count; i++) if (this.shown.has(i)) return true;
    return false;
  }

  /** The columns in view, widened by `margin` columns (and half a view) each side. */
  private wantedRange(margin: number): [number, number] {
    const n = this.layout.columns.length;
    const { scroller } = this.ctx;
    const { column, label } = this.ctx.columnMetrics();
    const width = scroller.clientWidth || UNSIZED_WIDTH;
    const left = scroller.scrollLeft;
    const first = Math.floor(Math.max(0, left) / column);
    const last = Math.ceil((left + width - label) / column);
    const extra = margin === 0 ? 0 : margin + Math.ceil(width / column / 2);
    return [Math.max(0, first - extra), Math.min(n, Math.max(first, last) + extra)];
  }

  /** The map was scrolled (or resized, zoomed, fitted): draw the columns now in view, once a frame. */
  scrolled(): void {
    if (!this.virtual || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.refreshRange();
    });
  }

  /** Draw the columns in view if some are not drawn yet; `force`: re-centre the margin anyway. */
  refreshRange(force = false): void {
    if (!this.virtual) return;
    const [lo, hi] = this.wantedRange(0);
    let missing = force;
    for (let i = lo; i < hi && !missing; i++) if (!this.shown.has(i)) missing = true;
    if (missing) this.showRange(...this.wantedRange(MARGIN));
  }

  /** Columns drawn now that must stay: the one with focus, a dragged or picked-up item's. */
  private heldColumns(): Set<number> {
    const keep = new Set<number>();
    const root = this.ctx.grid.getRootNode() as Document | ShadowRoot;
    const held = [root.activeElement, ...this.ctx.grid.querySelectorAll(".jw-drag-source, .jw-picked")];
    for (const node of held) {
      if (!(node instanceof Element) || !this.ctx.grid.contains(node)) continue;
      const home = node.closest<HTMLElement>(".jw-cell, .jw-tp");
      const id = home?.dataset["tp"] ?? home?.dataset["id"];
      const index = id === undefined ? undefined : this.columnOf.get(id);
      if (index !== undefined) keep.add(index);
    }
    return keep;
  }

  /** Draw columns [lo, hi), and keep the ones with focus or a drag in them. */
  private showRange(lo: number, hi: number): void {
    const keep = this.heldColumns();
    for (let i = lo; i < hi; i++) keep.add(i);
    for (const i of [...this.shown]) {
      if (!keep.has(i)) {
        this.dropColumn(i);
        this.shown.delete(i);
      }
    }
    const frag = document.createDocumentFragment();
    const { columns } = this.layout;
    for (const i of keep) {
      if (this.shown.has(i)) continue;
      this.shown.add(i);
      frag.append(...this.columnNodes(columns[i]!, this.cardEls));
    }
    for (const stage of this.ctx.store.stages) {
      const span = this.layout.stageSpan.get(stage);
      if (!span) continue;
      const want = this.overlaps(span.start, span.count);
      const node = this.stageEls.get(stage);
      if (want && !node) frag.append(this.stageNode(stage));
      else if (!want && node) {
        node.remove();
        this.stageEls.delete(stage);
      }
    }
    this.ctx.grid.insertBefore(frag, this.ctx.indicator.parentNode === this.ctx.grid ? this.ctx.indicator : null);
    if (this.roving !== null) {
      const node = this.cardEls.get(this.roving)?.el;
      if (node) node.tabIndex = 0;
    }
    this.ctx.columnsShown();
  }

  /** The columns drawn now: all of them, or on a wide map the range around the view. */
  get shownRange(): [number, number] | null {
    if (!this.virtual) return null;
    let lo = Number.POSITIVE_INFINITY;
    let hi = -1;
    for (const i of this.shown) {
      lo = Math.min(lo, i);
      hi = Math.max(hi, i + 1);
    }
    return hi < 0 ? [0, 0] : [lo, hi];
  }

  /** Whether the column of a touchpoint is drawn. */
  isShown(tp: Id): boolean {
    if (!this.virtual) return true;
    const i = this.columnOf.get(tp);
    return i !== undefined && this.shown.has(i);
  }

  /** Index of the column an item is in (a stage: its first), if it has one. */
  columnIndex(kind: ItemKind, id: Id): number | undefined {
    const { store } = this.ctx;
    if (kind === "card") {
      const tp = store.get<Card>(id)?.touchpoint;
      return tp === undefined ? undefined : this.columnOf.get(tp);
    }
    if (kind === "touchpoint") return this.columnOf.get(id);
    if (kind === "stage") return this.layout.stageSpan.get(id)?.start;
    return undefined;
  }

  /**
   * Scroll an item's column into view and draw it, on a wide map; true if it scrolled.
   * `force`: even when the column is drawn already (a selection made elsewhere).
   */
  reveal(kind: ItemKind, id: Id, force = false): boolean {
    if (!this.virtual) return false;
    const index = this.columnIndex(kind, id);
    if (index === undefined) return false;
    if (!force && this.shown.has(index)) return false;
    const { scroller } = this.ctx;
    const { column, label } = this.ctx.columnMetrics();
    const width = scroller.clientWidth || UNSIZED_WIDTH;
    const start = index * column;
    const left = scroller.scrollLeft;
    // The lane labels stay at the left edge (sticky), over the first `label` px of the view.
    let to = left;
    if (start < left) to = start;
    else if (label + start + column > left + width) to = label + start + column - width;
    if (to !== left) scroller.scrollLeft = to;
    this.refreshRange(true);
    // A view not laid out yet cannot scroll: draw the column anyway.
    if (!this.shown.has(index)) this.showRange(index, index + 1);
    return to !== left;
  }

  /** Redraw what `dirty` names (cells, headers), in place. */
  update(dirty: Dirty): void {
    const filled: HTMLElement[] = [];
    for (const key of dirty.cells) {
      const cell = this.cellEls.get(key);
      if (cell) {
        this.fillCell(cell, cell.dataset["tp"]!, cell.dataset["lane"]!);
        filled.push(cell);
      }
    }
    // Card elements left behind: replaced by a new drawing of the card, or the card left
    // for a cell that was not redrawn.
    for (const cell of filled) {
      for (const child of [...cell.children]) {
        const id = (child as HTMLElement).dataset["id"];
        if (child.classList.contains("jw-card") && (!id || this.cardEls.get(id)?.el !== child)) {
          child.remove();
        }
      }
    }
    for (const id of dirty.touchpoints) {
      const node = this.tpEls.get(id);
      if (node) fillTouchpoint(this.ctx, id, node);
    }
    if (dirty.touchpoints.size > 0) this.refreshBadgeRow();
    for (const id of dirty.stages) {
      const node = this.stageEls.get(id);
      if (node) fillStage(this.ctx, id, node);
    }
    for (const id of dirty.lanes) this.refreshLane(id);
    if (dirty.info) this.refreshCurveLabel();
  }

  /** Touchpoint headers are taller while any of them shows event-log badges (badges.ts). */
  private refreshBadgeRow(): void {
    const { store } = this.ctx;
    const has = anyBadges(store.journey().map((id) => store.get<Touchpoint>(id)));
    this.ctx.root.classList.toggle("jw-has-badges", has);
  }

  refreshCurveLabel(): void {
    if (this.curveLabel) fillCurveLabel(this.ctx, this.curveLabel);
  }

  private refreshLane(id: Id): void {
    const node = this.laneEls.get(id);
    if (!node) return;
    const colour = this.ctx.laneColour(this.ctx.store.get<Lane>(id));
    fillLane(this.ctx, id, node, colour);
    for (const at of this.laneRows) if (at.lane === id) at.colour = colour;
    // The lane's colour lives on its cells, so a colour change touches ~60 cells, not every card.
    for (const tp of this.ctx.store.journey()) {
      this.cellEls.get(cellKey(tp, id))?.style.setProperty("--jw-lane", colour);
    }
  }

  setRoving(id: Id | null): void {
    if (this.roving === id) return;
    if (this.roving !== null) {
      const old = this.cardEls.get(this.roving)?.el;
      if (old) old.tabIndex = -1;
    }
    this.roving = id;
    if (id !== null) {
      const node = this.cardEls.get(id)?.el;
      if (node) node.tabIndex = 0;
    }
  }

  private firstCard(): Id | null {
    const store = this.ctx.store;
    for (const tp of store.journey()) {
      for (const lane of store.lanes) {
        const cell = store.cell(tp, lane);
        if (cell.length > 0) return cell[0]!;
      }
    }
    return null;
  }

  private fillCell(cell: HTMLElement, tp: Id, lane: Id, previous: Map<Id, CardEntry> = this.cardEls): void {
    const { store, language } = this.ctx;
    const ids = store.cell(tp, lane);
    const children: HTMLElement[] = [];
    let lines = 0;
    for (const id of ids) {
      const card = store.get<Card>(id)!;
      const cached = previous.get(id);
      let node: HTMLElement;
      if (cached && cached.language === language && sameLook(cached.entity, card)) {
        node = cached.el;
        if (node.tabIndex === 0 && id !== this.roving) node.tabIndex = -1;
      } else {
        node = this.cards.make(card, language);
      }
      if (id === this.roving) node.tabIndex = 0;
      this.cardEls.set(id, { entity: card, el: node, language });
      children.push(node);
      lines += Math.min(10, 1 + Math.floor(String(card.text ?? "").length / 24));
    }
    // Cells off screen are not laid out (content-visibility: auto, in the stylesheet);
    // until a cell has been seen, its row is sized from this estimate of its height. Set
    // on a full render only: changing it later makes the browser re-place every grid item.
    if (previous !== this.cardEls) {
      cell.style.setProperty("--jw-cell-h", `${16 + 30 * ids.length + 16 * lines}px`);
    }
    // Fit shows a cell's first card and how many more there are.
    if (ids.length > 1) cell.dataset["more"] = `+${ids.length - 1}`;
    else delete cell.dataset["more"];
    if (ids.length > 0) cell.dataset["count"] = String(ids.length);
    else delete cell.dataset["count"];
    if (!this.ctx.readonly) {
      const laneName = labelOf(store.get(lane), language);
      const tpName = labelOf(store.get(tp), language);
      const add = button("jw-add jw-add-card", "+", `Add a card to ${laneName} at ${tpName}`);
      add.dataset["action"] = "add-card";
      add.dataset["tp"] = tp;
      add.dataset["lane"] = lane;
      add.tabIndex = -1;
      children.push(add);
    }
    // A card that is still in the map but no longer here is left in place: the fill of
    // the cell it moved to takes it (moveBefore keeps its focus); update() removes any
    // left over.
    reconcile(cell, children, (node) => this.isLiveCard(node));
  }

  private isLiveCard(node: ChildNode): boolean {
    return (
      node instanceof HTMLElement &&
      node.dataset["kind"] === "card" &&
      this.ctx.store.entities.has(node.dataset["id"] ?? "")
    );
  }
}
