// The widget's header and toolbar: title and counts, the edit and zoom buttons,
// and the status line. It draws and reports clicks; what a click does is the
// view's (ToolbarActions).
import { button, el } from "./dom";
import type { JourneyStore } from "./store";

export const TITLE_CLASS = "jw-title";

export interface ToolbarActions {
  undo(): void;
  redo(): void;
  addStage(anchor: HTMLElement): void;
  addLane(anchor: HTMLElement): void;
  deleteSelection(): void;
  zoomOut(): void;
  zoomIn(): void;
  zoomReset(): void;
}

/** The title to show for a document; an empty or missing title gets a placeholder. */
export function titleOf(title: unknown): string {
  return typeof title === "string" && title.trim() !== "" ? title : "Untitled journey";
}

export class Toolbar {
  /** Title and subtitle. */
  readonly header: HTMLDivElement;
  /** The row of buttons and the status line. */
  readonly el: HTMLDivElement;
  /** Groups that other parts of the view add their buttons to. */
  readonly editGroup: HTMLDivElement;
  readonly viewGroup: HTMLDivElement;
  private readonly title: HTMLHeadingElement;
  private readonly subtitle: HTMLSpanElement;
  private readonly statusEl: HTMLDivElement;
  private readonly zoomLabel: HTMLButtonElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly redoButton: HTMLButtonElement;

  constructor(actions: ToolbarActions) {
    this.header = el("div", "jw-header");
    this.title = el("h2", TITLE_CLASS);
    this.subtitle = el("span", "jw-subtitle");
    this.header.append(this.title, this.subtitle);

    this.el = el("div", "jw-toolbar");
    this.el.setAttribute("role", "toolbar");
    this.el.setAttribute("aria-label", "Journey map tools");
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
    this.editGroup = el("div", "jw-group jw-edit-tools");
    this.editGroup.append(undo, redo, addStage, addLane, del);
    this.viewGroup = el("div", "jw-group jw-view-tools");
    this.viewGroup.append(zoomOut, this.zoomLabel, zoomIn);
    this.statusEl = el("div", "jw-status");
    this.statusEl.setAttribute("role", "status");
    this.el.append(this.editGroup, this.viewGroup, this.statusEl);

    undo.addEventListener("click", () => actions.undo());
    redo.addEventListener("click", () => actions.redo());
    addStage.addEventListener("click", () => actions.addStage(addStage));
    addLane.addEventListener("click", () => actions.addLane(addLane));
    del.addEventListener("click", () => actions.deleteSelection());
    zoomOut.addEventListener("click", () => actions.zoomOut());
    zoomIn.addEventListener("click", () => actions.zoomIn());
    this.zoomLabel.addEventListener("click", () => actions.zoomReset());
  }

  /** Title, state and counts of the map. */
  showMap(store: JourneyStore): void {
    this.title.textContent = titleOf(store.info["title"]);
    const bits: string[] = [];
    // The persona has its own panel (persona.ts).
    const state = store.info["state"];
    if (state === "future") bits.push("future state");
    else if (state === "current") bits.push("current state");
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
    bits.push(
      [
        count(store.stages.length, "stage"),
        count(store.journey().length, "touchpoint"),
        count(store.lanes.length, "lane"),
        count(store.cardCount(), "card"),
      ].join(" \u00b7 "),
    );
    this.subtitle.textContent = bits.join(" \u00b7 ");
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

  showZoom(zoom: number): void {
    this.zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  }

  showHistory(canUndo: boolean, canRedo: boolean): void {
    this.undoButton.disabled = !canUndo;
    this.redoButton.disabled = !canRedo;
  }
}
