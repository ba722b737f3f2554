// Where things go on the grid: one column per touchpoint (an empty stage gets
// placeholder columns so that it can still be seen and dropped into), one row
// per lane, and the emotion-curve row above the first emotions lane (or below
// the lanes when there is none). The rule is not written here: it is read from
// src/journeywidgets/layout.json, the description the static SVG/HTML/PDF
// pictures (journeywidgets/layout.py) follow too, bundled in by esbuild.
// Pure functions of the store, so tests and the keyboard mover can use them
// without a DOM.
import RULES from "../../src/journeywidgets/layout.json";
import type { JourneyStore } from "./store";
import type { Id, Lane } from "./types";

/** The shared layout description (see layout.json). */
export const LAYOUT_RULES = RULES;

/** Base sizes in CSS pixels at zoom 1; the stylesheet multiplies them by --jw-z. */
export const SIZES = {
  label: 150,
  column: 172,
  stageHeader: 40,
  touchpointHeader: 68,
  curve: 140,
} as const;

export interface Column {
  /** 0-based position among the touchpoint columns. */
  index: number;
  stage: Id;
  /** null for the placeholder column of an empty stage. */
  touchpoint: Id | null;
}

export type Row = { kind: "lane"; lane: Id } | { kind: "curve" };

export interface Layout {
  columns: Column[];
  columnOf: Map<Id, number>;
  stageSpan: Map<Id, { start: number; count: number }>;
  rows: Row[];
  rowOfLane: Map<Id, number>;
  curveRow: number;
}

/** Grid line numbers: column 1 holds the lane labels, rows 1-2 the headers. */
export const FIRST_COLUMN = 2;
export const FIRST_ROW = 3;

export function computeLayout(store: JourneyStore): Layout {
  const columns: Column[] = [];
  const columnOf = new Map<Id, number>();
  const stageSpan = new Map<Id, { start: number; count: number }>();
  for (const stage of store.stages) {
    const tps = store.touchpoints.get(stage) ?? [];
    const start = columns.length;
    if (tps.length === 0) {
      for (let i = 0; i < RULES.columns.empty_stage_columns; i++) {
        columns.push({ index: columns.length, stage, touchpoint: null });
      }
    }
    for (const tp of tps) {
      columnOf.set(tp, columns.length);
      columns.push({ index: columns.length, stage, touchpoint: tp });
    }
    stageSpan.set(stage, { start, count: columns.length - start });
  }
  const rows: Row[] = [];
  const rowOfLane = new Map<Id, number>();
  let curveRow = -1;
  // No columns, no curve: an empty map shows its lanes and a hint only.
  const rule = RULES.rows;
  const withCurve = columns.length > 0 || !rule.emotion_needs_columns;
  for (const lane of store.lanes) {
    if (withCurve && curveRow < 0 && store.get<Lane>(lane)?.kind === rule.emotion_above_lane_kind) {
      curveRow = rows.length;
      rows.push({ kind: "curve" });
    }
    rowOfLane.set(lane, rows.length);
    rows.push({ kind: "lane", lane });
  }
  if (withCurve && curveRow < 0) {
    const below = rule.emotion_without_that_lane === "below_lanes";
    curveRow = below ? rows.length : 0;
    if (below) rows.push({ kind: "curve" });
    else {
      rows.unshift({ kind: "curve" });
      for (const [lane, at] of rowOfLane) rowOfLane.set(lane, at + 1);
    }
  }
  return { columns, columnOf, stageSpan, rows, rowOfLane, curveRow };
}

/** The text to show for an entity: its label in `language`, else its name/text. */
export function labelOf(
  entity: { labels?: Record<string, string>; name?: unknown; text?: unknown; id: Id } | undefined,
  language: string | null,
): string {
  if (!entity) return "";
  const labels = entity.labels;
  if (language && labels && typeof labels[language] === "string") return labels[language]!;
  if (typeof entity.name === "string") return entity.name;
  if (typeof entity.text === "string") return entity.text;
  return entity.id;
}

/** Python's Scale.snap: round to the nearest step from min, clamp onto the scale. */
export function snap(value: number, scale: { min: number; max: number; step: number }): number {
  const snapped = scale.min + Math.round((value - scale.min) / scale.step) * scale.step;
  const rounded = Math.round(snapped * 1e10) / 1e10;
  return Math.min(scale.max, Math.max(scale.min, rounded));
}

/** A signed number for people: "+2", "0", "−1.5" (with a real minus sign). */
export function formatEmotion(value: number | null | undefined): string {
  if (value == null) return "not set";
  const text = Number.isInteger(value) ? String(Math.abs(value)) : String(Math.abs(+value.toFixed(2)));
  if (value > 0) return `+${text}`;
  if (value < 0) return `\u2212${text}`;
  return "0";
}
