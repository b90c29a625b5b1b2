/**
 * A deep copy of a row's values (rendering coerces values in place, and each side of a plan renders
 * the same row), without a prototype: a key such as `__proto__` stays plain data.
 */
import { copyNumberInfo } from './numbers.js';

export function cloneValues(values: Record<string, unknown>): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    const v = values[key];
    out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? cloneValues(v as Record<string, unknown>) : v;
  }
  copyNumberInfo(values, out);
  return out;
}
