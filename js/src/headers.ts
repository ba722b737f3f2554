// The grid's headers: stage bars, touchpoint column heads, lane labels and the
// emotion row's label with its scale ticks. Each fill function (re)draws one
// header into its element, so an edit to a name redraws that header only.
import { badgeLabel, badgesOf, behaviourOf } from "./badges";
import { button, el } from "./dom";
import { SIZES, labelOf } from "./layout";
import { isTemporary } from "./session";
import type { JourneyStore } from "./store";
import type { Id, Lane, Stage, Touchpoint } from "./types";

export interface HeaderContext {
  readonly store: JourneyStore;
  readonly language: string | null;
  readonly helpId: string;
}

function asButton(node: HTMLElement, role: string, label: string, helpId: string): void {
  node.tabIndex = 0;
  node.setAttribute("role", "button");
  node.setAttribute("aria-roledescription", role);
  node.setAttribute("aria-label", label);
  node.setAttribute("aria-describedby", helpId);
}

function deleteButton(target: Id, label: string): HTMLButtonElement {
  const del = button("jw-del", "\u00d7", label);
  del.dataset["action"] = "delete";
  del.dataset["target"] = target;
  del.tabIndex = -1;
  return del;
}

export function fillStage(ctx: HeaderContext, id: Id, node: HTMLElement): void {
  const stage = ctx.store.get<Stage>(id);
  if (!stage) return;
  const name = labelOf(stage, ctx.language);
  const count = ctx.store.touchpoints.get(id)?.length ?? 0;
  asButton(node, "stage", `Stage ${name}, ${count} touchpoint${count === 1 ? "" : "s"}`, ctx.helpId);
  // Long names wrap onto a second line (and a third at most); the tooltip has it all.
  const label = el("span", "jw-stage-name", name);
  label.title = name;
  const tools = el("span", "jw-tools");
  const add = button("jw-add jw-add-tp", "+", `Add a touchpoint to ${name}`);
  add.dataset["action"] = "add-touchpoint";
  add.dataset["stage"] = id;
  add.tabIndex = -1;
  tools.append(add, deleteButton(id, `Delete stage ${name} and its touchpoints`));
  node.replaceChildren(label, tools);
  node.classList.toggle("jw-pending", isTemporary(id));
}

export function fillTouchpoint(ctx: HeaderContext, id: Id, node: HTMLElement): void {
  const tp = ctx.store.get<Touchpoint>(id);
  if (!tp) return;
  const name = labelOf(tp, ctx.language);
  const bits = [`Touchpoint ${name}`];
  if (tp.channel) bits.push(`channel ${tp.channel}`);
  if (tp.moment_of_truth) bits.push("moment of truth");
  if (tp.emotion == null) bits.push("no emotion recorded");
  const behaviour = behaviourOf(tp);
  if (behaviour) bits.push(badgeLabel(behaviour));
  asButton(node, "touchpoint", bits.join(", "), ctx.helpId);
  const title = el("span", "jw-tp-name", name);
  title.title = name;
  const meta = el("span", "jw-tp-meta");
  if (tp.moment_of_truth) {
    const star = el("span", "jw-mot", "\u2605");
    star.title = "Moment of truth";
    meta.append(star);
  }
  if (tp.channel) meta.append(el("span", "jw-channel", String(tp.channel)));
  const badges = badgesOf(tp);
  node.replaceChildren(title, meta, deleteButton(id, `Delete touchpoint ${name} and its cards`));
  if (badges) meta.after(badges);
  node.classList.toggle("jw-mot-column", Boolean(tp.moment_of_truth));
  node.classList.toggle("jw-no-emotion", tp.emotion == null);
  node.classList.toggle("jw-pending", isTemporary(id));
}

export function fillLane(ctx: HeaderContext, id: Id, node: HTMLElement, colour: string): void {
  const lane = ctx.store.get<Lane>(id);
  if (!lane) return;
  const name = labelOf(lane, ctx.language);
  asButton(node, "lane", `Lane ${name}`, ctx.helpId);
  node.style.setProperty("--jw-lane", colour);
  const title = el("span", "jw-lane-name", name);
  title.title = name;
  const kind = el("span", "jw-lane-kind", String(lane.kind ?? "custom").replace("_", " "));
  node.replaceChildren(title, kind, deleteButton(id, `Delete lane ${name} and its cards`));
  node.classList.toggle("jw-pending", isTemporary(id));
}

export function fillCurveLabel(ctx: HeaderContext, label: HTMLElement): void {
  const scale = ctx.store.scale;
  label.replaceChildren(el("span", "jw-lane-name", "Emotion"));
  const ticks = el("div", "jw-ticks");
  ticks.setAttribute("aria-hidden", "true");
  for (const [value, cls] of [
    [scale.max, "jw-tick-max"],
    [scale.neutral, "jw-tick-neutral"],
    [scale.min, "jw-tick-min"],
  ] as const) {
    const tick = el("span", `jw-tick ${cls}`, value > 0 ? `+${value}` : String(value));
    const frac = (scale.max - value) / (scale.max - scale.min);
    tick.style.top = `calc(${(16 + frac * (SIZES.curve - 32)).toFixed(1)}px * var(--jw-z))`;
    ticks.append(tick);
  }
  label.append(ticks);
}
