// A map you can show a client: Fit (the whole journey's width in view), focus
// that stays in the widget, the persona panel (each change one update edit), the
// legend, wrapping stage names and an editor that grows.
import { userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it } from "vitest";

import { initials } from "../src/persona";
import type { JourneyDoc } from "../src/types";
import { ackLast, card, cardsIn, cell, item, onlyEditSince, q, sampleDoc, teardownViews, view } from "./helpers";

afterEach(teardownViews);

/** A map of `n` touchpoints over three stages, a card in each actions cell. */
function wideDoc(n: number): JourneyDoc {
  const doc = sampleDoc();
  doc.stages = [
    { id: "s1", name: "Looking around for a supplier and comparing offers" },
    { id: "s2", name: "Using" },
    { id: "s3", name: "Leaving" },
  ];
  doc.touchpoints = Array.from({ length: n }, (_, i) => ({
    id: `t${i}`,
    stage: `s${(i % 3) + 1}`,
    name: `Step ${i} with a fairly long touchpoint name`,
    emotion: (i % 5) - 2,
  }));
  doc.cards = doc.touchpoints.flatMap((t, i) => [
    { id: `a${i}`, touchpoint: t.id, lane: "actions", text: `First note of ${t.id}\nsecond line` },
    { id: `b${i}`, touchpoint: t.id, lane: "actions", text: `Second note of ${t.id}` },
  ]);
  return doc;
}

const withPersona = (): JourneyDoc => ({
  ...sampleDoc(),
  persona: "anna",
  personas: [
    {
      id: "anna",
      name: "Anna Kowalska",
      role: "Household customer",
      quote: "I just want the lights on",
      goals: ["Get connected on time"],
      expectations: ["Clear information"],
      frustrations: ["Waiting on the hotline", "Paperwork"],
      description: "Moving into a new house.",
    },
  ],
});

function inside(inner: DOMRect, outer: DOMRect): boolean {
  return inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5;
}

describe("Fit", () => {
  it.each([24, 60])("fits all %i touchpoint names in the widget's width, and goes back", async (n) => {
    const { el } = await view(wideDoc(n), {}, 1240);
    const fit = q<HTMLButtonElement>(el, ".jw-toolbar .jw-fit-btn");
    expect(fit.getAttribute("aria-label")).toContain("Fit");
    const scroller = q(el, ".jw-scroller");
    expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth + 100); // full view scrolls
    await userEvent.click(fit);
    expect(fit.getAttribute("aria-pressed")).toBe("true");
    const box = scroller.getBoundingClientRect();
    const names = [...el.querySelectorAll<HTMLElement>(".jw-tp[data-id] .jw-tp-name")];
    expect(names).toHaveLength(n);
    for (const name of names) expect(inside(name.getBoundingClientRect(), box)).toBe(true);
    expect(scroller.scrollWidth).toBeLessThanOrEqual(scroller.clientWidth + 1);
    // Readable: the text keeps its size however many columns there are.
    expect(Number.parseFloat(getComputedStyle(names[0]!).fontSize)).toBeGreaterThanOrEqual(11);
    // Compact cells: the first card and how many more.
    const first = cell(el, "t0", "actions");
    expect(first.dataset["more"]).toBe("+1");
    expect(card(el, "b0").getBoundingClientRect().height).toBe(0);
    // Back to the full view, with the same button or a zoom button.
    await userEvent.click(fit);
    expect(fit.getAttribute("aria-pressed")).toBe("false");
    expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth + 100);
    await userEvent.click(fit);
    await userEvent.click(q(el, ".jw-zoom-reset"));
    expect(el.querySelector(".jw-root.jw-fit")).toBeNull();
  });

  it("shows a compact cell's cards in full on focus", async () => {
    const { el } = await view(wideDoc(24), {}, 1240);
    await userEvent.click(q(el, ".jw-fit-btn"));
    card(el, "a1").focus();
    expect(card(el, "b1").getBoundingClientRect().height).toBeGreaterThan(10);
    expect(getComputedStyle(card(el, "a1")).whiteSpace).toBe("pre-wrap");
    // A folded card takes focus from the keyboard too, and opens its cell.
    await userEvent.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(card(el, "b1"));
    expect(card(el, "b1").getBoundingClientRect().height).toBeGreaterThan(10);
    await userEvent.keyboard("{ArrowRight}"); // the second card of the next column (t4)
    expect(document.activeElement).toBe(card(el, "b4"));
    expect(card(el, "b4").getBoundingClientRect().height).toBeGreaterThan(10);
  });

  it("keeps the emotion row in view while the lanes scroll", async () => {
    const doc = wideDoc(6);
    doc.lanes = [
      { id: "actions", name: "Actions", kind: "actions" },
      { id: "emotions", name: "Emotions", kind: "emotions" },
      ...Array.from({ length: 8 }, (_, i) => ({ id: `l${i}`, name: `Lane ${i}`, kind: "custom" })),
    ];
    doc.cards = doc.lanes.flatMap((l) =>
      doc.touchpoints!.map((t) => ({
        id: `${l.id}-${t.id}`,
        touchpoint: t.id,
        lane: l.id,
        text: "A note\nwith\nlines",
      })),
    );
    const { el } = await view(doc, { height: 500 });
    const scroller = q(el, ".jw-scroller");
    scroller.scrollTop = scroller.scrollHeight;
    await new Promise((r) => requestAnimationFrame(r));
    const curve = q(el, ".jw-curve").getBoundingClientRect();
    const box = scroller.getBoundingClientRect();
    expect(curve.top).toBeGreaterThanOrEqual(box.top);
    expect(curve.bottom).toBeLessThanOrEqual(box.bottom);
  });
});

describe("keyboard focus stays in the widget", () => {
  it("goes to the neighbour when Ctrl+Z removes the focused card, and the next Ctrl+Z works", async () => {
    const { el, model } = await view();
    card(el, "c2").focus();
    // The kernel answers an undo with the edit that undoes: here, the removal of c2.
    model.emitCustom({ type: "edit", edit: { op: "remove", id: "c2" }, version: 11 });
    expect(document.activeElement).toBe(card(el, "c3"));
    await userEvent.keyboard("{Control>}z{/Control}");
    expect(model.sent.at(-1)).toMatchObject({ type: "undo" });
    // The last card of a cell: the nearest card in the lane.
    card(el, "c5").focus();
    model.emitCustom({ type: "edit", edit: { op: "remove", id: "c5" }, version: 12 });
    expect(el.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).not.toBe(document.body);
  });

  it("is on the new card after N then Enter, also once the kernel names it", async () => {
    const { el, model } = await view();
    card(el, "c1").focus();
    await userEvent.keyboard("n");
    await userEvent.keyboard("A new idea{Enter}");
    const added = cardsIn(el, "ad", "actions")[1]!;
    expect(document.activeElement).toBe(card(el, added));
    const edit = onlyEditSince(model, 0) as { item: Record<string, unknown> };
    ackLast(model, 11, { op: "add", kind: "card", item: { ...edit.item, id: "card_7", tags: [] }, index: 1 });
    expect(document.activeElement).toBe(card(el, "card_7"));
    await userEvent.keyboard("{Control>}z{/Control}");
    expect(model.sent.at(-1)).toMatchObject({ type: "undo" });
  });

  it("keeps focus in the widget when the title is clicked", async () => {
    const { el, model } = await view();
    await userEvent.click(q(el, ".jw-title"));
    expect(el.contains(document.activeElement)).toBe(true);
    await userEvent.keyboard("{Control>}z{/Control}");
    expect(model.sent.at(-1)).toMatchObject({ type: "undo" });
  });
});

describe("persona panel", () => {
  it("draws the persona: initials, name, quote, goals, needs, pains, scenario", async () => {
    const { el } = await view(withPersona());
    const panel = q(el, ".jw-persona");
    expect(q(panel, ".jw-avatar").textContent).toBe("AK");
    expect(q(panel, ".jw-persona-name").textContent).toBe("Anna Kowalska");
    expect(q(panel, ".jw-persona-quote").textContent).toBe("\u201cI just want the lights on\u201d");
    const heads = [...panel.querySelectorAll(".jw-persona-heading")].map((h) => h.textContent);
    expect(heads).toEqual(["Goals", "Needs", "Pains", "Scenario"]);
    const pains = [...panel.querySelectorAll(".jw-persona-frustrations li")].map((li) => li.textContent);
    expect(pains).toEqual(["Waiting on the hotline", "Paperwork"]);
    expect(q(panel, ".jw-persona-description p").textContent).toBe("Moving into a new house.");
    expect(initials("Cher")).toBe("C");
  });

  it("edits a field in place as one update edit of the persona", async () => {
    const { el, model } = await view(withPersona());
    const pains = q(el, '.jw-persona-field[data-field="frustrations"]');
    await userEvent.dblClick(pains);
    const editor = q<HTMLTextAreaElement>(el, ".jw-persona .jw-editor");
    expect(editor.value).toBe("Waiting on the hotline\nPaperwork");
    await userEvent.clear(editor);
    await userEvent.type(editor, "Waiting{Shift>}{Enter}{/Shift}Estimated bills{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({
      op: "update",
      id: "anna",
      changes: { frustrations: ["Waiting", "Estimated bills"] },
    });
    const items = [...el.querySelectorAll(".jw-persona-frustrations li")].map((li) => li.textContent);
    expect(items).toEqual(["Waiting", "Estimated bills"]);
    // From the keyboard: Enter on the focused name; an empty name is refused.
    const sent = model.sent.length;
    q(el, ".jw-persona-name").focus();
    await userEvent.keyboard("{Enter}");
    await userEvent.keyboard("{Control>}a{/Control}{Backspace}{Enter}");
    expect(model.sent.length).toBe(sent);
    expect(q(el, ".jw-status").textContent).toContain("needs a name");
  });

  it("folds away to the avatar and name, and back", async () => {
    const { el } = await view(withPersona());
    await userEvent.click(q(el, ".jw-persona-toggle"));
    expect(getComputedStyle(q(el, ".jw-persona-lists")).display).toBe("none");
    expect(q(el, ".jw-persona-toggle").getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(q(el, ".jw-persona-toggle"));
    await userEvent.click(q(el, ".jw-persona-toggle"));
    expect(getComputedStyle(q(el, ".jw-persona-lists")).display).not.toBe("none");
  });

  it("has no panel for a map without a persona", async () => {
    const { el } = await view();
    expect(q(el, ".jw-persona").hidden).toBe(true);
  });
});

describe("legend and marks", () => {
  it("lists what the emotion row draws, including touchpoints with no emotion", async () => {
    const doc = sampleDoc();
    doc.touchpoints![0]!.emotion = null;
    doc.touchpoints![1]!.measured = { emotion: -0.5, low: -1, high: 0, n: 30 };
    const { el } = await view(doc);
    const items = [...el.querySelectorAll(".jw-legend-item")].map((li) => li.textContent);
    expect(items).toEqual([
      "Workshop emotion",
      "Measured (survey), with its interval",
      "No emotion recorded",
      "Moment of truth",
    ]);
    // Drawn distinctly, not as a neutral point: a hollow dashed point, and the head says so.
    expect(q(el, '.jw-point[data-tp="ad"]').classList.contains("jw-point-empty")).toBe(true);
    expect(item(el, "touchpoint", "ad").classList.contains("jw-no-emotion")).toBe(true);
    expect(item(el, "touchpoint", "ad").getAttribute("aria-label")).toContain("no emotion recorded");
  });
});

describe("text", () => {
  it("wraps long stage names in one font size", async () => {
    const doc = sampleDoc();
    doc.stages![1]!.name = "I use the service and pay for it every month";
    const { el } = await view(doc);
    const names = [...el.querySelectorAll<HTMLElement>(".jw-stage-name")];
    const long = names[1]!;
    expect(long.getBoundingClientRect().height).toBeGreaterThan(20); // two lines
    expect(new Set(names.map((n) => getComputedStyle(n).fontSize)).size).toBe(1);
  });

  it("grows the inline editor while typing", async () => {
    const { el } = await view();
    await userEvent.dblClick(card(el, "c1"));
    const editor = q<HTMLTextAreaElement>(el, ".jw-card .jw-editor");
    const before = editor.getBoundingClientRect().height;
    await userEvent.type(
      editor,
      "{Shift>}{Enter}{/Shift}more{Shift>}{Enter}{/Shift}and more{Shift>}{Enter}{/Shift}lines",
    );
    expect(editor.getBoundingClientRect().height).toBeGreaterThan(before + 20);
    expect(editor.scrollHeight).toBeLessThanOrEqual(editor.clientHeight + 2);
  });
});
