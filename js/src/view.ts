// Builds the DOM of one widget view and keeps it in step with the model.
// User text only ever reaches the page through textContent, never innerHTML,
// so a title like "<b>x</b>" shows literally and cannot inject markup.
import type { JourneyDoc, WidgetModel } from "./widget";

export const ROOT_CLASS = "jw-root";
export const TITLE_CLASS = "jw-title";

/** The title to show for a document; an empty or missing title gets a placeholder. */
export function titleOf(doc: JourneyDoc | null | undefined): string {
  const title = doc?.title;
  return typeof title === "string" && title.trim() !== "" ? title : "Untitled journey";
}

/**
 * Render the view into `el` and return the cleanup anywidget calls when the
 * view is removed (it detaches the model listener so views do not leak).
 */
export function mountView(model: WidgetModel, el: HTMLElement): () => void {
  const root = document.createElement("div");
  root.className = ROOT_CLASS;
  const title = document.createElement("h2");
  title.className = TITLE_CLASS;
  root.append(title);
  el.replaceChildren(root);

  const update = (): void => {
    title.textContent = titleOf(model.get("_doc"));
  };
  update();
  model.on("change:_doc", update);
  return () => {
    model.off("change:_doc", update);
    root.remove();
  };
}
