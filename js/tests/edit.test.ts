// Inline editing, adding, deleting, undo/redo: each one edit message (or an undo/redo
// request), with the DOM showing the result at once.
import { userEvent } from "@vitest/browser/context";
import { afterEach, describe, expect, it } from "vitest";

import { allCards, card, cardsIn, item, onlyEditSince, q, teardownViews, view } from "./helpers";

afterEach(teardownViews);

describe("inline editing", () => {
  it("edits a card's text on double-click; Enter commits", async () => {
    const { el, model } = await view();
    await userEvent.dblClick(card(el, "c2"));
    const field = q<HTMLTextAreaElement>(el, ".jw-card textarea.jw-editor");
    expect(field.value).toBe("Compares tariffs");
    expect(document.activeElement).toBe(field);
    await userEvent.fill(field, "Compares <b>three</b> tariffs");
    await userEvent.keyboard("{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({
      op: "update",
      id: "c2",
      changes: { text: "Compares <b>three</b> tariffs" },
    });
    expect(card(el, "c2").textContent).toBe("Compares <b>three</b> tariffs");
    expect(allCards(el)).toEqual(["c1", "c2", "c3", "c4", "c5"]); // redrawn, not duplicated
    expect(el.querySelector(".jw-card b")).toBeNull();
    expect(el.querySelector(".jw-editor")).toBeNull();
    expect(document.activeElement).toBe(card(el, "c2"));
  });

  it("Escape cancels; leaving the field commits", async () => {
    const { el, model } = await view();
    card(el, "c1").focus();
    await userEvent.keyboard("{Enter}");
    await userEvent.fill(q(el, ".jw-editor"), "Never mind");
    await userEvent.keyboard("{Escape}");
    expect(model.sent).toEqual([]);
    expect(card(el, "c1").textContent).toBe("Sees the advert");

    await userEvent.dblClick(item(el, "touchpoint", "invoice"));
    await userEvent.fill(q(el, ".jw-editor"), "E-invoice");
    await userEvent.click(q(el, ".jw-title")); // blur
    expect(onlyEditSince(model, 0)).toEqual({ op: "update", id: "invoice", changes: { name: "E-invoice" } });
    expect(item(el, "touchpoint", "invoice").querySelector(".jw-tp-name")!.textContent).toBe("E-invoice");
  });

  it("renames stages and lanes, and refuses an empty name", async () => {
    const { el, model } = await view();
    await userEvent.dblClick(item(el, "stage", "use"));
    await userEvent.fill(q(el, ".jw-editor"), "I use & pay");
    await userEvent.keyboard("{Enter}");
    await userEvent.dblClick(item(el, "lane", "actions"));
    await userEvent.fill(q(el, ".jw-editor"), "   ");
    await userEvent.keyboard("{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({ op: "update", id: "use", changes: { name: "I use & pay" } });
    expect(q(el, ".jw-status").textContent).toBe("A lane needs a name.");
  });

  it("edits the label of the shown language, not the name", async () => {
    const { el, model } = await view(undefined, { language: "pl" });
    await userEvent.dblClick(item(el, "stage", "use"));
    await userEvent.fill(q(el, ".jw-editor"), "Używam i płacę");
    await userEvent.keyboard("{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({ op: "update", id: "use", changes: { labels: { pl: "Używam i płacę" } } });
    expect(item(el, "stage", "use").querySelector(".jw-stage-name")!.textContent).toBe("Używam i płacę");
  });
});

describe("adding", () => {
  it("adds a card in a cell", async () => {
    const { el, model } = await view();
    expect(q(el, ".jw-subtitle").textContent).toContain("5 cards");
    await userEvent.click(q(el, '.jw-add-card[data-tp="web"][data-lane="actions"]'));
    await userEvent.keyboard("Asks a friend{Enter}");
    expect(q(el, ".jw-subtitle").textContent).toContain("6 cards"); // the header count follows
    expect(onlyEditSince(model, 0)).toEqual({
      op: "add",
      kind: "card",
      item: { text: "Asks a friend", touchpoint: "web", lane: "actions" },
      index: 2,
    });
    expect(cardsIn(el, "web", "actions")).toHaveLength(3);
    expect(el.querySelectorAll(".jw-cell[data-tp='web'][data-lane='actions'] .jw-card")[2]!.textContent).toBe(
      "Asks a friend",
    );
  });

  it("adds a touchpoint in a stage, a stage and a lane", async () => {
    const { el, model } = await view();
    await userEvent.click(item(el, "stage", "use").querySelector(".jw-add-tp")!);
    await userEvent.keyboard("Reminder SMS{Enter}");
    expect(onlyEditSince(model, 0)).toEqual({
      op: "add",
      kind: "touchpoint",
      item: { name: "Reminder SMS", stage: "use" },
      index: 1,
    });
    expect([...el.querySelectorAll(".jw-tp .jw-tp-name")].map((t) => t.textContent)).toEqual([
      "Advert",
      "Website",
      "Invoice",
      "Reminder SMS",
    ]);

    let sent = model.sent.length;
    await userEvent.click(q(el, ".jw-add-stage"));
    await userEvent.keyboard("I leave{Enter}");
    expect(onlyEditSince(model, sent)).toEqual({ op: "add", kind: "stage", item: { name: "I leave" }, index: 2 });
    expect(q(el, ".jw-empty-stage")).toBeTruthy();

    sent = model.sent.length;
    await userEvent.click(q(el, ".jw-add-lane"));
    await userEvent.keyboard("Pain points");
    await userEvent.selectOptions(q(el, "select.jw-kind"), "pain_points");
    await userEvent.click(q(el, ".jw-editor"));
    await userEvent.keyboard("{Enter}");
    expect(onlyEditSince(model, sent)).toEqual({
      op: "add",
      kind: "lane",
      item: { name: "Pain points", kind: "pain_points" },
      index: 2,
    });
    const lanes = [...el.querySelectorAll(".jw-lane-label[data-kind] .jw-lane-name")].map((l) => l.textContent);
    expect(lanes).toEqual(["Actions", "Emotions", "Pain points"]);
  });
});

describe("deleting", () => {
  it("deletes a card with the Delete key and with its button", async () => {
    const { el, model } = await view();
    card(el, "c2").focus();
    await userEvent.keyboard("{Delete}");
    expect(onlyEditSince(model, 0)).toEqual({ op: "remove", id: "c2" });
    expect(cardsIn(el, "web", "actions")).toEqual(["c3"]);
    expect(q(el, ".jw-sr-only[aria-live]").textContent).toContain("Deleted card");

    const sent = model.sent.length;
    await userEvent.hover(card(el, "c4"));
    await userEvent.click(q(el, ".jw-card-del"));
    expect(onlyEditSince(model, sent)).toEqual({ op: "remove", id: "c4" });
  });

  it("deletes a touchpoint with its cards, and the selection as one step", async () => {
    const { el, model } = await view();
    await userEvent.hover(item(el, "touchpoint", "web"));
    await userEvent.click(item(el, "touchpoint", "web").querySelector(".jw-del")!);
    expect(onlyEditSince(model, 0)).toEqual({ op: "remove", id: "web", cascade: true });
    expect(el.querySelector('[data-id="c2"]')).toBeNull();

    const sent = model.sent.length;
    await userEvent.click(card(el, "c1"));
    await userEvent.click(card(el, "c4"), { modifiers: ["Shift"] } as object);
    await userEvent.click(q(el, ".jw-delete"));
    expect(onlyEditSince(model, sent)).toEqual({
      op: "batch",
      edits: [
        { op: "remove", id: "c1" },
        { op: "remove", id: "c4" },
      ],
      label: "delete",
    });
    expect(el.querySelectorAll(".jw-card")).toHaveLength(0);
  });
});

describe("undo and redo", () => {
  it("sends undo/redo for the keys and the buttons, and keeps the keys from the notebook", async () => {
    const { el, model } = await view();
    const seen: string[] = [];
    const notebook = (e: KeyboardEvent) => seen.push(e.key);
    document.addEventListener("keydown", notebook);
    try {
      card(el, "c1").focus();
      await userEvent.keyboard("{Control>}z{/Control}");
      await userEvent.keyboard("{Control>}{Shift>}Z{/Shift}{/Control}");
      await userEvent.keyboard("{Meta>}z{/Meta}");
      model.set("can_undo", true);
      model.set("can_redo", true);
      await userEvent.click(q(el, ".jw-undo"));
      await userEvent.click(q(el, ".jw-redo"));
    } finally {
      document.removeEventListener("keydown", notebook);
    }
    expect(model.sent).toEqual([
      { type: "undo" },
      { type: "redo" },
      { type: "undo" },
      { type: "undo" },
      { type: "redo" },
    ]);
    expect(seen.filter((k) => k.toLowerCase() === "z")).toEqual([]);
    // The undo comes back as an edit from the kernel.
    model.emitCustom({ type: "status", message: "nothing to redo" });
    expect(q(el, ".jw-status").textContent).toBe("nothing to redo");
  });

  it("greys the buttons out while the kernel has nothing to undo or redo", async () => {
    const { el, model } = await view();
    const undo = q<HTMLButtonElement>(el, ".jw-undo");
    const redo = q<HTMLButtonElement>(el, ".jw-redo");
    expect([undo.disabled, redo.disabled]).toEqual([true, true]);
    undo.click(); // a greyed-out button sends nothing
    expect(model.sent).toEqual([]);

    model.set("can_redo", true);
    expect([undo.disabled, redo.disabled]).toEqual([true, false]);

    // An edit waiting for its answer will be undoable and will clear the redo stack.
    card(el, "c1").focus();
    await userEvent.keyboard("{Delete}");
    expect(el.querySelector(".jw-root")!.getAttribute("data-pending")).toBe("1");
    expect([undo.disabled, redo.disabled]).toEqual([false, true]);

    // The kernel acknowledges it and says what its history now holds.
    model.set("can_undo", true);
    model.set("can_redo", false);
    const edit = (model.sent.at(-1) as { edit: unknown }).edit;
    model.emitCustom({ type: "ack", seq: 1, edit, version: 1 });
    expect(el.querySelector(".jw-root")!.getAttribute("data-pending")).toBe("0");
    expect([undo.disabled, redo.disabled]).toEqual([false, true]);
  });
});
