// Undo and redo for the standalone page's local model (local-kernel.ts), kept as
// the Python widget keeps them: each acknowledged edit with its inverse; a new edit
// clears what could be redone.
import type { Edit } from "./types";

/** An edit as applied and its inverse. */
type Entry = [applied: Edit, inverse: Edit];

export class UndoHistory {
  private readonly undoStack: Entry[] = [];
  private readonly redoStack: Entry[] = [];

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Remember an acknowledged edit; what could be redone is gone. */
  record(applied: Edit, inverse: Edit): void {
    this.undoStack.push([applied, inverse]);
    this.redoStack.length = 0;
  }

  /**
   * Take one step back (`undo`: the inverse) or forward (`redo`: the edit) through
   * `apply`, which returns the step's own inverse, and return the edit applied; null
   * when there is nothing to take. If `apply` throws, that step is dropped from the
   * history and the error passes on.
   */
  step(kind: "undo" | "redo", apply: (edit: Edit) => Edit): Edit | null {
    const from = kind === "undo" ? this.undoStack : this.redoStack;
    const to = kind === "undo" ? this.redoStack : this.undoStack;
    const entry = from.pop();
    if (!entry) return null;
    const [applied, inverse] = entry;
    const step = kind === "undo" ? inverse : applied;
    const again = apply(step);
    to.push(kind === "undo" ? [applied, again] : [again, inverse]);
    return step;
  }
}
