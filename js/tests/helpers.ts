// Shared set-up for the front-end tests: a small journey document, a fake model
// carrying every synced trait, and render() the way anywidget calls it
// (initialize once per model, render once per view).
import widget from "../src/widget";
import type { Edit, JourneyDoc, WidgetTraits } from "../src/types";
import { FakeModel } from "./fake-model";

export const LANE_COLOURS = {
  actions: "#8bc34a",
  thoughts: "#90caf9",
  emotions: "#f48fb1",
  expectations: "#ffb74d",
  pain_points: "#e57373",
  opportunities: "#fff176",
  channels: "#b0bec5",
  frontstage: "#80cbc4",
  backstage: "#9fa8da",
  support: "#bcaaa4",
  custom: "#e0e0e0",
};

/**
 * Stages want (ad, web) and use (invoice); lanes actions, emotions (colour
 * #ff00aa); cards c1 (ad/actions), c2, c3 (web/actions), c4 (invoice/actions),
 * c5 (web/emotions).
 */
export function sampleDoc(): JourneyDoc {
  return {
    id: "journey",
    title: "Buying electricity",
    language: "en",
    persona: null,
    scale: { min: -3, max: 3, neutral: 0, step: 1, labels: {} },
    schema_version: 2,
    personas: [],
    stages: [
      { id: "want", name: "I want electricity", labels: { pl: "Chcę mieć prąd" } },
      { id: "use", name: "I use and pay", labels: {} },
    ],
    touchpoints: [
      { id: "ad", stage: "want", name: "Advert", channel: "TV", emotion: 1, moment_of_truth: false },
      { id: "web", stage: "want", name: "Website", channel: "web", emotion: -1, moment_of_truth: true },
      { id: "invoice", stage: "use", name: "Invoice", channel: "letter", emotion: -2, moment_of_truth: false },
    ],
    lanes: [
      { id: "actions", name: "Actions", kind: "actions", colour: "" },
      { id: "emotions", name: "Emotions", kind: "emotions", colour: "#ff00aa" },
    ],
    cards: [
      { id: "c1", touchpoint: "ad", lane: "actions", text: "Sees the advert" },
      { id: "c2", touchpoint: "web", lane: "actions", text: "Compares tariffs" },
      { id: "c3", touchpoint: "web", lane: "actions", text: "Reads the small print" },
      { id: "c5", touchpoint: "web", lane: "emotions", text: "Confused", impact: 4, effort: 1 },
      { id: "c4", touchpoint: "invoice", lane: "actions", text: "Reads the invoice" },
    ],
  };
}

let uid = 0;

export function makeModel(doc: JourneyDoc = sampleDoc(), traits: Partial<WidgetTraits> = {}) {
  uid += 1;
  return new FakeModel<WidgetTraits>({
    _doc: doc,
    _version: 10,
    _uid: `test-${uid}`,
    _theme: {
      lane_colours: LANE_COLOURS,
      positive: "#2e7d32",
      negative: "#c62828",
      neutral: "#757575",
      curve: "#3949ab",
      measured: "#ef6c00",
      moment_of_truth: "#f9a825",
      card_text: "#1f2328",
      selection: "#1976d2",
    },
    selected: [],
    zoom: 1,
    height: null,
    language: null,
    readonly: false,
    error: "",
    ...traits,
  });
}

export type TestModel = ReturnType<typeof makeModel>;

const host = {
  getWidget: () => Promise.reject(new Error("no host")),
  getModel: () => Promise.reject(new Error("no host")),
};
const experimental = { invoke: () => Promise.reject(new Error("no invoke")) };

/** initialize (once per model) then render one view, as anywidget does. */
export async function initialize(model: TestModel): Promise<() => void> {
  const controller = new AbortController();
  const cleanup = await widget.initialize({ model, signal: controller.signal, experimental });
  return typeof cleanup === "function" ? (cleanup as () => void) : () => undefined;
}

export async function renderView(model: TestModel, width = 1100) {
  const el = document.createElement("div");
  el.style.width = `${width}px`;
  document.body.append(el);
  const controller = new AbortController();
  const cleanup = await widget.render({ model, el, signal: controller.signal, host, experimental });
  return {
    el,
    cleanup: () => {
      if (typeof cleanup === "function") cleanup();
      el.remove();
    },
  };
}

/**
 * A model with one view, ready to be driven. The session's opening message (which version
 * it starts from) is checked and taken off `model.sent`, so tests see only what they caused.
 */
export async function setup(doc?: JourneyDoc, traits: Partial<WidgetTraits> = {}, width?: number) {
  const model = makeModel(doc, traits);
  const release = await initialize(model);
  const view = await renderView(model, width);
  const opening = model.sent.shift();
  const expected = { type: "sync", version: model.get("_version") };
  if (JSON.stringify(opening) !== JSON.stringify(expected)) {
    throw new Error(`expected the session to open with ${JSON.stringify(expected)}, got ${JSON.stringify(opening)}`);
  }
  model.emitCustom({ type: "synced", version: model.get("_version") }); // as a kernel answers
  return {
    model,
    el: view.el,
    cleanup: () => {
      view.cleanup();
      release();
    },
  };
}

export type Sent = { type: string; seq?: number; edit?: Edit; ids?: string[]; value?: number };

/** Edit messages the view sent, in order. */
export function sentEdits(model: TestModel): { seq: number; edit: Edit }[] {
  return (model.sent as Sent[]).filter((m) => m.type === "edit").map((m) => ({ seq: m.seq!, edit: m.edit! }));
}

/** The one edit sent since `from` (a count of earlier messages). */
export function onlyEditSince(model: TestModel, from: number): Edit {
  const edits = (model.sent.slice(from) as Sent[]).filter((m) => m.type === "edit");
  if (edits.length !== 1) throw new Error(`expected one edit, got ${JSON.stringify(edits)}`);
  return edits[0]!.edit!;
}

/** Answer the latest edit the way the kernel does when it accepts it unchanged. */
export function ackLast(model: TestModel, version: number, applied?: Edit): void {
  const last = sentEdits(model).at(-1)!;
  model.emitCustom({ type: "ack", seq: last.seq, edit: applied ?? last.edit, version });
}

/** Wait for microtasks (the coalesced _doc publish) and one animation frame. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  await Promise.resolve();
}

export function cardsIn(el: HTMLElement, tp: string, lane: string): string[] {
  const cell = el.querySelector(`.jw-cell[data-tp="${tp}"][data-lane="${lane}"]`);
  if (!cell) throw new Error(`no cell ${tp}/${lane}`);
  return [...cell.querySelectorAll<HTMLElement>(":scope > .jw-card")].map((c) => c.dataset["id"]!);
}

/** Every card id drawn in the view, with repeats: a card must be drawn exactly once. */
export function allCards(el: HTMLElement): string[] {
  return [...el.querySelectorAll<HTMLElement>(".jw-grid .jw-card")].map((c) => c.dataset["id"]!).sort();
}

export function q<T extends Element = HTMLElement>(el: ParentNode, selector: string): T {
  const found = el.querySelector<T>(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  return found;
}

export function card(el: HTMLElement, id: string): HTMLElement {
  return q(el, `.jw-card[data-id="${id}"]`);
}

export function item(el: HTMLElement, kind: string, id: string): HTMLElement {
  return q(el, `[data-kind="${kind}"][data-id="${id}"]`);
}

export function cell(el: HTMLElement, tp: string, lane: string): HTMLElement {
  return q(el, `.jw-cell[data-tp="${tp}"][data-lane="${lane}"]`);
}

const cleanups: (() => void)[] = [];

/** Like `setup`, but the view is torn down by `teardownViews` (run it in `afterEach`). */
export async function view(...args: Parameters<typeof setup>) {
  const v = await setup(...args);
  cleanups.push(v.cleanup);
  return v;
}

/** Run these when the test ends, with the views' own clean-ups. */
export function onTeardown(...fns: (() => void)[]): void {
  cleanups.push(...fns);
}

/** Tear down every view `view` rendered, and empty the page for the next test. */
export function teardownViews(): void {
  for (const c of cleanups.splice(0)) c();
  document.body.replaceChildren();
}
