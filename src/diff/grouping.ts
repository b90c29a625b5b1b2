// The grouping key of one recipient's change (see the rule at the top of compare.ts): both requests
// with the recipient's own identifiers replaced by placeholders from the Unicode private-use area,
// longest value first. Placeholders never occur in the text (else the key is the exact requests), and
// no value can match across one, so the replacement is invertible: key + row = the exact requests.

/** Values shorter than this stay literal in the key (a one-letter value would match inside words). */
export const MIN_PERSONAL = 2;
const PRIVATE = /[\uE000-\uE8FF]/;

/** A row's printable leaf values by variable path (`address.city`). */
export function leaves(values: Record<string, unknown>, prefix = '', out: [string, string][] = []): [string, string][] {
  for (const [key, v] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') out.push([path, String(v)]);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) leaves(v as Record<string, unknown>, path, out);
  }
  return out;
}

/** Placeholders per variable, stable across the rows of one message. */
export class Placeholders {
  private readonly index = new Map<string, string>();
  token(name: string): string {
    let t = this.index.get(name);
    if (t === undefined) {
      t = `\uE000${String.fromCharCode(0xe100 + this.index.size)}\uE001`;
      this.index.set(name, t);
    }
    return t;
  }
  get full(): boolean {
    return this.index.size >= 0x700;
  }
}

/**
 * The grouping key of one recipient's change: both requests as JSON with the recipient's own
 * identifiers replaced, longest first. Returns the names of the identifiers that occurred.
 *
 * The same as replacing each identifier's JSON text in turn with `replaceAll` (test/unit/plan-fast-path.test.ts
 * checks it against that on random rows), found with `indexOf` in the text as it was: an identifier
 * takes, left to right, each occurrence that touches none an earlier one took (a later one cannot
 * match across a placeholder: none holds its code points). Seven `replaceAll`s of a 1 kB pair of
 * requests cost most of the time of a changed row of 100,000 (#22).
 */
export function personalKey(
  jsons: readonly string[],
  identifiers: readonly [string, string][],
  placeholders: Placeholders,
): { key: string; personal: string[] } {
  const joined = jsons.join('\u0001');
  const usable = identifiers.filter(([, v]) => v.length >= MIN_PERSONAL && !PRIVATE.test(v));
  // Placeholders must not collide with the text, nor run out: then the key is the exact requests.
  if (PRIVATE.test(joined) || placeholders.full) return { key: `R${joined}`, personal: [] };
  const text = `T${joined}`;
  // What the identifiers took so far: [start, end, placeholder], in order of start.
  const taken: [number, number, string][] = [];
  // Where [from, to) goes in `taken` (kept in order of start), or -1 when it touches one there.
  const slot = (from: number, to: number): number => {
    let i = 0;
    for (; i < taken.length; i++) {
      const [start, end] = taken[i]!;
      if (to <= start) break;
      if (from < end) return -1;
    }
    return i;
  };
  const personal: string[] = [];
  for (const [name, value] of usable.sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
    const encoded = JSON.stringify(value).slice(1, -1);
    let found = 0;
    let token: string | undefined;
    for (let at = text.indexOf(encoded); at >= 0;) {
      const end = at + encoded.length;
      const i = slot(at, end);
      if (i < 0) {
        at = text.indexOf(encoded, at + 1);
        continue;
      }
      token ??= placeholders.token(name);
      taken.splice(i, 0, [at, end, token]);
      found++;
      at = text.indexOf(encoded, end);
    }
    if (found > 0) personal.push(name);
  }
  if (taken.length === 0) return { key: text, personal };
  let key = '';
  let from = 0;
  for (const [start, end, token] of taken) {
    key += text.slice(from, start) + token;
    from = end;
  }
  return { key: key + text.slice(from), personal: personal.sort() };
}
