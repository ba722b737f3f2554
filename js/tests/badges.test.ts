// Behaviour badges: the numbers jw.events.record writes into touchpoint metrics
// (log_reach, log_drop_off, log_median_to_next_h, log_cases), shown on the
// touchpoint headers as text, with a label and a tooltip; absent without them.
import { userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it } from "vitest";

import { badgeText, behaviourOf, duration, percent } from "../src/badges";
import type { JourneyDoc, Touchpoint } from "../src/types";
import { item, q, sampleDoc, settle, teardownViews, view } from "./helpers";

afterEach(teardownViews);

/** What `record` writes for a touchpoint (see src/journeywidgets/events/evidence.py). */
const recorded = (cases: number, reach: number, dropOff: number | null, hours: number | null) => ({
  log_cases: cases,
  log_reach: reach,
  ...(dropOff === null ? {} : { log_drop_off: dropOff }),
  ...(hours === null ? {} : { log_median_to_next_h: hours }),
});

function withLog(): JourneyDoc {
  const doc = sampleDoc();
  const [ad, web, invoice] = doc.touchpoints!;
  ad!.metrics = { csat: 4.1, ...recorded(1000, 1, 0.0712, 76.8) };
  web!.metrics = recorded(823, 0.823, 0.25, 5.5);
  invoice!.metrics = { csat: 3 }; // the workshop's own metric only: no badges
  return doc;
}

const tp = (metrics: Record<string, unknown>): Touchpoint => ({ id: "t", stage: "s", name: "T", metrics });

describe("badge numbers", () => {
  it("formats shares and times compactly, never rounding a share to 0 or 100%", () => {
    expect([0, 0.004, 0.0712, 0.823, 0.996, 1].map(percent)).toEqual(["0%", "<1%", "7%", "82%", ">99%", "100%"]);
    expect([0.004, 0.75, 1, 5.5, 47.6, 76.8, 300].map((h) => duration(h))).toEqual([
      "<1 min",
      "45 min",
      "1 h",
      "5.5 h",
      "48 h",
      "3.2 d",
      "13 d",
    ]);
    expect(duration(76.8, true)).toBe("3.2 days");
    expect(badgeText(behaviourOf(tp(recorded(10, 0.823, 0.0712, 76.8)))!)).toBe(
      "reach 82% \u00b7 drop 7% \u00b7 3.2 d",
    );
    // A touchpoint no case reached: record writes cases 0, reach 0 and nothing else.
    expect(badgeText(behaviourOf(tp(recorded(0, 0, null, null)))!)).toBe("reach 0%");
  });

  it("shows nothing without the log's numbers, or for numbers that are not shares or times", () => {
    expect(behaviourOf({ id: "t", stage: "s", name: "T" })).toBeNull();
    expect(behaviourOf(tp({ csat: 4, reach: 0.5 }))).toBeNull();
    expect(behaviourOf(tp({ log_reach: "82%", log_drop_off: 7, log_median_to_next_h: -1 }))).toBeNull();
    expect(behaviourOf(tp({ log_reach: Number.NaN, log_drop_off: 0.5 }))).toEqual({
      cases: null,
      reach: null,
      dropOff: 0.5,
      medianHours: null,
    });
  });
});

describe("badges on the touchpoint headers", () => {
  it("shows reach, drop-off and median time as text, with a label and a tooltip", async () => {
    const { el } = await view(withLog());
    const ad = item(el, "touchpoint", "ad");
    const badges = q(ad, ".jw-tp-badges");
    expect(badges.textContent).toBe("reach 100% \u00b7 drop 7% \u00b7 3.2 d");
    expect(q(item(el, "touchpoint", "web"), ".jw-tp-badges").textContent).toBe(
      "reach 82% \u00b7 drop 25% \u00b7 5.5 h",
    );
    expect(item(el, "touchpoint", "invoice").querySelector(".jw-tp-badges")).toBeNull();
    // Screen readers hear the header's label, which says what the numbers are.
    expect(ad.getAttribute("aria-label")).toBe(
      "Touchpoint Advert, channel TV, event log: 100% of cases reach it (1,000 cases); " +
        "7% of them end their journey here; median 3.2 days to the next step",
    );
    expect(badges.title).toContain("Event log: 100% of cases reach it");
    expect(badges.title).toContain("jw.events.record");
    // Drawn inside the header, on one line, not over the delete button or the next column.
    const box = badges.getBoundingClientRect();
    const head = ad.getBoundingClientRect();
    expect(box.top).toBeGreaterThanOrEqual(head.top);
    expect(box.bottom).toBeLessThanOrEqual(head.bottom + 0.5);
    expect(box.right).toBeLessThanOrEqual(head.right);
    expect(box.height).toBeLessThan(20);
    expect(badges.scrollWidth).toBeLessThanOrEqual(badges.clientWidth); // not cut off
    // The name keeps its room: a long name still gets its two lines above the badges.
    expect(q(ad, ".jw-tp-name").getBoundingClientRect().bottom).toBeLessThanOrEqual(box.top + 0.5);
  });

  it("appears and goes with the kernel's edits, the headers growing a line meanwhile", async () => {
    const { el, model } = await view();
    const root = q(el, ".jw-root");
    expect(el.querySelector(".jw-tp-badges")).toBeNull();
    expect(root.classList.contains("jw-has-badges")).toBe(false);
    const before = item(el, "touchpoint", "web").getBoundingClientRect().height;
    // record's one undoable step: a batch of metrics updates.
    model.emitCustom({
      type: "edit",
      edit: {
        op: "batch",
        label: "record event log",
        edits: [
          { op: "update", id: "ad", changes: { metrics: recorded(40, 1, 0, 2) } },
          { op: "update", id: "web", changes: { metrics: recorded(30, 0.75, 0.5, 0.5) } },
        ],
      },
      version: 11,
    });
    await settle();
    expect(q(item(el, "touchpoint", "web"), ".jw-tp-badges").textContent).toBe(
      "reach 75% \u00b7 drop 50% \u00b7 30 min",
    );
    expect(root.classList.contains("jw-has-badges")).toBe(true);
    expect(item(el, "touchpoint", "web").getBoundingClientRect().height).toBeGreaterThan(before);
    // Undo: the metrics go back to none, and so do the badges and the taller row.
    model.emitCustom({
      type: "edit",
      edit: {
        op: "batch",
        edits: [
          { op: "update", id: "web", changes: { metrics: {} } },
          { op: "update", id: "ad", changes: { metrics: {} } },
        ],
      },
      version: 12,
    });
    await settle();
    expect(el.querySelector(".jw-tp-badges")).toBeNull();
    expect(root.classList.contains("jw-has-badges")).toBe(false);
    expect(item(el, "touchpoint", "web").getBoundingClientRect().height).toBeCloseTo(before, 0);
  });

  it("renders whatever the document holds as text, never as HTML", async () => {
    const doc = withLog();
    doc.touchpoints![2]!.metrics = { log_reach: "<img src=x onerror=alert(1)>", log_drop_off: 0.5 };
    const { el } = await view(doc);
    const badges = q(item(el, "touchpoint", "invoice"), ".jw-tp-badges");
    expect(badges.textContent).toBe("drop 50%");
    // Its only elements are the badges' own spans.
    expect([...badges.querySelectorAll("*")].map((e) => e.className)).toEqual(["jw-badge-key"]);
    expect(el.querySelector(".jw-grid img")).toBeNull();
  });

  it("fit: a smaller line in wide columns, hidden where names stand upright", async () => {
    const doc = withLog();
    const { el } = await view(doc, {}, 900);
    await userEvent.click(q(el, ".jw-fit-btn"));
    await settle();
    const ad = item(el, "touchpoint", "ad");
    const badges = q(ad, ".jw-tp-badges");
    const box = badges.getBoundingClientRect();
    const head = ad.getBoundingClientRect();
    expect(box.height).toBeGreaterThan(0);
    expect(box.bottom).toBeLessThanOrEqual(head.bottom + 0.5);
    expect(box.right).toBeLessThanOrEqual(head.right + 0.5);
    expect(q(ad, ".jw-tp-name").getBoundingClientRect().bottom).toBeLessThanOrEqual(box.top + 0.5);
    // Fit drops the words (the label and tooltip keep them) so the numbers fit a narrow column.
    const keys = [...badges.querySelectorAll(".jw-badge-key")];
    expect(keys.map((k) => [k.textContent, getComputedStyle(k).display])).toEqual([
      ["reach ", "none"],
      ["drop ", "none"],
    ]);
    expect(badges.textContent).toBe("reach 100% \u00b7 drop 7% \u00b7 3.2 d");

    // 40 touchpoints in 900 px: upright names, no badges.
    teardownViews();
    const many = withLog();
    many.touchpoints = Array.from({ length: 40 }, (_, i) => ({
      id: `t${i}`,
      stage: "want",
      name: `Step ${i}`,
      metrics: recorded(100 - i, (100 - i) / 100, 0.01, 3),
    }));
    many.cards = [];
    const wide = await view(many, {}, 900);
    await userEvent.click(q(wide.el, ".jw-fit-btn"));
    await settle();
    expect(q(wide.el, ".jw-root").classList.contains("jw-fit-upright")).toBe(true);
    expect(getComputedStyle(q(item(wide.el, "touchpoint", "t0"), ".jw-tp-badges")).display).toBe("none");
  });
});
