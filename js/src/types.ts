/* Specifies attributes defined with traitlets in ../../src/journeywidgets/widget.py */

// The journey document and its edits, as the Python model writes them
// (journeywidgets.document.Document and journeywidgets.edits). The front end
// only reads the fields it draws; everything else travels through untouched.

import type { DiffData } from "./diff";

export type Id = string;
export type Kind = "persona" | "stage" | "touchpoint" | "lane" | "card";

export interface Labelled {
  id: Id;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface Scale {
  min: number;
  max: number;
  neutral: number;
  step: number;
  labels?: Record<string, string>;
}

export interface Stage extends Labelled {
  name: string;
}

export interface Measurement {
  emotion: number;
  low?: number | null;
  high?: number | null;
  n?: number;
}

export interface Touchpoint extends Labelled {
  stage: Id;
  name: string;
  channel?: string;
  emotion?: number | null;
  moment_of_truth?: boolean;
  measured?: Measurement | null;
  /** Numbers measured at the touchpoint; `log_*` ones come from jw.events.record (badges.ts). */
  metrics?: Record<string, unknown>;
}

export interface Lane extends Labelled {
  name: string;
  kind?: string;
  colour?: string;
}

export interface Card extends Labelled {
  touchpoint: Id;
  lane: Id;
  text: string;
  tags?: string[];
  source?: string;
  impact?: number | null;
  effort?: number | null;
}

export type Entity = Labelled;

export interface JourneyDoc {
  title?: string;
  language?: string;
  persona?: Id | null;
  scale?: Scale;
  personas?: Labelled[];
  stages?: Stage[];
  touchpoints?: Touchpoint[];
  lanes?: Lane[];
  cards?: Card[];
  [field: string]: unknown;
}

export interface AddEdit {
  op: "add";
  kind: Kind;
  item: Record<string, unknown>;
  index?: number | null;
}
export interface UpdateEdit {
  op: "update";
  id?: Id | null;
  kind?: "map" | null;
  changes: Record<string, unknown>;
}
export interface MoveEdit {
  op: "move";
  id: Id;
  index?: number | null;
  stage?: Id | null;
  touchpoint?: Id | null;
  lane?: Id | null;
}
export interface RemoveEdit {
  op: "remove";
  id: Id;
  cascade?: boolean;
  rehome?: Id | null;
}
export interface SetEmotionEdit {
  op: "set_emotion";
  id: Id;
  value: number | null;
}
export interface BatchEdit {
  op: "batch";
  edits: Edit[];
  label?: string;
}
export type Edit = AddEdit | UpdateEdit | MoveEdit | RemoveEdit | SetEmotionEdit | BatchEdit;

/** Colours from journeywidgets.theme.widget_theme(). */
export interface Theme {
  lane_colours?: Record<string, string>;
  positive?: string;
  negative?: string;
  neutral?: string;
  curve?: string;
  measured?: string;
  moment_of_truth?: string;
  card_text?: string;
  selection?: string;
}

/** Synced traits of `JourneyWidget`; names and types mirror the Python side. */
export interface WidgetTraits {
  _doc: JourneyDoc;
  _version: number;
  _uid: string;
  _theme: Theme;
  selected: Id[];
  zoom: number;
  height: number | string | null;
  language: string | null;
  readonly: boolean;
  error: string;
  /** Whether the kernel's map has a change to undo / redo (absent in older saved states). */
  can_undo?: boolean;
  can_redo?: boolean;
  /** The diff overlay of `show_diff` (see diff.ts); `{}` or absent when off. */
  _diff?: DiffData;
}

/** Messages the kernel sends (see the protocol in widget.py). */
export type KernelMessage =
  | { type: "ack"; seq: number; edit: Edit; version: number; view?: string }
  | { type: "reject"; seq: number; reason: string; view?: string }
  | { type: "edit"; edit: Edit; version: number; view?: string }
  | { type: "status"; message: string; view?: string }
  | { type: "synced"; version: number };

/** Messages the front end sends (`view`: the sending browser's session, for co-editing). */
export type FrontMessage =
  | { type: "edit"; seq: number; edit: Edit; view?: string }
  | { type: "undo"; mine?: boolean; view?: string }
  | { type: "redo" }
  | { type: "select"; ids: Id[] }
  | { type: "zoom"; value: number }
  | { type: "sync"; version?: number };
