/* Specifies attributes defined with traitlets in ../../src/journeywidgets/widget.py */

// Entry point of the bundle: anywidget loads this module (built to
// src/journeywidgets/static/widget.js) and calls `initialize` once per model and
// `render` once per view. Keep this file thin: DOM building lives in view.ts so
// the real editor can grow in its own modules.
import type { AnyModel, Initialize, Render } from "@anywidget/types";

import { mountView } from "./view";
import "./widget.css";

/** The journey document as synced from Python (`JourneyWidget._doc`). */
export interface JourneyDoc {
  title?: string;
  [key: string]: unknown;
}

/** Synced traits of `JourneyWidget`; names and types mirror the Python side. */
export interface WidgetTraits {
  _doc: JourneyDoc;
}

export type WidgetModel = AnyModel<WidgetTraits>;

const initialize: Initialize<WidgetTraits> = () => {
  // Nothing model-wide yet; the real widget will set up edit queues here.
};

const render: Render<WidgetTraits> = ({ model, el }) => mountView(model, el);

export default { initialize, render };
