// Sticky notes: the element of one card (text, quick-win badge, source, tags).
import { button, el } from "./dom";
import { labelOf } from "./layout";
import { isTemporary } from "./session";
import type { Card } from "./types";

/** Whether two versions of a card draw the same (a move changes only where it is). */
export function sameLook(a: Card, b: Card): boolean {
  if (a === b) return true;
  return (
    a.id === b.id &&
    a.text === b.text &&
    a.source === b.source &&
    a.impact === b.impact &&
    a.effort === b.effort &&
    JSON.stringify(a.tags ?? []) === JSON.stringify(b.tags ?? []) &&
    JSON.stringify(a.labels ?? {}) === JSON.stringify(b.labels ?? {})
  );
}

export function isQuickWin(card: Card): boolean {
  return typeof card.impact === "number" && typeof card.effort === "number" && card.impact >= 4 && card.effort <= 2;
}

export class CardFactory {
  private template: HTMLElement | null = null;

  constructor(private readonly helpId: string) {}

  make(card: Card, language: string | null): HTMLElement {
    // Cloning a template copies its fixed attributes in one go: a 20,000-card map makes
    // 20,000 of these.
    if (!this.template) {
      const t = document.createElement("div");
      t.className = "jw-card";
      t.setAttribute("data-kind", "card");
      t.setAttribute("role", "button");
      t.setAttribute("aria-roledescription", "sticky note");
      t.setAttribute("aria-describedby", this.helpId);
      t.tabIndex = -1;
      this.template = t;
    }
    const node = this.template.cloneNode(false) as HTMLElement;
    if (isTemporary(card.id)) node.classList.add("jw-pending");
    node.setAttribute("data-id", card.id);
    const text = labelOf(card, language);
    const quickWin = isQuickWin(card);
    const source = card.source && card.source !== "workshop" ? String(card.source) : "";
    const tags = Array.isArray(card.tags) ? card.tags.map(String) : [];
    // Long notes are cut after a few lines (and to their first line when the map is
    // fitted to the width); the whole text is in the tooltip.
    if (text.length > 40 || text.includes("\n")) node.title = text;
    if (!quickWin && !source && tags.length === 0) {
      node.textContent = text;
      return node;
    }
    node.classList.add("jw-rich");
    node.append(el("span", "jw-card-text", text));
    const foot = el("span", "jw-card-foot");
    if (quickWin) foot.append(el("span", "jw-badge jw-quick-win", "\u2605 quick win"));
    if (source) foot.append(el("span", "jw-badge", source));
    for (const tag of tags) foot.append(el("span", "jw-tag", `#${tag}`));
    node.append(foot);
    return node;
  }
}

/**
 * One delete button for every card, placed beside the card under the pointer (not inside
 * it: a card is itself a button, and its text stays just its text).
 */
export class CardDeleteButton {
  readonly el: HTMLButtonElement;

  constructor(remove: (id: string) => void) {
    this.el = button("jw-card-del", "\u00d7", "Delete this card");
    this.el.tabIndex = -1;
    this.el.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      e.stopPropagation();
    });
    this.el.addEventListener("click", (e) => {
      e.stopPropagation();
      const id = this.el.dataset["target"];
      if (id) remove(id);
    });
  }

  /** Put the button beside the card under `target`, if any. */
  hover(target: EventTarget | null): void {
    const card = (target as Element | null)?.closest?.(".jw-card");
    if (!(card instanceof HTMLElement) || !card.dataset["id"] || isTemporary(card.dataset["id"])) return;
    const del = this.el;
    del.dataset["target"] = card.dataset["id"];
    del.setAttribute("aria-label", `Delete card \u201c${card.textContent ?? ""}\u201d`);
    del.style.top = `${card.offsetTop}px`;
    del.style.left = `${card.offsetLeft + card.offsetWidth}px`;
    if (del.previousElementSibling !== card) card.after(del);
  }
}
