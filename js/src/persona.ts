// The persona panel: whose journey it is, drawn above the map the way journey
// maps lead with it: an initials avatar, name and role, the quote, goals, needs
// (the persona's expectations), pains (frustrations) and the scenario (its
// description). Every field is editable in place (Enter, or a double-click); a
// change is one `update` edit of the persona. Lists are edited one item a line.
import { button, el } from "./dom";
import { editInline, type ActiveEdit } from "./editor";
import { labelOf } from "./layout";
import type { JourneyStore } from "./store";
import type { Edit, Id, Labelled } from "./types";

export interface PersonaHost {
  readonly store: JourneyStore;
  readonly language: string | null;
  readonly readonly: boolean;
  commit(edit: Edit): boolean;
  announce(text: string): void;
  status(message: string, kind: "info" | "error"): void;
}

type Field = "name" | "role" | "quote" | "goals" | "expectations" | "frustrations" | "description";

/** What each field is called on the panel; lists first name their model field. */
const FIELDS: { field: Field; title: string; list: boolean }[] = [
  { field: "goals", title: "Goals", list: true },
  { field: "expectations", title: "Needs", list: true },
  { field: "frustrations", title: "Pains", list: true },
  { field: "description", title: "Scenario", list: false },
];

/** "Anna Kowalska" → "AK"; one letter for one word. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => Array.from(w)[0]!.toUpperCase()).join("");
}

/** The persona the map is told from: the map's `persona`, else the first one. */
export function personaOf(store: JourneyStore): Labelled | undefined {
  const id = (store.info["persona"] as string | null | undefined) ?? store.personas[0];
  return id ? store.get(id) : undefined;
}

export class PersonaPanel {
  readonly el: HTMLElement;
  private editing: ActiveEdit | null = null;
  /** Only the avatar, name and role: more room for the map (a choice of this view). */
  private collapsed = false;

  constructor(private readonly host: PersonaHost) {
    this.el = el("section", "jw-persona");
    this.el.setAttribute("aria-label", "Persona");
    this.el.addEventListener("dblclick", (e) => this.fieldEvent(e));
    this.el.addEventListener("keydown", (e) => {
      if ((e.key === "Enter" || e.key === "F2") && !this.editing) this.fieldEvent(e);
    });
  }

  get isEditing(): boolean {
    return this.editing !== null;
  }

  finishEdit(commit: boolean): void {
    this.editing?.finish(commit);
  }

  render(): void {
    if (this.editing) return; // redrawn when the edit ends
    const persona = personaOf(this.host.store);
    this.el.hidden = !persona;
    if (!persona) {
      this.el.replaceChildren();
      return;
    }
    const name = labelOf(persona, this.host.language);
    const avatar = el("div", "jw-avatar", initials(name));
    avatar.setAttribute("aria-hidden", "true");
    const who = el("div", "jw-persona-who");
    who.append(this.field(persona, "name", "jw-persona-name", name, "Persona name"));
    const role = [persona["role"], persona["segment"]].filter((x) => typeof x === "string" && x).join(" \u00b7 ");
    who.append(this.field(persona, "role", "jw-persona-role", role, "Persona role"));
    const quote = String(persona["quote"] ?? "");
    who.append(this.field(persona, "quote", "jw-persona-quote", quote ? `\u201c${quote}\u201d` : "", "Persona quote"));
    const lists = el("div", "jw-persona-lists");
    for (const { field, title, list } of FIELDS) {
      const box = el("div", `jw-persona-block jw-persona-${field}`);
      box.append(el("h4", "jw-persona-heading", title));
      const value = persona[field];
      let body: HTMLElement;
      if (list) {
        body = el("ul", "jw-persona-list");
        for (const item of Array.isArray(value) ? value : []) body.append(el("li", "", String(item)));
      } else body = el("p", "jw-persona-text", String(value ?? ""));
      box.append(this.wrap(persona, field, body, `Persona ${title.toLowerCase()}`));
      lists.append(box);
    }
    const label = this.collapsed ? "Show the persona's details" : "Hide the persona's details";
    const toggle = button("jw-btn jw-persona-toggle", this.collapsed ? "Show" : "Hide", label);
    toggle.setAttribute("aria-expanded", String(!this.collapsed));
    toggle.addEventListener("click", () => {
      this.collapsed = !this.collapsed;
      this.render();
      this.el.querySelector<HTMLElement>(".jw-persona-toggle")?.focus({ preventScroll: true });
    });
    this.el.classList.toggle("jw-collapsed", this.collapsed);
    this.el.replaceChildren(avatar, who, lists, toggle);
  }

  /** A focusable, editable piece of text. */
  private field(persona: Labelled, field: Field, cls: string, text: string, label: string): HTMLElement {
    return this.wrap(persona, field, el("div", cls, text), label);
  }

  private wrap(persona: Labelled, field: Field, node: HTMLElement, label: string): HTMLElement {
    node.classList.add("jw-persona-field");
    node.dataset["field"] = field;
    node.dataset["persona"] = persona.id;
    if (!this.host.readonly) {
      node.tabIndex = 0;
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", `${label}: ${node.textContent || "empty"}. Enter edits it.`);
      node.title = "Double-click or press Enter to edit";
    }
    return node;
  }

  private fieldEvent(e: Event): void {
    const node = (e.target as Element).closest?.<HTMLElement>(".jw-persona-field");
    if (!node || this.host.readonly) return;
    e.preventDefault();
    e.stopPropagation();
    this.edit(node, node.dataset["persona"]!, node.dataset["field"] as Field);
  }

  /** Edit one field of persona `id` in place. */
  edit(node: HTMLElement, id: Id, field: Field): void {
    const persona = this.host.store.get(id);
    if (!persona) return;
    const raw = persona[field];
    const list = Array.isArray(raw);
    const value = list
      ? (raw as unknown[]).map(String).join("\n")
      : field === "name"
        ? labelOf(persona, this.host.language)
        : String(raw ?? "");
    const multiline = list || field === "description" || field === "quote";
    this.editing = editInline({
      host: node,
      value,
      multiline,
      label: `Persona ${field}${list ? ", one a line" : ""}`,
      commit: (text) => {
        this.editing = null;
        this.save(id, field, list, value, text);
        this.render();
        this.refocus(field);
      },
      cancel: () => {
        this.editing = null;
        this.render();
        this.refocus(field);
      },
    });
  }

  private save(id: Id, field: Field, list: boolean, before: string, text: string): void {
    if (text === before) return;
    if (field === "name" && text.trim() === "") {
      this.host.status("A persona needs a name.", "error");
      return;
    }
    const value = list
      ? text
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean)
      : text;
    if (this.host.commit({ op: "update", id, changes: { [field]: value } })) {
      this.host.announce(`Persona ${field} changed.`);
    }
  }

  private refocus(field: Field): void {
    this.el.querySelector<HTMLElement>(`.jw-persona-field[data-field="${field}"]`)?.focus({ preventScroll: true });
  }
}
