// Opt-in: a message may name the column that records each recipient's consent (`consent: optin`).
// Only a value that says yes counts; anything else (absent, empty, "no", a typo) skips the row.
const YES = new Set(['true', 'yes', 'y', '1', 'optin', 'opt-in', 'opted-in', 'opted_in']);
const DATE = /^\d{4}-\d{2}-\d{2}(?:[t ][\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether a row's consent value records an opt-in: true, 1, a yes word, or the date consent was given. */
export function isOptIn(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (typeof value !== 'string') return false;
  const text = value.trim().toLowerCase();
  return YES.has(text) || (DATE.test(text) && !Number.isNaN(Date.parse(text.slice(0, 10))));
}

/** The opt-in check of a message's `consent:` column (a dotted path reaches into JSON rows). */
export function optInCheck(column: string): (values: Record<string, unknown>) => boolean {
  const path = column.split('.');
  return (values) => {
    let node: unknown = values;
    for (const key of path) {
      if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
      node = (node as Record<string, unknown>)[key];
    }
    return isOptIn(node);
  };
}
