// JSON pointers (RFC 6901) and positions in a file: shared by the loader, the checks, the renderer and
// the schema's diagnostics.

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  column: number;
}

/** The segments of a JSON pointer. */
export function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A JSON pointer from segments. */
export function encodePointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
