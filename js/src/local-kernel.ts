// A widget model that answers the widget's messages the way the kernel does
// (src/journeywidgets/widget.py), for a standalone page with no kernel
// (journeywidgets.export.to_html). It keeps its own copy of the map, applies
// each edit the widget sends (generating ids as the Python model would and
// refusing what the model would refuse), acknowledges it, and keeps an
// undo/redo history, so the widget's optimistic edits and rollbacks work
// unchanged. The document it holds is what "Download JSON" saves.
import type { AnyModel } from "@anywidget/types";

import { JourneyStore, StoreError } from "./store";
import type { Edit, FrontMessage, Id, Kind, KernelMessage, WidgetTraits } from "./types";

type Handler = (...args: any[]) => void;

// ------------------------------------------------------------------------ ids
// The same slugs as journeywidgets/ids.py: "I use and pay" -> "i_use_and_pay".
const FOLD: Record<string, string> = { ł: "l", Ł: "L", ß: "ss", ø: "o", Ø: "O", đ: "d", Đ: "D" };

export function slugify(text: string, maxLength = 40): string {
  const folded = Array.from(text, (c) => FOLD[c] ?? c).join("").normalize("NFKD");
  const ascii = folded.replace(/[^\x00-\x7f]/g, "").toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return slug.slice(0, maxLength).replace(/_+$/, "");
}

export function newId(kind: string, name: string | null, taken: (id: string) => boolean): string {
  let base = name ? slugify(name) : "";
  if (base && !taken(base)) return base;
  if (!base) base = kind;
  let n = base === kind ? 1 : 2;
  while (taken(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

const NAMED: readonly Kind[] = ["persona", "stage", "touchpoint", "lane"];
const ID_PATTERN = /^\S(.*\S)?$/;

/** Why the Python model would refuse these fields of a `kind`, or null. */
function fieldProblem(kind: Kind, fields: Record<string, unknown>, scale: { min: number; max: number }): string | null {
  if (NAMED.includes(kind) && "name" in fields) {
    const name = fields["name"];
    if (typeof name !== "string" || name.length === 0) return `${kind} field 'name': a name cannot be empty`;
  }
  if (kind === "card" && "text" in fields && typeof fields["text"] !== "string") {
    return "card field 'text': must be text";
  }
  if (kind === "touchpoint" && "emotion" in fields) {
    const problem = emotionProblem(fields["emotion"], scale);
    if (problem) return `touchpoint field 'emotion': ${problem}`;
  }
  for (const key of ["impact", "effort"]) {
    const value = fields[key];
    if (kind === "card" && value != null && !(Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5)) {
      return `card field '${key}': must be a whole number from 1 to 5`;
    }
  }
  return null;
}

function emotionProblem(value: unknown, scale: { min: number; max: number }): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value)) return "must be a finite number";
  if (value < scale.min || value > scale.max) {
    return `${value} is outside the scale [${scale.min}, ${scale.max}]`;
  }
  return null;
}

// ------------------------------------------------------------------------ model
export interface LocalKernelOptions {
  doc: WidgetTraits["_doc"];
  theme?: WidgetTraits["_theme"];
  language?: string | null;
  readonly?: boolean;
  height?: number | string | null;
  zoom?: number;
  /** Delay of every answer, as a kernel round trip would have (ms). */
  latency?: number;
}

export class LocalKernelModel implements AnyModel<WidgetTraits> {
  readonly widget_manager = {
    get_model: (): Promise<never> => Promise.reject(new Error("no widget manager in a standalone page")),
  };
  /** The kernel's copy of the map: every acknowledged edit, in order. */
  readonly kernel: JourneyStore;
  private readonly state: WidgetTraits;
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly undoStack: [Edit, Edit][] = [];
  private readonly redoStack: [Edit, Edit][] = [];
  private readonly changeListeners = new Set<() => void>();
  private cardCounter = 1;
  private readonly latency: number;

  constructor(options: LocalKernelOptions) {
    this.kernel = JourneyStore.fromDoc(options.doc);
    this.latency = options.latency ?? 0;
    this.state = {
      _doc: options.doc,
      _version: 0,
      _uid: "",
      _theme: options.theme ?? {},
      selected: [],
      zoom: options.zoom ?? 1,
      height: options.height ?? null,
      language: options.language ?? null,
      readonly: options.readonly ?? false,
      error: "",
      can_undo: false,
      can_redo: false,
    };
  }

  // ---------------------------------------------------------------- AnyModel
  get<K extends keyof WidgetTraits>(key: K): WidgetTraits[K] {
    return this.state[key];
  }

  set<K extends keyof WidgetTraits>(key: K, value: WidgetTraits[K]): void {
    this.state[key] = value;
    this.emit(`change:${String(key)}`);
  }

  on(eventName: string, callback: Handler): void {
    let set = this.handlers.get(eventName);
    if (!set) {
      set = new Set();
      this.handlers.set(eventName, set);
    }
    set.add(callback);
  }

  off(eventName?: string | null, callback?: Handler | null): void {
    if (eventName == null) this.handlers.clear();
    else if (callback == null) this.handlers.delete(eventName);
    else this.handlers.get(eventName)?.delete(callback);
  }

  save_changes(): void {
    // Nothing to save to: the document lives in this page.
  }

  send(content: unknown): void {
    const msg = content as FrontMessage;
    // Answer later, as a kernel would: the widget applies its edit before it hears back.
    setTimeout(() => this.receive(msg), this.latency);
  }

  // ---------------------------------------------------------------- page API
  /** The map as the Python model would save it (map order). */
  document(): WidgetTraits["_doc"] {
    return this.kernel.toDoc();
  }

  get version(): number {
    return this.state._version;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Call `listener` after every acknowledged change (edit, undo or redo). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  // ---------------------------------------------------------------- the "kernel"
  private receive(msg: FrontMessage): void {
    if (!msg || typeof msg !== "object") return;
    switch (msg.type) {
      case "edit":
        this.edit(msg.seq, msg.edit);
        break;
      case "undo":
      case "redo":
        this.history(msg.type);
        break;
      case "select":
        if (Array.isArray(msg.ids)) {
          this.set(
            "selected",
            msg.ids.filter((id) => typeof id === "string" && ["card", "touchpoint"].includes(this.kernel.kind(id) ?? "")),
          );
        }
        break;
      case "zoom":
        if (typeof msg.value === "number") this.set("zoom", Math.min(4, Math.max(0.25, msg.value)));
        break;
      case "sync":
        if (msg.version !== this.state._version) this.set("_doc", this.kernel.toDoc());
        this.reply({ type: "synced", version: this.state._version });
        break;
    }
  }

  private edit(seq: number, edit: Edit): void {
    if (this.state.readonly) {
      this.reply({ type: "reject", seq, reason: "this map is read-only" });
      return;
    }
    let applied: Edit;
    let inverse: Edit;
    try {
      applied = this.complete(edit);
      inverse = this.kernel.apply(applied);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.set("error", reason);
      this.reply({ type: "reject", seq, reason });
      return;
    }
    this.undoStack.push([applied, inverse]);
    this.redoStack.length = 0;
    this.state._version += 1;
    if (this.state.error) this.set("error", "");
    this.reply({ type: "ack", seq, edit: applied, version: this.state._version });
    this.changed();
  }

  private history(kind: "undo" | "redo"): void {
    if (this.state.readonly) return;
    const from = kind === "undo" ? this.undoStack : this.redoStack;
    const to = kind === "undo" ? this.redoStack : this.undoStack;
    const entry = from.pop();
    if (!entry) {
      this.reply({ type: "status", message: `nothing to ${kind}` });
      return;
    }
    const [applied, inverse] = entry;
    const step = kind === "undo" ? inverse : applied;
    let again: Edit;
    try {
      again = this.kernel.apply(step);
    } catch (err) {
      this.reply({ type: "status", message: err instanceof Error ? err.message : String(err) });
      return;
    }
    to.push(kind === "undo" ? [applied, again] : [again, inverse]);
    this.state._version += 1;
    this.reply({ type: "edit", edit: step, version: this.state._version });
    this.changed();
  }

  /**
   * The edit as the Python model would apply it: ids generated for added items,
   * and refused (thrown) when the model's rules forbid it.
   */
  private complete(edit: Edit): Edit {
    const scale = this.kernel.scale;
    const reserved = new Set<Id>(); // ids given to earlier items of the same batch
    const taken = (id: string): boolean => this.kernel.entities.has(id) || reserved.has(id);
    const visit = (e: Edit): Edit => {
      switch (e.op) {
        case "add": {
          const item = { ...e.item };
          const problem = fieldProblem(e.kind, item, scale);
          if (problem) throw new StoreError(problem);
          if (NAMED.includes(e.kind) && !("name" in item)) {
            throw new StoreError(`${e.kind} field 'name': a ${e.kind} needs a name`);
          }
          let id = item["id"];
          if (id == null || id === "") {
            if (e.kind === "card") {
              // Cards count on from the last number given, like the Python store.
              while (taken(`card_${this.cardCounter}`)) this.cardCounter += 1;
              id = `card_${this.cardCounter}`;
              this.cardCounter += 1;
            } else {
              id = newId(e.kind, String(item["name"] ?? ""), taken);
            }
          }
          if (typeof id !== "string" || !ID_PATTERN.test(id)) {
            throw new StoreError(`${e.kind} field 'id': ${JSON.stringify(id)} is not a valid id`);
          }
          if (taken(id)) throw new StoreError(`${e.kind} field 'id': ${JSON.stringify(id)} is already used`);
          reserved.add(id);
          return { ...e, item: { ...item, id } };
        }
        case "update": {
          if (e.kind !== "map") {
            const kind = this.kernel.kind(e.id ?? "");
            if (!kind) throw new StoreError(`there is no entity with id ${JSON.stringify(e.id)}`);
            if ("id" in e.changes) throw new StoreError(`${kind} field 'id': ids cannot change`);
            const problem = fieldProblem(kind, e.changes, scale);
            if (problem) throw new StoreError(problem);
          }
          return e;
        }
        case "set_emotion": {
          const problem = emotionProblem(e.value, scale);
          if (problem) throw new StoreError(`touchpoint ${JSON.stringify(e.id)} field 'emotion': ${problem}`);
          return e;
        }
        case "batch":
          return { ...e, edits: e.edits.map(visit) };
        default:
          return e;
      }
    };
    return visit(edit);
  }

  private reply(msg: KernelMessage): void {
    setTimeout(() => this.emit("msg:custom", msg, []), this.latency);
  }

  private changed(): void {
    // as the Python widget does: the new history state before the edit's answer arrives
    if (this.state.can_undo !== this.canUndo) this.set("can_undo", this.canUndo);
    if (this.state.can_redo !== this.canRedo) this.set("can_redo", this.canRedo);
    for (const listener of [...this.changeListeners]) listener();
  }

  private emit(eventName: string, ...args: unknown[]): void {
    for (const handler of [...(this.handlers.get(eventName) ?? [])]) handler(...args);
  }
}
