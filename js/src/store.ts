// The browser's copy of a journey map: entities indexed by id and ordered per
// scope, like journeywidgets/store.py, so that applying an edit costs the size
// of two scopes and not of the map. Edits are applied mechanically: the kernel
// validates every edit and answers with an ack or a reject, so this file only
// needs to know what each edit does, and how to undo it (for rollback).
import type {
  AddEdit,
  Card,
  Edit,
  Entity,
  Id,
  JourneyDoc,
  Kind,
  Lane,
  MoveEdit,
  RemoveEdit,
  Scale,
  Stage,
  Touchpoint,
  UpdateEdit,
} from "./types";

const LISTS = ["personas", "stages", "touchpoints", "lanes", "cards"] as const;

/** Thrown when an edit cannot apply to this copy (the kernel would reject it too). */
export class StoreError extends Error {}

/** What an edit touched, so views redraw only that. */
export class Dirty {
  /** The whole document was replaced. */
  all = false;
  /** Columns or rows were added, removed or reordered. */
  layout = false;
  /** Map fields (title, scale...). */
  info = false;
  /** The emotion curve. */
  curve = false;
  /** Cells whose cards changed (keys from cellKey). */
  readonly cells = new Set<string>();
  /** Touchpoints, stages and lanes whose headers changed. */
  readonly touchpoints = new Set<Id>();
  readonly stages = new Set<Id>();
  readonly lanes = new Set<Id>();

  get empty(): boolean {
    return (
      !this.all &&
      !this.layout &&
      !this.info &&
      !this.curve &&
      this.cells.size === 0 &&
      this.touchpoints.size === 0 &&
      this.stages.size === 0 &&
      this.lanes.size === 0
    );
  }
}

/** The key of the cell (touchpoint, lane); length-prefixed so any id is safe. */
export function cellKey(touchpoint: Id, lane: Id): string {
  return `${touchpoint.length}:${touchpoint}|${lane}`;
}

export const DEFAULT_SCALE: Scale = { min: -3, max: 3, neutral: 0, step: 1 };

export class JourneyStore {
  info: Record<string, unknown> = {};
  readonly entities = new Map<Id, Entity>();
  readonly kinds = new Map<Id, Kind>();
  readonly stages: Id[] = [];
  readonly lanes: Id[] = [];
  readonly personas: Id[] = [];
  /** Touchpoint ids of each stage, in order. */
  readonly touchpoints = new Map<Id, Id[]>();
  /** Card ids of each cell, in order. */
  readonly cells = new Map<string, Id[]>();

  static fromDoc(doc: JourneyDoc | null | undefined): JourneyStore {
    const store = new JourneyStore();
    const source = doc ?? {};
    for (const [key, value] of Object.entries(source)) {
      if (!(LISTS as readonly string[]).includes(key)) store.info[key] = value;
    }
    const add = (kind: Kind, items: unknown) => {
      if (!Array.isArray(items)) return;
      for (const item of items as Entity[]) {
        if (item && typeof item.id === "string" && !store.entities.has(item.id)) {
          store.insert(kind, item, null);
        }
      }
    };
    add("persona", source.personas);
    add("stage", source.stages);
    add("lane", source.lanes);
    add("touchpoint", source.touchpoints);
    add("card", source.cards);
    return store;
  }

  /** The document in map order, as the kernel writes it (entities are shared, not copied). */
  toDoc(): JourneyDoc {
    const ents = this.entities;
    const journey = this.journey();
    const cards: Entity[] = [];
    for (const tp of journey) {
      for (const lane of this.lanes) {
        const cell = this.cells.get(cellKey(tp, lane));
        if (cell) for (const id of cell) cards.push(ents.get(id)!);
      }
    }
    return {
      ...this.info,
      personas: this.personas.map((id) => ents.get(id)!),
      stages: this.stages.map((id) => ents.get(id) as Stage),
      touchpoints: journey.map((id) => ents.get(id) as Touchpoint),
      lanes: this.lanes.map((id) => ents.get(id) as Lane),
      cards: cards as Card[],
    };
  }

  // ------------------------------------------------------------------ reading
  get scale(): Scale {
    const s = this.info["scale"] as Partial<Scale> | undefined;
    return { ...DEFAULT_SCALE, ...(s ?? {}) } as Scale;
  }

  get<T extends Entity = Entity>(id: Id): T | undefined {
    return this.entities.get(id) as T | undefined;
  }

  kind(id: Id): Kind | undefined {
    return this.kinds.get(id);
  }

  /** Touchpoint ids in journey order. */
  journey(): Id[] {
    const out: Id[] = [];
    for (const stage of this.stages) {
      const tps = this.touchpoints.get(stage);
      if (tps) out.push(...tps);
    }
    return out;
  }

  cell(touchpoint: Id, lane: Id): readonly Id[] {
    return this.cells.get(cellKey(touchpoint, lane)) ?? [];
  }

  cardCount(): number {
    let n = 0;
    for (const cell of this.cells.values()) n += cell.length;
    return n;
  }

  /** The ordered list an entity belongs to (created when missing unless `peek`). */
  scope(entity: Entity, kind: Kind, peek = false): Id[] {
    switch (kind) {
      case "card": {
        const card = entity as Card;
        const key = cellKey(card.touchpoint, card.lane);
        let list = this.cells.get(key);
        if (!list) {
          list = [];
          if (!peek) this.cells.set(key, list);
        }
        return list;
      }
      case "touchpoint": {
        const stage = (entity as Touchpoint).stage;
        let list = this.touchpoints.get(stage);
        if (!list) {
          list = [];
          if (!peek) this.touchpoints.set(stage, list);
        }
        return list;
      }
      case "stage":
        return this.stages;
      case "lane":
        return this.lanes;
      case "persona":
        return this.personas;
    }
  }

  position(id: Id): number {
    const entity = this.entities.get(id);
    const kind = this.kinds.get(id);
    if (!entity || !kind) return -1;
    return this.scope(entity, kind, true).indexOf(id);
  }

  cardsOfTouchpoint(tp: Id): Id[] {
    return this.lanes.flatMap((lane) => this.cell(tp, lane));
  }

  cardsOfLane(lane: Id): Id[] {
    return this.journey().flatMap((tp) => this.cell(tp, lane));
  }

  // ------------------------------------------------------------------ primitives
  private insert(kind: Kind, entity: Entity, index: number | null | undefined): number {
    const scope = this.scope(entity, kind);
    const at = index == null || index > scope.length ? scope.length : Math.max(0, index);
    scope.splice(at, 0, entity.id);
    this.entities.set(entity.id, entity);
    this.kinds.set(entity.id, kind);
    if (kind === "stage" && !this.touchpoints.has(entity.id)) this.touchpoints.set(entity.id, []);
    return at;
  }

  /** Take an entity out of its scope; `moving` keeps what it holds (a stage's touchpoints). */
  private delete(id: Id, moving = false): number {
    const entity = this.entities.get(id)!;
    const kind = this.kinds.get(id)!;
    const scope = this.scope(entity, kind, true);
    const pos = scope.indexOf(id);
    if (pos >= 0) scope.splice(pos, 1);
    this.entities.delete(id);
    this.kinds.delete(id);
    if (kind === "stage" && !moving) this.touchpoints.delete(id);
    if (kind === "card" && scope.length === 0) {
      const card = entity as Card;
      this.cells.delete(cellKey(card.touchpoint, card.lane));
    }
    return pos;
  }

  // ------------------------------------------------------------------ edits
  /**
   * Apply `edit` and return its inverse. Marks what changed in `dirty`.
   * Throws StoreError, leaving the store unchanged, when the edit cannot apply.
   */
  apply(edit: Edit, dirty: Dirty = new Dirty()): Edit {
    switch (edit.op) {
      case "add":
        return this.applyAdd(edit, dirty);
      case "update":
        return this.applyUpdate(edit, dirty);
      case "move":
        return this.applyMove(edit, dirty);
      case "remove":
        return this.applyRemove(edit, dirty);
      case "set_emotion": {
        const tp = this.require(edit.id);
        if (this.kinds.get(edit.id) !== "touchpoint") {
          throw new StoreError(`${edit.id} is not a touchpoint`);
        }
        const old = (tp as Touchpoint).emotion ?? null;
        this.entities.set(edit.id, { ...tp, emotion: edit.value });
        dirty.curve = true;
        dirty.touchpoints.add(edit.id);
        return { op: "set_emotion", id: edit.id, value: old };
      }
      case "batch": {
        const inverses: Edit[] = [];
        try {
          for (const step of edit.edits) inverses.push(this.apply(step, dirty));
        } catch (err) {
          for (const undo of inverses.reverse()) this.apply(undo, dirty);
          throw err;
        }
        return { op: "batch", edits: inverses.reverse(), label: edit.label ?? "" };
      }
      default:
        throw new StoreError(`unknown edit ${(edit as { op?: unknown }).op}`);
    }
  }

  private require(id: Id): Entity {
    const entity = this.entities.get(id);
    if (!entity) throw new StoreError(`there is no entity with id ${JSON.stringify(id)}`);
    return entity;
  }

  private mark(kind: Kind, entity: Entity, dirty: Dirty): void {
    switch (kind) {
      case "card": {
        const card = entity as Card;
        dirty.cells.add(cellKey(card.touchpoint, card.lane));
        break;
      }
      case "touchpoint":
      case "stage":
      case "lane":
        dirty.layout = true;
        dirty.curve = true;
        break;
      case "persona":
        dirty.info = true;
        break;
    }
  }

  private applyAdd(edit: AddEdit, dirty: Dirty): Edit {
    const item = edit.item as Entity;
    if (typeof item.id !== "string" || item.id === "") {
      throw new StoreError("an added item needs an id in the browser's copy");
    }
    if (this.entities.has(item.id)) {
      throw new StoreError(`id ${JSON.stringify(item.id)} is already used`);
    }
    if (edit.kind === "touchpoint" && this.kinds.get((item as Touchpoint).stage) !== "stage") {
      throw new StoreError(`no stage ${JSON.stringify((item as Touchpoint).stage)}`);
    }
    if (edit.kind === "card") {
      const card = item as Card;
      if (this.kinds.get(card.touchpoint) !== "touchpoint" || this.kinds.get(card.lane) !== "lane") {
        throw new StoreError(`no cell ${JSON.stringify([card.touchpoint, card.lane])}`);
      }
    }
    this.insert(edit.kind, item, edit.index);
    this.mark(edit.kind, item, dirty);
    return { op: "remove", id: item.id };
  }

  private applyUpdate(edit: UpdateEdit, dirty: Dirty): Edit {
    if (edit.kind === "map") {
      const before: Record<string, unknown> = {};
      for (const key of Object.keys(edit.changes)) before[key] = this.info[key];
      this.info = { ...this.info, ...edit.changes };
      dirty.info = true;
      if ("scale" in edit.changes) dirty.curve = true;
      return { op: "update", kind: "map", changes: before };
    }
    const id = edit.id ?? "";
    const old = this.require(id);
    const kind = this.kinds.get(id)!;
    const before: Record<string, unknown> = {};
    for (const key of Object.keys(edit.changes)) before[key] = old[key];
    const updated: Entity = { ...old, ...edit.changes, id };
    this.entities.set(id, updated);
    if (kind === "card") this.mark(kind, updated, dirty);
    else if (kind === "touchpoint") {
      dirty.touchpoints.add(id);
      dirty.curve = true;
    } else if (kind === "stage") dirty.stages.add(id);
    else if (kind === "lane") dirty.lanes.add(id);
    else dirty.info = true;
    return { op: "update", id, changes: before };
  }

  private applyMove(edit: MoveEdit, dirty: Dirty): Edit {
    const old = this.require(edit.id);
    const kind = this.kinds.get(edit.id)!;
    let moved: Entity = old;
    let inverse: MoveEdit;
    const oldPos = this.position(edit.id);
    if (kind === "card") {
      const card = old as Card;
      const touchpoint = edit.touchpoint ?? card.touchpoint;
      const lane = edit.lane ?? card.lane;
      if (this.kinds.get(touchpoint) !== "touchpoint" || this.kinds.get(lane) !== "lane") {
        throw new StoreError(`no cell ${JSON.stringify([touchpoint, lane])}`);
      }
      moved = { ...card, touchpoint, lane };
      inverse = { op: "move", id: edit.id, index: oldPos, touchpoint: card.touchpoint, lane: card.lane };
    } else if (kind === "touchpoint") {
      const tp = old as Touchpoint;
      const stage = edit.stage ?? tp.stage;
      if (this.kinds.get(stage) !== "stage") {
        throw new StoreError(`no stage ${JSON.stringify(stage)}`);
      }
      moved = { ...tp, stage };
      inverse = { op: "move", id: edit.id, index: oldPos, stage: tp.stage };
    } else {
      inverse = { op: "move", id: edit.id, index: oldPos };
    }
    const target = this.scope(moved, kind, true).filter((i) => i !== edit.id);
    if (edit.index != null && edit.index > target.length) {
      throw new StoreError(`index ${edit.index} is past the end (${target.length})`);
    }
    this.mark(kind, old, dirty);
    this.delete(edit.id, true);
    this.insert(kind, moved, edit.index);
    this.mark(kind, moved, dirty);
    return inverse;
  }

  private applyRemove(edit: RemoveEdit, dirty: Dirty): Edit {
    const entity = this.require(edit.id);
    const kind = this.kinds.get(edit.id)!;
    let children: Id[] = [];
    if (kind === "stage") children = [...(this.touchpoints.get(edit.id) ?? [])];
    else if (kind === "touchpoint") children = this.cardsOfTouchpoint(edit.id);
    else if (kind === "lane") children = this.cardsOfLane(edit.id);

    const steps: Edit[] = [];
    if (children.length > 0) {
      if (edit.rehome != null) {
        const field = kind as "stage" | "touchpoint" | "lane";
        for (const child of children) steps.push({ op: "move", id: child, [field]: edit.rehome });
      } else if (edit.cascade) {
        for (const child of children) steps.push({ op: "remove", id: child, cascade: true });
      } else {
        throw new StoreError(`${kind} ${JSON.stringify(edit.id)} still holds content`);
      }
    }
    if (this.info["persona"] === edit.id) {
      steps.push({ op: "update", kind: "map", changes: { persona: null } });
    }
    let undoSteps: Edit | null = null;
    if (steps.length > 0) undoSteps = this.apply({ op: "batch", edits: steps }, dirty);
    this.mark(kind, entity, dirty);
    const pos = this.delete(edit.id);
    const add: AddEdit = { op: "add", kind, item: entity, index: pos };
    return undoSteps ? { op: "batch", edits: [add, undoSteps] } : add;
  }
}
