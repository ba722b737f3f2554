// Every mouse gesture, with real pointer input from Playwright, becomes exactly one
// edit message, sent at the drop and never during the drag.
import { commands, userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it } from "vitest";

import type { Card, JourneyDoc } from "../src/types";
import { allCards, card, cardsIn, cell, item, onlyEditSince, q, settle, teardownViews, view } from "./helpers";

afterEach(teardownViews);

function centre(node: Element): { x: number; y: number } {
  const r = node.getBoundingClientRect();
  return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
}

describe("dragging cards", () => {
  it("moves a card to another cell as one move edit", async () => {
    const { el, model } = await view();
    const target = cell(el, "invoice", "emotions");
    const node = card(el, "c1");
    await userEvent.dragAndDrop(node, target, { targetPosition: { x: 30, y: 20 } } as object);

    expect(onlyEditSince(model, 0)).toEqual({
      op: "move",
      id: "c1",
      touchpoint: "invoice",
      lane: "emotions",
      index: 0,
    });
    expect(cardsIn(el, "invoice", "emotions")).toEqual(["c1"]);
    expect(cardsIn(el, "ad", "actions")).toEqual([]);
    // The same element moved (not redrawn), and it kept the focus.
    expect(card(el, "c1")).toBe(node);
    expect(document.activeElement).toBe(node);
    await settle();
    // The model's document follows (for "save widget state"), without save_changes().
    const moved = (model.get("_doc") as JourneyDoc).cards!.find((c) => c.id === "c1") as Card;
    expect([moved.touchpoint, moved.lane]).toEqual(["invoice", "emotions"]);
    expect(model.saves).toBe(0);
  });

  it("moves a card to a position within its cell", async () => {
    const { el, model } = await view();
    // c3 onto the top edge of c2: before it.
    await userEvent.dragAndDrop(card(el, "c3"), card(el, "c2"), { targetPosition: { x: 20, y: 3 } } as object);
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "c3", touchpoint: "web", lane: "actions", index: 0 });
    expect(cardsIn(el, "web", "actions")).toEqual(["c3", "c2"]);

    // ...and c3 back below c2: the index counts the cards without the moved one.
    const sent = model.sent.length;
    const c2 = card(el, "c2").getBoundingClientRect();
    await userEvent.dragAndDrop(card(el, "c3"), card(el, "c2"), {
      targetPosition: { x: 20, y: c2.height - 2 },
    } as object);
    expect(onlyEditSince(model, sent)).toEqual({ op: "move", id: "c3", touchpoint: "web", lane: "actions", index: 1 });
    expect(cardsIn(el, "web", "actions")).toEqual(["c2", "c3"]);
    expect(allCards(el)).toEqual(["c1", "c2", "c3", "c4", "c5"]);
  });

  it("moves only a ghost while dragging and sends nothing until the drop", async () => {
    const { el, model } = await view();
    const seen: string[] = [];
    const outside = (e: Event) => seen.push(e.type);
    document.addEventListener("pointerdown", outside);
    document.addEventListener("mousedown", outside);
    try {
      const from = centre(card(el, "c4"));
      const to = centre(cell(el, "ad", "emotions"));
      await commands.mouse([{ type: "move", ...from }, { type: "down" }, { type: "move", ...to, steps: 8 }]);
      await settle();
      const ghost = q(el, ".jw-ghost");
      expect(ghost.textContent).toBe("Reads the invoice");
      expect(card(el, "c4").classList.contains("jw-drag-source")).toBe(true);
      expect(q(el, ".jw-indicator").hidden).toBe(false);
      const g = ghost.getBoundingClientRect();
      expect(Math.abs(g.left + g.width / 2 - to.x)).toBeLessThan(g.width);
      expect(model.sent).toEqual([]);
      // JupyterLab (listening on the document) never sees the press: no cell drag starts.
      expect(seen).toEqual([]);
      await commands.mouse([{ type: "up" }]);
    } finally {
      document.removeEventListener("pointerdown", outside);
      document.removeEventListener("mousedown", outside);
    }
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "c4", touchpoint: "ad", lane: "emotions", index: 0 });
    expect(el.querySelector(".jw-ghost")).toBeNull();
    expect(q(el, ".jw-indicator").hidden).toBe(true);
  });

  it("goes on when the map changes elsewhere during the drag", async () => {
    const { el, model } = await view();
    const from = centre(card(el, "c1"));
    await commands.mouse([
      { type: "move", ...from },
      { type: "down" },
      { type: "move", x: from.x + 40, y: from.y + 30, steps: 4 },
    ]);
    model.emitCustom({
      type: "edit",
      edit: { op: "update", id: "c4", changes: { text: "Changed in Python" } },
      version: 11,
    });
    model.emitCustom({ type: "edit", edit: { op: "move", id: "emotions", index: 0 }, version: 12 });
    const to = centre(cell(el, "invoice", "actions"));
    await commands.mouse([{ type: "move", x: to.x, y: to.y + 20, steps: 6 }, { type: "up" }]);
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "c1", touchpoint: "invoice", lane: "actions", index: 1 });
    expect(cardsIn(el, "invoice", "actions")).toEqual(["c4", "c1"]);
    expect(card(el, "c4").textContent).toBe("Changed in Python");
    expect(allCards(el)).toEqual(["c1", "c2", "c3", "c4", "c5"]);
  });

  it("cancels a drag with Escape or a drop outside the cells", async () => {
    const { el, model } = await view();
    const from = centre(card(el, "c1"));
    const to = centre(cell(el, "web", "emotions"));
    await commands.mouse([{ type: "move", ...from }, { type: "down" }, { type: "move", ...to, steps: 5 }]);
    await userEvent.keyboard("{Escape}");
    await commands.mouse([{ type: "up" }]);
    expect(model.sent).toEqual([]);
    expect(cardsIn(el, "ad", "actions")).toEqual(["c1"]);

    await userEvent.dragAndDrop(card(el, "c1"), q(el, ".jw-title"));
    expect(model.sent).toEqual([]);
    expect(el.querySelector(".jw-ghost")).toBeNull();
  });
});

describe("dragging columns, stages and lanes", () => {
  it("reorders a touchpoint within its stage", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(item(el, "touchpoint", "web"), item(el, "touchpoint", "ad"), {
      targetPosition: { x: 10, y: 20 },
    } as object);
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "web", stage: "want", index: 0 });
    const order = [...el.querySelectorAll<HTMLElement>(".jw-tp[data-id]")].map((t) => t.dataset["id"]);
    expect(order).toEqual(["web", "ad", "invoice"]);
    // Its cards move with the column.
    expect(centre(card(el, "c2")).x).toBeLessThan(centre(card(el, "c1")).x);
  });

  it("moves a touchpoint into another stage", async () => {
    const { el, model } = await view();
    const invoice = item(el, "touchpoint", "invoice").getBoundingClientRect();
    await userEvent.dragAndDrop(item(el, "touchpoint", "ad"), item(el, "touchpoint", "invoice"), {
      targetPosition: { x: invoice.width - 10, y: 20 },
    } as object);
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "ad", stage: "use", index: 1 });
    expect(item(el, "touchpoint", "ad").dataset["stage"]).toBe("use");
    const use = item(el, "stage", "use").getBoundingClientRect();
    expect(use.width).toBeGreaterThan(invoice.width * 1.9);
  });

  it("moves a touchpoint into an empty stage", async () => {
    const doc = { ...(await import("./helpers")).sampleDoc() };
    doc.stages = [...doc.stages!, { id: "leave", name: "I leave" }];
    const { el, model } = await view(doc);
    await userEvent.dragAndDrop(item(el, "touchpoint", "invoice"), q(el, ".jw-empty-stage"));
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "invoice", stage: "leave", index: 0 });
    expect(el.querySelector(".jw-empty-stage")).not.toBeNull(); // "use" is empty now
  });

  it("reorders stages", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(item(el, "stage", "use"), item(el, "stage", "want"), {
      targetPosition: { x: 20, y: 10 },
    } as object);
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "use", index: 0 });
    const order = [...el.querySelectorAll<HTMLElement>(".jw-stage")].map((s) => s.dataset["id"]);
    expect(order).toEqual(["use", "want"]);
    // The stage takes its touchpoints and their cards along.
    const tps = [...el.querySelectorAll<HTMLElement>(".jw-tp[data-id]")].map((t) => t.dataset["id"]);
    expect(tps).toEqual(["invoice", "ad", "web"]);
    expect(cardsIn(el, "invoice", "actions")).toEqual(["c4"]);
    expect(centre(card(el, "c4")).x).toBeLessThan(centre(card(el, "c1")).x);
  });

  it("reorders lanes", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(item(el, "lane", "emotions"), item(el, "lane", "actions"), {
      targetPosition: { x: 20, y: 5 },
    } as object);
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "emotions", index: 0 });
    expect(cardsIn(el, "web", "emotions")).toEqual(["c5"]);
    expect(item(el, "lane", "emotions").getBoundingClientRect().top).toBeLessThan(
      item(el, "lane", "actions").getBoundingClientRect().top,
    );
  });
});

describe("dragging the emotion curve", () => {
  it("snaps to the scale's step, shows a readout, and sends one edit at the drop", async () => {
    const { el, model } = await view();
    const point = q(el, 'g.jw-point[data-tp="ad"]');
    const dot = centre(point.querySelector(".jw-point-dot")!);
    const svg = q(el, ".jw-curve-svg").getBoundingClientRect();
    // 16/140 of the height is the top of the scale (+3); aim a little below it.
    const y = svg.top + svg.height * (20 / 140);
    await commands.mouse([{ type: "move", ...dot }, { type: "down" }, { type: "move", x: dot.x, y, steps: 6 }]);
    await settle();
    expect(q(el, ".jw-readout").textContent).toBe("+3");
    expect(q(el, 'g.jw-point[data-tp="ad"]').getAttribute("aria-valuenow")).toBe("3");
    expect(model.sent).toEqual([]);
    await commands.mouse([{ type: "up" }]);
    expect(onlyEditSince(model, 0)).toEqual({ op: "set_emotion", id: "ad", value: 3 });
    expect(el.querySelector(".jw-readout")).toBeNull();

    // Between two steps it rounds to the nearer one: -0.4 of the way -> 0.
    const sent = model.sent.length;
    const web = centre(q(el, 'g.jw-point[data-tp="web"] .jw-point-dot'));
    const zero = svg.top + svg.height * ((16 + (3.4 / 6) * 108) / 140);
    await commands.mouse([
      { type: "move", ...web },
      { type: "down" },
      { type: "move", x: web.x, y: zero, steps: 4 },
      { type: "up" },
    ]);
    expect(onlyEditSince(model, sent)).toEqual({ op: "set_emotion", id: "web", value: 0 });
  });
});

describe("selection", () => {
  it("selects with click and shift-click and tells the kernel", async () => {
    const { el, model } = await view();
    await userEvent.click(card(el, "c1"));
    expect(model.sent.at(-1)).toEqual({ type: "select", ids: ["c1"] });
    await userEvent.click(item(el, "touchpoint", "web"), { modifiers: ["Shift"] } as object);
    expect(model.sent.at(-1)).toEqual({ type: "select", ids: ["c1", "web"] });
    expect(card(el, "c1").classList.contains("jw-selected")).toBe(true);
    expect(item(el, "touchpoint", "web").getAttribute("aria-pressed")).toBe("true");
    await userEvent.click(card(el, "c1"), { modifiers: ["Shift"] } as object);
    expect(model.sent.at(-1)).toEqual({ type: "select", ids: ["web"] });
    expect(card(el, "c1").classList.contains("jw-selected")).toBe(false);
    // Clicking empty space clears it; no edit is ever sent for selection.
    await userEvent.click(cell(el, "invoice", "emotions"), { position: { x: 5, y: 40 } } as object);
    expect(model.sent.at(-1)).toEqual({ type: "select", ids: [] });
    expect(model.sent.filter((m) => (m as { type: string }).type === "edit")).toEqual([]);
  });

  it("shows a selection set from Python", async () => {
    const { el, model } = await view();
    model.set("selected", ["c4", "ad"]);
    expect(card(el, "c4").classList.contains("jw-selected")).toBe(true);
    expect(item(el, "touchpoint", "ad").classList.contains("jw-selected")).toBe(true);
    expect(card(el, "c1").classList.contains("jw-selected")).toBe(false);
    expect(model.sent).toEqual([]); // not echoed back
  });
});
