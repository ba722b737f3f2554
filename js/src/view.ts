// One view of the widget: puts the parts together (toolbar, grid renderer,
// focus and selection, actions, the mouse and keyboard controllers, the
// emotion curve) and routes the session's news to them. The parts depend on
// the small interfaces in host.ts, not on this class.
import { Actions } from "./actions";
import { EmotionCurve } from "./curve";
import { Fit } from "./fit";
import { CardDeleteButton } from "./cards";
import { el } from "./dom";
import { DiffOverlay } from "./diff";
import { DragController } from "./drag";
import { Focus } from "./focus";
import { Legend } from "./legend";
import { PersonaPanel } from "./persona";
import type { Item, ItemKind, MapView } from "./host";
import { KeyboardController } from "./keyboard";
import { SIZES, labelOf, type Layout } from "./layout";
import { GridRenderer } from "./render";
import { uniqueId } from "./ids";
import type { Model, Session } from "./session";
import { acquireSession } from "./session-registry";
import type { Dirty, JourneyStore } from "./store";
import { Toolbar } from "./toolbar";
import { applyTheme, laneColour } from "./theme";
import type { Edit, Id, Lane } from "./types";
import { Zoom } from "./zoom";

export { TITLE_CLASS, titleOf } from "./toolbar";
export { reconcile } from "./dom";
export type { ItemKind } from "./host";
export const ROOT_CLASS = "jw-root";

export class JourneyView implements MapView {
  readonly root: HTMLDivElement;
  readonly scroller: HTMLDivElement;
  readonly grid: HTMLDivElement;
  readonly indicator: HTMLDivElement;
  readonly helpId: string;
  readonly session: Session;
  readonly curve: EmotionCurve;
  private readonly toolbar: Toolbar;
  private readonly renderer: GridRenderer;
  private readonly focus: Focus;
  private readonly actions: Actions;
  private readonly zoomer: Zoom;
  private readonly fit: Fit;
  private readonly persona: PersonaPanel;
  private readonly legend = new Legend();
  private readonly diff: DiffOverlay;
  private readonly live: HTMLDivElement;
  private readonly cardDelete: CardDeleteButton;
  private readonly drag: DragController;
  private readonly keyboard: KeyboardController;
  private readonly release: () => void;
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly model: Model,
    readonly host: HTMLElement,
  ) {
    const acquired = acquireSession(model);
    this.session = acquired.session;
    this.release = acquired.release;
    // Unique in the page: each widget's module copy would count from 1 again.
    this.helpId = uniqueId("jw-help");

    this.root = el("div", ROOT_CLASS);
    // JupyterLab's single-key notebook shortcuts (d d deletes a cell!) must not fire
    // while a card has focus: Lumino skips targets inside this attribute.
    this.root.setAttribute("data-lm-suppress-shortcuts", "true");
    // Focusable, so that a click on the title or a blank part keeps focus (and Ctrl+Z)
    // in the widget instead of handing it to the notebook.
    this.root.tabIndex = -1;
    this.zoomer = new Zoom(model, this.session);
    this.toolbar = new Toolbar({
      undo: () => this.undo(),
      redo: () => this.redo(),
      addStage: (anchor) => this.actions.addStage(anchor),
      addLane: (anchor) => this.actions.addLane(anchor),
      deleteSelection: () => this.deleteItems(this.session.selection),
      // Zooming leaves Fit: the two size the map in different ways.
      zoomOut: () => this.zoomTo(() => this.zoomer.step(-1)),
      zoomIn: () => this.zoomTo(() => this.zoomer.step(1)),
      zoomReset: () => this.zoomTo(() => this.zoomer.set(1)),
    });
    this.fit = new Fit(this);
    this.toolbar.viewGroup.prepend(this.fit.button);
    this.diff = new DiffOverlay(this);
    this.toolbar.viewGroup.append(this.diff.button);

    this.scroller = el("div", "jw-scroller");
    this.grid = el("div", "jw-grid");
    this.grid.setAttribute("role", "application");
    this.grid.setAttribute("aria-roledescription", "journey map");
    this.indicator = el("div", "jw-indicator");
    this.indicator.hidden = true;
    this.scroller.append(this.grid);

    this.live = el("div", "jw-sr-only");
    this.live.setAttribute("aria-live", "assertive");
    const help = el(
      "div",
      "jw-sr-only",
      "Space picks up or drops; arrow keys move; Escape cancels. Enter edits the text, " +
        "Delete removes, N adds a new one next to it. Ctrl+Z undoes, Ctrl+Shift+Z redoes.",
    );
    help.id = this.helpId;
    this.persona = new PersonaPanel(this);
    const top = [this.toolbar.header, this.persona.el, this.toolbar.el, this.legend.el, this.diff.el];
    this.root.append(...top, this.scroller, this.live, help);

    this.cardDelete = new CardDeleteButton((id) => this.deleteItems([id]));
    this.curve = new EmotionCurve(this);
    this.renderer = new GridRenderer(this);
    this.focus = new Focus(this, this.session, this.renderer, this.curve);
    this.actions = new Actions(this);
    this.drag = new DragController(this);
    this.keyboard = new KeyboardController(this);
    this.listen();
    host.replaceChildren(this.root);

    this.root.setAttribute("data-pending", String(this.session.pendingCount));
    applyTheme(this.root, model.get("_theme"));
    this.applyOptions();
    this.applyHistory();
    this.applyZoom();
    this.renderAll();
    this.diff.set(model.get("_diff"));
    const error = model.get("error");
    if (error) this.status(error, "error");
  }

  private listen(): void {
    const { model } = this;
    this.grid.addEventListener("pointerdown", (e) => this.drag.pointerDown(e));
    this.grid.addEventListener("pointerover", (e) => this.hover(e));
    this.grid.addEventListener("focusin", (e) => this.focus.focusIn(e));
    this.grid.addEventListener("click", (e) => this.actions.click(e));
    this.root.addEventListener("pointerdown", (e) => this.focus.keepFocus(e));
    // Keys are taken on the window in the capture phase: Notebook 7 runs its shortcuts on
    // the document in the capture phase (JupyterLab in the bubble phase), so a listener on
    // the widget would hear ArrowDown only after the notebook had moved to the next cell.
    const keyDown = (e: KeyboardEvent) => this.keyDown(e);
    window.addEventListener("keydown", keyDown, true);
    this.disposers.push(() => window.removeEventListener("keydown", keyDown, true));
    this.scroller.addEventListener("wheel", (e) => this.zoomer.wheel(e), { passive: false });
    // A wide map draws the columns that scrolling brings into view (render.ts).
    this.scroller.addEventListener("scroll", () => this.renderer.scrolled(), { passive: true });
    if (typeof ResizeObserver !== "undefined") {
      const resized = new ResizeObserver(() => this.renderer.scrolled());
      resized.observe(this.scroller);
      this.disposers.push(() => resized.disconnect());
    }
    this.disposers.push(
      this.session.listen({
        changed: (dirty) => this.changed(dirty),
        selection: () => {
          this.focus.showSelection();
          this.revealSelection();
        },
        status: (message, kind) => this.status(message, kind),
        // Lets tests (and curious people) see when every edit has been answered.
        pending: (count) => {
          this.root.setAttribute("data-pending", String(count));
          this.applyHistory();
        },
      }),
    );
    const on: [string, () => void][] = [
      ["change:zoom", () => this.applyZoom()],
      ["change:can_undo", () => this.applyHistory()],
      ["change:can_redo", () => this.applyHistory()],
      ["change:height", () => this.applyOptions()],
      ["change:readonly", () => this.applyOptions()],
      ["change:language", () => this.renderAll()],
      ["change:_theme", () => applyTheme(this.root, this.model.get("_theme"))],
      ["change:_diff", () => this.diff.set(this.model.get("_diff"))],
    ];
    for (const [name, handler] of on) {
      model.on(name, handler);
      this.disposers.push(() => model.off(name, handler));
    }
  }

  dispose(): void {
    this.actions.finishEdit(false);
    this.persona.finishEdit(false);
    this.drag.cancel();
    for (const d of this.disposers.splice(0)) d();
    this.zoomer.dispose();
    this.fit.dispose();
    this.root.remove();
    this.release();
  }

  // ------------------------------------------------------------------ MapView
  get store(): JourneyStore {
    return this.session.store;
  }

  get layout(): Layout {
    return this.renderer.layout;
  }

  get language(): string | null {
    return this.model.get("language") ?? null;
  }

  get readonly(): boolean {
    return Boolean(this.model.get("readonly"));
  }

  get isEditing(): boolean {
    return this.actions.isEditing || this.persona.isEditing;
  }

  get selection(): readonly Id[] {
    return this.session.selection;
  }

  get laneKinds(): string[] {
    return Object.keys(this.model.get("_theme")?.lane_colours ?? {});
  }

  element(kind: ItemKind, id: Id): HTMLElement | null {
    return this.renderer.element(kind, id);
  }

  cellElement(tp: Id, lane: Id): HTMLElement | null {
    return this.renderer.cellElement(tp, lane);
  }

  itemOf(node: EventTarget | null): Item | null {
    if (!(node instanceof Element)) return null;
    const item = node.closest<HTMLElement>("[data-kind][data-id]");
    if (!item || !this.grid.contains(item)) return null;
    return { kind: item.dataset["kind"] as ItemKind, id: item.dataset["id"]!, el: item };
  }

  commit(edit: Edit, label = ""): boolean {
    this.toolbar.clearStatus();
    return this.session.commit(edit, label);
  }

  undo(): void {
    this.session.undo();
  }

  redo(): void {
    this.session.redo();
  }

  announce(text: string): void {
    // Clearing first makes screen readers repeat an identical message.
    this.live.textContent = "";
    this.live.textContent = text;
  }

  status(message: string, kind: "info" | "error"): void {
    this.toolbar.status(message, kind);
  }

  focusItem(kind: ItemKind, id: Id, scroll = true): boolean {
    return this.focus.focusItem(kind, id, scroll);
  }

  refocus(kind: ItemKind, id: Id): void {
    this.focus.refocus(kind, id);
  }

  select(ids: readonly Id[]): void {
    this.session.select(ids);
  }

  toggleSelected(id: Id): void {
    const current = this.session.selection;
    this.select(current.includes(id) ? current.filter((x) => x !== id) : [...current, id]);
  }

  commitEmotion(tp: Id, value: number | null): void {
    const name = labelOf(this.store.get(tp), this.language);
    if (this.commit({ op: "set_emotion", id: tp, value })) {
      this.announce(`Emotion at ${name} set to ${value === null ? "not set" : value}.`);
    }
  }

  startEdit(kind: ItemKind, id: Id): void {
    this.actions.startEdit(kind, id);
  }

  deleteItems(ids: readonly Id[]): void {
    this.actions.deleteItems(ids);
  }

  addCard(tp: Id, lane: Id, index?: number): void {
    this.actions.addCard(tp, lane, index);
  }

  addTouchpoint(stage: Id, index?: number): void {
    this.actions.addTouchpoint(stage, index);
  }

  laneColour(lane: Lane | undefined): string {
    return laneColour(lane, this.model.get("_theme"));
  }

  // ------------------------------------------------------------------ Fit
  get columnCount(): number {
    return this.renderer.layout?.columns.length ?? 0;
  }

  get columnWidth(): number | null {
    return this.fit.columnWidth;
  }

  fitChanged(): void {
    // Column widths are CSS variables: only the curve, drawn in px, is drawn again.
    this.applyZoom();
    this.renderer.refreshRange(true);
    this.curve.render();
  }

  // ------------------------------------------------------------------ wide maps
  columnMetrics(): { column: number; label: number } {
    const z = this.fit.active ? 1 : this.zoomer.value;
    const label = this.fit.active ? Number.parseFloat(this.root.style.getPropertyValue("--jw-label-w")) : Number.NaN;
    return {
      column: this.fit.columnWidth ?? SIZES.column * z,
      label: Number.isFinite(label) ? label : SIZES.label * z,
    };
  }

  /** The columns drawn on a wide map, for the curve; null when every column is drawn. */
  get columnRange(): readonly [number, number] | null {
    return this.renderer.shownRange;
  }

  columnsShown(): void {
    this.curve.render();
    this.diff.apply();
    this.focus.showSelection();
  }

  /** Scroll an item of a wide map into view and draw it (keyboard, find, selection). */
  reveal(kind: ItemKind, id: Id): boolean {
    return this.renderer.reveal(kind, id);
  }

  /** A selection made elsewhere (Python, a linked chart) scrolls a wide map to it. */
  private revealSelection(): void {
    if (!this.renderer.virtual) return;
    const id = this.session.selection.at(-1);
    if (id === undefined) return;
    const kind = this.store.kind(id);
    if (kind !== "card" && kind !== "touchpoint") return;
    const node = this.element(kind, id);
    if (node) {
      const r = node.getBoundingClientRect();
      const s = this.scroller.getBoundingClientRect();
      if (r.right > s.left && r.left < s.right) return;
    }
    this.renderer.reveal(kind, id, true);
  }

  // ------------------------------------------------------------------ drawing
  renderAll(): void {
    const mark = this.focus.mark();
    this.renderer.renderAll();
    this.fit.apply();
    this.toolbar.showMap(this.store);
    this.persona.render();
    this.legend.render(this.store);
    this.curve.render();
    this.diff.apply();
    this.focus.showSelection();
    this.focus.restore(mark, this.isEditing);
  }

  private changed(dirty: Dirty): void {
    this.keyboard.storeChanged();
    if (dirty.all || dirty.layout) {
      this.renderAll();
      this.drag.storeChanged(true);
      return;
    }
    this.drag.storeChanged(false);
    const mark = this.focus.mark();
    // The header counts cards, so a card added or removed in a cell changes it too.
    if (dirty.info || dirty.cells.size > 0) this.toolbar.showMap(this.store);
    if (dirty.info) this.persona.render();
    this.renderer.update(dirty);
    if (dirty.curve) {
      this.curve.render();
      this.legend.render(this.store);
    }
    this.diff.apply();
    this.focus.showSelection();
    this.focus.restore(mark, this.isEditing);
  }

  private zoomTo(step: () => void): void {
    this.fit.toggle(false);
    step();
  }

  private applyZoom(): void {
    // Fit sizes columns in px and keeps text at its normal size.
    const z = this.fit.active ? 1 : this.zoomer.value;
    this.root.style.setProperty("--jw-z", String(z));
    this.toolbar.showZoom(z);
    this.renderer.refreshRange(true);
  }

  private applyOptions(): void {
    // A maximum: a small map takes only the room it needs, a big one scrolls inside it.
    const height = this.model.get("height");
    if (typeof height === "number") this.scroller.style.maxHeight = `${height}px`;
    else if (typeof height === "string" && height) this.scroller.style.maxHeight = height;
    else this.scroller.style.removeProperty("max-height");
    this.root.classList.toggle("jw-readonly", this.readonly);
  }

  /**
   * Grey out Undo and Redo when the kernel has nothing to undo or redo. An edit still
   * waiting for its answer will be undoable, and will clear what could be redone.
   */
  private applyHistory(): void {
    const pending = this.session.pendingCount > 0;
    this.toolbar.showHistory(
      Boolean(this.model.get("can_undo")) || pending,
      Boolean(this.model.get("can_redo")) && !pending,
    );
  }

  // ------------------------------------------------------------------ pointer and keys
  private hover(e: PointerEvent): void {
    if (!this.readonly && !this.drag.active) this.cardDelete.hover(e.target);
  }

  private keyDown(e: KeyboardEvent): void {
    if (!e.composedPath().includes(this.root)) return;
    if (this.drag.keyDown(e)) return;
    const target = e.composedPath()[0];
    if (target instanceof Element && this.curve.el.contains(target)) {
      this.curve.keyDown(e);
      return;
    }
    this.keyboard.keyDown(e);
  }
}
