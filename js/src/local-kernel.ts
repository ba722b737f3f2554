// A widget model that answers the widget's messages the way the kernel does
// (src/journeywidgets/widget.py), for a standalone page with no kernel
// (journeywidgets.export.to_html). It keeps its own copy of the map, applies
// each edit the widget sends (generating ids as the Python model would and
// refusing what the model would refuse), acknowledges it, and keeps an
// undo/redo history, so the widget's optimistic edits and rollbacks work
// unchanged. The document it holds is what "Download JSON" saves.
//
// Its rules are not trusted to agree with Python by hand: field rules come from
// the shipped JSON Schema (rules.ts), and js/tests/rules-fixture.test.ts replays a
// few hundred cases generated from the Python model (scripts/generate_rules_fixture.py)
// through `check` and asserts the same verdict, edit as applied and document after.
import type { AnyModel } from "@anywidget/types";

import { entityProblem, mapProblem, withDefaults } from "./rules";
import { JourneyStore, StoreError } from "./store";
import type {
  AddEdit,
  BatchEdit,
  Edit,
  FrontMessage,
  Id,
  Kind,
  KernelMessage,
  MoveEdit,
  RemoveEdit,
  SetEmotionEdit,
  Touchpoint,
  UpdateEdit,
  WidgetTraits,
} from "./types";

// biome-ignore lint/suspicious/noExplicitAny: AnyModel's own callback type takes any arguments
type Handler = (...args: any[]) => void;

// ------------------------------------------------------------------------ ids
// The same slugs as journeywidgets/ids.py: "I use and pay" -> "i_use_and_pay".
const FOLD: Record<string, string> = { ł: "l", Ł: "L", ß: "ss", ø: "o", Ø: "O", đ: "d", Đ: "D" };

export function slugify(text: string, maxLength = 40): string {
  const folded = Array.from(text, (c) => FOLD[c] ?? c)
    .join("")
    .normalize("NFKD");
  // ASCII only, as Python's .encode("ascii", "ignore") keeps
  const ascii = Array.from(folded)
    .filter((c) => c.charCodeAt(0) < 0x80)
    .join("")
    .toLowerCase();
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

/** An edit the Python model would refuse: `field` is the field it names (or null). */
export class RuleError extends StoreError {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(field ? `field '${field}': ${message}` : message);
  }
}

/** What the Python model does with an edit: applied (as Python records it) or refused. */
export type Verdict = { ok: true; applied: Edit; inverse: Edit } | { ok: false; field: string | null; reason: string };

const KINDS: readonly Kind[] = ["persona", "stage", "touchpoint", "lane", "card"];
const OPS = ["add", "update", "move", "remove", "set_emotion", "batch"];
/** Fields that place an entity in a scope: changed by `move`, never by `update`. */
const PLACEMENT: Partial<Record<Kind, readonly string[]>> = { touchpoint: ["stage"], card: ["touchpoint", "lane"] };
/** What each kind refers to: (field, kind it must name). */
const REFERENCES: Partial<Record<Kind, readonly [string, Kind][]>> = {
  touchpoint: [["stage", "stage"]],
  card: [
    ["touchpoint", "touchpoint"],
    ["lane", "lane"],
  ],
};
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): boolean {
  return value == null || (typeof value === "number" && Number.isInteger(value) && value >= 0);
}

function isText(value: unknown): boolean {
  return typeof value === "string" && !/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
}

/**
 * The envelope of an edit (its op and the types of its own fields), checked before
 * anything is applied, as pydantic parses it: the error names the field, inside a
 * batch as `edits.<n>.<field>`.
 */
function parse(edit: unknown, path = ""): void {
  const fail = (field: string, message: string): never => {
    throw new RuleError(path + field, message);
  };
  if (!isObject(edit) || !OPS.includes(edit["op"] as string)) fail("op", "not an edit");
  const e = edit as Record<string, unknown>;
  const allowed: Record<string, string[]> = {
    add: ["op", "kind", "item", "index"],
    update: ["op", "id", "kind", "changes"],
    move: ["op", "id", "index", "stage", "touchpoint", "lane"],
    remove: ["op", "id", "cascade", "rehome"],
    set_emotion: ["op", "id", "value"],
    batch: ["op", "edits", "label"],
  };
  const optionalText = (field: string) => {
    if (e[field] != null && !isText(e[field])) fail(field, "must be text");
  };
  switch (e["op"]) {
    case "add":
      if (!KINDS.includes(e["kind"] as Kind)) fail("kind", "not an entity kind");
      if (!isObject(e["item"])) fail("item", "must be an object");
      if (!isIndex(e["index"])) fail("index", "must be a whole number from 0");
      break;
    case "update":
      optionalText("id");
      if (e["kind"] != null && e["kind"] !== "map") fail("kind", "must be 'map'");
      if (!isObject(e["changes"])) fail("changes", "must be an object");
      break;
    case "move":
      if (!isText(e["id"])) fail("id", "must be text");
      if (!isIndex(e["index"])) fail("index", "must be a whole number from 0");
      for (const field of ["stage", "touchpoint", "lane"]) optionalText(field);
      break;
    case "remove":
      if (!isText(e["id"])) fail("id", "must be text");
      if (e["cascade"] !== undefined && typeof e["cascade"] !== "boolean") fail("cascade", "must be true or false");
      optionalText("rehome");
      break;
    case "set_emotion":
      if (!isText(e["id"])) fail("id", "must be text");
      if (!("value" in e)) fail("value", "missing");
      if (e["value"] !== null && (typeof e["value"] !== "number" || !Number.isFinite(e["value"]))) {
        fail("value", "must be a number or null");
      }
      break;
    case "batch":
      if (!Array.isArray(e["edits"])) fail("edits", "must be a list");
      (e["edits"] as unknown[]).forEach((step, n) => {
        parse(step, `${path}edits.${n}.`);
      });
      if (e["label"] !== undefined && !isText(e["label"])) fail("label", "must be text");
      break;
  }
  for (const key of Object.keys(e)) if (!allowed[e["op"] as string]!.includes(key)) fail(key, "unknown field");
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
   * What the Python model would do with `edit` on the kernel's copy: apply it
   * (returning the edit as applied, ids generated and positions resolved, and its
   * inverse) or refuse it, leaving the copy unchanged.
   */
  check(edit: unknown): Verdict {
    const counter = this.cardCounter;
    try {
      parse(edit);
      const [applied, inverse] = this.applyChecked(edit as Edit);
      return { ok: true, applied, inverse };
    } catch (err) {
      this.cardCounter = counter;
      const field = err instanceof RuleError ? err.field : null;
      return { ok: false, field, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Apply one (parsed) edit after checking it; a batch is all or nothing. */
  private applyChecked(edit: Edit): [Edit, Edit] {
    switch (edit.op) {
      case "add":
        return this.add(edit);
      case "update":
        return edit.kind === "map" ? this.updateMap(edit) : this.update(edit);
      case "move":
        return this.move(edit);
      case "remove":
        return this.remove(edit);
      case "set_emotion":
        return this.setEmotion(edit);
      case "batch":
        return this.batch(edit);
    }
  }

  private entity(id: Id): [Kind, Record<string, unknown>] {
    const kind = this.kernel.kind(id);
    if (!kind) throw new RuleError("id", `there is no entity with id ${JSON.stringify(id)} in this map`);
    return [kind, this.kernel.get(id)!];
  }

  private references(kind: Kind, fields: Record<string, unknown>): void {
    for (const [field, want] of REFERENCES[kind] ?? []) {
      if (!(field in fields) || typeof fields[field] !== "string") continue;
      const found = this.kernel.kind(fields[field] as string);
      if (found !== want) throw new RuleError(field, `${JSON.stringify(fields[field])} is not a ${want} of this map`);
    }
  }

  private onScale(fields: Record<string, unknown>, scale = this.kernel.scale): void {
    const emotion = fields["emotion"];
    if (typeof emotion === "number" && !(scale.min <= emotion && emotion <= scale.max)) {
      throw new RuleError("emotion", `${emotion} is outside the map's scale [${scale.min}, ${scale.max}]`);
    }
    const measured = fields["measured"];
    const value = isObject(measured) ? measured["emotion"] : null;
    const slack = 1e-9 * (scale.max - scale.min);
    if (typeof value === "number" && !(scale.min - slack <= value && value <= scale.max + slack)) {
      throw new RuleError("measured.emotion", `${value} is outside the map's scale [${scale.min}, ${scale.max}]`);
    }
  }

  private freshId(kind: Kind, name: unknown): Id {
    const taken = (id: string): boolean => this.kernel.entities.has(id);
    if (kind === "card" || typeof name !== "string" || !slugify(name)) {
      // counted ids go on from the last number given, like the Python store
      const start = kind === "card" ? this.cardCounter : 1;
      let n = start;
      while (taken(`${kind}_${n}`)) n += 1;
      if (kind === "card") this.cardCounter = n + 1;
      return `${kind}_${n}`;
    }
    return newId(kind, name, taken);
  }

  private add(edit: AddEdit): [Edit, Edit] {
    const item: Record<string, unknown> = { ...edit.item };
    if (item["id"] == null) item["id"] = this.freshId(edit.kind, item["name"]);
    const id = item["id"];
    if (typeof id === "string" && this.kernel.entities.has(id)) {
      throw new RuleError("id", `already used by a ${this.kernel.kind(id)}`);
    }
    const problem = entityProblem(edit.kind, item);
    if (problem) throw new RuleError(problem.field, problem.message);
    this.references(edit.kind, item);
    if (edit.kind === "touchpoint") this.onScale(item);
    const entity = withDefaults(edit.kind, item) as { id: Id };
    const size = this.kernel.scope(entity, edit.kind, true).length;
    const index = edit.index ?? size;
    if (index > size) throw new RuleError("index", `${index} is past the end (it can be 0 to ${size})`);
    const applied: AddEdit = { op: "add", kind: edit.kind, item: entity, index };
    const inverse = this.kernel.apply(applied);
    return [applied, { ...(inverse as RemoveEdit), cascade: false, rehome: null }];
  }

  private update(edit: UpdateEdit): [Edit, Edit] {
    if (edit.id == null) throw new RuleError("id", "an update needs an 'id'");
    const [kind, old] = this.entity(edit.id);
    for (const field of Object.keys(edit.changes)) {
      if (field === "id") throw new RuleError("id", "ids cannot change");
      if (PLACEMENT[kind]?.includes(field)) throw new RuleError(field, "use a move edit to change it");
    }
    const merged = { ...old, ...edit.changes };
    const problem = entityProblem(kind, merged);
    if (problem) throw new RuleError(problem.field, problem.message);
    if (kind === "touchpoint") this.onScale(merged);
    const full = withDefaults(kind, merged);
    const oldFull = withDefaults(kind, old);
    const changes: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(edit.changes)) {
      changes[key] = full[key];
      before[key] = oldFull[key];
    }
    const applied: UpdateEdit = { op: "update", id: edit.id, kind: null, changes };
    this.kernel.apply(applied);
    return [applied, { op: "update", id: edit.id, kind: null, changes: before }];
  }

  private updateMap(edit: UpdateEdit): [Edit, Edit] {
    if (edit.id != null) throw new RuleError("kind", "kind='map' changes the map's own fields; leave out the id");
    if ("id" in edit.changes) throw new RuleError("id", "a map's id cannot change");
    const info = withDefaults("map", this.kernel.info);
    const merged = { ...info, ...edit.changes };
    const problem = mapProblem(merged);
    if (problem) throw new RuleError(problem.field, problem.message);
    const persona = merged["persona"];
    if (persona != null && this.kernel.kind(persona as string) !== "persona") {
      throw new RuleError("persona", `${JSON.stringify(persona)} is not a persona of this map`);
    }
    const full = withDefaults("map", merged);
    if ("scale" in edit.changes) {
      const scale = full["scale"] as { min: number; max: number };
      for (const id of this.kernel.journey()) {
        try {
          this.onScale(this.kernel.get<Touchpoint>(id)!, { ...this.kernel.scale, ...scale });
        } catch {
          throw new RuleError("scale", `emotions of touchpoints fall outside [${scale.min}, ${scale.max}]`);
        }
      }
    }
    const changes: Record<string, unknown> = {};
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(edit.changes)) {
      changes[key] = full[key];
      before[key] = info[key] ?? null;
    }
    const applied: UpdateEdit = { op: "update", id: null, kind: "map", changes };
    this.kernel.apply(applied);
    return [applied, { op: "update", id: null, kind: "map", changes: before }];
  }

  private move(edit: MoveEdit): [Edit, Edit] {
    const [kind, old] = this.entity(edit.id);
    const allowed = PLACEMENT[kind] ?? [];
    const target: Record<string, unknown> = {};
    for (const field of ["stage", "touchpoint", "lane"] as const) {
      if (edit[field] == null) continue;
      if (!allowed.includes(field)) throw new RuleError(field, `a ${kind} cannot move to another ${field}`);
      target[field] = edit[field];
    }
    this.references(kind, target);
    const moved = { ...old, ...target } as { id: Id };
    const size = this.kernel.scope(moved, kind, true).filter((i) => i !== edit.id).length;
    const index = edit.index ?? size;
    if (index > size) throw new RuleError("index", `${index} is past the end (it can be 0 to ${size})`);
    const placement = (entity: Record<string, unknown>) => ({
      stage: allowed.includes("stage") ? (entity["stage"] as Id) : null,
      touchpoint: allowed.includes("touchpoint") ? (entity["touchpoint"] as Id) : null,
      lane: allowed.includes("lane") ? (entity["lane"] as Id) : null,
    });
    const inverse: MoveEdit = { op: "move", id: edit.id, index: this.kernel.position(edit.id), ...placement(old) };
    const applied: MoveEdit = { op: "move", id: edit.id, index, ...placement(moved) };
    this.kernel.apply(applied);
    return [applied, inverse];
  }

  private remove(edit: RemoveEdit): [Edit, Edit] {
    const [kind] = this.entity(edit.id);
    const cascade = edit.cascade ?? false;
    const rehome = edit.rehome ?? null;
    if (rehome != null) {
      if (cascade) throw new RuleError("rehome", "pass cascade=True or rehome, not both");
      if (!["stage", "touchpoint", "lane"].includes(kind)) throw new RuleError("rehome", `a ${kind} holds nothing`);
      if (rehome === edit.id) throw new RuleError("rehome", "cannot rehome into itself");
      if (this.kernel.kind(rehome) !== kind) {
        throw new RuleError("rehome", `${JSON.stringify(rehome)} is not a ${kind} of this map`);
      }
    }
    let holds = 0;
    if (kind === "stage") holds = this.kernel.touchpoints.get(edit.id)?.length ?? 0;
    else if (kind === "touchpoint") holds = this.kernel.cardsOfTouchpoint(edit.id).length;
    else if (kind === "lane") holds = this.kernel.cardsOfLane(edit.id).length;
    if (holds > 0 && !cascade && rehome == null) {
      throw new RuleError(null, `${kind} ${JSON.stringify(edit.id)} still holds content; pass cascade or rehome`);
    }
    const applied: RemoveEdit = { op: "remove", id: edit.id, cascade, rehome };
    const inverse = this.kernel.apply(applied);
    return [applied, inverse];
  }

  private setEmotion(edit: SetEmotionEdit): [Edit, Edit] {
    const [kind, old] = this.entity(edit.id);
    if (kind !== "touchpoint") throw new RuleError("emotion", "only touchpoints have an emotion");
    this.onScale({ emotion: edit.value });
    this.kernel.apply(edit);
    return [edit, { op: "set_emotion", id: edit.id, value: (old["emotion"] as number | null | undefined) ?? null }];
  }

  private batch(edit: BatchEdit): [Edit, Edit] {
    const done: [Edit, Edit][] = [];
    try {
      for (const step of edit.edits) done.push(this.applyChecked(step));
    } catch (err) {
      for (const [, undo] of done.reverse()) this.kernel.apply(undo);
      throw err;
    }
    const label = edit.label ?? "";
    return [
      { op: "batch", edits: done.map(([a]) => a), label },
      { op: "batch", edits: done.map(([, i]) => i).reverse(), label },
    ];
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
