// The TypeScript side checked against Python, not trusted to agree: every case of
// fixtures/rules-fixture.json (written by scripts/generate_rules_fixture.py from the real
// Python model) is replayed through the standalone page's local model (local-kernel.ts)
// and the browser's optimistic store (store.ts).
import { describe, expect, it } from "vitest";

import { LocalKernelModel } from "../src/local-kernel";
import { defaultsOf } from "../src/rules";
import { JourneyStore } from "../src/store";
import type { Edit, JourneyDoc, Kind } from "../src/types";
import fixture from "./fixtures/rules-fixture.json";

type Doc = Record<string, unknown>;
type Entity = Record<string, unknown> & { id: string };

interface Case {
  doc: number;
  edit: unknown;
  ok: boolean;
  field?: string | null;
  reason?: string;
  applied?: Edit;
  inverse?: Edit;
  after?: Doc;
}

const LISTS: Record<string, Kind> = {
  personas: "persona",
  stages: "stage",
  touchpoints: "touchpoint",
  lanes: "lane",
  cards: "card",
};
const docs = fixture.docs as Doc[];
const cases = fixture.cases as unknown as Case[];

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Doc)[k])]),
    );
  }
  return value;
}

/** Fields at their schema default left out, as the generator leaves them out. */
function strip(kind: Kind | "map", fields: Doc): Doc {
  const defaults = defaultsOf(kind);
  return Object.fromEntries(Object.entries(fields).filter(([k, v]) => !(k in defaults) || !deepEqual(defaults[k], v)));
}

function stripDoc(doc: JourneyDoc | Doc): Doc {
  const out = strip("map", Object.fromEntries(Object.entries(doc).filter(([k]) => !(k in LISTS))));
  for (const [key, kind] of Object.entries(LISTS)) {
    out[key] = ((doc as Doc)[key] as Doc[] | undefined)?.map((e) => strip(kind, e)) ?? [];
  }
  return out;
}

function stripEdit(edit: Edit): Edit {
  if (edit.op === "add") return { ...edit, item: strip(edit.kind, edit.item) };
  if (edit.op === "batch") return { ...edit, edits: edit.edits.map(stripEdit) };
  return edit;
}

/** The document after an edit: entities given by id alone are as they were before. */
function expand(after: Doc, before: Doc): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(after)) {
    if (!(key in LISTS)) {
      out[key] = value;
      continue;
    }
    const old = new Map(((before[key] as Entity[]) ?? []).map((e) => [e.id, e]));
    out[key] = (value as (string | Entity)[]).map((e) => (typeof e === "string" ? old.get(e) : e));
  }
  return out;
}

function label(c: Case, n: number): string {
  return `#${n} ${JSON.stringify(c.edit).slice(0, 110)}`;
}

describe("the rules fixture", () => {
  it("holds a few hundred cases, accepted and refused", () => {
    expect(cases.length).toBeGreaterThanOrEqual(250);
    expect(cases.filter((c) => c.ok).length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((c) => !c.ok).length).toBeGreaterThanOrEqual(100);
  });

  it("has the defaults the TypeScript side reads from the shipped schema", () => {
    for (const kind of ["map", ...Object.values(LISTS)] as const) {
      expect(defaultsOf(kind), kind).toEqual((fixture.defaults as Record<string, Doc>)[kind]);
    }
  });
});

describe("the standalone page's local model agrees with Python", () => {
  cases.forEach((c, n) => {
    it(label(c, n), () => {
      const before = docs[c.doc]!;
      const model = new LocalKernelModel({ doc: structuredClone(before) as JourneyDoc });
      const verdict = model.check(structuredClone(c.edit));
      if (!c.ok) {
        expect(verdict.ok, `Python refused it: ${c.reason}`).toBe(false);
        if (!verdict.ok) expect(verdict.field, `Python: ${c.reason}; TS: ${verdict.reason}`).toBe(c.field ?? null);
        expect(stripDoc(model.document())).toEqual(stripDoc(before));
        return;
      }
      expect(verdict.ok, verdict.ok ? "" : `TS refused it: ${verdict.reason}`).toBe(true);
      if (!verdict.ok) return;
      expect(stripEdit(verdict.applied)).toEqual(c.applied);
      expect(stripDoc(model.document())).toEqual(expand(c.after!, before));
      // and its own inverse takes the change back
      model.kernel.apply(verdict.inverse);
      expect(stripDoc(model.document())).toEqual(stripDoc(before));
    });
  });
});

describe("the browser's optimistic store applies what Python applied, and undoes it", () => {
  cases.forEach((c, n) => {
    it(label(c, n), () => {
      const before = docs[c.doc]!;
      const store = JourneyStore.fromDoc(structuredClone(before) as JourneyDoc);
      if (!c.ok) {
        // the kernel refuses it; the store may have applied it optimistically, and its
        // rollback (the inverse it returned) must restore the map exactly
        try {
          const inverse = store.apply(structuredClone(c.edit) as Edit);
          store.apply(inverse);
        } catch {
          // refused here too: nothing changed
        }
        expect(stripDoc(store.toDoc())).toEqual(stripDoc(before));
        return;
      }
      const after = expand(c.after!, before);
      const inverse = store.apply(structuredClone(c.applied!));
      expect(stripDoc(store.toDoc())).toEqual(after);
      store.apply(inverse);
      expect(stripDoc(store.toDoc())).toEqual(stripDoc(before));
      // Python's inverse, applied to the document after, restores it too
      const again = JourneyStore.fromDoc(structuredClone(after) as JourneyDoc);
      again.apply(structuredClone(c.inverse!));
      expect(stripDoc(again.toDoc())).toEqual(stripDoc(before));
    });
  });
});
