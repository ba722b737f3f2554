// What the user asks of the map by name: delete, rename in place, add a card,
// touchpoint, stage or lane (each through an inline editor, then one edit).
import { el } from "./dom";
import { editInline, type ActiveEdit, type EditOptions } from "./editor";
import type { ItemKind, MapSurface } from "./host";
import { labelOf } from "./layout";
import { isTemporary, temporaryId } from "./session";
import type { Card, Edit, Id, Touchpoint } from "./types";

export interface ActionHost extends MapSurface {
  readonly selection: readonly Id[];
  /** The lane kinds the model accepts (from the synced theme). */
  readonly laneKinds: string[];
  commit(edit: Edit, label?: string): boolean;
  announce(text: string): void;
  status(message: string, kind: "info" | "error"): void;
  select(ids: readonly Id[]): void;
  refocus(kind: ItemKind, id: Id): void;
}

export class Actions {
  private editing: ActiveEdit | null = null;

  constructor(private readonly view: ActionHost) {}

  get isEditing(): boolean {
    return this.editing !== null;
  }

  /** Close the inline editor, keeping (`commit`) or dropping what was typed. */
  finishEdit(commit: boolean): void {
    this.editing?.finish(commit);
  }

  private edit(
    options: Omit<EditOptions, "commit" | "cancel">,
    commit: (text: string) => void,
    cancel = () => {},
  ): void {
    this.editing?.finish(true);
    this.editing = editInline({
      ...options,
      commit: (text) => {
        this.editing = null;
        commit(text);
      },
      cancel: () => {
        this.editing = null;
        cancel();
      },
    });
  }

  /** A click on one of the grid's small buttons (add a card or touchpoint, delete). */
  click(e: MouseEvent): void {
    const target = e.target as Element;
    const button = target.closest?.<HTMLElement>("[data-action]");
    if (!button || !this.view.grid.contains(button)) return;
    e.stopPropagation();
    const data = button.dataset;
    if (data["action"] === "add-card") this.addCard(data["tp"]!, data["lane"]!);
    else if (data["action"] === "add-touchpoint") this.addTouchpoint(data["stage"]!);
    else if (data["action"] === "delete") this.deleteItems([data["target"]!]);
  }

  /** Remove items (with what they hold, as one undoable step). */
  deleteItems(ids: readonly Id[]): void {
    const { view } = this;
    const { store } = view;
    if (view.readonly) return;
    const live = ids.filter((id) => store.entities.has(id) && !isTemporary(id));
    if (live.length === 0) {
      view.status("Select cards or touchpoints to delete (click, Shift+click).", "info");
      return;
    }
    // Removing a stage, touchpoint or lane removes what it holds: leave those out.
    const gone = new Set(live);
    const kept = live.filter((id) => {
      const entity = store.get(id) as Partial<Card & Touchpoint> | undefined;
      if (!entity) return false;
      if (store.kind(id) === "card") {
        const stage = store.get<Touchpoint>(entity.touchpoint ?? "")?.stage ?? "";
        return !gone.has(entity.touchpoint ?? "") && !gone.has(entity.lane ?? "") && !gone.has(stage);
      }
      if (store.kind(id) === "touchpoint") return !gone.has(entity.stage ?? "");
      return true;
    });
    const edits: Edit[] = kept.map((id) =>
      store.kind(id) === "card" ? { op: "remove", id } : { op: "remove", id, cascade: true },
    );
    const first = live[0]!;
    const describe =
      live.length === 1
        ? `${store.kind(first)} \u201c${labelOf(store.get(first), view.language)}\u201d`
        : `${live.length} items`;
    const edit: Edit = edits.length === 1 ? edits[0]! : { op: "batch", edits, label: "delete" };
    if (view.commit(edit)) {
      view.select(view.selection.filter((id) => store.entities.has(id)));
      view.announce(`Deleted ${describe}. Ctrl+Z undoes it.`);
    }
  }

  /** Start editing the text of an item in place. */
  startEdit(kind: ItemKind, id: Id): void {
    const { view } = this;
    if (view.readonly || isTemporary(id)) return;
    const host = view.element(kind, id);
    const entity = view.store.get(id);
    if (!host || !entity) return;
    const language = view.language;
    const field = kind === "card" ? "text" : "name";
    const useLabel = language !== null && language !== (view.store.info["language"] ?? "en");
    const value = labelOf(entity, language);
    const label = kind === "card" ? "Card text" : `${kind} name`;
    const done = (text: string): void => {
      view.refocus(kind, id);
      if (text === value) return;
      if (kind !== "card" && text.trim() === "") {
        view.status(`A ${kind} needs a name.`, "error");
        return;
      }
      const changes = useLabel ? { labels: { ...(entity.labels ?? {}), [language!]: text } } : { [field]: text };
      view.commit({ op: "update", id, changes });
    };
    this.edit({ host, value, multiline: kind === "card", label }, done, () => {
      view.refocus(kind, id);
      view.announce("Edit cancelled.");
    });
  }

  /** A draft card in a cell; Enter adds it, and focus goes to the new card. */
  addCard(tp: Id, lane: Id, index?: number): void {
    const { view } = this;
    if (view.readonly) return;
    const cell = view.cellElement(tp, lane);
    if (!cell) return;
    const size = view.store.cell(tp, lane).length;
    const at = index === undefined ? size : Math.min(index, size);
    const draft = el("div", "jw-card jw-draft");
    const before = cell.querySelectorAll(":scope > .jw-card")[at] ?? cell.querySelector(":scope > .jw-add");
    cell.insertBefore(draft, before);
    const laneName = labelOf(view.store.get(lane), view.language);
    const tpName = labelOf(view.store.get(tp), view.language);
    const options = { host: draft, value: "", multiline: true, label: `New card in ${laneName} at ${tpName}` };
    this.edit(
      { ...options, placeholder: "New card\u2026" },
      (text) => {
        draft.remove();
        if (text.trim() === "") return;
        const id = temporaryId();
        if (view.commit({ op: "add", kind: "card", item: { id, text, touchpoint: tp, lane }, index: at })) {
          view.announce(`Added a card to ${laneName} at ${tpName}.`);
          view.refocus("card", id);
        }
      },
      () => draft.remove(),
    );
  }

  /** A name field for a new touchpoint in a stage. */
  addTouchpoint(stage: Id, index?: number): void {
    const { view } = this;
    if (view.readonly) return;
    const host = view.element("stage", stage);
    if (!host) return;
    const size = view.store.touchpoints.get(stage)?.length ?? 0;
    const at = index === undefined ? size : Math.min(index, size);
    const label = `New touchpoint in ${labelOf(view.store.get(stage), view.language)}`;
    this.edit({ host, value: "", multiline: false, label, placeholder: "Touchpoint name\u2026" }, (name) => {
      if (name.trim() === "") return;
      const id = temporaryId();
      if (view.commit({ op: "add", kind: "touchpoint", item: { id, name, stage }, index: at })) {
        view.announce(`Added touchpoint ${name}.`);
        view.refocus("touchpoint", id);
      }
    });
  }

  addStage(anchor: HTMLElement): void {
    const { view } = this;
    if (view.readonly) return;
    const host = anchor.parentElement as HTMLElement;
    this.edit(
      { host, value: "", multiline: false, label: "New stage name", placeholder: "Stage name\u2026" },
      (name) => {
        if (name.trim() === "") return;
        const item = { id: temporaryId(), name };
        if (view.commit({ op: "add", kind: "stage", item, index: view.store.stages.length })) {
          view.announce(`Added stage ${name}.`);
        }
      },
    );
  }

  addLane(anchor: HTMLElement): void {
    const { view } = this;
    if (view.readonly) return;
    const kind = el("select", "jw-kind");
    kind.setAttribute("aria-label", "Lane kind");
    // The kinds are the model's (entities.LANE_KINDS), sent with their colours in `_theme`,
    // so the picker never drifts from what the kernel accepts.
    const kinds = view.laneKinds;
    for (const k of kinds.includes("custom") ? kinds : [...kinds, "custom"]) {
      const option = el("option", "", k.replaceAll("_", " "));
      option.value = k;
      kind.append(option);
    }
    kind.value = "custom";
    kind.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter" || e.key === "Escape") {
        e.preventDefault();
        this.editing?.finish(e.key === "Enter");
      }
    });
    const host = anchor.parentElement as HTMLElement;
    const options = { host, value: "", multiline: false, label: "New lane name", placeholder: "Lane name\u2026" };
    this.edit({ ...options, extra: kind }, (name) => {
      if (name.trim() === "") return;
      const item = { id: temporaryId(), name, kind: kind.value };
      if (view.commit({ op: "add", kind: "lane", item, index: view.store.lanes.length })) {
        view.announce(`Added lane ${name}.`);
      }
    });
  }
}
