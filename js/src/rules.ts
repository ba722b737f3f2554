// The map's field rules for a page with no kernel (local-kernel.ts), read from the
// JSON Schema the Python model ships (src/journeywidgets/schema/journeymap.schema.json,
// bundled at build time): types, required fields, limits, patterns and defaults are
// never written here by hand. The few rules a schema cannot say (text is valid Unicode,
// a scale's ends are in order, metadata nests at most 32 levels) mirror
// journeywidgets/model/rules.py. js/tests/rules-fixture.test.ts checks all of it
// against the Python model, case by case.
import schemaJson from "../../src/journeywidgets/schema/journeymap.schema.json";

import type { Kind } from "./types";

/** A node of the JSON Schema (the subset pydantic writes). */
interface Node {
  type?: string;
  anyOf?: Node[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  propertyNames?: Node;
  items?: Node;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  default?: unknown;
}

const schema = schemaJson as unknown as Node & { $defs: Record<string, Node> };

/** The model's limit on how deeply free-form data (metadata) nests (rules.MAX_DEPTH). */
export const MAX_DEPTH = 32;

/** A broken rule: the field at fault (dotted, as Python names it) and why. */
export interface Problem {
  field: string | null;
  message: string;
}

const DEF_OF_KIND: Record<Kind, string> = {
  persona: "Persona",
  stage: "Stage",
  touchpoint: "Touchpoint",
  lane: "Lane",
  card: "Card",
};

/** The document's entity lists: not map fields. */
const LISTS = new Set(["personas", "stages", "touchpoints", "lanes", "cards", "schema_version"]);

function resolve(node: Node): Node {
  if (node.$ref) return schema.$defs[node.$ref.split("/").pop()!] ?? {};
  return node;
}

/** Whether `text` is valid Unicode: no lone surrogate (an emoji cut in half). */
export function wellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return true;
  }
}

const PATTERNS = new Map<string, RegExp>();
const TYPE_WORDS: Record<string, string> = {
  string: "string",
  number: "number",
  integer: "integer",
  boolean: "boolean",
  array: "list",
  object: "dictionary",
};

/** The first problem of `value` against `node`, located at `path`; null when it fits. */
function check(node: Node, value: unknown, path: string): Problem | null {
  const at = (message: string): Problem => ({ field: path || null, message });
  node = resolve(node);
  if (node.anyOf) {
    let first: Problem | null = null;
    for (const option of node.anyOf) {
      const problem = check(option, value, path);
      if (!problem) return null;
      first ??= problem;
    }
    return first;
  }
  // worded as pydantic words them, so both sides read the same to a user
  if (typeof value === "string" && !wellFormed(value)) {
    return at("contains a lone surrogate: text must be valid Unicode (an emoji cut in half?)");
  }
  if (node.type && !typeOk(node.type, value))
    return at(`Input should be a valid ${TYPE_WORDS[node.type] ?? node.type}`);
  if (node.const !== undefined && value !== node.const) return at(`Input should be ${JSON.stringify(node.const)}`);
  if (node.enum && !node.enum.includes(value)) {
    return at(`Input should be ${node.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  }
  if (typeof value === "string") {
    const length = [...value].length; // code points, as Python counts
    const chars = (n: number) => `${n} character${n === 1 ? "" : "s"}`;
    if (node.minLength !== undefined && length < node.minLength) {
      return at(`String should have at least ${chars(node.minLength)}`);
    }
    if (node.maxLength !== undefined && length > node.maxLength) {
      return at(`String should have at most ${chars(node.maxLength)}`);
    }
    if (node.pattern) {
      let re = PATTERNS.get(node.pattern);
      if (!re) {
        re = new RegExp(node.pattern, "u");
        PATTERNS.set(node.pattern, re);
      }
      if (!re.test(value)) {
        // as journeywidgets/model/explain.py words the names' rule
        if (node.pattern === "\\S") return at("must not be empty or only spaces");
        return at(`String should match pattern '${node.pattern}'`);
      }
    }
  }
  if (typeof value === "number") {
    if (node.minimum !== undefined && value < node.minimum) {
      return at(`Input should be greater than or equal to ${node.minimum}`);
    }
    if (node.maximum !== undefined && value > node.maximum) {
      return at(`Input should be less than or equal to ${node.maximum}`);
    }
    if (node.exclusiveMinimum !== undefined && value <= node.exclusiveMinimum) return at("is too small");
    if (node.exclusiveMaximum !== undefined && value >= node.exclusiveMaximum) return at("is too large");
  }
  if (Array.isArray(value) && node.items) {
    for (let n = 0; n < value.length; n++) {
      const problem = check(node.items, value[n], path ? `${path}.${n}` : String(n));
      if (problem) return problem;
    }
  }
  if (isObject(value)) return checkObject(node, value, path);
  return null;
}

function checkObject(node: Node, value: Record<string, unknown>, path: string): Problem | null {
  const join = (key: string) => (path ? `${path}.${key}` : key);
  const properties = node.properties ?? {};
  // pydantic reports fields in their declared order, then unknown ones
  for (const [key, child] of Object.entries(properties)) {
    if (key in value) {
      const problem = check(child, value[key], join(key));
      if (problem) return problem;
    } else if (node.required?.includes(key)) {
      return { field: join(key), message: "Field required" };
    }
  }
  const extra = node.additionalProperties;
  for (const [key, item] of Object.entries(value)) {
    if (key in properties) continue;
    if (node.properties && extra === undefined) continue;
    if (extra === false) return { field: join(key), message: "Extra inputs are not permitted" };
    if (!wellFormed(key)) return { field: path || null, message: "a key contains a lone surrogate" };
    if (node.propertyNames) {
      const problem = check(node.propertyNames, key, path);
      if (problem) return { field: path || null, message: `key ${JSON.stringify(key)}: ${problem.message}` };
    }
    if (isObject(extra)) {
      const problem = check(extra, item, join(key));
      if (problem) return problem;
    }
  }
  return null;
}

/** The rules of a scale that a schema cannot say: ends in order, neutral within, step > 0. */
function scaleProblem(scale: Record<string, unknown>): Problem | null {
  const { min, max, neutral, step } = { min: -3, max: 3, neutral: 0, step: 1, ...scale } as Record<string, number>;
  if (!(min! < max!)) return { field: "scale", message: `min (${min}) must be below max (${max})` };
  if (!(min! <= neutral! && neutral! <= max!)) return { field: "scale", message: "neutral must lie within the scale" };
  if (!(step! > 0)) return { field: "scale", message: "step must be positive" };
  return null;
}

/** Whether every text (keys too) in free-form JSON data is valid Unicode. */
function jsonWellFormed(value: unknown): boolean {
  if (typeof value === "string") return wellFormed(value);
  if (Array.isArray(value)) return value.every(jsonWellFormed);
  if (isObject(value)) return Object.entries(value).every(([k, v]) => wellFormed(k) && jsonWellFormed(v));
  return true;
}

function depth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (isObject(value)) return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

/** Why the fields of an entity of `kind` break the model's rules, or null. */
export function entityProblem(kind: Kind, item: Record<string, unknown>): Problem | null {
  return check({ $ref: DEF_OF_KIND[kind] }, item, "");
}

/** Why the map's own fields (title, scale, persona, metadata...) break the rules, or null. */
export function mapProblem(fields: Record<string, unknown>): Problem | null {
  const node: Node = { ...schema, properties: {}, additionalProperties: false };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (!LISTS.has(key)) node.properties![key] = child;
  }
  const problem = check(node, fields, "");
  if (problem) return problem;
  if (isObject(fields["scale"])) {
    const scale = scaleProblem(fields["scale"]);
    if (scale) return scale;
  }
  // the metadata dict itself is one level (rules.json_issues counts from it)
  if (depth(fields["metadata"]) > MAX_DEPTH) {
    return { field: "metadata", message: `nested deeper than ${MAX_DEPTH} levels` };
  }
  if (!jsonWellFormed(fields["metadata"])) return { field: "metadata", message: "contains a lone surrogate" };
  return null;
}

/** Fill the fields an entity of `kind` leaves out with their defaults, as Python stores it. */
export function withDefaults(kind: Kind | "map", item: Record<string, unknown>): Record<string, unknown> {
  const node = kind === "map" ? schema : resolve({ $ref: DEF_OF_KIND[kind] });
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (kind === "map" && LISTS.has(key)) continue;
    if (key in item) out[key] = nested(child, item[key]);
    else if (child.default !== undefined) out[key] = structuredClone(child.default);
  }
  for (const [key, value] of Object.entries(item)) if (!(key in out)) out[key] = value;
  return out;
}

/** A nested object (a touchpoint's `measured`, the map's `scale`) with its defaults. */
function nested(node: Node, value: unknown): unknown {
  const target = (node.anyOf ?? [node]).map(resolve).find((n) => n.properties);
  if (!target || !isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(target.properties!)) {
    if (key in value) out[key] = value[key];
    else if (child.default !== undefined) out[key] = structuredClone(child.default);
  }
  return out;
}

/** The default of every field of `kind` (for leaving defaults out when comparing). */
export function defaultsOf(kind: Kind | "map"): Record<string, unknown> {
  const node = kind === "map" ? schema : resolve({ $ref: DEF_OF_KIND[kind] });
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    if (child.default !== undefined) out[key] = child.default;
  }
  return out;
}
