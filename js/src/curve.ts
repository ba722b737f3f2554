// The emotion row: an SVG curve through the touchpoints' emotions, with the
// neutral line, green shading above it and red below, moment-of-truth stars,
// survey-measured values, and points that can be dragged (or moved with the
// arrow keys) up and down, snapping to the scale's step.
import { SIZES, formatEmotion, labelOf, snap, type Layout } from "./layout";
import type { JourneyStore } from "./store";
import { uniqueId } from "./ids";
import type { Id, Scale, Touchpoint } from "./types";

const SVG = "http://www.w3.org/2000/svg";
const PAD = 16;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export interface CurveHost {
  readonly store: JourneyStore;
  readonly layout: Layout;
  readonly language: string | null;
  readonly readonly: boolean;
  commitEmotion(tp: Id, value: number | null): void;
  announce(text: string): void;
  /** Width of a column in px at zoom 1, when the view sets its own (Fit); else SIZES.column. */
  readonly columnWidth?: number | null;
  /** The columns drawn on a wide map (the curve draws those too); null or absent: all. */
  readonly columnRange?: readonly [number, number] | null;
  /** Scroll a touchpoint of a wide map into view and draw it. */
  reveal?(kind: "touchpoint", id: Id): boolean;
}

/** y coordinate (in SVG units) of an emotion value. */
export function yOf(value: number, scale: Scale): number {
  const h = SIZES.curve - 2 * PAD;
  return PAD + ((scale.max - value) / (scale.max - scale.min)) * h;
}

/** The emotion value at SVG y, before snapping. */
export function valueAt(y: number, scale: Scale): number {
  const h = SIZES.curve - 2 * PAD;
  return scale.max - ((y - PAD) / h) * (scale.max - scale.min);
}

export class EmotionCurve {
  readonly el: SVGSVGElement;
  // Unique in the page: another widget's curve must never clip with these.
  private readonly clipId = uniqueId("jw-clip");
  private drag: { tp: Id; start: number | null; value: number | null; pointerId: number } | null = null;

  constructor(private readonly host: CurveHost) {
    // Stretched to its row, not scaled to fit: a row a pixel short of SIZES.curve (Fit) would
    // otherwise shrink the whole curve and, on a wide map, shift its points off their columns.
    this.el = svg("svg", { class: "jw-curve-svg", role: "group", preserveAspectRatio: "none" });
    this.el.addEventListener("pointerdown", (e) => this.pointerDown(e));
    this.el.addEventListener("pointermove", (e) => this.pointerMove(e));
    this.el.addEventListener("pointerup", (e) => this.pointerUp(e));
    this.el.addEventListener("pointercancel", () => this.cancel());
  }

  get dragging(): boolean {
    return this.drag !== null;
  }

  /** Draw everything; `override` shows a value being dragged before it is committed. */
  render(override?: { tp: Id; value: number | null }): void {
    const { store, layout } = this.host;
    const scale = store.scale;
    const columnWidth = this.host.columnWidth ?? SIZES.column;
    const width = layout.columns.length * columnWidth;
    const el = this.el;
    el.setAttribute("viewBox", `0 0 ${Math.max(width, 1)} ${SIZES.curve}`);
    el.setAttribute("aria-label", "Emotion curve");
    // Redrawing replaces the points: remember which had focus to give it back.
    const focused = (el.getRootNode() as Document | ShadowRoot).activeElement;
    const focusedTp = focused instanceof SVGElement && el.contains(focused) ? focused.getAttribute("data-tp") : null;
    el.replaceChildren();

    const yNeutral = yOf(scale.neutral, scale);
    const defs = svg("defs");
    const above = svg("clipPath", { id: `${this.clipId}-pos` });
    above.append(svg("rect", { x: 0, y: 0, width, height: yNeutral }));
    const below = svg("clipPath", { id: `${this.clipId}-neg` });
    below.append(svg("rect", { x: 0, y: yNeutral, width, height: SIZES.curve - yNeutral }));
    defs.append(above, below);
    el.append(defs);

    // Grid lines for each step of the scale, then the neutral line over them.
    const grid = svg("g", { class: "jw-curve-grid" });
    const steps = Math.round((scale.max - scale.min) / scale.step);
    if (steps <= 40) {
      for (let i = 0; i <= steps; i++) {
        const v = scale.min + i * scale.step;
        grid.append(svg("line", { x1: 0, x2: width, y1: yOf(v, scale), y2: yOf(v, scale) }));
      }
    }
    el.append(grid);
    el.append(svg("line", { class: "jw-neutral", x1: 0, x2: width, y1: yNeutral, y2: yNeutral }));

    // The points in journey order; runs of set emotions make the curve.
    type Pt = { tp: Id; x: number; value: number | null; t: Touchpoint };
    const points: Pt[] = [];
    // On a wide map only the drawn columns' points, and one more each side so the line
    // runs on past the edge of what is drawn.
    const range = this.host.columnRange ?? null;
    const from = range ? Math.max(0, range[0] - 1) : 0;
    const to = range ? Math.min(layout.columns.length, range[1] + 1) : layout.columns.length;
    for (let i = from; i < to; i++) {
      const column = layout.columns[i]!;
      if (column.touchpoint === null) continue;
      const t = store.get<Touchpoint>(column.touchpoint);
      if (!t) continue;
      let value = t.emotion ?? null;
      if (override && override.tp === t.id) value = override.value;
      points.push({ tp: t.id, x: (column.index + 0.5) * columnWidth, value, t });
    }
    const runs: Pt[][] = [];
    let run: Pt[] = [];
    for (const p of points) {
      if (p.value === null) {
        if (run.length) runs.push(run);
        run = [];
      } else run.push(p);
    }
    if (run.length) runs.push(run);

    for (const r of runs) {
      const line = r.map((p, i) => `${i ? "L" : "M"}${p.x},${yOf(p.value!, scale)}`).join("");
      const area = `${line}L${r[r.length - 1]!.x},${yNeutral}L${r[0]!.x},${yNeutral}Z`;
      el.append(
        svg("path", { class: "jw-area-pos", d: area, "clip-path": `url(#${this.clipId}-pos)` }),
        svg("path", { class: "jw-area-neg", d: area, "clip-path": `url(#${this.clipId}-neg)` }),
      );
      el.append(svg("path", { class: "jw-curve-line", d: line }));
    }

    // Survey-measured values: a dashed line, dots and their intervals.
    const measured = points.filter((p) => p.t.measured && typeof p.t.measured.emotion === "number");
    if (measured.length) {
      const g = svg("g", { class: "jw-measured" });
      const d = measured.map((p, i) => `${i ? "L" : "M"}${p.x},${yOf(p.t.measured!.emotion, scale)}`);
      g.append(svg("path", { class: "jw-measured-line", d: d.join("") }));
      for (const p of measured) {
        const m = p.t.measured!;
        if (typeof m.low === "number" && typeof m.high === "number") {
          g.append(svg("line", { x1: p.x + 9, x2: p.x + 9, y1: yOf(m.low, scale), y2: yOf(m.high, scale) }));
        }
        const dot = svg("rect", {
          class: "jw-measured-dot",
          x: p.x + 5,
          y: yOf(m.emotion, scale) - 4,
          width: 8,
          height: 8,
        });
        const title = svg("title");
        title.textContent = `Measured ${formatEmotion(m.emotion)}${m.n ? ` (n=${m.n})` : ""}`;
        dot.append(title);
        g.append(dot);
      }
      el.append(g);
    }

    for (const p of points) {
      const name = labelOf(p.t, this.host.language);
      const y = p.value === null ? yNeutral : yOf(p.value, scale);
      const g = svg("g", {
        class: `jw-point${p.value === null ? " jw-point-empty" : ""}${p.t.moment_of_truth ? " jw-point-mot" : ""}`,
        "data-tp": p.tp,
        tabindex: 0,
        role: "slider",
        "aria-orientation": "vertical",
        "aria-valuemin": scale.min,
        "aria-valuemax": scale.max,
        "aria-valuetext": `${formatEmotion(p.value)}${scaleLabel(scale, p.value)}`,
        "aria-readonly": String(this.host.readonly),
      });
      if (p.value !== null) g.setAttribute("aria-valuenow", String(p.value));
      g.setAttribute("aria-label", `Emotion at ${name}`);
      g.append(svg("circle", { class: "jw-point-hit", cx: p.x, cy: y, r: 14 }));
      g.append(svg("circle", { class: "jw-point-dot", cx: p.x, cy: y, r: 6 }));
      if (p.t.moment_of_truth) {
        const star = svg("path", {
          class: "jw-mot-star",
          d: starPath(p.x, y - 15, 7),
        });
        const title = svg("title");
        title.textContent = "Moment of truth";
        star.append(title);
        g.append(star);
      }
      if (this.drag && this.drag.tp === p.tp) {
        const label = svg("text", {
          class: "jw-readout",
          x: p.x + 12,
          y: Math.max(12, y - 8),
        });
        label.textContent = `${formatEmotion(p.value)}${scaleLabel(scale, p.value)}`;
        g.append(label);
      }
      el.append(g);
    }
    if (focusedTp !== null) this.point(focusedTp)?.focus({ preventScroll: true });
  }

  point(tp: Id): SVGGElement | null {
    for (const g of this.el.querySelectorAll<SVGGElement>("g.jw-point")) {
      if (g.getAttribute("data-tp") === tp) return g;
    }
    return null;
  }

  // ------------------------------------------------------------------ pointer
  private pointerDown(e: PointerEvent): void {
    const g = (e.target as Element).closest?.("g.jw-point");
    if (!g || e.button !== 0) return;
    // Keep JupyterLab from starting a cell drag or stealing focus.
    e.preventDefault();
    e.stopPropagation();
    (g as SVGGElement).focus({ preventScroll: true });
    if (this.host.readonly) return;
    const tp = g.getAttribute("data-tp")!;
    const start = this.host.store.get<Touchpoint>(tp)?.emotion ?? null;
    this.drag = { tp, start, value: start, pointerId: e.pointerId };
    this.el.setPointerCapture?.(e.pointerId);
    this.update(e);
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.drag || e.pointerId !== this.drag.pointerId) return;
    e.preventDefault();
    this.update(e);
  }

  private update(e: PointerEvent): void {
    const drag = this.drag!;
    const rect = this.el.getBoundingClientRect();
    if (rect.height === 0) return;
    const y = ((e.clientY - rect.top) / rect.height) * SIZES.curve;
    const value = snap(valueAt(y, this.host.store.scale), this.host.store.scale);
    if (value !== drag.value) {
      drag.value = value;
      this.render({ tp: drag.tp, value });
    } else if (!this.el.querySelector(".jw-readout")) {
      this.render({ tp: drag.tp, value });
    }
  }

  private pointerUp(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.pointerId) return;
    e.preventDefault();
    e.stopPropagation();
    this.drag = null;
    this.el.releasePointerCapture?.(e.pointerId);
    if (drag.value !== drag.start) {
      this.host.commitEmotion(drag.tp, drag.value);
    } else {
      this.render();
    }
  }

  cancel(): void {
    if (!this.drag) return;
    this.drag = null;
    this.render();
    this.host.announce("Emotion change cancelled.");
  }

  // ------------------------------------------------------------------ keyboard
  /** Keys on a focused point (the view routes them here). */
  keyDown(e: KeyboardEvent): void {
    const g = (e.target as Element).closest?.("g.jw-point");
    if (!g) return;
    const tp = g.getAttribute("data-tp")!;
    const scale = this.host.store.scale;
    const current = this.host.store.get<Touchpoint>(tp)?.emotion ?? null;
    let next: number | null | undefined;
    switch (e.key) {
      case "Escape":
        if (this.drag) {
          this.cancel();
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      case "ArrowUp":
        next = snap((current ?? scale.neutral) + (current === null ? 0 : scale.step), scale);
        break;
      case "ArrowDown":
        next = snap((current ?? scale.neutral) - (current === null ? 0 : scale.step), scale);
        break;
      case "PageUp":
      case "Home":
        next = scale.max;
        break;
      case "PageDown":
      case "End":
        next = scale.min;
        break;
      case "Delete":
      case "Backspace":
        next = null;
        break;
      case "ArrowLeft":
      case "ArrowRight": {
        // From the layout, not the drawn points: a wide map draws only those near the view.
        const tps = this.host.layout.columns.flatMap((c) => (c.touchpoint === null ? [] : [c.touchpoint]));
        const next = tps[tps.indexOf(tp) + (e.key === "ArrowLeft" ? -1 : 1)];
        if (next !== undefined) {
          this.host.reveal?.("touchpoint", next);
          const point = this.point(next);
          point?.focus();
          point?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
        }
        e.preventDefault();
        e.stopPropagation();
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    if (this.host.readonly || next === undefined || next === current) return;
    this.host.commitEmotion(tp, next);
  }
}

function scaleLabel(scale: Scale, value: number | null): string {
  if (value === null || !scale.labels) return "";
  const label = scale.labels[String(value)] ?? scale.labels[value.toFixed(1)];
  return label ? ` (${label})` : "";
}

function starPath(cx: number, cy: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const radius = i % 2 ? r * 0.45 : r;
    const angle = (Math.PI / 5) * i - Math.PI / 2;
    pts.push(`${(cx + radius * Math.cos(angle)).toFixed(2)},${(cy + radius * Math.sin(angle)).toFixed(2)}`);
  }
  return `M${pts.join("L")}Z`;
}
