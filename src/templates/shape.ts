// Small shape checks for JSON chirp did not write itself (Bird's answers, a lock file someone edited).
// Each returns the value or throws ShapeError naming the JSON path: callers turn that into a refusal.

export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  constructor(
    readonly path: string,
    expected: string,
  ) {
    super(`${path || '(root)'}: expected ${expected}`);
  }
}

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function obj(value: unknown, path: string): Obj {
  if (!isObj(value)) throw new ShapeError(path, 'an object');
  return value;
}

export function arr(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(path, 'an array');
  return value;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new ShapeError(path, 'a non-empty string');
  return value;
}

/** A string, or null when absent or null. */
export function optStr(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new ShapeError(path, 'a string or null');
  return value === '' ? null : value;
}

export function optInt(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new ShapeError(path, 'a non-negative integer or null');
  return value;
}

export function strArray(value: unknown, path: string): string[] {
  return arr(value, path).map((v, i) => str(v, `${path}[${i}]`));
}
