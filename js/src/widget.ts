/* Specifies attributes defined with traitlets in ../../src/journeywidgets/widget.py */

// Entry point of the bundle: anywidget loads this module (built to
// src/journeywidgets/static/widget.js) and calls `initialize` once per model and
// `render` once per view. The model-wide state (the browser's copy of the map and
// the edits waiting for the kernel) lives in a Session that every view shares.
import type { Initialize, Render } from "@anywidget/types";

import { showRemoteEdits } from "./remote";
import { acquireSession } from "./session-registry";
import type { WidgetTraits } from "./types";
import { JourneyView } from "./view";
import "./widget.css";

export type { JourneyDoc, WidgetTraits } from "./types";
export type { Model as WidgetModel } from "./session";

const initialize: Initialize<WidgetTraits> = ({ model }) => {
  // Held for the model's lifetime, so views coming and going share one copy.
  const { release } = acquireSession(model);
  return release;
};

const render: Render<WidgetTraits> = ({ model, el }) => {
  const view = new JourneyView(model, el);
  // co-editing: other people's edits are outlined and announced (see remote.ts)
  const { session, release } = acquireSession(model);
  const stopRemote = showRemoteEdits(session, el, () => model.get("language"));
  return () => {
    stopRemote();
    release();
    view.dispose();
  };
};

export default { initialize, render };
