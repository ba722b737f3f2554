// The small interfaces the view's parts depend on, instead of the whole view:
// what a controller can read of the drawn map (MapSurface) and what it can ask
// the view to do (MapView). JourneyView implements both.
import type { Layout } from "./layout";
import type { JourneyStore } from "./store";
import type { Edit, Id } from "./types";

/** Item kinds a view can focus, select, edit or drag. */
export type ItemKind = "card" | "touchpoint" | "stage" | "lane";

/** An item of the grid and the element that draws it. */
export interface Item {
  kind: ItemKind;
  id: Id;
  el: HTMLElement;
}

/** The drawn map: read-only access for controllers. */
export interface MapSurface {
  readonly root: HTMLElement;
  readonly grid: HTMLElement;
  readonly scroller: HTMLElement;
  /** The drop marker (see indicator.ts). */
  readonly indicator: HTMLElement;
  readonly store: JourneyStore;
  readonly layout: Layout;
  readonly language: string | null;
  readonly readonly: boolean;
  /** The element of an item, when it is drawn. */
  element(kind: ItemKind, id: Id): HTMLElement | null;
  cellElement(tp: Id, lane: Id): HTMLElement | null;
  /** What a DOM node inside the grid stands for. */
  itemOf(node: EventTarget | null): Item | null;
}

/** The surface plus the gestures' effects: edits, focus, selection, announcements. */
export interface MapView extends MapSurface {
  readonly isEditing: boolean;
  readonly selection: readonly Id[];
  /** Apply and send one edit; false when it could not apply. */
  commit(edit: Edit, label?: string): boolean;
  undo(): void;
  redo(): void;
  announce(text: string): void;
  focusItem(kind: ItemKind, id: Id, scroll?: boolean): boolean;
  /** Scroll an item's column into view and draw it (a wide map draws only some); optional. */
  reveal?(kind: ItemKind, id: Id): boolean;
  select(ids: readonly Id[]): void;
  toggleSelected(id: Id): void;
  startEdit(kind: ItemKind, id: Id): void;
  deleteItems(ids: readonly Id[]): void;
  addCard(tp: Id, lane: Id, index?: number): void;
  addTouchpoint(stage: Id, index?: number): void;
}
