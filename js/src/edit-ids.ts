// What an edit says about ids, for the session (session.ts): the placeholder ids
// of entities added here until the kernel names them, the ids an edit adds or
// touches, and a canonical JSON form to tell two versions of an edit apart.
import type { Edit, Id } from "./types";

/** JSON of an edit with null/undefined fields dropped and keys sorted, for comparisons. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v as object).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && x !== undefined) out[k] = x;
      }
      return out;
    }
    return v;
  });
}

let tempCounter = 0;

/** A placeholder id for an entity added here until the kernel's ack names it. */
export function temporaryId(): string {
  tempCounter += 1;
  return `~new-${tempCounter}`;
}

export function isTemporary(id: Id): boolean {
  return id.startsWith("~new-");
}

export function withoutTemporaryIds(edit: Edit): Edit {
  if (edit.op === "add") {
    const id = (edit.item as { id?: unknown }).id;
    if (typeof id === "string" && isTemporary(id)) {
      const { id: _placeholder, ...item } = edit.item;
      return { ...edit, item };
    }
    return edit;
  }
  if (edit.op === "batch") return { ...edit, edits: edit.edits.map(withoutTemporaryIds) };
  return edit;
}

/** Ids of the entities an edit adds or changes, in order. */
export function touchedIds(edit: Edit): Id[] {
  if (edit.op === "batch") return [...new Set(edit.edits.flatMap(touchedIds))];
  if (edit.op === "add") return addedIds(edit);
  return "id" in edit && typeof edit.id === "string" ? [edit.id] : [];
}

/** Ids of the entities an edit adds, in order. */
export function addedIds(edit: Edit): Id[] {
  if (edit.op === "add") {
    const id = (edit.item as { id?: unknown }).id;
    return typeof id === "string" ? [id] : [];
  }
  if (edit.op === "batch") return edit.edits.flatMap(addedIds);
  return [];
}
