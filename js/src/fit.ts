// Fit: the whole journey's width in the widget, with text kept readable. Columns
// shrink to share the room the widget has (the view's zoom is set aside), cards
// become one line plus a count of the cell's cards (all of them, in full, on
// hover or focus), and narrow columns turn their touchpoint names upright. The
// same button, or any zoom button, goes back to the full view. UI state only:
// never synced to Python.
import { button } from "./dom";

/** Below this column width (px) touchpoint names are set upright. */
const UPRIGHT_BELOW = 84;
/** Below this, a cell shows only how many cards it holds. */
const COUNT_ONLY_BELOW = 44;
const MIN_COLUMN = 12;
const MAX_COLUMN = 172;
/** The lane labels' width, and a narrower one when the columns would be very narrow. */
const LABEL = 116;
const NARROW_LABEL = 84;

export interface FitHost {
  readonly root: HTMLElement;
  readonly scroller: HTMLElement;
  /** How many columns the grid has now. */
  readonly columnCount: number;
  /** Fit was turned on or off, or the column width changed: redraw what depends on it. */
  fitChanged(): void;
}

export class Fit {
  readonly button: HTMLButtonElement;
  private on = false;
  private width = MAX_COLUMN;
  private readonly observer: ResizeObserver | null;

  constructor(private readonly host: FitHost) {
    this.button = button(
      "jw-btn jw-fit-btn",
      "\u2194 Fit",
      "Fit the whole journey in view",
      "Fit the whole journey's width in view",
    );
    this.button.setAttribute("aria-pressed", "false");
    this.button.addEventListener("click", () => this.toggle());
    this.observer =
      typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => this.on && this.apply(true));
  }

  get active(): boolean {
    return this.on;
  }

  /** Column width in px while fitted, else null. */
  get columnWidth(): number | null {
    return this.on ? this.width : null;
  }

  toggle(on = !this.on): void {
    if (on === this.on) return;
    this.on = on;
    this.button.setAttribute("aria-pressed", String(on));
    this.button.textContent = on ? "\u2195 Full view" : "\u2194 Fit";
    this.button.setAttribute("aria-label", on ? "Fit is on: back to the full view" : "Fit the whole journey in view");
    this.host.root.classList.toggle("jw-fit", on);
    if (on) this.observer?.observe(this.host.root);
    else this.observer?.disconnect();
    this.apply(false);
    this.host.fitChanged();
  }

  /** Size the columns to the room there is; `notify`: tell the host if that changed them. */
  apply(notify = false): void {
    const { root } = this.host;
    if (!this.on) {
      for (const name of ["--jw-col-w", "--jw-label-w"]) root.style.removeProperty(name);
      root.classList.remove("jw-fit-upright", "jw-fit-count", "jw-fit-narrow");
      return;
    }
    const { scroller } = this.host;
    const columns = Math.max(1, this.host.columnCount);
    // Fractional widths: 60 columns of 12.4 px fit where 60 of 12 would leave a gap and
    // 60 of 13 would not fit.
    const size = (room: number): [number, number] => {
      const label = (room - LABEL) / columns < 18 ? NARROW_LABEL : LABEL;
      const width = Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, (room - label) / columns));
      return [Math.floor(width * 100) / 100, label];
    };
    const set = ([width, label]: [number, number]): number => {
      root.style.setProperty("--jw-col-w", `${width}px`);
      root.style.setProperty("--jw-label-w", `${label}px`);
      root.classList.toggle("jw-fit-upright", width < UPRIGHT_BELOW);
      root.classList.toggle("jw-fit-count", width < COUNT_ONLY_BELOW);
      root.classList.toggle("jw-fit-narrow", label === NARROW_LABEL);
      return width;
    };
    // The room inside the scroller's borders and its vertical scroll bar, which may only
    // appear once the columns are narrower (the upright names make the header taller).
    let width = set(size(scroller.clientWidth || root.clientWidth - 2));
    if (scroller.scrollWidth > scroller.clientWidth) width = set(size(scroller.clientWidth));
    const changed = width !== this.width;
    this.width = width;
    if (notify && changed) this.host.fitChanged();
  }

  dispose(): void {
    this.observer?.disconnect();
  }
}
