// Behaviour badges: what an event log measured at a touchpoint (how many cases
// reach it, how many end there, the median time to the next step), drawn under
// its name. The numbers are the ones `jw.events.record` writes into the
// touchpoint's `metrics` (see src/journeywidgets/events/evidence.py); the front
// end reads them as plain numbers and computes nothing from the log.
import { el } from "./dom";
import type { Touchpoint } from "./types";

/** The prefix `jw.events.record` writes by default. */
export const PREFIX = "log_";

const SEPARATOR = " \u00b7 ";

/** What the log measured at one touchpoint; null where the map has no such number. */
export interface Behaviour {
  /** Cases that reached the touchpoint. */
  cases: number | null;
  /** Share of all cases that reached it, 0..1. */
  reach: number | null;
  /** Share of the cases reaching it whose journey ended there, 0..1. */
  dropOff: number | null;
  /** Median hours to the next different step. */
  medianHours: number | null;
}

function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A share is 0..1; anything else (text, a percentage typed by hand) is not shown. */
function share(value: unknown): number | null {
  const x = finite(value);
  return x !== null && x >= 0 && x <= 1 ? x : null;
}

/** The touchpoint's event-log numbers, or null when it has none to show. */
export function behaviourOf(tp: Touchpoint, prefix: string = PREFIX): Behaviour | null {
  const metrics = tp.metrics;
  if (!metrics || typeof metrics !== "object") return null;
  const m = metrics as Record<string, unknown>;
  const hours = finite(m[`${prefix}median_to_next_h`]);
  const cases = finite(m[`${prefix}cases`]);
  const b: Behaviour = {
    cases: cases !== null && cases >= 0 ? cases : null,
    reach: share(m[`${prefix}reach`]),
    dropOff: share(m[`${prefix}drop_off`]),
    medianHours: hours !== null && hours >= 0 ? hours : null,
  };
  return b.reach === null && b.dropOff === null && b.medianHours === null ? null : b;
}

/** 0.823 -> "82%"; a share that is not 0 or 1 never rounds to them. */
export function percent(x: number): string {
  const p = Math.round(x * 100);
  if (p === 0 && x > 0) return "<1%";
  if (p === 100 && x < 1) return ">99%";
  return `${p}%`;
}

function oneDecimal(x: number): string {
  return x < 9.95 ? x.toFixed(1).replace(/\.0$/, "") : String(Math.round(x));
}

/** Hours as the unit that reads best: "45 min", "5.5 h", "3.2 d" (compact) or in words. */
export function duration(hours: number, words = false): string {
  if (hours < 1) {
    const min = Math.round(hours * 60);
    if (min < 1) return words ? "under a minute" : "<1 min";
    return words ? `${min} minute${min === 1 ? "" : "s"}` : `${min} min`;
  }
  // 47.6 h reads better as hours than as "2 d"; from two days on, days.
  if (hours < 48) {
    const h = oneDecimal(hours);
    return words ? `${h} hour${h === "1" ? "" : "s"}` : `${h} h`;
  }
  const d = oneDecimal(hours / 24);
  return words ? `${d} days` : `${d} d`;
}

/** The badges as (key, value) pairs: ["reach ", "82%"], ["drop ", "7%"], ["", "3.2 d"]. */
export function badgeParts(b: Behaviour): [string, string][] {
  const parts: [string, string][] = [];
  if (b.reach !== null) parts.push(["reach ", percent(b.reach)]);
  if (b.dropOff !== null) parts.push(["drop ", percent(b.dropOff)]);
  if (b.medianHours !== null) parts.push(["", duration(b.medianHours)]);
  return parts;
}

/** The badges' compact text: "reach 82% \u00b7 drop 7% \u00b7 3.2 d". */
export function badgeText(b: Behaviour): string {
  return badgeParts(b)
    .map(([key, value]) => key + value)
    .join(SEPARATOR);
}

/** The same in words, for screen readers and the tooltip. */
export function badgeLabel(b: Behaviour): string {
  const bits: string[] = [];
  if (b.reach !== null) {
    const n = b.cases === null ? "" : ` (${Math.round(b.cases).toLocaleString("en")} cases)`;
    bits.push(`${percent(b.reach)} of cases reach it${n}`);
  }
  if (b.dropOff !== null) bits.push(`${percent(b.dropOff)} of them end their journey here`);
  if (b.medianHours !== null) bits.push(`median ${duration(b.medianHours, true)} to the next step`);
  return `event log: ${bits.join("; ")}`;
}

/** The badges of a touchpoint header, or null when it has no event-log numbers. */
export function badgesOf(tp: Touchpoint): HTMLElement | null {
  const b = behaviourOf(tp);
  if (!b) return null;
  // Text nodes only: the numbers come from the document, like any user text. Fit hides
  // the keys ("reach ", "drop "), which leaves "82% · 7% · 3.2 d" in a narrow column.
  const node = el("span", "jw-tp-badges");
  badgeParts(b).forEach(([key, value], i) => {
    if (i > 0) node.append(el("span", "jw-badge-sep", SEPARATOR));
    if (key) node.append(el("span", "jw-badge-key", key));
    node.append(value);
  });
  const label = badgeLabel(b);
  node.title = `E${label.slice(1)}.\nMeasured by jw.events.record (metrics ${PREFIX}reach, ${PREFIX}drop_off, ${PREFIX}median_to_next_h).`;
  node.setAttribute("aria-label", label);
  node.dataset["badges"] = "event-log";
  return node;
}

/** Whether any touchpoint of the map shows badges (their headers are then taller). */
export function anyBadges(tps: Iterable<Touchpoint | undefined>): boolean {
  for (const tp of tps) if (tp && behaviourOf(tp)) return true;
  return false;
}
