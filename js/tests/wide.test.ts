// Wide journeys: a map of more than VIRTUAL_ABOVE touchpoints draws only the columns near
// the view (headers, cells, curve points); scrolling, the keyboard, a picked-up card and a
// selection made in Python draw the columns they reach. Smaller maps draw every column.
import { userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it } from "vitest";

import { VIRTUAL_ABOVE } from "../src/render";
import type { JourneyDoc } from "../src/types";
import { card, cardsIn, item, onlyEditSince, q, sampleDoc, settle, teardownViews, view } from "./helpers";

afterEach(teardownViews);

/** `n` touchpoints in stages of ten, one card each in "actions"; lane "thoughts" is empty. */
function wideDoc(n: number): JourneyDoc {
  const doc = sampleDoc();
  return {
    ...doc,
    stages: Array.from({ length: Math.ceil(n / 10) }, (_, i) => ({ id: `s${i}`, name: `Stage ${i}`, labels: {} })),
    touchpoints: Array.from({ length: n }, (_, i) => ({
      id: `t${i}`,
      stage: `s${Math.floor(i / 10)}`,
      name: `Step ${i}`,
      emotion: (i % 7) - 3,
      moment_of_truth: false,
    })),
    lanes: [
      { id: "actions", name: "Actions", kind: "actions", colour: "" },
      { id: "thoughts", name: "Thoughts", kind: "thoughts", colour: "" },
    ],
    cards: Array.from({ length: n }, (_, i) => ({
      id: `c${i}`,
      touchpoint: `t${i}`,
      lane: "actions",
      text: `Does step ${i}`,
    })),
  };
}

const headers = (el: HTMLElement) => el.querySelectorAll(".jw-tp[data-id]").length;
const points = (el: HTMLElement) => el.querySelectorAll("g.jw-point").length;
const scroller = (el: HTMLElement) => q(el, ".jw-scroller");
const drawn = (el: HTMLElement, tp: string) => el.querySelector(`.jw-tp[data-id="${tp}"]`) !== null;

function inView(el: HTMLElement, node: Element): boolean {
  const r = node.getBoundingClientRect();
  const s = scroller(el).getBoundingClientRect();
  return r.right > s.left && r.left < s.right;
}

async function scrollTo(el: HTMLElement, left: number): Promise<void> {
  scroller(el).scrollLeft = left;
  scroller(el).dispatchEvent(new Event("scroll"));
  await settle();
  await settle();
}

describe("wide journeys", () => {
  it("draws every column of a map at the threshold", async () => {
    const { el } = await view(wideDoc(VIRTUAL_ABOVE), { height: 400 });
    expect(headers(el)).toBe(VIRTUAL_ABOVE);
    expect(points(el)).toBe(VIRTUAL_ABOVE);
  });

  it("draws only the columns near the view, with a scroll bar as wide as the map", async () => {
    const { el } = await view(wideDoc(400), { height: 400 });
    expect(headers(el)).toBeGreaterThan(3);
    expect(headers(el)).toBeLessThan(40);
    expect(points(el)).toBeLessThan(42);
    expect(el.querySelectorAll(".jw-cell").length).toBe(headers(el) * 2);
    expect(el.querySelectorAll(".jw-stage").length).toBeLessThan(6);
    const width = q(el, ".jw-grid").scrollWidth;
    expect(width).toBeGreaterThan(400 * 172);

    await scrollTo(el, width);
    expect(drawn(el, "t399")).toBe(true);
    expect(drawn(el, "t0")).toBe(false);
    expect(card(el, "c399").textContent).toContain("Does step 399");
    expect(inView(el, card(el, "c399"))).toBe(true);
    expect(el.querySelector('g.jw-point[data-tp="t399"]')).not.toBeNull();
    expect(el.querySelector('g.jw-point[data-tp="t0"]')).toBeNull();
    expect(item(el, "stage", "s39").getBoundingClientRect().right).toBeCloseTo(
      item(el, "touchpoint", "t399").getBoundingClientRect().right,
      0,
    );
    expect(headers(el)).toBeLessThan(40);
  });

  it("moves keyboard focus to a column that is not drawn, and draws it in view", async () => {
    const { el } = await view(wideDoc(400), { height: 400 });
    card(el, "c3").focus();
    await scrollTo(el, 200 * 172);
    // The focused card's column stays drawn; its neighbour was dropped.
    expect(drawn(el, "t3")).toBe(true);
    expect(drawn(el, "t4")).toBe(false);
    await userEvent.keyboard("{ArrowRight}");
    expect(document.activeElement).toBe(card(el, "c4"));
    expect(inView(el, card(el, "c4"))).toBe(true);
  });

  it("takes a picked-up card to columns not drawn yet and drops it there", async () => {
    const { el, model } = await view(wideDoc(400), { height: 400 });
    const from = model.sent.length;
    card(el, "c0").focus();
    await userEvent.keyboard(" ");
    for (let i = 0; i < 30; i++) await userEvent.keyboard("{ArrowRight}");
    expect(drawn(el, "t30")).toBe(true);
    await userEvent.keyboard(" ");
    expect(onlyEditSince(model, from)).toEqual({ op: "move", id: "c0", touchpoint: "t30", lane: "actions", index: 0 });
    expect(cardsIn(el, "t30", "actions")).toEqual(["c0", "c30"]);
  });

  it("scrolls to a card selected in Python", async () => {
    const { el, model } = await view(wideDoc(400), { height: 400 });
    model.set("selected", ["c300"]);
    await settle();
    expect(card(el, "c300").classList.contains("jw-selected")).toBe(true);
    expect(inView(el, card(el, "c300"))).toBe(true);
  });

  it("draws an edit made while its column was not drawn once it is scrolled to", async () => {
    const { el, model } = await view(wideDoc(400), { height: 400 });
    const doc = wideDoc(400);
    doc.cards = (doc.cards ?? []).map((c) => (c.id === "c350" ? { ...c, text: "Changed elsewhere" } : c));
    model.set("_version", 11);
    model.set("_doc", doc);
    await settle();
    await scrollTo(el, 345 * 172);
    expect(card(el, "c350").textContent).toContain("Changed elsewhere");
  });

  it("keeps the focused card's column drawn, and the scroll, when an edit redraws the map", async () => {
    const { el, model } = await view(wideDoc(400), { height: 400 });
    card(el, "c3").focus();
    await scrollTo(el, 200 * 172);
    const left = scroller(el).scrollLeft;
    const doc = wideDoc(401); // a touchpoint more: the whole grid is drawn again
    model.set("_version", 11);
    model.set("_doc", doc);
    await settle();
    expect(drawn(el, "t400")).toBe(false);
    expect(document.activeElement).toBe(card(el, "c3"));
    expect(scroller(el).scrollLeft).toBe(left);
    expect(drawn(el, "t200")).toBe(true);
  });
});
