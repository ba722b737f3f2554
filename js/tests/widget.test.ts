import { afterEach, describe, expect, it } from "vitest";

import widget, { type WidgetTraits } from "../src/widget";
import { FakeModel } from "./fake-model";

// anywidget hands render() more than model and el; the placeholder uses neither
// `host` nor `experimental`, so the test passes inert stand-ins for them.
async function renderWidget(model: FakeModel<WidgetTraits>) {
  const el = document.createElement("div");
  document.body.append(el);
  const controller = new AbortController();
  const cleanup = await widget.render({
    model,
    el,
    signal: controller.signal,
    host: {
      getWidget: () => Promise.reject(new Error("no host")),
      getModel: () => Promise.reject(new Error("no host")),
    },
    experimental: { invoke: () => Promise.reject(new Error("no invoke")) },
  });
  return { el, cleanup: typeof cleanup === "function" ? cleanup : undefined };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe("placeholder JourneyWidget view", () => {
  it("shows the title as text, never as HTML", async () => {
    const title = "Zażółć gęślą jaźń <b>x</b> <img src=x onerror=alert(1)>";
    const model = new FakeModel<WidgetTraits>({ _doc: { title } });
    const { el } = await renderWidget(model);

    const heading = el.querySelector(".jw-root .jw-title");
    expect(heading).not.toBeNull();
    expect(heading?.textContent).toBe(title);
    expect(el.querySelector("b, img")).toBeNull();
    // The title is laid out by the real browser, not just present in the DOM.
    expect((heading as HTMLElement).getBoundingClientRect().height).toBeGreaterThan(0);
  });

  it("follows changes of _doc from Python and detaches on cleanup", async () => {
    const model = new FakeModel<WidgetTraits>({ _doc: { title: "Before" } });
    const { el, cleanup } = await renderWidget(model);
    expect(model.listenerCount("change:_doc")).toBe(1);

    model.set("_doc", { title: "After" });
    expect(el.querySelector(".jw-title")?.textContent).toBe("After");

    model.set("_doc", {});
    expect(el.querySelector(".jw-title")?.textContent).toBe("Untitled journey");

    cleanup?.();
    expect(model.listenerCount("change:_doc")).toBe(0);
    expect(el.querySelector(".jw-root")).toBeNull();
  });
});
