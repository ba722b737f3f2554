// The envelope of an edit sent to the standalone page's local model: its op and
// the types of its own fields, checked before anything is applied, as pydantic
// parses an edit in the kernel. What the edit does to the map is checked next,
// by edit-checker.ts.
import { StoreError } from "./store";
import type { Kind } from "./types";

/** An edit the Python model would refuse: `field` is the field it names (or null). */
export class RuleError extends StoreError {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(field ? `field '${field}': ${message}` : message);
  }
}

const KINDS: readonly Kind[] = ["persona", "stage", "touchpoint", "lane", "card"];
const OPS = ["add", "update", "move", "remove", "set_emotion", "batch"];
/** The fields each op may have: any other is refused, as pydantic forbids extras. */
const FIELDS: Record<string, string[]> = {
  add: ["op", "kind", "item", "index"],
  update: ["op", "id", "kind", "changes"],
  move: ["op", "id", "index", "stage", "touchpoint", "lane"],
  remove: ["op", "id", "cascade", "rehome"],
  set_emotion: ["op", "id", "value"],
  batch: ["op", "edits", "label"],
};

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): boolean {
  return value == null || (typeof value === "number" && Number.isInteger(value) && value >= 0);
}

/** A string Python can hold as `str` and JSON can carry: no lone surrogate halves. */
function isText(value: unknown): boolean {
  return typeof value === "string" && !/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ""));
}

/**
 * Check the envelope of `edit`, throwing a RuleError that names the field, inside a
 * batch as `edits.<n>.<field>`.
 */
export function parseEdit(edit: unknown, path = ""): void {
  const fail = (field: string, message: string): never => {
    throw new RuleError(path + field, message);
  };
  if (!isObject(edit) || !OPS.includes(edit["op"] as string)) fail("op", "not an edit");
  const e = edit as Record<string, unknown>;
  const optionalText = (field: string) => {
    if (e[field] != null && !isText(e[field])) fail(field, "must be text");
  };
  switch (e["op"]) {
    case "add":
      if (!KINDS.includes(e["kind"] as Kind)) fail("kind", "not an entity kind");
      if (!isObject(e["item"])) fail("item", "must be an object");
      if (!isIndex(e["index"])) fail("index", "must be a whole number from 0");
      break;
    case "update":
      optionalText("id");
      if (e["kind"] != null && e["kind"] !== "map") fail("kind", "must be 'map'");
      if (!isObject(e["changes"])) fail("changes", "must be an object");
      break;
    case "move":
      if (!isText(e["id"])) fail("id", "must be text");
      if (!isIndex(e["index"])) fail("index", "must be a whole number from 0");
      for (const field of ["stage", "touchpoint", "lane"]) optionalText(field);
      break;
    case "remove":
      if (!isText(e["id"])) fail("id", "must be text");
      if (e["cascade"] !== undefined && typeof e["cascade"] !== "boolean") fail("cascade", "must be true or false");
      optionalText("rehome");
      break;
    case "set_emotion":
      if (!isText(e["id"])) fail("id", "must be text");
      if (!("value" in e)) fail("value", "missing");
      if (e["value"] !== null && (typeof e["value"] !== "number" || !Number.isFinite(e["value"]))) {
        fail("value", "must be a number or null");
      }
      break;
    case "batch":
      if (!Array.isArray(e["edits"])) fail("edits", "must be a list");
      (e["edits"] as unknown[]).forEach((step, n) => {
        parseEdit(step, `${path}edits.${n}.`);
      });
      if (e["label"] !== undefined && !isText(e["label"])) fail("label", "must be text");
      break;
  }
  for (const key of Object.keys(e)) if (!FIELDS[e["op"] as string]!.includes(key)) fail(key, "unknown field");
}
