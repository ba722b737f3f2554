// The front end's half of the sync protocol (src/journeywidgets/widget.py): optimistic
// edits, acks that rename, rejects that roll back, changes from elsewhere, full documents.
import { userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it, vi } from "vitest";

import { SYNC_ATTEMPTS, SYNC_RETRY_MS } from "../src/session";
import { acquireSession } from "../src/session-registry";
import type { Card, JourneyDoc } from "../src/types";
import {
  ackLast,
  allCards,
  card,
  cardsIn,
  cell,
  initialize,
  item,
  makeModel,
  onTeardown,
  onlyEditSince,
  q,
  renderView,
  sampleDoc,
  sentEdits,
  settle,
  teardownViews,
  view,
} from "./helpers";

afterEach(teardownViews);

function docCards(doc: unknown): [string, string, string][] {
  return ((doc as JourneyDoc).cards ?? []).map((c: Card) => [c.id, c.touchpoint, c.lane]);
}

describe("answers from the kernel", () => {
  it("rolls a rejected edit back and shows the reason", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(card(el, "c1"), cell(el, "invoice", "actions"));
    expect(cardsIn(el, "invoice", "actions")).toEqual(["c4", "c1"]);
    const seq = sentEdits(model)[0]!.seq;
    const reason = "card 'c1': field 'touchpoint': 'invoice' is closed <b>today</b>";
    model.emitCustom({ type: "reject", seq, reason });

    expect(cardsIn(el, "invoice", "actions")).toEqual(["c4"]);
    expect(cardsIn(el, "ad", "actions")).toEqual(["c1"]);
    const status = q(el, ".jw-status");
    expect(status.textContent).toBe(reason); // as text: no <b> element
    expect(status.querySelector("b")).toBeNull();
    expect(status.getAttribute("role")).toBe("alert");
    await settle();
    expect(docCards(model.get("_doc"))).toEqual(docCards(sampleDoc()));
  });

  it("rolls back a rejected edit from under a later one", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(card(el, "c1"), cell(el, "invoice", "emotions"));
    await userEvent.dragAndDrop(card(el, "c4"), cell(el, "ad", "actions"));
    const [first, second] = sentEdits(model);
    model.emitCustom({ type: "reject", seq: first!.seq, reason: "no" });
    // c1 is back; c4's move (index 0) is replayed after it, as the kernel applies it.
    expect(cardsIn(el, "ad", "actions")).toEqual(["c4", "c1"]);
    expect(cardsIn(el, "invoice", "emotions")).toEqual([]);
    model.emitCustom({ type: "ack", seq: second!.seq, edit: second!.edit, version: 11 });
    expect(cardsIn(el, "ad", "actions")).toEqual(["c4", "c1"]);
    expect(cardsIn(el, "invoice", "actions")).toEqual([]);
  });

  it("takes the kernel's id for something it added", async () => {
    const { el, model } = await view();
    await userEvent.click(q(el, '.jw-add-card[data-tp="invoice"][data-lane="emotions"]'));
    await userEvent.keyboard("Angry about the bill{Enter}");
    const edit = onlyEditSince(model, 0);
    // No placeholder id goes to the kernel: it names the card.
    expect(edit).toEqual({
      op: "add",
      kind: "card",
      item: { text: "Angry about the bill", touchpoint: "invoice", lane: "emotions" },
      index: 0,
    });
    expect(cardsIn(el, "invoice", "emotions")[0]).toMatch(/^~new-/);
    ackLast(model, 11, {
      op: "add",
      kind: "card",
      item: { id: "card_9", text: "Angry about the bill", touchpoint: "invoice", lane: "emotions", tags: [] },
      index: 0,
    });
    expect(cardsIn(el, "invoice", "emotions")).toEqual(["card_9"]);
    expect(card(el, "card_9").textContent).toBe("Angry about the bill");
    expect(allCards(el)).toEqual(["c1", "c2", "c3", "c4", "c5", "card_9"]);
  });
});

describe("changes made elsewhere", () => {
  it("applies an edit from Python and ignores ones it already has", async () => {
    const { el, model } = await view();
    model.emitCustom({ type: "edit", edit: { op: "update", id: "c1", changes: { text: "From Python" } }, version: 11 });
    expect(card(el, "c1").textContent).toBe("From Python");
    expect(allCards(el)).toEqual(["c1", "c2", "c3", "c4", "c5"]);
    model.emitCustom({ type: "edit", edit: { op: "update", id: "c1", changes: { text: "Old news" } }, version: 11 });
    expect(card(el, "c1").textContent).toBe("From Python");
    model.emitCustom({ type: "edit", edit: { op: "set_emotion", id: "web", value: 2 }, version: 12 });
    expect(q(el, 'g.jw-point[data-tp="web"]').getAttribute("aria-valuenow")).toBe("2");
    // A removal with cascade, as undoing an add of a stage would send it.
    model.emitCustom({ type: "edit", edit: { op: "remove", id: "want", cascade: true }, version: 13 });
    expect(el.querySelector('[data-id="want"]')).toBeNull();
    expect(el.querySelector('[data-id="c2"]')).toBeNull();
    expect(cardsIn(el, "invoice", "actions")).toEqual(["c4"]);
    expect(model.sent).toEqual([]);
  });

  it("keeps its own unanswered edit on top of a change from elsewhere", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(card(el, "c1"), cell(el, "invoice", "emotions"));
    model.emitCustom({
      type: "edit",
      edit: {
        op: "add",
        kind: "card",
        item: { id: "py", text: "Python's", touchpoint: "invoice", lane: "emotions" },
        index: 0,
      },
      version: 11,
    });
    // The kernel applies Python's card first, then our move (to index 0) on top.
    expect(cardsIn(el, "invoice", "emotions")).toEqual(["c1", "py"]);
    ackLast(model, 12, { op: "move", id: "c1", touchpoint: "invoice", lane: "emotions", index: 0 });
    expect(cardsIn(el, "invoice", "emotions")).toEqual(["c1", "py"]);
    // Had the kernel put it elsewhere, its answer wins.
    model.emitCustom({ type: "edit", edit: { op: "move", id: "py", index: 0 }, version: 13 });
    expect(cardsIn(el, "invoice", "emotions")).toEqual(["py", "c1"]);
  });

  it("rebuilds from a full document and replays what the kernel has not answered", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(card(el, "c4"), cell(el, "ad", "emotions"));
    const fresh = sampleDoc();
    fresh.title = "Renamed in Python";
    fresh.cards = fresh.cards!.filter((c) => c.id !== "c2");
    model.set("_version", 20);
    model.set("_doc", fresh);
    expect(q(el, ".jw-title").textContent).toBe("Renamed in Python");
    expect(cardsIn(el, "web", "actions")).toEqual(["c3"]);
    expect(cardsIn(el, "ad", "emotions")).toEqual(["c4"]); // still shown, still pending
    await settle();
    expect(docCards(model.get("_doc"))).toContainEqual(["c4", "ad", "emotions"]);
  });

  it("takes a newer document whichever of _doc and _version the host announces first", async () => {
    const { el, model } = await view();
    const newer = sampleDoc();
    newer.title = "Sent after a reconnect";
    model.set("_doc", newer); // marimo applies the keys one by one, in the order sent
    model.set("_version", 15);
    await settle();
    expect(q(el, ".jw-title").textContent).toBe("Sent after a reconnect");
    const { session, release } = acquireSession(model);
    onTeardown(release);
    expect(session.version).toBe(15);
    const store = session.store;
    model.set("_version", 15); // nothing new: nothing rebuilt
    await settle();
    expect(session.store).toBe(store);
  });

  it("asks again for the kernel's version until the kernel answers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const model = makeModel(sampleDoc(), { _version: 3 });
      onTeardown(await initialize(model));
      const a = await renderView(model);
      onTeardown(a.cleanup);
      expect(model.sent).toEqual([{ type: "sync", version: 3 }]);
      vi.advanceTimersByTime(SYNC_RETRY_MS); // lost while the host reconnected: ask again
      expect(model.sent).toHaveLength(2);
      model.emitCustom({ type: "synced", version: 3 });
      vi.advanceTimersByTime(60_000);
      expect(model.sent).toHaveLength(2);

      // with no kernel at all (a saved page) it gives up after a few tries
      const alone = makeModel(sampleDoc(), { _version: 3 });
      onTeardown(await initialize(alone));
      const b = await renderView(alone);
      onTeardown(b.cleanup);
      vi.advanceTimersByTime(60_000);
      expect(alone.sent).toHaveLength(SYNC_ATTEMPTS);
    } finally {
      vi.useRealTimers();
    }
  });

  it("opens once per model by telling the kernel which version it starts from", async () => {
    const model = makeModel(sampleDoc(), { _version: 7 });
    onTeardown(await initialize(model));
    const a = await renderView(model);
    const b = await renderView(model);
    onTeardown(a.cleanup, b.cleanup);
    // one message for the model's session, not one per view
    expect(model.sent).toEqual([{ type: "sync", version: 7 }]);
    // a kernel that has moved on answers with the whole document, which the views show
    const newer = sampleDoc();
    newer.title = "Edited before the page came back";
    model.set("_version", 9);
    model.set("_doc", newer);
    expect(q(a.el, ".jw-title").textContent).toBe("Edited before the page came back");
    expect(q(b.el, ".jw-title").textContent).toBe("Edited before the page came back");
  });

  it("asks for the whole document when an edit does not fit its copy", async () => {
    const { el, model } = await view();
    model.emitCustom({ type: "edit", edit: { op: "move", id: "nope", index: 0 }, version: 11 });
    expect(model.sent).toEqual([{ type: "sync" }]);
    // the answer is taken even at the version already shown: our copy went wrong
    const fixed = sampleDoc();
    fixed.title = "The kernel's copy";
    model.set("_doc", fixed);
    expect(q(el, ".jw-title").textContent).toBe("The kernel's copy");
  });

  it("does not redraw for the document sent after a cell when it shows that version already", async () => {
    const { el, model } = await view();
    const { session, release } = acquireSession(model);
    onTeardown(release);
    const store = session.store;
    // a Python edit arrives as a small edit, then the whole map after the cell
    model.emitCustom({
      type: "edit",
      edit: { op: "update", id: "c2", changes: { text: "Edited in Python" } },
      version: 11,
    });
    expect(card(el, "c2").textContent).toBe("Edited in Python");
    const after = sampleDoc();
    after.cards = after.cards!.map((c) => (c.id === "c2" ? { ...c, text: "Edited in Python" } : c));
    model.set("_version", 11);
    model.set("_doc", after);
    expect(session.store).toBe(store); // not rebuilt from the document, nothing redrawn
    expect(card(el, "c2").textContent).toBe("Edited in Python");
    // a document of another version is taken whole
    const newer = sampleDoc();
    newer.title = "Changed elsewhere";
    model.set("_version", 12);
    model.set("_doc", newer);
    expect(q(el, ".jw-title").textContent).toBe("Changed elsewhere");
    expect(card(el, "c2").textContent).toBe("Compares tariffs");
    expect(session.store).not.toBe(store);
  });
});

describe("views of one model", () => {
  it("share one copy: a gesture in one shows in the other, and is sent once", async () => {
    const model = makeModel();
    onTeardown(await initialize(model));
    const a = await renderView(model);
    const b = await renderView(model);
    onTeardown(a.cleanup, b.cleanup);
    await userEvent.dragAndDrop(card(a.el, "c2"), cell(a.el, "invoice", "actions"));
    expect(cardsIn(b.el, "invoice", "actions")).toEqual(["c4", "c2"]);
    expect(sentEdits(model)).toHaveLength(1);
    const { session, release } = acquireSession(model);
    expect(session.pendingCount).toBe(1);
    ackLast(model, 11);
    expect(session.pendingCount).toBe(0);
    release();
    // Selection is per model too.
    await userEvent.click(item(b.el, "touchpoint", "ad"));
    expect(item(a.el, "touchpoint", "ad").classList.contains("jw-selected")).toBe(true);
  });

  it("publishes the document in map order after an edit, never saving it", async () => {
    const { el, model } = await view();
    await userEvent.dragAndDrop(card(el, "c1"), cell(el, "web", "actions"), {
      targetPosition: { x: 20, y: 4 },
    } as object);
    await settle();
    expect(docCards(model.get("_doc"))).toEqual([
      ["c1", "web", "actions"],
      ["c2", "web", "actions"],
      ["c3", "web", "actions"],
      ["c5", "web", "emotions"],
      ["c4", "invoice", "actions"],
    ]);
    expect(model.saves).toBe(0);
  });
});

// ---------------------------------------------------------------------------- co-editing
// Two browsers on one kernel (JupyterLab real-time collaboration): two models of one widget,
// each with its own session; every kernel message reaches both, as it does over the wire.
describe("co-editing: two browsers on one kernel", () => {
  async function twoBrowsers() {
    const a = await view(sampleDoc(), { _uid: "shared-widget-a" });
    const b = await view(sampleDoc(), { _uid: "shared-widget-b" });
    const viewOf = (m: typeof a.model) =>
      (m.sent as { type: string; view?: string }[]).find((x) => x.type === "edit")!.view!;
    const broadcast = (msg: unknown) => {
      a.model.emitCustom(structuredClone(msg));
      b.model.emitCustom(structuredClone(msg));
    };
    return { a, b, viewOf, broadcast };
  }

  it("both users' edits with the same seq survive in both views, without rollback", async () => {
    const { a, b, viewOf, broadcast } = await twoBrowsers();
    await userEvent.dragAndDrop(card(a.el, "c1"), cell(a.el, "invoice", "emotions"));
    await userEvent.dragAndDrop(card(b.el, "c4"), cell(b.el, "ad", "emotions"));
    const [ea, eb] = [sentEdits(a.model)[0]!, sentEdits(b.model)[0]!];
    expect(ea.seq).toBe(eb.seq); // each browser numbers its own edits from 1
    const [va, vb] = [viewOf(a.model), viewOf(b.model)];
    expect(va).not.toBe(vb);
    // Watch b's view: its own card must never leave where b dropped it.
    const leftTarget: string[] = [];
    const observer = new MutationObserver(() => {
      if (!cardsIn(b.el, "ad", "emotions").includes("c4")) leftTarget.push("c4");
    });
    observer.observe(b.el, { childList: true, subtree: true });
    onTeardown(() => observer.disconnect());

    // The kernel took a's edit first: its ack (seq 1) reaches b too, as a remote edit.
    broadcast({ type: "ack", seq: ea.seq, edit: ea.edit, version: 11, view: va });
    expect(cardsIn(b.el, "invoice", "emotions")).toContain("c1");
    expect(cardsIn(b.el, "ad", "emotions")).toContain("c4");
    broadcast({ type: "ack", seq: eb.seq, edit: eb.edit, version: 12, view: vb });
    await settle();
    observer.disconnect();
    for (const side of [a, b]) {
      expect(cardsIn(side.el, "invoice", "emotions")).toContain("c1");
      expect(cardsIn(side.el, "ad", "emotions")).toContain("c4");
      expect(q(side.el, ".jw-status").textContent).toBe("");
      expect(acquired(side.model)).toBe(0);
    }
    expect(leftTarget).toEqual([]);
  });

  it("a reject reaches only its sender: the other view keeps its own pending edit", async () => {
    const { a, b, viewOf, broadcast } = await twoBrowsers();
    await userEvent.dragAndDrop(card(a.el, "c1"), cell(a.el, "invoice", "emotions"));
    await userEvent.dragAndDrop(card(b.el, "c4"), cell(b.el, "ad", "emotions"));
    const seq = sentEdits(a.model)[0]!.seq;
    broadcast({ type: "reject", seq, reason: "card 'c1': no", view: viewOf(a.model) });
    expect(cardsIn(a.el, "ad", "actions")).toEqual(["c1"]); // a rolled back and says why
    expect(q(a.el, ".jw-status").textContent).toBe("card 'c1': no");
    expect(cardsIn(b.el, "ad", "emotions")).toContain("c4"); // b untouched, silent
    expect(q(b.el, ".jw-status").textContent).toBe("");
    expect(acquired(b.model)).toBe(1);
    broadcast({ type: "status", message: "only for a", view: viewOf(a.model) });
    expect(q(b.el, ".jw-status").textContent).toBe("");
  });

  it("outlines a remote edit for a moment and announces it to screen readers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTeardown(() => vi.useRealTimers());
    const { a, b, viewOf, broadcast } = await twoBrowsers();
    await userEvent.dragAndDrop(card(a.el, "c1"), cell(a.el, "invoice", "emotions"));
    const ea = sentEdits(a.model)[0]!;
    broadcast({ type: "ack", seq: ea.seq, edit: ea.edit, version: 11, view: viewOf(a.model) });
    expect(card(b.el, "c1").classList.contains("jw-remote")).toBe(true);
    expect(card(a.el, "c1").classList.contains("jw-remote")).toBe(false); // a's own edit
    const live = q(b.el, ".jw-remote-live");
    expect(live.getAttribute("aria-live")).toBe("polite");
    expect(live.textContent).toBe("Another user moved card “Sees the advert”.");
    vi.advanceTimersByTime(2000);
    expect(card(b.el, "c1").classList.contains("jw-remote")).toBe(false);
  });

  it("offers 'undo my last edit' once someone else edits, and asks the kernel for it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    onTeardown(() => vi.useRealTimers());
    const { a, b, viewOf, broadcast } = await twoBrowsers();
    expect(b.el.querySelector(".jw-undo-mine")).toBeNull(); // alone: Undo is enough
    // Python's edits are the user's own cells: not outlined, not announced, no button
    broadcast({ type: "edit", edit: { op: "update", id: "c2", changes: { text: "Py" } }, version: 11 });
    expect(card(b.el, "c2").classList.contains("jw-remote")).toBe(false);
    expect(b.el.querySelector(".jw-undo-mine")).toBeNull();
    await userEvent.dragAndDrop(card(a.el, "c1"), cell(a.el, "invoice", "emotions"));
    const ea = sentEdits(a.model)[0]!;
    broadcast({ type: "ack", seq: ea.seq, edit: ea.edit, version: 12, view: viewOf(a.model) });
    const button = q<HTMLButtonElement>(b.el, ".jw-undo-mine");
    expect(button.getAttribute("aria-label")).toBe("Undo my last edit");
    expect(a.el.querySelector(".jw-undo-mine")).toBeNull(); // a has seen no one else yet
    await userEvent.click(button);
    const { session, release } = acquireSession(b.model);
    expect(b.model.sent.at(-1)).toEqual({ type: "undo", mine: true, view: session.view });
    release();
    // the kernel's answer, an edit naming b's view: a outlines it, b does not
    const { session: sa, release: ra } = acquireSession(a.model);
    expect(sa.view).not.toBe(session.view);
    ra();
    vi.advanceTimersByTime(2000); // the outline of a's drop is gone
    broadcast({
      type: "edit",
      edit: { op: "move", id: "c1", touchpoint: "ad", lane: "actions", index: 0 },
      version: 13,
      view: session.view,
    });
    expect(card(a.el, "c1").classList.contains("jw-remote")).toBe(true);
    expect(card(b.el, "c1").classList.contains("jw-remote")).toBe(false);
  });
});

function acquired(model: Parameters<typeof acquireSession>[0]): number {
  const { session, release } = acquireSession(model);
  const n = session.pendingCount;
  release();
  return n;
}
