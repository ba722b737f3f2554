// One view of the widget: builds the DOM from the session's store, redraws only
// what an edit touched, and turns gestures (in drag.ts, keyboard.ts and here)
// into edits. User text only ever reaches the page through textContent and
// setAttribute, never innerHTML, so "<img onerror=...>" in a card is just text.
import { EmotionCurve } from "./curve";
import { DragController, type Target } from "./drag";
import { editInline, type ActiveEdit } from "./editor";
import { KeyboardController } from "./keyboard";
import { FIRST_COLUMN, FIRST_ROW, SIZES, computeLayout, labelOf, type Layout } from "./layout";
import { acquireSession, isTemporary, temporaryId, type Model, type Session } from "./session";
import { cellKey, type Dirty, type JourneyStore } from "./store";
import type { Card, Edit, Id, Kind, Lane, Stage, Theme, Touchpoint } from "./types";

export const ROOT_CLASS = "jw-root";
export const TITLE_CLASS = "jw-title";


const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 4;

/** Item kinds a view can focus, select, edit or drag. */
export type ItemKind = "card" | "touchpoint" | "stage" | "lane";

let viewCounter = 0;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className: string, text: string, label: string, title?: string): HTMLButtonElement {
  const b = el("button", className, text);
  b.type = "button";
  b.setAttribute("aria-label", label);
  b.title = title ?? label;
  return b;
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

/** Whether two versions of a card draw the same (a move changes only where it is). */
function sameLook(a: Card, b: Card): boolean {
  if (a === b) return true;
  return (
    a.id === b.id &&
    a.text === b.text &&
    a.source === b.source &&
    a.impact === b.impact &&
    a.effort === b.effort &&
    JSON.stringify(a.tags ?? []) === JSON.stringify(b.tags ?? []) &&
    JSON.stringify(a.labels ?? {}) === JSON.stringify(b.labels ?? {})
  );
}

/** The title to show for a document; an empty or missing title gets a placeholder. */
export function titleOf(title: unknown): string {
  return typeof title === "string" && title.trim() !== "" ? title : "Untitled journey";
}

export class JourneyView {
  readonly root: HTMLDivElement;
  readonly scroller: HTMLDivElement;
  readonly grid: HTMLDivElement;
  readonly indicator: HTMLDivElement;
  readonly helpId: string;
  layout!: Layout;
  readonly curve: EmotionCurve;

  private readonly title: HTMLHeadingElement;
  private readonly subtitle: HTMLSpanElement;
  private readonly toolbar: HTMLDivElement;
  private readonly statusEl: HTMLDivElement;
  private readonly live: HTMLDivElement;
  private readonly zoomLabel: HTMLButtonElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;
  private readonly cardDelete: HTMLButtonElement;
  private readonly drag: DragController;
  private readonly keyboard: KeyboardController;

  private cardEls = new Map<Id, { entity: Card; el: HTMLElement; language: string | null }>();
  private cellEls = new Map<string, HTMLElement>();
  private tpEls = new Map<Id, HTMLElement>();
  private stageEls = new Map<Id, HTMLElement>();
  private laneEls = new Map<Id, HTMLElement>();
  private selectedEls: Element[] = [];
  private curveLabel: HTMLElement | null = null;
  private roving: Id | null = null;
  private editing: ActiveEdit | null = null;
  private zoomTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly release: () => void;
  private readonly disposers: (() => void)[] = [];

  constructor(
    readonly model: Model,
    readonly host: HTMLElement,
  ) {
    const acquired = acquireSession(model);
    this.session = acquired.session;
    this.release = acquired.release;
    viewCounter += 1;
    this.helpId = `jw-help-${viewCounter}`;

    this.root = el("div", ROOT_CLASS);
    // JupyterLab's single-key notebook shortcuts (d d deletes a cell!) must not fire
    // while a card has focus: Lumino skips targets inside this attribute.
    this.root.setAttribute("data-lm-suppress-shortcuts", "true");

    const header = el("div", "jw-header");
    this.title = el("h2", TITLE_CLASS);
    this.subtitle = el("span", "jw-subtitle");
    header.append(this.title, this.subtitle);

    this.toolbar = el("div", "jw-toolbar");
    this.toolbar.setAttribute("role", "toolbar");
    this.toolbar.setAttribute("aria-label", "Journey map tools");
    const undo = button("jw-btn jw-undo", "\u21b6 Undo", "Undo", "Undo (Ctrl+Z)");
    const redo = button("jw-btn jw-redo", "\u21b7 Redo", "Redo", "Redo (Ctrl+Shift+Z)");
    this.undoButton = undo;
    this.redoButton = redo;
    const addStage = button("jw-btn jw-add-stage", "+ Stage", "Add a stage");
    const addLane = button("jw-btn jw-add-lane", "+ Lane", "Add a lane");
    const del = button("jw-btn jw-delete", "Delete", "Delete the selection", "Delete the selection (Delete)");
    const zoomOut = button("jw-btn jw-zoom-out", "\u2212", "Zoom out", "Zoom out (Ctrl+wheel)");
    this.zoomLabel = button("jw-btn jw-zoom-reset", "100%", "Reset zoom to 100%");
    const zoomIn = button("jw-btn jw-zoom-in", "+", "Zoom in", "Zoom in (Ctrl+wheel)");
    const edits = el("div", "jw-group jw-edit-tools");
    edits.append(undo, redo, addStage, addLane, del);
    const zooms = el("div", "jw-group");
    zooms.append(zoomOut, this.zoomLabel, zoomIn);
    this.statusEl = el("div", "jw-status");
    this.statusEl.setAttribute("role", "status");
    this.toolbar.append(edits, zooms, this.statusEl);

    undo.addEventListener("click", () => this.session.undo());
    redo.addEventListener("click", () => this.session.redo());
    addStage.addEventListener("click", () => this.addStage(addStage));
    addLane.addEventListener("click", () => this.addLane(addLane));
    del.addEventListener("click", () => this.deleteItems(this.session.selection));
    zoomOut.addEventListener("click", () => this.stepZoom(-1));
    zoomIn.addEventListener("click", () => this.stepZoom(1));
    this.zoomLabel.addEventListener("click", () => this.setZoom(1));

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
    this.root.append(header, this.toolbar, this.scroller, this.live, help);

    this.cardDelete = button("jw-card-del", "\u00d7", "Delete this card");
    this.cardDelete.tabIndex = -1;
    this.cardDelete.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      e.stopPropagation();
    });
    this.cardDelete.addEventListener("click", (e) => {
      e.stopPropagation();
      const id = this.cardDelete.dataset["target"];
      if (id) this.deleteItems([id]);
    });

    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below need it
    const view = this;
    this.curve = new EmotionCurve({
      get store() {
        return view.store;
      },
      get layout() {
        return view.layout;
      },
      get language() {
        return view.language;
      },
      get readonly() {
        return view.readonly;
      },
      commitEmotion: (tp, value) => {
        const name = labelOf(this.store.get(tp), this.language);
        if (this.commit({ op: "set_emotion", id: tp, value })) {
          this.announce(`Emotion at ${name} set to ${value === null ? "not set" : value}.`);
        }
      },
      announce: (text) => this.announce(text),
    });

    this.drag = new DragController(this);
    this.keyboard = new KeyboardController(this);

    this.grid.addEventListener("pointerdown", (e) => this.drag.pointerDown(e));
    this.grid.addEventListener("pointerover", (e) => this.hover(e));
    this.grid.addEventListener("focusin", (e) => this.focusIn(e));
    this.grid.addEventListener("click", (e) => this.click(e));
    // Keys are taken on the window in the capture phase: Notebook 7 runs its shortcuts on
    // the document in the capture phase (JupyterLab in the bubble phase), so a listener on
    // the widget would hear ArrowDown only after the notebook had moved to the next cell.
    const keyDown = (e: KeyboardEvent) => this.keyDown(e);
    window.addEventListener("keydown", keyDown, true);
    this.disposers.push(() => window.removeEventListener("keydown", keyDown, true));
    const wheel = (e: WheelEvent) => this.wheel(e);
    this.scroller.addEventListener("wheel", wheel, { passive: false });

    host.replaceChildren(this.root);

    this.disposers.push(
      this.session.listen({
        changed: (dirty) => this.changed(dirty),
        selection: () => this.showSelection(),
        status: (message, kind) => this.status(message, kind),
        // Lets tests (and curious people) see when every edit has been answered.
        pending: (count) => {
          this.root.setAttribute("data-pending", String(count));
          this.applyHistory();
        },
      }),
    );
    const onZoom = () => this.applyZoom();
    const onOptions = () => this.applyOptions();
    const onLanguage = () => this.renderAll();
    const onTheme = () => this.applyTheme();
    const onHistory = () => this.applyHistory();
    model.on("change:zoom", onZoom);
    model.on("change:can_undo", onHistory);
    model.on("change:can_redo", onHistory);
    model.on("change:height", onOptions);
    model.on("change:readonly", onOptions);
    model.on("change:language", onLanguage);
    model.on("change:_theme", onTheme);
    this.disposers.push(() => {
      model.off("change:zoom", onZoom);
      model.off("change:height", onOptions);
      model.off("change:readonly", onOptions);
      model.off("change:language", onLanguage);
      model.off("change:_theme", onTheme);
      model.off("change:can_undo", onHistory);
      model.off("change:can_redo", onHistory);
    });

    this.root.setAttribute("data-pending", String(this.session.pendingCount));
    this.applyTheme();
    this.applyOptions();
    this.applyHistory();
    this.applyZoom();
    this.renderAll();
    const error = model.get("error");
    if (error) this.status(error, "error");
  }

  readonly session: Session;

  dispose(): void {
    this.editing?.finish(false);
    this.drag.cancel();
    for (const d of this.disposers.splice(0)) d();
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.root.remove();
    this.release();
  }

  // ------------------------------------------------------------------ state
  get store(): JourneyStore {
    return this.session.store;
  }

  get language(): string | null {
    return this.model.get("language") ?? null;
  }

  get readonly(): boolean {
    return Boolean(this.model.get("readonly"));
  }

  get zoom(): number {
    const z = Number(this.model.get("zoom"));
    return Number.isFinite(z) && z > 0 ? Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z)) : 1;
  }

  get isEditing(): boolean {
    return this.editing !== null;
  }

  /** The element of an item, when it is drawn. */
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

  /** What a DOM node inside the grid stands for. */
  itemOf(node: EventTarget | null): { kind: ItemKind; id: Id; el: HTMLElement } | null {
    if (!(node instanceof Element)) return null;
    const item = node.closest<HTMLElement>("[data-kind][data-id]");
    if (!item || !this.grid.contains(item)) return null;
    return { kind: item.dataset["kind"] as ItemKind, id: item.dataset["id"]!, el: item };
  }

  /** Show where a dragged or picked-up item would land (null hides the marker). */
  indicate(target: Target | null, moving: Id): void {
    this.drag.indicate(target, moving);
  }

  // ------------------------------------------------------------------ edits
  /** Apply and send one edit; false when it could not apply. */
  commit(edit: Edit, label = ""): boolean {
    this.clearStatus();
    return this.session.commit(edit, label);
  }

  announce(text: string): void {
    // Clearing first makes screen readers repeat an identical message.
    this.live.textContent = "";
    this.live.textContent = text;
  }

  status(message: string, kind: "info" | "error"): void {
    this.statusEl.textContent = message;
    this.statusEl.classList.toggle("jw-status-error", kind === "error");
    this.statusEl.setAttribute("role", kind === "error" ? "alert" : "status");
    this.statusEl.title = message;
  }

  clearStatus(): void {
    this.statusEl.textContent = "";
    this.statusEl.classList.remove("jw-status-error");
    this.statusEl.title = "";
  }

  /** Remove items (with what they hold, as one undoable step). */
  deleteItems(ids: readonly Id[]): void {
    if (this.readonly) return;
    const live = ids.filter((id) => this.store.entities.has(id) && !isTemporary(id));
    if (live.length === 0) {
      this.status("Select cards or touchpoints to delete (click, Shift+click).", "info");
      return;
    }
    // Removing a stage, touchpoint or lane removes what it holds: leave those out.
    const gone = new Set(live);
    const kept = live.filter((id) => {
      const entity = this.store.get(id) as Partial<Card & Touchpoint> | undefined;
      if (!entity) return false;
      if (this.store.kind(id) === "card") {
        return !gone.has(entity.touchpoint ?? "") && !gone.has(entity.lane ?? "") &&
          !gone.has(this.store.get<Touchpoint>(entity.touchpoint ?? "")?.stage ?? "");
      }
      if (this.store.kind(id) === "touchpoint") return !gone.has(entity.stage ?? "");
      return true;
    });
    const filtered: Edit[] = kept.map((id) =>
      this.store.kind(id) === "card" ? { op: "remove", id } : { op: "remove", id, cascade: true },
    );
    const describe =
      live.length === 1
        ? `${this.store.kind(live[0]!)} \u201c${labelOf(this.store.get(live[0]!), this.language)}\u201d`
        : `${live.length} items`;
    const edit: Edit =
      filtered.length === 1 ? filtered[0]! : { op: "batch", edits: filtered, label: "delete" };
    if (this.commit(edit)) {
      this.session.select(this.session.selection.filter((id) => this.store.entities.has(id)));
      this.announce(`Deleted ${describe}. Ctrl+Z undoes it.`);
    }
  }

  /** Start editing the text of an item in place. */
  startEdit(kind: ItemKind, id: Id): void {
    if (this.readonly || isTemporary(id)) return;
    const host = this.element(kind, id);
    const entity = this.store.get(id);
    if (!host || !entity) return;
    const language = this.language;
    const field = kind === "card" ? "text" : "name";
    const useLabel = language !== null && language !== (this.store.info["language"] ?? "en");
    const value = labelOf(entity, language);
    this.editing?.finish(true);
    this.editing = editInline({
      host,
      value,
      multiline: kind === "card",
      label: kind === "card" ? "Card text" : `${kind} name`,
      commit: (text) => {
        this.editing = null;
        this.refocus(kind, id);
        if (text === value) return;
        if (kind !== "card" && text.trim() === "") {
          this.status(`A ${kind} needs a name.`, "error");
          return;
        }
        const changes = useLabel
          ? { labels: { ...(entity.labels ?? {}), [language!]: text } }
          : { [field]: text };
        this.commit({ op: "update", id, changes });
      },
      cancel: () => {
        this.editing = null;
        this.refocus(kind, id);
        this.announce("Edit cancelled.");
      },
    });
  }

  /** A draft card in a cell; Enter adds it. */
  addCard(tp: Id, lane: Id, index?: number): void {
    if (this.readonly) return;
    const cell = this.cellElement(tp, lane);
    if (!cell) return;
    const size = this.store.cell(tp, lane).length;
    const at = index === undefined ? size : Math.min(index, size);
    const draft = el("div", "jw-card jw-draft");
    const before = cell.querySelectorAll(":scope > .jw-card")[at] ?? cell.querySelector(":scope > .jw-add");
    cell.insertBefore(draft, before);
    this.editing?.finish(true);
    const laneName = labelOf(this.store.get(lane), this.language);
    const tpName = labelOf(this.store.get(tp), this.language);
    this.editing = editInline({
      host: draft,
      value: "",
      multiline: true,
      label: `New card in ${laneName} at ${tpName}`,
      placeholder: "New card\u2026",
      commit: (text) => {
        this.editing = null;
        draft.remove();
        if (text.trim() === "") return;
        const id = temporaryId();
        const item = { id, text, touchpoint: tp, lane };
        if (this.commit({ op: "add", kind: "card", item, index: at })) {
          this.announce(`Added a card to ${laneName} at ${tpName}.`);
        }
      },
      cancel: () => {
        this.editing = null;
        draft.remove();
      },
    });
  }

  /** A name field for a new touchpoint in a stage. */
  addTouchpoint(stage: Id, index?: number): void {
    if (this.readonly) return;
    const host = this.stageEls.get(stage);
    if (!host) return;
    const size = this.store.touchpoints.get(stage)?.length ?? 0;
    const at = index === undefined ? size : Math.min(index, size);
    this.editing?.finish(true);
    this.editing = editInline({
      host,
      value: "",
      multiline: false,
      label: `New touchpoint in ${labelOf(this.store.get(stage), this.language)}`,
      placeholder: "Touchpoint name\u2026",
      commit: (name) => {
        this.editing = null;
        if (name.trim() === "") return;
        const item = { id: temporaryId(), name, stage };
        if (this.commit({ op: "add", kind: "touchpoint", item, index: at })) {
          this.announce(`Added touchpoint ${name}.`);
        }
      },
      cancel: () => {
        this.editing = null;
      },
    });
  }

  private addStage(anchor: HTMLElement): void {
    if (this.readonly) return;
    this.editing?.finish(true);
    this.editing = editInline({
      host: anchor.parentElement as HTMLElement,
      value: "",
      multiline: false,
      label: "New stage name",
      placeholder: "Stage name\u2026",
      commit: (name) => {
        this.editing = null;
        if (name.trim() === "") return;
        const item = { id: temporaryId(), name };
        if (this.commit({ op: "add", kind: "stage", item, index: this.store.stages.length })) {
          this.announce(`Added stage ${name}.`);
        }
      },
      cancel: () => {
        this.editing = null;
      },
    });
  }

  private addLane(anchor: HTMLElement): void {
    if (this.readonly) return;
    const kind = el("select", "jw-kind");
    kind.setAttribute("aria-label", "Lane kind");
    // The kinds are the model's (entities.LANE_KINDS), sent with their colours in `_theme`,
    // so the picker never drifts from what the kernel accepts.
    const kinds = Object.keys(this.model.get("_theme")?.lane_colours ?? {});
    for (const k of kinds.includes("custom") ? kinds : [...kinds, "custom"]) {
      const option = el("option", "", k.replaceAll("_", " "));
      option.value = k;
      kind.append(option);
    }
    kind.value = "custom";
    kind.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") {
        e.preventDefault();
        this.editing?.finish(true);
      } else if (e.key === "Escape") {
        e.preventDefault();
        this.editing?.finish(false);
      }
    });
    this.editing?.finish(true);
    this.editing = editInline({
      host: anchor.parentElement as HTMLElement,
      value: "",
      multiline: false,
      label: "New lane name",
      placeholder: "Lane name\u2026",
      extra: kind,
      commit: (name) => {
        this.editing = null;
        if (name.trim() === "") return;
        const item = { id: temporaryId(), name, kind: kind.value };
        if (this.commit({ op: "add", kind: "lane", item, index: this.store.lanes.length })) {
          this.announce(`Added lane ${name}.`);
        }
      },
      cancel: () => {
        this.editing = null;
      },
    });
  }

  // ------------------------------------------------------------------ selection and focus
  select(ids: readonly Id[]): void {
    this.session.select(ids);
  }

  toggleSelected(id: Id): void {
    const current = this.session.selection;
    this.select(current.includes(id) ? current.filter((x) => x !== id) : [...current, id]);
  }

  private showSelection(): void {
    for (const node of this.selectedEls) {
      node.classList.remove("jw-selected");
      node.setAttribute("aria-pressed", "false");
    }
    this.selectedEls = [];
    for (const id of this.session.selection) {
      const kind = this.store.kind(id);
      if (kind !== "card" && kind !== "touchpoint") continue;
      const node = this.element(kind, id);
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
    const n = this.session.selection.length;
    this.root.classList.toggle("jw-has-selection", n > 0);
  }

  /** Focus an item (after it was redrawn, moved or edited). */
  focusItem(kind: ItemKind, id: Id, scroll = true): boolean {
    const node = this.element(kind, id);
    if (!node) return false;
    if (kind === "card") this.setRoving(id);
    node.focus({ preventScroll: true });
    if (scroll) node.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    return true;
  }

  private refocus(kind: ItemKind, id: Id): void {
    queueMicrotask(() => this.focusItem(kind, id));
  }

  private setRoving(id: Id | null): void {
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

  private focusIn(e: FocusEvent): void {
    const item = this.itemOf(e.target);
    if (item?.kind === "card") this.setRoving(item.id);
  }

  private hover(e: PointerEvent): void {
    if (this.readonly || this.drag.active) return;
    const card = (e.target as Element).closest?.(".jw-card");
    if (card instanceof HTMLElement && card.dataset["id"] && !isTemporary(card.dataset["id"])) {
      // One shared button, placed beside the hovered card (not inside it: a card is
      // itself a button, and its text stays just its text).
      const del = this.cardDelete;
      del.dataset["target"] = card.dataset["id"];
      del.setAttribute("aria-label", `Delete card \u201c${card.textContent ?? ""}\u201d`);
      del.style.top = `${card.offsetTop}px`;
      del.style.left = `${card.offsetLeft + card.offsetWidth}px`;
      if (del.previousElementSibling !== card) card.after(del);
    }
  }

  private click(e: MouseEvent): void {
    const target = e.target as Element;
    const add = target.closest?.<HTMLElement>("[data-action]");
    if (!add || !this.grid.contains(add)) return;
    e.stopPropagation();
    const action = add.dataset["action"];
    if (action === "add-card") {
      this.addCard(add.dataset["tp"]!, add.dataset["lane"]!);
    } else if (action === "add-touchpoint") {
      this.addTouchpoint(add.dataset["stage"]!);
    } else if (action === "delete") {
      this.deleteItems([add.dataset["target"]!]);
    }
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

  // ------------------------------------------------------------------ zoom and options
  setZoom(value: number): void {
    const z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(value * 100) / 100));
    if (z === this.zoom) return;
    // Other views of this model follow at once; the kernel hears it once the user pauses.
    this.model.set("zoom", z);
    if (this.zoomTimer) clearTimeout(this.zoomTimer);
    this.zoomTimer = setTimeout(() => {
      this.zoomTimer = null;
      this.session.setZoom(this.zoom);
    }, 250);
  }

  stepZoom(direction: 1 | -1): void {
    const z = this.zoom;
    const next =
      direction > 0
        ? ZOOM_STEPS.find((s) => s > z + 1e-9) ?? MAX_ZOOM
        : [...ZOOM_STEPS].reverse().find((s) => s < z - 1e-9) ?? MIN_ZOOM;
    this.setZoom(next);
  }

  private wheel(e: WheelEvent): void {
    if (!(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    e.stopPropagation();
    this.setZoom(this.zoom * Math.exp(-e.deltaY * 0.002));
  }

  private applyZoom(): void {
    const z = this.zoom;
    this.root.style.setProperty("--jw-z", String(z));
    this.zoomLabel.textContent = `${Math.round(z * 100)}%`;
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
    this.undoButton.disabled = !(this.model.get("can_undo") || pending);
    this.redoButton.disabled = !this.model.get("can_redo") || pending;
  }

  private applyTheme(): void {
    const theme: Theme = this.model.get("_theme") ?? {};
    const vars: [string, string | undefined][] = [
      ["--jw-theme-positive", theme.positive],
      ["--jw-theme-negative", theme.negative],
      ["--jw-theme-neutral", theme.neutral],
      ["--jw-theme-curve", theme.curve],
      ["--jw-theme-measured", theme.measured],
      ["--jw-theme-mot", theme.moment_of_truth],
      ["--jw-theme-card-text", theme.card_text],
      ["--jw-theme-selection", theme.selection],
    ];
    for (const [name, value] of vars) {
      if (value) this.root.style.setProperty(name, value);
    }
  }

  laneColour(lane: Lane | undefined): string {
    const colour = lane?.colour;
    if (typeof colour === "string" && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(colour)) return colour;
    const defaults = this.model.get("_theme")?.lane_colours ?? {};
    return defaults[lane?.kind ?? "custom"] ?? defaults["custom"] ?? "#e0e0e0";
  }

  // ------------------------------------------------------------------ rendering
  private changed(dirty: Dirty): void {
    this.keyboard.storeChanged();
    if (dirty.all || dirty.layout) {
      this.renderAll();
      this.drag.storeChanged(true);
      return;
    }
    this.drag.storeChanged(false);
    const restore = this.activeItem();
    // The header counts cards, so a card added or removed in a cell changes it too.
    if (dirty.info || dirty.cells.size > 0) this.renderHeader();
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
    for (const id of dirty.touchpoints) this.fillTouchpoint(id);
    for (const id of dirty.stages) this.fillStage(id);
    for (const id of dirty.lanes) this.fillLane(id);
    if (dirty.curve) this.curve.render();
    this.showSelection();
    this.restoreFocus(restore);
  }

  private activeItem(): { kind: ItemKind; id: Id } | null {
    const active = (this.root.getRootNode() as Document | ShadowRoot).activeElement;
    if (!active || !this.grid.contains(active)) return null;
    const item = this.itemOf(active);
    return item ? { kind: item.kind, id: item.id } : null;
  }

  private restoreFocus(item: { kind: ItemKind; id: Id } | null): void {
    if (!item || this.editing) return;
    const node = this.element(item.kind, item.id);
    const active = (this.root.getRootNode() as Document | ShadowRoot).activeElement;
    if (node && node !== active) node.focus({ preventScroll: true });
  }

  renderAll(): void {
    const restore = this.activeItem();
    const store = this.store;
    this.layout = computeLayout(store);
    const { columns, rows, stageSpan } = this.layout;
    this.renderHeader();

    const grid = this.grid;
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
    this.selectedEls = [];
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
      this.fillStage(stage, node);
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
      this.fillTouchpoint(tp, node);
      frag.append(node);
    }

    rows.forEach((row, r) => {
      const gridRow = FIRST_ROW + r;
      if (row.kind === "curve") {
        const label = el("div", "jw-lane-label jw-curve-label");
        label.style.gridArea = `${gridRow} / 1`;
        this.curveLabel = label;
        this.fillCurveLabel();
        frag.append(label);
        const holder = el("div", "jw-curve");
        holder.style.gridArea = `${gridRow} / ${FIRST_COLUMN} / ${gridRow + 1} / ${FIRST_COLUMN + nCols}`;
        holder.append(this.curve.el);
        frag.append(holder);
        return;
      }
      const lane = row.lane;
      const label = el("div", "jw-lane-label");
      label.dataset["kind"] = "lane";
      label.dataset["id"] = lane;
      label.style.gridArea = `${gridRow} / 1`;
      this.laneEls.set(lane, label);
      this.fillLane(lane, label);
      frag.append(label);
      const colour = this.laneColour(store.get<Lane>(lane));
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
        this.readonly ? "This map has no stages yet." : "This map has no stages yet: add one with \u201c+ Stage\u201d.",
      );
      hint.style.gridArea = `1 / ${FIRST_COLUMN} / ${FIRST_ROW + rows.length} / ${FIRST_COLUMN + 1}`;
      frag.append(hint);
    }
    frag.append(this.indicator);
    grid.replaceChildren(frag);
    this.root.classList.toggle("jw-empty-map", store.stages.length === 0);
    if (this.roving === null || !this.cardEls.has(this.roving)) {
      this.roving = null;
      const first = this.firstCard();
      if (first) this.setRoving(first);
    } else {
      const node = this.cardEls.get(this.roving)?.el;
      if (node) node.tabIndex = 0;
    }
    this.curve.render();
    this.showSelection();
    this.restoreFocus(restore);
  }

  private firstCard(): Id | null {
    for (const tp of this.store.journey()) {
      for (const lane of this.store.lanes) {
        const cell = this.store.cell(tp, lane);
        if (cell.length > 0) return cell[0]!;
      }
    }
    return null;
  }

  private renderHeader(): void {
    const store = this.store;
    this.title.textContent = titleOf(store.info["title"]);
    const bits: string[] = [];
    const personaId = (store.info["persona"] as string | null | undefined) ?? store.personas[0];
    const persona = personaId ? store.get(personaId) : undefined;
    if (persona) bits.push(`Persona: ${labelOf(persona, this.language)}`);
    const state = store.info["state"];
    if (state === "future") bits.push("future state");
    else if (state === "current") bits.push("current state");
    const tps = store.journey().length;
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    bits.push(
      [
        count(store.stages.length, "stage"),
        count(tps, "touchpoint"),
        count(store.lanes.length, "lane"),
        count(store.cardCount(), "card"),
      ].join(" \u00b7 "),
    );
    this.subtitle.textContent = bits.join(" \u00b7 ");
    if (this.curveLabel) this.fillCurveLabel();
  }

  private fillCurveLabel(): void {
    const label = this.curveLabel!;
    const scale = this.store.scale;
    label.replaceChildren(el("span", "jw-lane-name", "Emotion"));
    const ticks = el("div", "jw-ticks");
    ticks.setAttribute("aria-hidden", "true");
    for (const [value, cls] of [
      [scale.max, "jw-tick-max"],
      [scale.neutral, "jw-tick-neutral"],
      [scale.min, "jw-tick-min"],
    ] as const) {
      const tick = el("span", `jw-tick ${cls}`, value > 0 ? `+${value}` : String(value));
      const frac = (scale.max - value) / (scale.max - scale.min);
      tick.style.top = `calc(${(16 + frac * (SIZES.curve - 32)).toFixed(1)}px * var(--jw-z))`;
      ticks.append(tick);
    }
    label.append(ticks);
  }

  private fillStage(id: Id, node = this.stageEls.get(id)): void {
    const stage = this.store.get<Stage>(id);
    if (!node || !stage) return;
    const name = labelOf(stage, this.language);
    const count = this.store.touchpoints.get(id)?.length ?? 0;
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    node.setAttribute("aria-roledescription", "stage");
    node.setAttribute("aria-label", `Stage ${name}, ${count} touchpoint${count === 1 ? "" : "s"}`);
    node.setAttribute("aria-describedby", this.helpId);
    const label = el("span", "jw-stage-name", name);
    label.title = name;
    const tools = el("span", "jw-tools");
    const add = button("jw-add jw-add-tp", "+", `Add a touchpoint to ${name}`);
    add.dataset["action"] = "add-touchpoint";
    add.dataset["stage"] = id;
    add.tabIndex = -1;
    const del = button("jw-del", "\u00d7", `Delete stage ${name} and its touchpoints`);
    del.dataset["action"] = "delete";
    del.dataset["target"] = id;
    del.tabIndex = -1;
    tools.append(add, del);
    node.replaceChildren(label, tools);
    node.classList.toggle("jw-pending", isTemporary(id));
  }

  private fillTouchpoint(id: Id, node = this.tpEls.get(id)): void {
    const tp = this.store.get<Touchpoint>(id);
    if (!node || !tp) return;
    const name = labelOf(tp, this.language);
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    node.setAttribute("aria-roledescription", "touchpoint");
    const bits = [`Touchpoint ${name}`];
    if (tp.channel) bits.push(`channel ${tp.channel}`);
    if (tp.moment_of_truth) bits.push("moment of truth");
    node.setAttribute("aria-label", bits.join(", "));
    node.setAttribute("aria-describedby", this.helpId);
    const title = el("span", "jw-tp-name", name);
    title.title = name;
    const meta = el("span", "jw-tp-meta");
    if (tp.moment_of_truth) {
      const star = el("span", "jw-mot", "\u2605");
      star.title = "Moment of truth";
      meta.append(star);
    }
    if (tp.channel) meta.append(el("span", "jw-channel", String(tp.channel)));
    const del = button("jw-del", "\u00d7", `Delete touchpoint ${name} and its cards`);
    del.dataset["action"] = "delete";
    del.dataset["target"] = id;
    del.tabIndex = -1;
    node.replaceChildren(title, meta, del);
    node.classList.toggle("jw-mot-column", Boolean(tp.moment_of_truth));
    node.classList.toggle("jw-pending", isTemporary(id));
  }

  private fillLane(id: Id, node = this.laneEls.get(id)): void {
    const lane = this.store.get<Lane>(id);
    if (!node || !lane) return;
    const name = labelOf(lane, this.language);
    const colour = this.laneColour(lane);
    node.tabIndex = 0;
    node.setAttribute("role", "button");
    node.setAttribute("aria-roledescription", "lane");
    node.setAttribute("aria-label", `Lane ${name}`);
    node.setAttribute("aria-describedby", this.helpId);
    node.style.setProperty("--jw-lane", colour);
    const title = el("span", "jw-lane-name", name);
    title.title = name;
    const kind = el("span", "jw-lane-kind", String(lane.kind ?? "custom").replace("_", " "));
    const del = button("jw-del", "\u00d7", `Delete lane ${name} and its cards`);
    del.dataset["action"] = "delete";
    del.dataset["target"] = id;
    del.tabIndex = -1;
    node.replaceChildren(title, kind, del);
    node.classList.toggle("jw-pending", isTemporary(id));
    // The lane's colour lives on its cells, so a colour change touches ~60 cells, not every card.
    for (const tp of this.store.journey()) {
      this.cellEls.get(cellKey(tp, id))?.style.setProperty("--jw-lane", colour);
    }
  }

  private fillCell(
    cell: HTMLElement,
    tp: Id,
    lane: Id,
    previous: Map<Id, { entity: Card; el: HTMLElement; language: string | null }> = this.cardEls,
  ): void {
    const ids = this.store.cell(tp, lane);
    const language = this.language;
    const children: HTMLElement[] = [];
    let lines = 0;
    for (const id of ids) {
      const card = this.store.get<Card>(id)!;
      const cached = previous.get(id);
      let node: HTMLElement;
      if (cached && cached.language === language && sameLook(cached.entity, card)) {
        node = cached.el;
        if (node.tabIndex === 0 && id !== this.roving) node.tabIndex = -1;
      } else {
        node = this.cardElement(card, language);
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
    if (!this.readonly) {
      const laneName = labelOf(this.store.get(lane), language);
      const tpName = labelOf(this.store.get(tp), language);
      const add = button("jw-add jw-add-card", "+", `Add a card to ${laneName} at ${tpName}`);
      add.dataset["action"] = "add-card";
      add.dataset["tp"] = tp;
      add.dataset["lane"] = lane;
      add.tabIndex = -1;
      children.push(add);
    }
    // A card that is still in the map but no longer here is left in place: the fill of
    // the cell it moved to takes it (moveBefore keeps its focus); changed() removes any
    // left over.
    reconcile(cell, children, (node) => this.isLiveCard(node));
  }

  private isLiveCard(node: ChildNode): boolean {
    return node instanceof HTMLElement && node.dataset["kind"] === "card" && this.store.entities.has(node.dataset["id"] ?? "");
  }

  private cardTemplate: HTMLElement | null = null;

  private cardElement(card: Card, language: string | null): HTMLElement {
    // Cloning a template copies its fixed attributes in one go: a 20,000-card map makes
    // 20,000 of these.
    if (!this.cardTemplate) {
      const t = document.createElement("div");
      t.className = "jw-card";
      t.setAttribute("data-kind", "card");
      t.setAttribute("role", "button");
      t.setAttribute("aria-roledescription", "sticky note");
      t.setAttribute("aria-describedby", this.helpId);
      t.tabIndex = -1;
      this.cardTemplate = t;
    }
    const node = this.cardTemplate.cloneNode(false) as HTMLElement;
    if (isTemporary(card.id)) node.classList.add("jw-pending");
    node.setAttribute("data-id", card.id);
    const text = labelOf(card, language);
    const badges: string[] = [];
    const quickWin =
      typeof card.impact === "number" && typeof card.effort === "number" && card.impact >= 4 && card.effort <= 2;
    if (quickWin) badges.push("quick win");
    if (card.source && card.source !== "workshop") badges.push(String(card.source));
    const tags = Array.isArray(card.tags) ? card.tags.map(String) : [];
    // Long notes are cut after a few lines; the whole text is in the tooltip.
    if (text.length > 160) node.title = text;
    if (!quickWin && badges.length === 0 && tags.length === 0) {
      node.textContent = text;
      return node;
    }
    node.classList.add("jw-rich");
    node.append(el("span", "jw-card-text", text));
    const foot = el("span", "jw-card-foot");
    if (quickWin) foot.append(el("span", "jw-badge jw-quick-win", "\u2605 quick win"));
    if (card.source && card.source !== "workshop") foot.append(el("span", "jw-badge", String(card.source)));
    for (const tag of tags) foot.append(el("span", "jw-tag", `#${tag}`));
    node.append(foot);
    return node;
  }
}

export type { Kind };
