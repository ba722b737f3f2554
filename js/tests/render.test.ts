import { afterEach, describe, expect, it } from "vitest";

import { cardsIn, cell, item, q, setup, teardownViews, view } from "./helpers";

afterEach(teardownViews);

describe("rendering a map", () => {
  it("draws stages over their touchpoint columns, lanes as rows and cards in cells", async () => {
    const { el } = await view();
    expect(q(el, ".jw-title").textContent).toBe("Buying electricity");
    const stages = [...el.querySelectorAll<HTMLElement>(".jw-stage")];
    expect(stages.map((s) => s.dataset["id"])).toEqual(["want", "use"]);
    const want = item(el, "stage", "want").getBoundingClientRect();
    const ad = item(el, "touchpoint", "ad").getBoundingClientRect();
    const web = item(el, "touchpoint", "web").getBoundingClientRect();
    const invoice = item(el, "touchpoint", "invoice").getBoundingClientRect();
    // The stage header spans exactly its two touchpoint columns.
    expect(Math.round(want.left)).toBe(Math.round(ad.left));
    expect(Math.round(want.right)).toBe(Math.round(web.right));
    expect(Math.round(item(el, "stage", "use").getBoundingClientRect().left)).toBe(Math.round(invoice.left));

    expect(cardsIn(el, "web", "actions")).toEqual(["c2", "c3"]);
    expect(cardsIn(el, "web", "emotions")).toEqual(["c5"]);
    expect(cardsIn(el, "invoice", "emotions")).toEqual([]);
    // Rows line up: a card sits in its lane's row and its touchpoint's column.
    const c4 = q(el, '[data-id="c4"]').getBoundingClientRect();
    const actions = item(el, "lane", "actions").getBoundingClientRect();
    expect(c4.left).toBeGreaterThanOrEqual(invoice.left);
    expect(c4.right).toBeLessThanOrEqual(invoice.right);
    expect(c4.top).toBeGreaterThanOrEqual(actions.top);
    expect(c4.bottom).toBeLessThanOrEqual(actions.bottom);
  });

  it("shows channel and moment-of-truth markers and lane colours from the model", async () => {
    const { el } = await view();
    const web = item(el, "touchpoint", "web");
    expect(web.querySelector(".jw-channel")?.textContent).toBe("web");
    expect(web.querySelector(".jw-mot")).not.toBeNull();
    expect(item(el, "touchpoint", "ad").querySelector(".jw-mot")).toBeNull();
    expect(web.getAttribute("aria-label")).toBe("Touchpoint Website, channel web, moment of truth");
    // Kind default (actions: #8bc34a) and the lane's own colour (#ff00aa).
    expect(getComputedStyle(q(el, '[data-id="c1"]')).backgroundColor).toBe("rgb(139, 195, 74)");
    expect(getComputedStyle(q(el, '[data-id="c5"]')).backgroundColor).toBe("rgb(255, 0, 170)");
    expect(q(el, '[data-id="c5"] .jw-quick-win').textContent).toContain("quick win");
  });

  it("draws the emotion curve through the touchpoints with a neutral line", async () => {
    const { el } = await view();
    const points = [...el.querySelectorAll<SVGGElement>("g.jw-point")];
    expect(points.map((p) => p.getAttribute("data-tp"))).toEqual(["ad", "web", "invoice"]);
    expect(points.map((p) => p.getAttribute("aria-valuenow"))).toEqual(["1", "-1", "-2"]);
    const ys = points.map((p) => p.querySelector(".jw-point-dot")!.getBoundingClientRect().top);
    expect(ys[0]!).toBeLessThan(ys[1]!); // +1 is above -1
    expect(ys[1]!).toBeLessThan(ys[2]!);
    expect(el.querySelector(".jw-neutral")).not.toBeNull();
    expect(el.querySelector(".jw-curve-line")?.getAttribute("d")).toMatch(/^M.*L.*L/);
    expect(el.querySelector(".jw-area-pos")).not.toBeNull();
    expect(el.querySelector(".jw-area-neg")).not.toBeNull();
    // The moment of truth has a star on the curve too.
    expect(points[1]!.querySelector(".jw-mot-star")).not.toBeNull();
    // The curve row sits right above the first emotions lane.
    const curve = q(el, ".jw-curve").getBoundingClientRect();
    const emotions = item(el, "lane", "emotions").getBoundingClientRect();
    expect(Math.round(curve.bottom)).toBe(Math.round(emotions.top));
  });

  it("shows an empty stage as a column that says so", async () => {
    const { el } = await view({
      title: "Empty stage",
      stages: [{ id: "s", name: "Only" }],
      touchpoints: [],
      lanes: [{ id: "l", name: "Lane", kind: "custom" }],
      cards: [],
    });
    expect(q(el, ".jw-empty-stage").textContent).toContain("No touchpoints yet");
    expect(q(el, '.jw-add[data-action="add-touchpoint"]')).toBeTruthy();
  });

  it("renders HTML and script in user text literally, creating no elements", async () => {
    const payloads = [
      '<img src=x onerror="window.__jwHacked=1">',
      "<script>window.__jwHacked=2</script>",
      "<b>bold</b> & <i>it</i>",
      'Zażółć gęślą jaźń "quoted" \u00e1rv\u00edzt\u0171r\u0151',
    ];
    const doc = {
      title: payloads[0]!,
      stages: [{ id: "s", name: payloads[1]! }],
      touchpoints: [{ id: "t", stage: "s", name: payloads[2]!, channel: payloads[0]!, emotion: 0 }],
      lanes: [{ id: "l", name: payloads[3]!, kind: "custom" }],
      cards: payloads.map((text, i) => ({ id: `c${i}`, touchpoint: "t", lane: "l", text })),
    };
    const { el } = await view(doc);
    await new Promise((r) => setTimeout(r, 50));
    expect(el.querySelector("img, script, b, i")).toBeNull();
    expect((window as unknown as { __jwHacked?: number }).__jwHacked).toBeUndefined();
    expect(q(el, ".jw-title").textContent).toBe(payloads[0]);
    expect(q(el, ".jw-stage-name").textContent).toBe(payloads[1]);
    expect(q(el, ".jw-tp-name").textContent).toBe(payloads[2]);
    expect(q(el, ".jw-channel").textContent).toBe(payloads[0]);
    expect(q(el, ".jw-lane-label .jw-lane-name").textContent).toBe(payloads[3]);
    expect([...el.querySelectorAll(".jw-card")].map((c) => c.textContent)).toEqual(payloads);
  });

  it("shows labels in the chosen language", async () => {
    const { el, model } = await view(undefined, { language: "pl" });
    expect(q(el, '[data-id="want"] .jw-stage-name').textContent).toBe("Chcę mieć prąd");
    expect(q(el, '[data-id="use"] .jw-stage-name').textContent).toBe("I use and pay");
    model.set("language", null);
    expect(q(el, '[data-id="want"] .jw-stage-name').textContent).toBe("I want electricity");
  });

  it("keeps lane labels and headers in view while the map scrolls", async () => {
    const tps = Array.from({ length: 60 }, (_, i) => ({
      id: `t${i}`,
      stage: `s${Math.floor(i / 10)}`,
      name: `Touchpoint ${i} with a rather long name that wraps`,
    }));
    const doc = {
      title: "Wide",
      stages: Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, name: `Stage ${i}` })),
      touchpoints: tps,
      lanes: Array.from({ length: 8 }, (_, i) => ({ id: `l${i}`, name: `Lane ${i}`, kind: "custom" })),
      cards: tps.flatMap((t, i) =>
        Array.from({ length: 3 }, (_, j) => ({ id: `c${i}_${j}`, touchpoint: t.id, lane: `l${j}`, text: "x" })),
      ),
    };
    const { el } = await view(doc, { height: 400 }, 900);
    const scroller = q(el, ".jw-scroller");
    expect(scroller.scrollWidth).toBeGreaterThan(scroller.clientWidth * 5);
    const label = item(el, "lane", "l0");
    const before = label.getBoundingClientRect().left;
    scroller.scrollLeft = 3000;
    scroller.scrollTop = 300;
    await new Promise((r) => requestAnimationFrame(r));
    expect(Math.round(label.getBoundingClientRect().left)).toBe(Math.round(before));
    // The header of the stage under the scroll position is still at the top, its name visible.
    const box = scroller.getBoundingClientRect();
    const stage = item(el, "stage", "s1");
    expect(Math.round(stage.getBoundingClientRect().top)).toBe(Math.round(box.top + 1));
    const name = stage.querySelector(".jw-stage-name")!.getBoundingClientRect();
    expect(name.left).toBeGreaterThanOrEqual(box.left + label.getBoundingClientRect().width - 1);
    expect(name.right).toBeLessThanOrEqual(box.right);
  });

  it("zooms with the buttons, Ctrl+wheel and the zoom trait", async () => {
    const { el, model } = await view();
    const width = () => item(el, "touchpoint", "ad").getBoundingClientRect().width;
    const base = width();
    q(el, ".jw-zoom-in").click();
    expect(model.get("zoom")).toBe(1.1);
    expect(width()).toBeCloseTo(base * 1.1, 0);
    expect(q(el, ".jw-zoom-reset").textContent).toBe("110%");
    q(el, ".jw-scroller").dispatchEvent(
      new WheelEvent("wheel", { deltaY: -200, ctrlKey: true, bubbles: true, cancelable: true }),
    );
    expect(model.get("zoom")).toBeGreaterThan(1.5);
    model.set("zoom", 0.5);
    expect(width()).toBeCloseTo(base * 0.5, 0);
    q(el, ".jw-zoom-reset").click();
    expect(width()).toBeCloseTo(base, 0);
    // The kernel hears the zoom once the user pauses, not on every step.
    await new Promise((r) => setTimeout(r, 300));
    expect(model.sent.filter((m) => (m as { type: string }).type === "zoom")).toEqual([{ type: "zoom", value: 1 }]);
  });

  it("cleans up its listeners when the view and the model go", async () => {
    const { model, cleanup } = await setup();
    expect(model.listenerCount("msg:custom")).toBe(1);
    expect(model.listenerCount("change:_doc")).toBe(1);
    cleanup();
    expect(model.listenerCount("msg:custom")).toBe(0);
    expect(model.listenerCount("change:_doc")).toBe(0);
    expect(model.listenerCount("change:zoom")).toBe(0);
  });

  it("shows a readonly map without editing controls", async () => {
    const { el } = await view(undefined, { readonly: true });
    expect(el.querySelector(".jw-add-card")).toBeNull();
    expect(getComputedStyle(q(el, ".jw-edit-tools")).display).toBe("none");
    expect(cell(el, "ad", "actions")).toBeTruthy();
  });
});
