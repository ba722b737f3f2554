// Inline text editing: a text field laid over the thing being renamed (or a
// draft for something new). Enter (or leaving the field) commits, Escape
// cancels; Shift+Enter adds a line in multi-line fields. Keys typed here never
// reach the grid's shortcuts or JupyterLab's.

export interface EditOptions {
  /** The element the field is laid over (it gets the class jw-editing). */
  host: HTMLElement;
  value: string;
  multiline: boolean;
  /** Accessible name of the field. */
  label: string;
  placeholder?: string;
  /** Extra controls shown beside the field (e.g. a lane-kind select). */
  extra?: HTMLElement;
  commit(value: string): void;
  cancel(): void;
}

export interface ActiveEdit {
  field: HTMLInputElement | HTMLTextAreaElement;
  finish(commit: boolean): void;
}

export function editInline(options: EditOptions): ActiveEdit {
  const { host } = options;
  const field = options.multiline ? document.createElement("textarea") : document.createElement("input");
  field.className = "jw-editor";
  field.value = options.value;
  field.setAttribute("aria-label", options.label);
  if (options.placeholder) field.setAttribute("placeholder", options.placeholder);
  if (field instanceof HTMLInputElement) field.type = "text";
  else field.rows = Math.min(6, Math.max(2, options.value.split("\n").length));

  const box = document.createElement("div");
  box.className = "jw-editor-box";
  box.append(field);
  if (options.extra) box.append(options.extra);
  host.classList.add("jw-editing");
  host.append(box);

  let done = false;
  const finish = (commit: boolean): void => {
    if (done) return;
    done = true;
    const value = field.value;
    box.remove();
    host.classList.remove("jw-editing");
    if (commit) options.commit(value);
    else options.cancel();
  };

  field.addEventListener("keydown", (event) => {
    const e = event as KeyboardEvent;
    e.stopPropagation();
    if (e.key === "Escape") {
      e.preventDefault();
      finish(false);
    } else if (e.key === "Enter" && !(options.multiline && e.shiftKey) && !e.isComposing) {
      e.preventDefault();
      finish(true);
    }
  });
  // Clicks and drags inside the field are the field's, not the grid's.
  for (const type of ["pointerdown", "click", "dblclick"] as const) {
    box.addEventListener(type, (e) => e.stopPropagation());
  }
  box.addEventListener("focusout", (e) => {
    const next = (e as FocusEvent).relatedTarget as Node | null;
    if (next && box.contains(next)) return; // moving to the extra controls
    finish(true);
  });
  // Grow with the text instead of clipping it: taller for notes, wider for names.
  const grow = (): void => {
    if (field instanceof HTMLTextAreaElement) {
      field.style.height = "auto";
      field.style.height = `${field.scrollHeight + 4}px`;
    } else {
      field.size = Math.max(12, field.value.length + 2);
    }
  };
  field.addEventListener("input", grow);
  grow();
  field.focus({ preventScroll: false });
  field.select();
  return { field, finish };
}
