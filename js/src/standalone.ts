// Entry point of static/standalone.js, the script of the self-contained page that
// journeywidgets.export.to_html writes: the widget itself (widget.ts, unchanged)
// rendered against a LocalKernelModel, which plays the kernel's part in the page,
// plus the page's "Download JSON" button. The page holds its data in
// <script type="application/json" id="jw-data">: {"doc", "theme", "options"}.
import type { Experimental, Host } from "@anywidget/types";

import widget from "./widget";
import { LocalKernelModel } from "./local-kernel";
import type { WidgetTraits } from "./types";

interface PageData {
  doc: WidgetTraits["_doc"];
  theme?: WidgetTraits["_theme"];
  options?: { language?: string | null; readonly?: boolean; height?: number | string | null; zoom?: number };
  filename?: string;
}

declare global {
  interface Window {
    /** The page's model, for scripts and tests: `journeywidgets.model.document()`. */
    journeywidgets?: { model: LocalKernelModel; download: () => void };
  }
}

function readData(): PageData {
  const node = document.getElementById("jw-data");
  if (!node?.textContent) throw new Error("this page has no map data (#jw-data)");
  return JSON.parse(node.textContent) as PageData;
}

function download(model: LocalKernelModel, filename: string): void {
  const text = `${JSON.stringify(model.document(), null, 2)}\n`;
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function start(): void {
  const data = readData();
  const options = data.options ?? {};
  const model = new LocalKernelModel({
    doc: data.doc,
    ...(data.theme ? { theme: data.theme } : {}),
    ...(options.language !== undefined ? { language: options.language } : {}),
    ...(options.readonly !== undefined ? { readonly: options.readonly } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
    ...(options.zoom !== undefined ? { zoom: options.zoom } : {}),
  });
  const filename = data.filename || "journey.json";
  const save = () => download(model, filename);
  window.journeywidgets = { model, download: save };

  const button = document.getElementById("jw-download");
  const status = document.getElementById("jw-page-status");
  button?.addEventListener("click", save);
  model.onChange(() => {
    if (status) status.textContent = "Edited in this page: download the JSON to keep the changes.";
  });

  const el = document.getElementById("jw-app");
  if (!el) throw new Error("this page has no #jw-app element");
  // anywidget's lifecycle: initialize once per model, then render once per view. There is
  // no host page of widgets and no kernel to invoke, so those hooks refuse politely.
  const signal = new AbortController().signal;
  const experimental: Experimental = {
    invoke: () => Promise.reject(new Error("no kernel in a standalone page")),
  };
  const host: Host = {
    getWidget: () => Promise.reject(new Error("no other widgets in a standalone page")),
    getModel: () => Promise.reject(new Error("no other widgets in a standalone page")),
  };
  void widget.initialize?.({ model, signal, experimental });
  void widget.render?.({ model, el, signal, host, experimental });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
