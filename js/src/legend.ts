// One legend for what the emotion row draws: the workshop's emotion (the curve's
// points), survey-measured values (squares with their interval), touchpoints
// with no emotion recorded (hollow, dashed: not the same as neutral), moments of
// truth (stars). Only what the map has is listed.
import { el } from "./dom";
import type { JourneyStore } from "./store";
import type { Touchpoint } from "./types";

const SVG = "http://www.w3.org/2000/svg";

function node(tag: string, attrs: Record<string, string | number>, ...children: SVGElement[]): SVGElement {
  const n = document.createElementNS(SVG, tag) as SVGElement;
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  n.append(...children);
  return n;
}

/** A small drawing of a mark, with the classes the emotion row draws it with. */
function swatch(kind: string): SVGElement {
  const dot = () => node("circle", { class: "jw-legend-dot", cx: 10, cy: 7, r: 4.5 });
  const marks: Record<string, () => SVGElement[]> = {
    workshop: () => [node("path", { class: "jw-legend-line", d: "M0,7H20" }), dot()],
    measured: () => [
      node("line", { class: "jw-legend-interval", x1: 10, x2: 10, y1: 1, y2: 13 }),
      node("rect", { class: "jw-legend-measured", x: 6, y: 3, width: 8, height: 8 }),
    ],
    none: () => [node("g", { class: "jw-legend-empty" }, dot())],
    mot: () => [
      node("path", {
        class: "jw-legend-star",
        d: "M10,1L11.8,5.5L16.6,5.8L12.9,8.9L14.1,13.5L10,11L5.9,13.5L7.1,8.9L3.4,5.8L8.2,5.5Z",
      }),
    ],
  };
  const attrs = { class: `jw-swatch jw-swatch-${kind}`, viewBox: "0 0 20 14", "aria-hidden": "true" };
  return node("svg", attrs, ...(marks[kind]?.() ?? []));
}

/** The legend's entries for a map: [kind, text]. */
export function legendItems(store: JourneyStore): [string, string][] {
  const tps = store.journey().map((id) => store.get<Touchpoint>(id)!);
  const items: [string, string][] = [];
  if (tps.some((t) => t.emotion != null)) items.push(["workshop", "Workshop emotion"]);
  if (tps.some((t) => t.measured && typeof t.measured.emotion === "number")) {
    items.push(["measured", "Measured (survey), with its interval"]);
  }
  if (tps.some((t) => t.emotion == null)) items.push(["none", "No emotion recorded"]);
  if (tps.some((t) => t.moment_of_truth)) items.push(["mot", "Moment of truth"]);
  return items;
}

export class Legend {
  readonly el: HTMLElement;
  private drawn = "";

  constructor() {
    this.el = el("ul", "jw-legend");
    this.el.setAttribute("aria-label", "Legend");
  }

  render(store: JourneyStore): void {
    const items = legendItems(store);
    const key = JSON.stringify(items);
    if (key === this.drawn) return;
    this.drawn = key;
    this.el.hidden = items.length === 0;
    this.el.replaceChildren(
      ...items.map(([kind, text]) => {
        const li = el("li", `jw-legend-item jw-legend-${kind}`);
        li.append(swatch(kind), el("span", "", text));
        return li;
      }),
    );
  }
}
