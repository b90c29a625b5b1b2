// Recipient rows from CSV, JSON or NDJSON files (or stdin) behind one async iterable.
import { createReadStream, existsSync } from 'node:fs';
import { extname } from 'node:path';
import { InternalError, UserError } from '../errors.js';
import type { DataFormat, Row } from '../types.js';
import { readCsv } from './csv.js';
import { fileReadError, type Chunk } from './data-error.js';
import { readJson } from './json.js';
import { readNdjson } from './ndjson.js';
import { watchUtf8, type Utf8Watch } from './utf8.js';
export { estimateRows } from './estimate.js';

export interface ReadRowsOptions {
  /** Path of the data file, or '-' for `input`. */
  path: string;
  /** Overrides detection from the extension (.csv, .json, .ndjson/.jsonl). */
  format?: DataFormat;
  /** Stream used when path is '-' (the CLI passes process.stdin). */
  input?: NodeJS.ReadableStream;
  /** Name used in error messages (defaults to path, or '<stdin>'). */
  displayName?: string;
}

const READERS: Record<DataFormat, (chunks: AsyncIterable<Chunk>, file: string, watch: Utf8Watch) => AsyncIterable<Row>> = {
  csv: readCsv,
  json: readJson,
  ndjson: readNdjson,
};

const EXTENSIONS = new Map<string, DataFormat>([
  ['.csv', 'csv'],
  ['.json', 'json'],
  ['.ndjson', 'ndjson'],
  ['.jsonl', 'ndjson'],
]);

/** The format implied by a file's extension, or undefined (also for '-'). */
export function detectFormat(path: string): DataFormat | undefined {
  return EXTENSIONS.get(extname(path).toLowerCase());
}

/**
 * Rows in file order, parsed as they stream in (memory stays flat with file size). Nothing is
 * opened until iteration starts; problems surface as UserError (E_DATA, E_FILE_READ, E_USAGE).
 */
export function readRows(options: ReadRowsOptions): AsyncIterable<Row> {
  const file = options.displayName ?? (options.path === '-' ? '<stdin>' : options.path);
  const format = options.format ?? detectFormat(options.path);
  if (format === undefined) {
    // A missing file is the more useful thing to say than "cannot tell the format" of it.
    if (options.path !== '-' && !existsSync(options.path))
      return failing(fileReadError(file, Object.assign(new Error('ENOENT'), { code: 'ENOENT' })));
    return failing(unknownFormat(file));
  }
  const watch: Utf8Watch = { invalidLine: undefined };
  return READERS[format](watchUtf8(openChunks(options, file), watch), file, watch);
}

async function* openChunks(options: ReadRowsOptions, file: string): AsyncGenerator<Chunk> {
  const stream = options.path === '-' ? options.input : createReadStream(options.path);
  if (stream === undefined) throw new InternalError("readRows: path '-' needs options.input");
  try {
    for await (const chunk of stream) yield chunk as Chunk;
  } catch (error) {
    throw fileReadError(file, error);
  }
}

function unknownFormat(file: string): UserError {
  const message = `cannot tell the format of ${file}; use a .csv, .json, .ndjson or .jsonl file, or name the format with --data-format`;
  return new UserError('E_USAGE', message, {
    diagnostics: [{ code: 'E_USAGE', severity: 'error', file, line: 0, column: 0, pointer: '', message }],
  });
}

/** Fails on first iteration, so every problem surfaces the same way as the readers' own. */
function failing(error: Error): AsyncIterable<Row> {
  return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
}
