// Ids made from names, for the standalone page's local model (local-kernel.ts):
// the same slugs as journeywidgets/model/ids.py, so an entity added in the page
// gets the id the Python model would give it (the rules fixture checks they agree).

// Letters NFKD does not take apart, folded as Python's slugify folds them.
const FOLD: Record<string, string> = { ł: "l", Ł: "L", ß: "ss", ø: "o", Ø: "O", đ: "d", Đ: "D" };

/** `"I use and pay"` -> `"i_use_and_pay"`: lower-case ASCII words joined by `_`. */
export function slugify(text: string, maxLength = 40): string {
  const folded = Array.from(text, (c) => FOLD[c] ?? c)
    .join("")
    .normalize("NFKD");
  // ASCII only, as Python's .encode("ascii", "ignore") keeps
  const ascii = Array.from(folded)
    .filter((c) => c.charCodeAt(0) < 0x80)
    .join("")
    .toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  return slug.slice(0, maxLength).replace(/_+$/, "");
}

/** The slug of `name` if free, else the first free `<slug>_<n>` (or `<kind>_<n>` for no name). */
export function newId(kind: string, name: string | null, taken: (id: string) => boolean): string {
  let base = name ? slugify(name) : "";
  if (base && !taken(base)) return base;
  if (!base) base = kind;
  let n = base === kind ? 1 : 2;
  while (taken(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}
