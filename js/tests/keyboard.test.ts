// Every move also works from the keyboard: Space picks up, arrows move the drop
// marker, Space drops as one edit, Escape cancels; moves are announced.
import { userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it } from "vitest";

import { card, cardsIn, item, onlyEditSince, q, teardownViews, view } from "./helpers";

afterEach(teardownViews);

const live = (el: HTMLElement) => q(el, ".jw-sr-only[aria-live]").textContent;

describe("keyboard access", () => {
  it("cards are focusable buttons with one tab stop and described keys", async () => {
    const { el } = await view();
    const c1 = card(el, "c1");
    expect(c1.getAttribute("role")).toBe("button");
    expect(c1.getAttribute("aria-roledescription")).toBe("sticky note");
    const help = document.getElementById(c1.getAttribute("aria-describedby")!);
    expect(help?.textContent).toContain("Space picks up");
    expect([...el.querySelectorAll(".jw-card")].filter((c) => (c as HTMLElement).tabIndex === 0)).toEqual([c1]);
    // Arrow keys move focus between cards; the tab stop follows.
    c1.focus();
    await userEvent.keyboard("{ArrowRight}");
    expect(document.activeElement).toBe(card(el, "c2"));
    await userEvent.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(card(el, "c3"));
    await userEvent.keyboard("{ArrowDown}");
    expect(document.activeElement).toBe(card(el, "c5"));
    expect(card(el, "c5").tabIndex).toBe(0);
    expect(c1.tabIndex).toBe(-1);
  });

  it("picks a card up, moves it across touchpoints and lanes, and drops it", async () => {
    const { el, model } = await view();
    card(el, "c1").focus();
    await userEvent.keyboard(" ");
    expect(live(el)).toContain("Picked up card \u201cSees the advert\u201d");
    expect(card(el, "c1").classList.contains("jw-picked")).toBe(true);
    await userEvent.keyboard("{ArrowRight}");
    expect(live(el)).toBe("Actions at Website, position 1 of 3.");
    await userEvent.keyboard("{ArrowDown}{ArrowDown}");
    expect(live(el)).toBe("Actions at Website, position 3 of 3.");
    expect(q(el, ".jw-indicator").hidden).toBe(false);
    await userEvent.keyboard("{ArrowDown}");
    expect(live(el)).toBe("Emotions at Website, position 1 of 2.");
    expect(model.sent).toEqual([]);
    await userEvent.keyboard(" ");
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "c1", touchpoint: "web", lane: "emotions", index: 0 });
    expect(cardsIn(el, "web", "emotions")).toEqual(["c1", "c5"]);
    expect(live(el)).toContain("Dropped. Card \u201cSees the advert\u201d: Emotions at Website, position 1 of 2.");
    expect(document.activeElement).toBe(card(el, "c1"));
    expect(q(el, ".jw-indicator").hidden).toBe(true);
  });

  it("Escape cancels a keyboard move", async () => {
    const { el, model } = await view();
    card(el, "c4").focus();
    await userEvent.keyboard(" {ArrowLeft}{Escape}");
    expect(model.sent).toEqual([]);
    expect(live(el)).toBe("Move cancelled.");
    expect(card(el, "c4").classList.contains("jw-picked")).toBe(false);
    expect(document.activeElement).toBe(card(el, "c4"));
  });

  it("moves a touchpoint across a stage boundary", async () => {
    const { el, model } = await view();
    item(el, "touchpoint", "web").focus();
    await userEvent.keyboard(" {ArrowRight}");
    expect(live(el)).toBe("Stage I use and pay, position 1 of 2.");
    await userEvent.keyboard("{ArrowRight}{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "web", stage: "use", index: 1 });
  });

  it("reorders stages and lanes", async () => {
    const { el, model } = await view();
    item(el, "stage", "want").focus();
    await userEvent.keyboard(" {ArrowRight} ");
    expect(onlyEditSince(model, 0)).toEqual({ op: "move", id: "want", index: 1 });
    const sent = model.sent.length;
    item(el, "lane", "actions").focus();
    await userEvent.keyboard(" {ArrowDown} ");
    expect(onlyEditSince(model, sent)).toEqual({ op: "move", id: "actions", index: 1 });
  });

  it("moves emotion points with the arrow keys, one edit per step", async () => {
    const { el, model } = await view();
    const point = q(el, 'g.jw-point[data-tp="invoice"]');
    expect(point.getAttribute("role")).toBe("slider");
    expect(point.getAttribute("aria-label")).toBe("Emotion at Invoice");
    point.focus();
    await userEvent.keyboard("{ArrowUp}");
    expect(onlyEditSince(model, 0)).toEqual({ op: "set_emotion", id: "invoice", value: -1 });
    expect(q(el, 'g.jw-point[data-tp="invoice"]').getAttribute("aria-valuenow")).toBe("-1");
    expect(document.activeElement).toBe(q(el, 'g.jw-point[data-tp="invoice"]'));
    const sent = model.sent.length;
    await userEvent.keyboard("{End}");
    expect(onlyEditSince(model, sent)).toEqual({ op: "set_emotion", id: "invoice", value: -3 });
  });

  it("adds next to the focused item with N", async () => {
    const { el, model } = await view();
    card(el, "c2").focus();
    await userEvent.keyboard("n");
    await userEvent.keyboard("Between{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({
      op: "add",
      kind: "card",
      item: { text: "Between", touchpoint: "web", lane: "actions" },
      index: 1,
    });
  });

  it("does nothing to a readonly map", async () => {
    const { el, model } = await view(undefined, { readonly: true });
    card(el, "c1").focus();
    await userEvent.keyboard(" {ArrowRight} {Delete}{Control>}z{/Control}");
    expect(model.sent).toEqual([]);
    expect(live(el)).toBe("This map is read-only.");
  });
});
