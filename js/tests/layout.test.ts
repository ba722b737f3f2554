// The widget's grid follows the shared layout description (src/journeywidgets/layout.json,
// also read by journeywidgets/layout.py for the static pictures).
import { describe, expect, it } from "vitest";

import { LAYOUT_RULES, computeLayout } from "../src/layout";
import { JourneyStore } from "../src/store";
import type { JourneyDoc } from "../src/types";
import { sampleDoc } from "./helpers";

const rows = (doc: JourneyDoc) =>
  computeLayout(JourneyStore.fromDoc(doc)).rows.map((r) => (r.kind === "curve" ? "emotion" : r.lane));

describe("one layout description", () => {
  it("is the JSON file the Python side reads", () => {
    expect(LAYOUT_RULES.rows.emotion_above_lane_kind).toBe("emotions");
    expect(LAYOUT_RULES.columns.empty_stage_columns).toBe(1);
  });

  it("puts the emotion row above the first emotions lane, else below the lanes", () => {
    const doc = sampleDoc();
    expect(rows(doc)).toEqual(["actions", "emotion", "emotions"]);
    doc.lanes = [...doc.lanes!].reverse();
    expect(rows(doc)).toEqual(["emotion", "emotions", "actions"]);
    doc.lanes = doc.lanes.filter((l) => l.kind !== "emotions");
    doc.cards = doc.cards!.filter((c) => c.lane !== "emotions");
    expect(rows(doc)).toEqual(["actions", "emotion"]);
  });

  it("keeps a placeholder column for an empty stage, and no emotion row without columns", () => {
    const doc = sampleDoc();
    doc.stages!.push({ id: "leave", name: "I leave" });
    const layout = computeLayout(JourneyStore.fromDoc(doc));
    expect(layout.columns.at(-1)).toEqual({ index: 3, stage: "leave", touchpoint: null });
    expect(rows({ ...sampleDoc(), stages: [], touchpoints: [], cards: [] })).toEqual(["actions", "emotions"]);
  });
});
