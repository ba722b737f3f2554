import { afterEach, describe, expect, it } from "vitest";

import type { DiffData } from "../src/diff";
import { card, cell, item, q, renderView, sampleDoc, settle, teardownViews, view } from "./helpers";

afterEach(teardownViews);

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** As diff_overlay.overlay() sends it: c6 added, web's emotion changed, c2 moved, two removed. */
function changes(): DiffData {
  return {
    summary: "1 added, 2 removed, 1 moved, 1 emotion changed",
    added: { c1: "card" },
    changed: {
      web: { kind: "touchpoint", fields: ["emotion"], detail: ["emotion: 1 \u2192 -1"] },
      c2: { kind: "card", fields: ["position"], detail: ["moved"] },
    },
    removed: [
      { kind: "card", id: "old1", text: HOSTILE, touchpoint: "web", lane: "actions", position: 1 },
      { kind: "touchpoint", id: "gone", text: "Call centre <b>", stage: "want", position: 2 },
    ],
  };
}

describe("the diff overlay", () => {
  it("marks added and changed items and draws removed cards as ghosts where they were", async () => {
    const { el } = await view(sampleDoc(), { _diff: changes() });
    expect(card(el, "c1").classList.contains("jw-diff-added")).toBe(true);
    expect(card(el, "c1").getAttribute("aria-description")).toBe("added since the base version");
    const web = item(el, "touchpoint", "web");
    expect(web.classList.contains("jw-diff-changed")).toBe(true);
    expect(web.getAttribute("aria-description")).toContain("emotion: 1 \u2192 -1");
    expect(card(el, "c2").classList.contains("jw-diff-changed")).toBe(true);
    expect(card(el, "c3").classList.contains("jw-diff-added")).toBe(false);
    expect(card(el, "c3").classList.contains("jw-diff-changed")).toBe(false);

    // The ghost: second in its old cell, text as text, not an item, labelled for screen readers.
    const home = cell(el, "web", "actions");
    const order = [...home.querySelectorAll<HTMLElement>(":scope > .jw-card, :scope > .jw-removed-item")].map(
      (n) => n.dataset["id"] ?? `ghost:${n.dataset["ghost"]}`,
    );
    expect(order).toEqual(["c2", "ghost:old1", "c3"]);
    const ghost = q(home, ".jw-removed-item");
    expect(ghost.textContent).toBe(HOSTILE);
    expect(ghost.querySelector("img")).toBeNull();
    expect(el.querySelector("img")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    expect(ghost.getAttribute("aria-label")).toBe(`removed: ${HOSTILE}`);
    expect(ghost.dataset["kind"]).toBeUndefined();
    expect(getComputedStyle(ghost).pointerEvents).toBe("none");
    expect(getComputedStyle(ghost).textDecorationLine).toBe("line-through");

    // A removed touchpoint has no cell: it is listed beside the legend.
    const listed = q(el, ".jw-diff-removed .jw-removed-item");
    expect(listed.textContent).toBe("Call centre <b>");
    expect(listed.getAttribute("aria-label")).toBe("removed touchpoint: Call centre <b>");
    expect(q(el, ".jw-diff-summary").textContent).toBe(changes().summary);
    expect(q(el, ".jw-diff-legend").textContent).toBe("addedchangedremoved");
  });

  it("hides and shows the marks with the toolbar toggle", async () => {
    const { el } = await view(sampleDoc(), { _diff: changes() });
    const toggle = q<HTMLButtonElement>(el, ".jw-diff-toggle");
    expect(toggle.hidden).toBe(false);
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    toggle.click();
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(el.querySelectorAll(".jw-diff-added, .jw-diff-changed, .jw-removed-item")).toHaveLength(0);
    expect(q(el, ".jw-diff-panel").hidden).toBe(true);
    toggle.click();
    expect(el.querySelectorAll(".jw-diff-added")).toHaveLength(1);
    expect(el.querySelectorAll(".jw-removed-item")).toHaveLength(2);
    expect(q(el, ".jw-diff-panel").hidden).toBe(false);
  });

  it("follows the kernel: a new overlay, redraws after edits, and none", async () => {
    const { el, model } = await view();
    expect(q(el, ".jw-diff-toggle").hidden).toBe(true);
    expect(q(el, ".jw-diff-panel").hidden).toBe(true);
    model.set("_diff", changes());
    expect(el.querySelectorAll(".jw-removed-item")).toHaveLength(2);

    // Another change redraws the cell: the ghost is drawn again, once, and the marks stay.
    model.emitCustom({
      type: "edit",
      edit: { op: "move", id: "c3", touchpoint: "web", lane: "actions", index: 0 },
      version: 11,
    });
    await settle();
    const home = cell(el, "web", "actions");
    expect(home.querySelectorAll(".jw-removed-item")).toHaveLength(1);
    expect(card(el, "c1").classList.contains("jw-diff-added")).toBe(true);

    model.set("_diff", {});
    expect(el.querySelectorAll(".jw-diff-added, .jw-diff-changed, .jw-removed-item")).toHaveLength(0);
    expect(card(el, "c1").hasAttribute("aria-description")).toBe(false);
    expect(q(el, ".jw-diff-toggle").hidden).toBe(true);
  });

  it("keeps gestures off ghosts: a click on one selects nothing", async () => {
    const { el, model } = await view(sampleDoc(), { _diff: changes() });
    const before = model.sent.length;
    q(el, ".jw-cell .jw-removed-item").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(model.sent.slice(before).filter((m) => (m as { type: string }).type === "edit")).toEqual([]);
  });

  it("hides the marks in one view only: each person looks at the map their way", async () => {
    const { el, model } = await view(sampleDoc(), { _diff: changes() });
    const other = await renderView(model);
    try {
      q<HTMLButtonElement>(el, ".jw-diff-toggle").click();
      expect(el.querySelectorAll(".jw-removed-item")).toHaveLength(0);
      expect(other.el.querySelectorAll(".jw-removed-item")).toHaveLength(2);
      expect(q(other.el, ".jw-diff-toggle").getAttribute("aria-pressed")).toBe("true");
      expect(model.sent).toEqual([]); // nothing for the kernel: a view's own way of looking
    } finally {
      other.cleanup();
    }
  });
});
