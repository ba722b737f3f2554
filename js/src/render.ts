// Drawing the grid: builds every header, cell and card from the store, and
// redraws only what an edit touched. Keeps the element of every item (for
// focus, selection and hit-testing) and the cards' roving tab stop.
import { anyBadges } from "./badges";
import { CardFactory, sameLook } from "./cards";
import type { EmotionCurve } from "./curve";
import { button, el, reconcile } from "./dom";
import { fillCurveLabel, fillLane, fillStage, fillTouchpoint, type HeaderContext } from "./headers";
import type { ItemKind } from "./host";
import { FIRST_COLUMN, FIRST_ROW, computeLayout, labelOf, type Layout } from "./layout";
import { cellKey, type Dirty } from "./store";
import type { Card, Id, Lane, Touchpoint } from "./types";

export interface RenderContext extends HeaderContext {
  readonly readonly: boolean;
  readonly root: HTMLElement;
  readonly grid: HTMLElement;
  readonly indicator: HTMLElement;
  readonly curve: EmotionCurve;
  laneColour(lane: Lane | undefined): string;
}

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

    for (const stage of store.stages) {
      const span = stageSpan.get(stage)!;
      const node = el("div", "jw-stage");
      node.dataset["kind"] = "stage";
      node.dataset["id"] = stage;
      node.style.gridArea = `1 / ${FIRST_COLUMN + span.start} / 2 / span ${span.count}`;
      this.stageEls.set(stage, node);
      fillStage(ctx, stage, node);
      frag.append(node);
    }

    for (const column of columns) {
      const col = FIRST_COLUMN + column.index;
      if (column.touchpoint === null) {
        const empty = el("div", "jw-tp jw-tp-empty");
        empty.style.gridArea = `2 / ${col}`;
        const add = button("jw-add jw-add-tp-empty", "+ Touchpoint", "Add a touchpoint to this stage");
        add.dataset["action"] = "add-touchpoint";
        add.dataset["stage"] = column.stage;
        empty.append(add);
        frag.append(empty);
        const body = el("div", "jw-empty-stage", "No touchpoints yet: drag one here or add one.");
        body.dataset["stage"] = column.stage;
        body.style.gridArea = `${FIRST_ROW} / ${col} / ${FIRST_ROW + rows.length} / ${col + 1}`;
        frag.append(body);
        continue;
      }
      const tp = column.touchpoint;
      const node = el("div", "jw-tp");
      node.dataset["kind"] = "touchpoint";
      node.dataset["id"] = tp;
      node.dataset["stage"] = column.stage;
      node.style.gridArea = `2 / ${col}`;
      this.tpEls.set(tp, node);
      fillTouchpoint(ctx, tp, node);
      frag.append(node);
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
      for (const column of columns) {
        if (column.touchpoint === null) continue;
        const cell = el("div", "jw-cell");
        cell.dataset["tp"] = column.touchpoint;
        cell.dataset["lane"] = lane;
        cell.style.gridArea = `${gridRow} / ${FIRST_COLUMN + column.index}`;
        cell.style.setProperty("--jw-lane", colour);
        this.cellEls.set(cellKey(column.touchpoint, lane), cell);
        this.fillCell(cell, column.touchpoint, lane, oldCards);
        frag.append(cell);
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
