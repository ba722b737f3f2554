// Moves as data: where a dragged or picked-up item would land (a Target), the
// edit that puts it there, and how to say where it went. Shared by the mouse
// (drag.ts) and the keyboard (keyboard.ts); no DOM.
import type { ItemKind } from "./host";
import { labelOf } from "./layout";
import type { JourneyStore } from "./store";
import type { Card, Edit, Id, Touchpoint } from "./types";

export type Target =
  | { kind: "card"; touchpoint: Id; lane: Id; index: number }
  | { kind: "touchpoint"; stage: Id; index: number }
  | { kind: "stage"; index: number }
  | { kind: "lane"; index: number };

/** The edit that moves `id` to `target`, or null when it would not change anything. */
export function moveEdit(store: JourneyStore, kind: ItemKind, id: Id, target: Target): Edit | null {
  const position = store.position(id);
  if (kind === "card" && target.kind === "card") {
    const card = store.get<Card>(id);
    if (!card) return null;
    if (card.touchpoint === target.touchpoint && card.lane === target.lane && position === target.index) {
      return null;
    }
    return { op: "move", id, touchpoint: target.touchpoint, lane: target.lane, index: target.index };
  }
  if (kind === "touchpoint" && target.kind === "touchpoint") {
    const tp = store.get<Touchpoint>(id);
    if (!tp || (tp.stage === target.stage && position === target.index)) return null;
    return { op: "move", id, stage: target.stage, index: target.index };
  }
  if ((kind === "stage" && target.kind === "stage") || (kind === "lane" && target.kind === "lane")) {
    if (position === target.index) return null;
    return { op: "move", id, index: target.index };
  }
  return null;
}

/** Where an item is a move would start from. */
export function targetOf(store: JourneyStore, kind: ItemKind, id: Id): Target | null {
  const index = store.position(id);
  if (kind === "card") {
    const card = store.get<Card>(id);
    return card ? { kind: "card", touchpoint: card.touchpoint, lane: card.lane, index } : null;
  }
  if (kind === "touchpoint") {
    const tp = store.get<Touchpoint>(id);
    return tp ? { kind: "touchpoint", stage: tp.stage, index } : null;
  }
  return { kind, index };
}

/** "Card “X”: Actions at Website, position 2 of 3." */
export function describeMove(store: JourneyStore, language: string | null, kind: ItemKind, id: Id): string {
  const name = (x: Id | undefined): string => (x === undefined ? "" : labelOf(store.get(x), language));
  const quoted = `\u201c${name(id)}\u201d`;
  const position = store.position(id) + 1;
  if (kind === "card") {
    const card = store.get<Card>(id);
    if (!card) return "";
    const size = store.cell(card.touchpoint, card.lane).length;
    return `Card ${quoted}: ${name(card.lane)} at ${name(card.touchpoint)}, position ${position} of ${size}.`;
  }
  if (kind === "touchpoint") {
    const tp = store.get<Touchpoint>(id);
    if (!tp) return "";
    const size = store.touchpoints.get(tp.stage)?.length ?? 0;
    return `Touchpoint ${quoted}: stage ${name(tp.stage)}, position ${position} of ${size}.`;
  }
  const size = kind === "stage" ? store.stages.length : store.lanes.length;
  return `${kind === "stage" ? "Stage" : "Lane"} ${quoted}: position ${position} of ${size}.`;
}
