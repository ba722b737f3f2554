// One Session per widget model (anywidget's `initialize` runs once per model,
// `render` once per view): the browser's copy of the map, the edits sent but
// not yet answered, and the selection. Every view of the model draws from it.
//
// Protocol (see src/journeywidgets/widget.py): a gesture becomes an edit that
// is applied here at once (optimistically, keeping its inverse) and sent as
// {"type": "edit", "seq", "edit"}. The kernel answers "ack" (with the edit as
// applied: generated ids, resolved positions) or "reject" (with the reason),
// and sends {"type": "edit", "edit", "version"} for changes made elsewhere.
// The document trait `_doc` is updated here with model.set() but never
// save_changes(): the kernel is told about edits, never sent the whole map.
//
// Co-editing (JupyterLab real-time collaboration): every browser on the kernel
// hears every kernel message. Each session names itself with a random view id
// sent with its edits; acks and rejects come back with it. (Selection and zoom
// stay per browser because the kernel does not send them back at all.)
// An ack for another view is a remote edit (applied under our pending ones and
// announced); a reject or status for another view is none of ours.
//
// Beside it: edit-ids.ts (placeholder ids, the ids an edit touches),
// session-events.ts (what the views hear) and session-registry.ts (which
// session serves a model).
import type { AnyModel } from "@anywidget/types";

import { addedIds, canonical, isTemporary, touchedIds, withoutTemporaryIds } from "./edit-ids";
import { Listeners, type SessionListener, type StatusKind } from "./session-events";
import { Dirty, JourneyStore, StoreError } from "./store";
import type { Edit, FrontMessage, Id, KernelMessage, WidgetTraits } from "./types";

// Where they were before the split (cards, headers, actions... import them from here).
export { isTemporary, temporaryId, touchedIds } from "./edit-ids";
export type { SessionListener, StatusKind } from "./session-events";

export type Model = AnyModel<WidgetTraits>;

interface Pending {
  seq: number;
  edit: Edit;
  inverse: Edit;
  label: string;
}

/** A random id naming this browser's session of a widget in the messages it sends. */
function newViewId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === "function") return c.randomUUID();
  return `v${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/** The opening sync is sent again after 1, 2, 4 and 8 s while the kernel has not answered. */
export const SYNC_RETRY_MS = 1000;
export const SYNC_ATTEMPTS = 5;

export class Session {
  store: JourneyStore;
  version: number;
  selection: Id[];
  /** This browser's name for itself in messages (see "Co-editing" above). */
  readonly view: string = newViewId();
  /** Whether another browser has edited this map since this page opened. */
  coEditing = false;
  private readonly pending: Pending[] = [];
  private seq = 0;
  private readonly listeners = new Listeners();
  private publishing = false;
  private publishScheduled = false;
  /** A whole document was asked for because our copy went wrong: take it, whatever its version. */
  private syncRequested = false;
  /** Asks the kernel again for its version until it answers (see openingSync). */
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly cleanups: (() => void)[] = [];

  constructor(readonly model: Model) {
    this.store = JourneyStore.fromDoc(model.get("_doc"));
    this.version = model.get("_version") ?? 0;
    this.selection = [...(model.get("selected") ?? [])];

    const onMessage = (msg: unknown) => this.receive(msg as KernelMessage);
    const onDoc = () => this.documentChanged();
    // Hosts that apply a state update key by key (marimo) may announce _doc before _version
    // has its new value: a version that differs from ours afterwards means take the document.
    // Checked once the update is applied whole (the keys are set one after the other).
    const onVersion = () =>
      queueMicrotask(() => {
        if (this.model.get("_version") !== this.version) this.documentChanged();
      });
    const onSelected = () => {
      const ids = [...(model.get("selected") ?? [])];
      if (canonical(ids) !== canonical(this.selection)) {
        this.selection = ids;
        this.emitSelection();
      }
    };
    const onError = () => {
      const error = model.get("error");
      if (error) this.emitStatus(error, "error");
    };
    model.on("msg:custom", onMessage);
    model.on("change:_doc", onDoc);
    model.on("change:_version", onVersion);
    model.on("change:selected", onSelected);
    model.on("change:error", onError);
    this.cleanups.push(() => {
      model.off("msg:custom", onMessage);
      model.off("change:_doc", onDoc);
      model.off("change:_version", onVersion);
      model.off("change:selected", onSelected);
      model.off("change:error", onError);
    });
    // Tell the kernel which version we start from. Jupyter hands a new page the kernel's
    // current state, so the kernel only answers "synced"; marimo replays the state the
    // kernel last *sent*, which lacks edits made here since, so the kernel sends the map.
    // A message sent while a host is still reconnecting can be lost: ask again until the
    // kernel answers (a page without a kernel stops asking after a few tries).
    this.openingSync();
  }

  private openingSync(attempt = 0): void {
    this.send({ type: "sync", version: this.version });
    if (attempt + 1 >= SYNC_ATTEMPTS) return;
    this.syncTimer = setTimeout(() => this.openingSync(attempt + 1), SYNC_RETRY_MS * 2 ** attempt);
  }

  dispose(): void {
    clearTimeout(this.syncTimer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.listeners.clear();
  }

  listen(listener: SessionListener): () => void {
    return this.listeners.add(listener);
  }

  get readonly(): boolean {
    return Boolean(this.model.get("readonly"));
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  // ------------------------------------------------------------------ gestures -> kernel
  /**
   * Apply `edit` here and send it to the kernel. Returns false (and says why
   * in the status line) when it cannot apply to this copy.
   */
  commit(edit: Edit, label = ""): boolean {
    if (this.readonly) {
      this.emitStatus("This map is read-only.", "error");
      return false;
    }
    const dirty = new Dirty();
    let inverse: Edit;
    try {
      inverse = this.store.apply(edit, dirty);
    } catch (err) {
      this.emitStatus(err instanceof Error ? err.message : String(err), "error");
      return false;
    }
    this.seq += 1;
    this.pending.push({ seq: this.seq, edit, inverse, label });
    // The kernel names new entities; our placeholder ids never leave the browser.
    this.send({ type: "edit", seq: this.seq, edit: withoutTemporaryIds(edit), view: this.view });
    this.afterChange(dirty);
    return true;
  }

  undo(): void {
    if (this.readonly) return;
    this.send({ type: "undo" });
  }

  redo(): void {
    if (this.readonly) return;
    this.send({ type: "redo" });
  }

  /** Undo this browser's own last edit, leaving other people's edits made since in place. */
  undoMine(): void {
    if (this.readonly) return;
    this.send({ type: "undo", mine: true, view: this.view });
  }

  select(ids: readonly Id[]): void {
    const next = [...new Set(ids)];
    if (canonical(next) === canonical(this.selection)) return;
    this.selection = next;
    this.emitSelection();
    this.send({ type: "select", ids: next.filter((id) => !isTemporary(id)) });
  }

  setZoom(value: number): void {
    this.send({ type: "zoom", value });
  }

  private send(msg: FrontMessage): void {
    this.model.send(msg);
  }

  // ------------------------------------------------------------------ kernel -> here
  private receive(msg: KernelMessage): void {
    if (!msg || typeof msg !== "object") return;
    // No view id: an older kernel answering the only browser there is.
    const forOthers = "view" in msg && typeof msg.view === "string" && msg.view !== this.view;
    switch (msg.type) {
      case "ack":
        if (forOthers) this.foreign(msg.edit, msg.version, true);
        else this.acked(msg.seq, msg.edit, msg.version);
        break;
      case "reject":
        if (!forOthers) this.rejected(msg.seq, msg.reason);
        break;
      case "edit":
        // from Python, or (with a view id) another browser's "undo my last edit"
        this.foreign(msg.edit, msg.version, forOthers);
        break;
      case "status":
        if (!forOthers) this.emitStatus(msg.message, "info");
        break;
      case "synced":
        clearTimeout(this.syncTimer); // the kernel heard us (any document it sent came first)
        break;
    }
  }

  /** Undo every pending edit (newest first), run `step`, then redo them on top. */
  private rebase(dirty: Dirty, step: () => void, skip?: number): void {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      this.store.apply(this.pending[i]!.inverse, dirty);
    }
    step();
    const replayed: Pending[] = [];
    for (const p of this.pending) {
      if (p.seq === skip) continue;
      try {
        replayed.push({ ...p, inverse: this.store.apply(p.edit, dirty) });
      } catch {
        // It no longer applies here; the kernel will reject it and say why.
      }
    }
    this.pending.splice(0, this.pending.length, ...replayed);
  }

  private acked(seq: number, applied: Edit, version: number): void {
    const dirty = new Dirty();
    const head = this.pending[0];
    if (head && head.seq === seq && canonical(head.edit) === canonical(applied)) {
      // The usual case: the kernel applied exactly what we did; nothing to redraw.
      this.pending.shift();
    } else {
      // The kernel's version differs (a generated id, a resolved position) or the
      // edit is not ours any more: put its version in place under the pending ones.
      const tempIds = head && head.seq === seq ? addedIds(head.edit) : [];
      try {
        this.rebase(dirty, () => this.applyConfirmed(applied, dirty), seq);
      } catch {
        this.requestSync();
        return;
      }
      this.renameSelection(tempIds, addedIds(applied));
    }
    this.version = Math.max(this.version, version);
    this.afterChange(dirty);
  }

  private rejected(seq: number, reason: string): void {
    const index = this.pending.findIndex((p) => p.seq === seq);
    const dirty = new Dirty();
    if (index >= 0) {
      // Roll the rejected edit back from under the later pending ones.
      try {
        this.rebase(dirty, () => undefined, seq);
      } catch {
        this.requestSync();
      }
    }
    this.emitStatus(reason, "error");
    this.afterChange(dirty);
  }

  private foreign(edit: Edit, version: number, remote = false): void {
    if (version <= this.version) return; // already part of a document we have
    const dirty = new Dirty();
    try {
      this.rebase(dirty, () => this.applyConfirmed(edit, dirty));
    } catch {
      this.requestSync();
      return;
    }
    this.version = version;
    const known = this.selection.filter((id) => this.store.entities.has(id));
    if (known.length !== this.selection.length) {
      this.selection = known;
      this.emitSelection();
    }
    this.afterChange(dirty);
    const ids = touchedIds(edit).filter((id) => this.store.entities.has(id));
    if (!remote) return;
    this.coEditing = true;
    this.listeners.emit("remote", ids, edit);
  }

  private applyConfirmed(edit: Edit, dirty: Dirty): void {
    try {
      this.store.apply(edit, dirty);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(String(err));
    }
  }

  /** Our copy went wrong somewhere: ask the kernel for the whole document. */
  private requestSync(): void {
    this.syncRequested = true;
    this.send({ type: "sync" });
  }

  private documentChanged(): void {
    if (this.publishing) return; // our own model.set
    const version = this.model.get("_version");
    if (!this.syncRequested && this.pending.length === 0 && version === this.version) {
      // The kernel sends the whole map after every cell that changed it (for saved state);
      // we already show that version, edit by edit: redrawing a 20,000-card map for
      // nothing would freeze the page for a moment after each such cell.
      return;
    }
    this.syncRequested = false;
    const dirty = new Dirty();
    dirty.all = true;
    const pending = this.pending.splice(0);
    this.store = JourneyStore.fromDoc(this.model.get("_doc"));
    this.version = this.model.get("_version") ?? this.version;
    // The kernel's document does not hold edits it has not answered yet: redo them on top.
    for (const p of pending) {
      try {
        this.pending.push({ ...p, inverse: this.store.apply(p.edit, dirty) });
      } catch {
        // dropped: the kernel rejects it and says why
      }
    }
    const known = this.selection.filter((id) => this.store.entities.has(id));
    if (known.length !== this.selection.length) {
      this.selection = known;
      this.emitSelection();
    }
    if (this.pending.length > 0) this.schedulePublish();
    this.emitChanged(dirty);
  }

  private renameSelection(from: Id[], to: Id[]): void {
    if (from.length === 0) return;
    let touched = false;
    const next = this.selection.map((id) => {
      const i = from.indexOf(id);
      if (i >= 0 && to[i] !== undefined) {
        touched = true;
        return to[i]!;
      }
      return id;
    });
    if (touched) this.select(next);
  }

  private afterChange(dirty: Dirty): void {
    this.listeners.emit("pending", this.pending.length);
    if (dirty.empty) return;
    this.schedulePublish();
    this.emitChanged(dirty);
  }

  /**
   * Keep the model's `_doc` equal to what we show, so that JupyterLab's "save
   * widget state" stores the current map. Never save_changes(): that would send
   * the whole document to the kernel. Coalesced: one set per task.
   */
  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    queueMicrotask(() => {
      this.publishScheduled = false;
      this.publishing = true;
      try {
        this.model.set("_doc", this.store.toDoc());
      } finally {
        this.publishing = false;
      }
    });
  }

  // ------------------------------------------------------------------ listeners
  private emitChanged(dirty: Dirty): void {
    this.listeners.emit("changed", dirty);
  }

  private emitSelection(): void {
    this.listeners.emit("selection", this.selection);
  }

  emitStatus(message: string, kind: StatusKind): void {
    this.listeners.emit("status", message, kind);
  }
}
