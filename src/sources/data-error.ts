// Error and object helpers shared by the recipient readers.
import { UserError } from '../errors.js';
import type { Diagnostic } from '../types.js';

/** What the readers consume: file streams give Buffers, `Readable.from(['...'])` gives strings. */
export type Chunk = Buffer | string;

/** Where a data problem sits. `line` is 1-based; `column` 0 when unknown. */
export interface DataLocation {
  line: number;
  column?: number;
  row?: number;
  field?: string;
  cause?: unknown;
}

/** A malformed data file: one E_DATA diagnostic, never the parser's own error object. */
export function dataError(file: string, message: string, at: DataLocation): UserError {
  const diagnostic: Diagnostic = {
    code: 'E_DATA',
    severity: 'error',
    file,
    line: at.line,
    column: at.column ?? 0,
    pointer: '',
    message,
  };
  if (at.row !== undefined) diagnostic.row = at.row;
  if (at.field !== undefined) diagnostic.field = at.field;
  const options = at.cause === undefined ? undefined : { cause: at.cause };
  return new UserError('E_DATA', `${file}:${at.line}: ${message}`, { diagnostics: [diagnostic], ...options });
}

const READ_FAILURES = new Map([
  ['ENOENT', 'does not exist'],
  ['EISDIR', 'is a directory, not a file'],
  ['EACCES', 'cannot be read (permission denied)'],
  ['EPERM', 'cannot be read (permission denied)'],
]);

/** The data file could not be opened or read (missing, a directory, unreadable). */
export function fileReadError(file: string, cause: unknown): UserError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = READ_FAILURES.get(code ?? '') ?? `cannot be read: ${String(cause)}`;
  const message = `data file ${file} ${reason}`;
  const diagnostic: Diagnostic = {
    code: 'E_FILE_READ',
    severity: 'error',
    file,
    line: 0,
    column: 0,
    pointer: '',
    message,
  };
  return new UserError('E_FILE_READ', message, { diagnostics: [diagnostic], cause });
}

/**
 * A row object without a prototype: a key such as `__proto__` is then plain data and cannot
 * reach Object.prototype, whatever the data file contains.
 */
export function nullObject(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}
