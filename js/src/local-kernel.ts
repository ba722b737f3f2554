// A widget model that answers the widget's messages the way the kernel does
// (src/journeywidgets/widget.py), for a standalone page with no kernel
// (journeywidgets.export.to_html). It keeps its own copy of the map, applies
// each edit the widget sends (generating ids as the Python model would and
// refusing what the model would refuse), acknowledges it, and keeps an
// undo/redo history, so the widget's optimistic edits and rollbacks work
// unchanged. The document it holds is what "Download JSON" saves.
//
// This module is the message handling; the rest lives in rooms of its own:
// edit-envelope.ts (an edit's op and field types, as pydantic parses them),
// edit-checker.ts (the map's rules, applying an edit with its inverse as Python
// records it), slugs.ts (ids from names, as ids.py makes them) and
// local-history.ts (undo/redo). The rules are not trusted to agree with Python
// by hand: field rules come from the shipped JSON Schema (rules.ts), and
// js/tests/rules-fixture.test.ts replays a few hundred cases generated from the
// Python model (scripts/generate_rules_fixture.py) through `check` and asserts the
// same verdict, edit as applied and document after.
import type { AnyModel } from "@anywidget/types";

import { EditChecker, type Verdict } from "./edit-checker";
import { UndoHistory } from "./local-history";
import { JourneyStore } from "./store";
import type { Edit, FrontMessage, KernelMessage, WidgetTraits } from "./types";

// biome-ignore lint/suspicious/noExplicitAny: AnyModel's own callback type takes any arguments
type Handler = (...args: any[]) => void;

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
  private readonly checker: EditChecker;
  private readonly undoHistory = new UndoHistory();
  private readonly changeListeners = new Set<() => void>();
  private readonly latency: number;

  constructor(options: LocalKernelOptions) {
    this.kernel = JourneyStore.fromDoc(options.doc);
    this.checker = new EditChecker(this.kernel);
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
    return this.undoHistory.canUndo;
  }

  get canRedo(): boolean {
    return this.undoHistory.canRedo;
  }

  /**
   * What the Python model would do with `edit` on the kernel's copy: apply it
   * (returning the edit as applied, ids generated and positions resolved, and its
   * inverse) or refuse it, leaving the copy unchanged.
   */
  check(edit: unknown): Verdict {
    return this.checker.check(edit);
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
            msg.ids.filter(
              (id) => typeof id === "string" && ["card", "touchpoint"].includes(this.kernel.kind(id) ?? ""),
            ),
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
    const verdict = this.check(edit);
    if (!verdict.ok) {
      this.set("error", verdict.reason);
      this.reply({ type: "reject", seq, reason: verdict.reason });
      return;
    }
    const { applied, inverse } = verdict;
    this.undoHistory.record(applied, inverse);
    this.state._version += 1;
    if (this.state.error) this.set("error", "");
    this.reply({ type: "ack", seq, edit: applied, version: this.state._version });
    this.changed();
  }

  private history(kind: "undo" | "redo"): void {
    if (this.state.readonly) return;
    let step: Edit | null;
    try {
      step = this.undoHistory.step(kind, (edit) => this.kernel.apply(edit));
    } catch (err) {
      this.reply({ type: "status", message: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (!step) {
      this.reply({ type: "status", message: `nothing to ${kind}` });
      return;
    }
    this.state._version += 1;
    this.reply({ type: "edit", edit: step, version: this.state._version });
    this.changed();
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
