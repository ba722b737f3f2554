// Co-editing: another browser's edit is briefly outlined where it landed and
// announced to screen readers, so that a card moving under your eyes is
// explained rather than surprising. Once someone else has edited, the toolbar
// also offers "Undo my last edit" (the kernel undoes only this browser's edit).
import type { Session } from "./session";
import { labelOf } from "./layout";
import type { Edit, Id } from "./types";

/** How long a remote edit stays outlined. */
export const REMOTE_HIGHLIGHT_MS = 1500;
export const REMOTE_CLASS = "jw-remote";

const VERBS: Record<Edit["op"], string> = {
  add: "added",
  update: "edited",
  move: "moved",
  remove: "removed",
  set_emotion: "changed the emotion of",
  batch: "changed",
};

/** What a screen reader hears: "Another user moved card “Reads the invoice”." */
export function describeRemote(session: Session, ids: readonly Id[], edit: Edit, language: string | null): string {
  const what = ids
    .slice(0, 3)
    .map((id) => `${session.store.kind(id) ?? "item"} “${labelOf(session.store.get(id), language)}”`)
    .join(", ");
  const more = ids.length > 3 ? ` and ${ids.length - 3} more` : "";
  return `Another user ${VERBS[edit.op] ?? "changed"} ${what || "the map"}${more}.`;
}

/** Outline and announce remote edits inside `root` (one widget view); returns a stop function. */
export function showRemoteEdits(session: Session, root: HTMLElement, language: () => string | null): () => void {
  const live = document.createElement("div");
  live.className = "jw-sr-only jw-remote-live";
  live.setAttribute("aria-live", "polite");
  live.setAttribute("role", "status");
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const place = () => {
    const host = root.querySelector(".jw-root") ?? root;
    if (live.parentNode !== host) host.append(live);
  };
  let undoMine: HTMLButtonElement | null = null;
  const offerUndoMine = () => {
    // Only once someone else edits: alone, "Undo" already undoes your own last edit.
    if (undoMine?.isConnected || session.readonly) return;
    const redo = root.querySelector(".jw-redo");
    if (!redo) return;
    undoMine = document.createElement("button");
    undoMine.type = "button";
    undoMine.className = "jw-btn jw-undo-mine";
    undoMine.textContent = "\u21b6 Mine";
    undoMine.setAttribute("aria-label", "Undo my last edit");
    undoMine.title = "Undo my last edit, keeping other people's edits made since";
    undoMine.addEventListener("click", () => session.undoMine());
    redo.after(undoMine);
  };
  const stop = session.listen({
    remote: (ids, edit) => {
      place();
      offerUndoMine();
      live.textContent = "";
      live.textContent = describeRemote(session, ids, edit, language());
      for (const id of ids) {
        for (const node of root.querySelectorAll<HTMLElement>(`[data-id="${CSS.escape(id)}"]`)) {
          node.classList.add(REMOTE_CLASS);
          const timer = setTimeout(() => {
            timers.delete(timer);
            node.classList.remove(REMOTE_CLASS);
          }, REMOTE_HIGHLIGHT_MS);
          timers.add(timer);
        }
      }
    },
  });
  if (session.coEditing) offerUndoMine();
  return () => {
    stop();
    undoMine?.remove();
    for (const t of timers) clearTimeout(t);
    live.remove();
  };
}
