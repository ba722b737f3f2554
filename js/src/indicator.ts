// The drop marker: a bar showing where a dragged (drag.ts) or picked-up
// (keyboard.ts) item would land. Only its transform changes from frame to frame
// (no layout); size and visibility are written when they change.
import type { MapSurface } from "./host";
import type { Target } from "./moves";
import type { Id } from "./types";

/** Place the drop marker for `target` (null hides it); `moving` is the item being moved. */
export function indicate(view: MapSurface, target: Target | null, moving: Id): void {
  const ind = view.indicator;
  if (!target) {
    if (!ind.hidden) ind.hidden = true;
    return;
  }
  const grid = view.grid.getBoundingClientRect();
  const place = (x: number, y: number, w: number, h: number): void => {
    if (ind.hidden) ind.hidden = false;
    ind.style.transform = `translate(${x - grid.left}px, ${y - grid.top}px)`;
    const width = `${Math.round(Math.max(w, 3))}px`;
    const height = `${Math.round(Math.max(h, 3))}px`;
    if (ind.style.width !== width) ind.style.width = width;
    if (ind.style.height !== height) ind.style.height = height;
  };
  const { store } = view;
  const box = (kind: "card" | "touchpoint" | "stage" | "lane", id: Id | undefined) =>
    id === undefined ? undefined : view.element(kind, id)?.getBoundingClientRect();
  switch (target.kind) {
    case "card": {
      const cell = view.cellElement(target.touchpoint, target.lane);
      if (!cell) {
        ind.hidden = true;
        return;
      }
      const c = cell.getBoundingClientRect();
      const cards = store.cell(target.touchpoint, target.lane).filter((id) => id !== moving);
      const next = cards[target.index];
      const prev = cards[target.index - 1];
      let y = c.top + 4;
      if (next) y = (box("card", next)?.top ?? c.top) - 4;
      else if (prev) y = (box("card", prev)?.bottom ?? c.top) + 2;
      place(c.left + 6, y, c.width - 12, 3);
      return;
    }
    case "touchpoint": {
      const tps = (store.touchpoints.get(target.stage) ?? []).filter((t) => t !== moving);
      const next = tps[target.index];
      const prev = tps[target.index - 1];
      let x: number;
      if (next) x = box("touchpoint", next)?.left ?? grid.left;
      else if (prev) x = box("touchpoint", prev)?.right ?? grid.left;
      else {
        const empty = view.grid.querySelector(`.jw-empty-stage[data-stage="${CSS.escape(target.stage)}"]`);
        x = (empty?.getBoundingClientRect() ?? box("touchpoint", moving))?.left ?? grid.left;
      }
      place(x - 2, grid.top, 4, grid.height);
      return;
    }
    case "stage": {
      const stages = store.stages.filter((id) => id !== moving);
      const next = stages[target.index];
      const x = next ? box("stage", next)?.left : box("stage", stages[target.index - 1] ?? moving)?.right;
      place((x ?? grid.left) - 2, grid.top, 4, grid.height);
      return;
    }
    case "lane": {
      const lanes = store.lanes.filter((id) => id !== moving);
      const next = lanes[target.index];
      const y = next ? box("lane", next)?.top : box("lane", lanes[target.index - 1] ?? moving)?.bottom;
      place(grid.left, (y ?? grid.top) - 2, grid.width, 4);
      return;
    }
  }
}
