// Everything the mouse does, from the keyboard. Cards, touchpoints, stages and
// lanes are focusable (cards with a roving tabindex: one tab stop, arrows move
// between them). Space picks the focused item up, arrows move it (only the drop
// indicator moves), Space or Enter drops it as one edit, Escape cancels. Each
// step is announced in an aria-live region.
import type { ItemKind, MapView } from "./host";
import { indicate } from "./indicator";
import { labelOf } from "./layout";
import { describeMove, moveEdit, targetOf, type Target } from "./moves";
import { isTemporary } from "./session";
import type { Card, Id, Touchpoint } from "./types";

interface Picked {
  kind: ItemKind;
  id: Id;
  target: Target;
}

function isTextField(node: EventTarget | null): boolean {
  return (
    node instanceof HTMLInputElement ||
    node instanceof HTMLTextAreaElement ||
    node instanceof HTMLSelectElement ||
    (node instanceof HTMLElement && node.isContentEditable)
  );
}

export class KeyboardController {
  private picked: Picked | null = null;

  constructor(private readonly view: MapView) {}

  get pickedUp(): boolean {
    return this.picked !== null;
  }

  /** The map changed under a picked-up item: drop the pick-up if the item is gone. */
  storeChanged(): void {
    if (this.picked && !this.view.store.entities.has(this.picked.id)) this.cancel(false);
  }

  keyDown(e: KeyboardEvent): void {
    if (this.view.isEditing || e.defaultPrevented || isTextField(e.target)) return;
    const key = e.key;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && (key === "z" || key === "Z")) {
      if (e.shiftKey) this.view.redo();
      else this.view.undo();
      this.stop(e);
      return;
    }
    if (mod && (key === "y" || key === "Y")) {
      this.view.redo();
      this.stop(e);
      return;
    }
    if (this.picked) {
      this.movePicked(e);
      return;
    }
    const item = this.view.itemOf(e.target);
    if (!item || mod || e.altKey) return;
    switch (key) {
      case " ":
      case "Spacebar":
        this.pickUp(item.kind, item.id);
        break;
      case "Enter":
      case "F2":
        this.view.startEdit(item.kind, item.id);
        break;
      case "Delete":
      case "Backspace": {
        const selection = this.view.selection;
        this.view.deleteItems(selection.includes(item.id) && selection.length > 1 ? selection : [item.id]);
        break;
      }
      case "Escape":
        if (this.view.selection.length === 0) return; // let the notebook have it
        this.view.select([]);
        break;
      case "n":
      case "N":
      case "Insert":
        this.addNext(item.kind, item.id);
        break;
      case "ArrowUp":
      case "ArrowDown":
      case "ArrowLeft":
      case "ArrowRight":
        this.navigate(item.kind, item.id, key);
        break;
      default:
        return;
    }
    this.stop(e);
  }

  private stop(e: KeyboardEvent): void {
    e.preventDefault();
    e.stopPropagation();
  }

  // ------------------------------------------------------------------ adding
  private addNext(kind: ItemKind, id: Id): void {
    const { store } = this.view;
    if (kind === "card") {
      const card = store.get<Card>(id);
      if (card) this.view.addCard(card.touchpoint, card.lane, store.position(id) + 1);
    } else if (kind === "touchpoint") {
      const tp = store.get<Touchpoint>(id);
      if (tp) this.view.addTouchpoint(tp.stage, store.position(id) + 1);
    } else if (kind === "stage") {
      this.view.addTouchpoint(id);
    } else if (kind === "lane") {
      const first = store.journey()[0];
      if (first) this.view.addCard(first, id);
    }
  }

  // ------------------------------------------------------------------ moving focus
  private navigate(kind: ItemKind, id: Id, key: string): void {
    const next = this.neighbour(kind, id, key);
    if (next) this.view.focusItem(next.kind, next.id);
  }

  /** The item an arrow key goes to from an item, if any. */
  private neighbour(kind: ItemKind, id: Id, key: string): { kind: ItemKind; id: Id } | null {
    const { store } = this.view;
    const journey = store.journey();
    const go = (k: ItemKind, x: Id | undefined | null) => (x ? { kind: k, id: x } : null);
    const firstCardIn = (tp: Id): Id | undefined => {
      for (const lane of store.lanes) {
        const cell = store.cell(tp, lane);
        if (cell.length) return cell[0];
      }
      return undefined;
    };
    if (kind === "card") {
      const card = store.get<Card>(id);
      if (!card) return null;
      const cell = store.cell(card.touchpoint, card.lane);
      const i = cell.indexOf(id);
      const laneIndex = store.lanes.indexOf(card.lane);
      if (key === "ArrowUp") {
        if (i > 0) return go("card", cell[i - 1]);
        for (let l = laneIndex - 1; l >= 0; l--) {
          const above = store.cell(card.touchpoint, store.lanes[l]!);
          if (above.length) return go("card", above[above.length - 1]);
        }
        return go("touchpoint", card.touchpoint);
      }
      if (key === "ArrowDown") {
        if (i < cell.length - 1) return go("card", cell[i + 1]);
        for (let l = laneIndex + 1; l < store.lanes.length; l++) {
          const below = store.cell(card.touchpoint, store.lanes[l]!);
          if (below.length) return go("card", below[0]);
        }
        return null;
      }
      const step = key === "ArrowLeft" ? -1 : 1;
      for (let t = journey.indexOf(card.touchpoint) + step; t >= 0 && t < journey.length; t += step) {
        const next = store.cell(journey[t]!, card.lane);
        if (next.length) return go("card", next[Math.min(i, next.length - 1)]);
      }
      return null;
    }
    if (kind === "touchpoint") {
      const t = journey.indexOf(id);
      if (key === "ArrowLeft") return go("touchpoint", journey[t - 1]);
      if (key === "ArrowRight") return go("touchpoint", journey[t + 1]);
      if (key === "ArrowUp") return go("stage", store.get<Touchpoint>(id)?.stage);
      return go("card", firstCardIn(id));
    }
    if (kind === "stage") {
      const s = store.stages.indexOf(id);
      if (key === "ArrowLeft") return go("stage", store.stages[s - 1]);
      if (key === "ArrowRight") return go("stage", store.stages[s + 1]);
      if (key === "ArrowDown") return go("touchpoint", store.touchpoints.get(id)?.[0]);
      return null;
    }
    const l = store.lanes.indexOf(id);
    if (key === "ArrowUp") return go("lane", store.lanes[l - 1]);
    if (key === "ArrowDown") return go("lane", store.lanes[l + 1]);
    if (key === "ArrowRight") {
      for (const tp of journey) {
        const cell = store.cell(tp, id);
        if (cell.length) return go("card", cell[0]);
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ pick up, move, drop
  pickUp(kind: ItemKind, id: Id): void {
    const { store } = this.view;
    if (this.view.readonly) {
      this.view.announce("This map is read-only.");
      return;
    }
    if (isTemporary(id)) return;
    const target = targetOf(store, kind, id);
    if (!target) return;
    this.picked = { kind, id, target };
    this.view.element(kind, id)?.classList.add("jw-picked");
    this.view.root.classList.add("jw-dragging");
    indicate(this.view, target, id);
    const how =
      kind === "card"
        ? "Arrow keys move it between positions, lanes and touchpoints"
        : kind === "lane"
          ? "Up and down arrows move it"
          : "Left and right arrows move it";
    this.view.announce(
      `Picked up ${kind} \u201c${labelOf(store.get(id), this.view.language)}\u201d. ${how}; ` +
        "Space drops it, Escape cancels.",
    );
  }

  private movePicked(e: KeyboardEvent): void {
    const picked = this.picked!;
    switch (e.key) {
      case " ":
      case "Spacebar":
      case "Enter":
        this.stop(e);
        this.drop();
        return;
      case "Escape":
        this.stop(e);
        this.cancel(true);
        return;
      case "Tab":
        this.cancel(true);
        return;
      case "ArrowUp":
      case "ArrowDown":
      case "ArrowLeft":
      case "ArrowRight":
        break;
      default:
        this.stop(e);
        return;
    }
    this.stop(e);
    const next = this.step(picked, e.key);
    if (!next) return;
    picked.target = next;
    // A wide map draws only the columns near the view: draw the target's first.
    if (next.kind === "card") this.view.reveal?.("touchpoint", next.touchpoint);
    indicate(this.view, next, picked.id);
    this.announceTarget(picked);
  }

  private step(picked: Picked, key: string): Target | null {
    const { store } = this.view;
    const t = picked.target;
    const without = (ids: readonly Id[]): Id[] => ids.filter((x) => x !== picked.id);
    if (t.kind === "card") {
      const size = (tp: Id, lane: Id) => without(store.cell(tp, lane)).length;
      const lanes = store.lanes;
      const l = lanes.indexOf(t.lane);
      if (key === "ArrowUp") {
        if (t.index > 0) return { ...t, index: t.index - 1 };
        const lane = lanes[l - 1];
        return lane ? { ...t, lane, index: size(t.touchpoint, lane) } : null;
      }
      if (key === "ArrowDown") {
        if (t.index < size(t.touchpoint, t.lane)) return { ...t, index: t.index + 1 };
        const lane = lanes[l + 1];
        return lane ? { ...t, lane, index: 0 } : null;
      }
      const journey = store.journey();
      const tp = journey[journey.indexOf(t.touchpoint) + (key === "ArrowLeft" ? -1 : 1)];
      return tp ? { ...t, touchpoint: tp, index: Math.min(t.index, size(tp, t.lane)) } : null;
    }
    if (t.kind === "touchpoint") {
      if (key === "ArrowUp" || key === "ArrowDown") return null;
      // Every place a touchpoint can go, in journey order, stage by stage.
      const slots: { stage: Id; index: number }[] = [];
      for (const stage of store.stages) {
        const n = without(store.touchpoints.get(stage) ?? []).length;
        for (let i = 0; i <= n; i++) slots.push({ stage, index: i });
      }
      const here = slots.findIndex((s) => s.stage === t.stage && s.index === t.index);
      const slot = slots[here + (key === "ArrowLeft" ? -1 : 1)];
      return slot ? { kind: "touchpoint", ...slot } : null;
    }
    const horizontal = t.kind === "stage";
    const back = horizontal ? "ArrowLeft" : "ArrowUp";
    const forward = horizontal ? "ArrowRight" : "ArrowDown";
    const count = (t.kind === "stage" ? store.stages : store.lanes).length - 1;
    if (key === back && t.index > 0) return { ...t, index: t.index - 1 };
    if (key === forward && t.index < count) return { ...t, index: t.index + 1 };
    return null;
  }

  private announceTarget(picked: Picked): void {
    const { store } = this.view;
    const lang = this.view.language;
    const t = picked.target;
    const without = (ids: readonly Id[]) => ids.filter((x) => x !== picked.id);
    let text: string;
    if (t.kind === "card") {
      const n = without(store.cell(t.touchpoint, t.lane)).length + 1;
      text = `${labelOf(store.get(t.lane), lang)} at ${labelOf(store.get(t.touchpoint), lang)}, position ${
        t.index + 1
      } of ${n}.`;
    } else if (t.kind === "touchpoint") {
      const n = without(store.touchpoints.get(t.stage) ?? []).length + 1;
      text = `Stage ${labelOf(store.get(t.stage), lang)}, position ${t.index + 1} of ${n}.`;
    } else {
      const n = (t.kind === "stage" ? store.stages : store.lanes).length;
      text = `Position ${t.index + 1} of ${n}.`;
    }
    if (t.kind === "card") {
      this.view.cellElement(t.touchpoint, t.lane)?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
    this.view.announce(text);
  }

  private release(): Picked | null {
    const picked = this.picked;
    this.picked = null;
    if (!picked) return null;
    this.view.element(picked.kind, picked.id)?.classList.remove("jw-picked");
    this.view.root.classList.remove("jw-dragging");
    indicate(this.view, null, picked.id);
    return picked;
  }

  private drop(): void {
    const picked = this.release();
    if (!picked) return;
    const edit = moveEdit(this.view.store, picked.kind, picked.id, picked.target);
    if (!edit) {
      this.view.announce("Dropped where it was.");
      return;
    }
    if (this.view.commit(edit)) {
      this.view.announce(`Dropped. ${describeMove(this.view.store, this.view.language, picked.kind, picked.id)}`);
      this.view.focusItem(picked.kind, picked.id);
    }
  }

  cancel(announce: boolean): void {
    const picked = this.release();
    if (picked && announce) {
      this.view.announce("Move cancelled.");
      this.view.focusItem(picked.kind, picked.id);
    }
  }
}
