// Zoom: the `zoom` trait, stepped by the toolbar and Ctrl+wheel. Other views of
// the same model follow at once; the kernel hears it once the user pauses.
import type { Model, Session } from "./session";

const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4];
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 4;

export function clampZoom(value: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(value * 100) / 100));
}

export class Zoom {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly model: Model,
    private readonly session: Session,
  ) {}

  get value(): number {
    const z = Number(this.model.get("zoom"));
    return Number.isFinite(z) && z > 0 ? Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z)) : 1;
  }

  set(value: number): void {
    const z = clampZoom(value);
    if (z === this.value) return;
    this.model.set("zoom", z);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.session.setZoom(this.value);
    }, 250);
  }

  step(direction: 1 | -1): void {
    const z = this.value;
    const next =
      direction > 0
        ? (ZOOM_STEPS.find((s) => s > z + 1e-9) ?? MAX_ZOOM)
        : ([...ZOOM_STEPS].reverse().find((s) => s < z - 1e-9) ?? MIN_ZOOM);
    this.set(next);
  }

  /** Ctrl+wheel (and a trackpad's pinch, which browsers report as one) zooms. */
  wheel(e: WheelEvent): void {
    if (!(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    e.stopPropagation();
    this.set(this.value * Math.exp(-e.deltaY * 0.002));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
