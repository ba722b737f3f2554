// What the Python model does with an edit, for the standalone page's local model
// (local-kernel.ts): check it against the map's rules (field rules from the shipped
// JSON Schema via rules.ts; references, scale, placement and holdings here), and
// apply it to the store as Python records it (ids generated, positions resolved)
// with its inverse, or refuse it naming the field, leaving the store unchanged.
// js/tests/rules-fixture.test.ts replays cases generated from the Python model
// through `check` and asserts the same verdict, edit as applied and document after.
import { isObject, parseEdit, RuleError } from "./edit-envelope";
import { entityProblem, mapProblem, withDefaults } from "./rules";
import { newId, slugify } from "./slugs";
import type { JourneyStore } from "./store";
import type {
  AddEdit,
  BatchEdit,
  Edit,
  Id,
  Kind,
  MoveEdit,
  RemoveEdit,
  SetEmotionEdit,
  Touchpoint,
  UpdateEdit,
} from "./types";

/** What the Python model does with an edit: applied (as Python records it) or refused. */
export type Verdict = { ok: true; applied: Edit; inverse: Edit } | { ok: false; field: string | null; reason: string };

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

export class EditChecker {
  /** Counted card ids go on from the last number given, like the Python store's. */
  private cardCounter = 1;

  constructor(private readonly store: JourneyStore) {}

  /**
   * What the Python model would do with `edit` on the store: apply it (returning
   * the edit as applied, ids generated and positions resolved, and its inverse) or
   * refuse it, leaving the store unchanged.
   */
  check(edit: unknown): Verdict {
    const counter = this.cardCounter;
    try {
      parseEdit(edit);
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
    const kind = this.store.kind(id);
    if (!kind) throw new RuleError("id", `there is no entity with id ${JSON.stringify(id)} in this map`);
    return [kind, this.store.get(id)!];
  }

  private references(kind: Kind, fields: Record<string, unknown>): void {
    for (const [field, want] of REFERENCES[kind] ?? []) {
      if (!(field in fields) || typeof fields[field] !== "string") continue;
      const found = this.store.kind(fields[field] as string);
      if (found !== want) throw new RuleError(field, `${JSON.stringify(fields[field])} is not a ${want} of this map`);
    }
  }

  private onScale(fields: Record<string, unknown>, scale = this.store.scale): void {
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
    const taken = (id: string): boolean => this.store.entities.has(id);
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
    if (typeof id === "string" && this.store.entities.has(id)) {
      throw new RuleError("id", `already used by a ${this.store.kind(id)}`);
    }
    const problem = entityProblem(edit.kind, item);
    if (problem) throw new RuleError(problem.field, problem.message);
    this.references(edit.kind, item);
    if (edit.kind === "touchpoint") this.onScale(item);
    const entity = withDefaults(edit.kind, item) as { id: Id };
    const size = this.store.scope(entity, edit.kind, true).length;
    const index = edit.index ?? size;
    if (index > size) throw new RuleError("index", `${index} is past the end (it can be 0 to ${size})`);
    const applied: AddEdit = { op: "add", kind: edit.kind, item: entity, index };
    const inverse = this.store.apply(applied);
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
    this.store.apply(applied);
    return [applied, { op: "update", id: edit.id, kind: null, changes: before }];
  }

  private updateMap(edit: UpdateEdit): [Edit, Edit] {
    if (edit.id != null) throw new RuleError("kind", "kind='map' changes the map's own fields; leave out the id");
    if ("id" in edit.changes) throw new RuleError("id", "a map's id cannot change");
    const info = withDefaults("map", this.store.info);
    const merged = { ...info, ...edit.changes };
    const problem = mapProblem(merged);
    if (problem) throw new RuleError(problem.field, problem.message);
    const persona = merged["persona"];
    if (persona != null && this.store.kind(persona as string) !== "persona") {
      throw new RuleError("persona", `${JSON.stringify(persona)} is not a persona of this map`);
    }
    const full = withDefaults("map", merged);
    if ("scale" in edit.changes) {
      const scale = full["scale"] as { min: number; max: number };
      for (const id of this.store.journey()) {
        try {
          this.onScale(this.store.get<Touchpoint>(id)!, { ...this.store.scale, ...scale });
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
    this.store.apply(applied);
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
    const size = this.store.scope(moved, kind, true).filter((i) => i !== edit.id).length;
    const index = edit.index ?? size;
    if (index > size) throw new RuleError("index", `${index} is past the end (it can be 0 to ${size})`);
    const placement = (entity: Record<string, unknown>) => ({
      stage: allowed.includes("stage") ? (entity["stage"] as Id) : null,
      touchpoint: allowed.includes("touchpoint") ? (entity["touchpoint"] as Id) : null,
      lane: allowed.includes("lane") ? (entity["lane"] as Id) : null,
    });
    const inverse: MoveEdit = { op: "move", id: edit.id, index: this.store.position(edit.id), ...placement(old) };
    const applied: MoveEdit = { op: "move", id: edit.id, index, ...placement(moved) };
    this.store.apply(applied);
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
      if (this.store.kind(rehome) !== kind) {
        throw new RuleError("rehome", `${JSON.stringify(rehome)} is not a ${kind} of this map`);
      }
    }
    let holds = 0;
    if (kind === "stage") holds = this.store.touchpoints.get(edit.id)?.length ?? 0;
    else if (kind === "touchpoint") holds = this.store.cardsOfTouchpoint(edit.id).length;
    else if (kind === "lane") holds = this.store.cardsOfLane(edit.id).length;
    if (holds > 0 && !cascade && rehome == null) {
      throw new RuleError(null, `${kind} ${JSON.stringify(edit.id)} still holds content; pass cascade or rehome`);
    }
    const applied: RemoveEdit = { op: "remove", id: edit.id, cascade, rehome };
    const inverse = this.store.apply(applied);
    return [applied, inverse];
  }

  private setEmotion(edit: SetEmotionEdit): [Edit, Edit] {
    const [kind, old] = this.entity(edit.id);
    if (kind !== "touchpoint") throw new RuleError("emotion", "only touchpoints have an emotion");
    this.onScale({ emotion: edit.value });
    this.store.apply(edit);
    return [edit, { op: "set_emotion", id: edit.id, value: (old["emotion"] as number | null | undefined) ?? null }];
  }

  private batch(edit: BatchEdit): [Edit, Edit] {
    const done: [Edit, Edit][] = [];
    try {
      for (const step of edit.edits) done.push(this.applyChecked(step));
    } catch (err) {
      for (const [, undo] of done.reverse()) this.store.apply(undo);
      throw err;
    }
    const label = edit.label ?? "";
    return [
      { op: "batch", edits: done.map(([a]) => a), label },
      { op: "batch", edits: done.map(([, i]) => i).reverse(), label },
    ];
  }
}
