// Colours from Python (journeywidgets.theme.widget_theme, synced as `_theme`):
// set as --jw-theme-* variables that the stylesheet falls back on, and the
// colour of each lane.
import type { Lane, Theme } from "./types";

/** Set the theme's colours on the widget's root element. */
export function applyTheme(root: HTMLElement, theme: Theme | undefined): void {
  const t: Theme = theme ?? {};
  const vars: [string, string | undefined][] = [
    ["--jw-theme-positive", t.positive],
    ["--jw-theme-negative", t.negative],
    ["--jw-theme-neutral", t.neutral],
    ["--jw-theme-curve", t.curve],
    ["--jw-theme-measured", t.measured],
    ["--jw-theme-mot", t.moment_of_truth],
    ["--jw-theme-card-text", t.card_text],
    ["--jw-theme-selection", t.selection],
  ];
  for (const [name, value] of vars) {
    if (value) root.style.setProperty(name, value);
  }
}

/** A lane's own colour when it is a valid hex colour, else its kind's default. */
export function laneColour(lane: Lane | undefined, theme: Theme | undefined): string {
  const colour = lane?.colour;
  if (typeof colour === "string" && /^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/.test(colour)) return colour;
  const defaults = theme?.lane_colours ?? {};
  return defaults[lane?.kind ?? "custom"] ?? defaults["custom"] ?? "#e0e0e0";
}
