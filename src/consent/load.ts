// Suppression lists (`suppress:` in chirp.config.yaml): who opted out, read fail-closed. A list that
// is missing, unreadable or holds a line chirp cannot read stops the run naming file:line; "no list"
// is never "nobody opted out". Entries are normalised like `to` (E.164 with the config's
// defaultCountry; e-mail addresses case-folded), so any spelling of a suppressed number matches.
import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { extname, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { suppressionKey } from '../util/index.js';
import { readRows } from '../sources/index.js';
import { sha256Hex } from '../util/index.js';
import type { Row } from '../types.js';
import { SuppressionSet } from './set.js';

/** One configured list as read: where, its content hash (a saved plan and the journal record it), how many entries. */
export interface SuppressionList {
  /** As named in the config (relative to it). */
  file: string;
  path: string;
  sha256: string;
  entries: number;
}

export type SkipReason = 'opted-out' | 'no-consent';

export interface Suppression {
  lists: SuppressionList[];
  /** Distinct suppressed recipients. */
  size: number;
  /**
   * Whether a recipient is suppressed. `normalised`: it came from `to` (E.164, or an e-mail address):
   * one hash lookup. Otherwise (a `receiver:` as written) it is normalised first.
   */
  has: (recipient: string, normalised?: boolean) => boolean;
}

/** The columns (CSV) or fields (NDJSON/JSON) that hold a receiver, in this order. */
export const RECEIVER_FIELDS = ['receiver', 'phone', 'email'] as const;

export interface LoadOptions {
  /** The config's folder: list paths are relative to it. */
  root: string;
  /** The lists as the config names them. */
  files: readonly string[];
  defaultCountry: string | undefined;
}

/** The format of a list, by extension: CSV, NDJSON (or a JSON array), or text (one receiver a line). */
export function listFormat(path: string): 'csv' | 'ndjson' | 'json' | 'txt' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.json') return 'json';
  return 'txt';
}

export function listPath(root: string, file: string): string {
  return isAbsolute(file) ? file : join(root, file);
}

function listError(where: string, message: string, cause?: unknown): UserError {
  return new UserError('E_SUPPRESS_LIST', `${where}: ${message}`, cause === undefined ? undefined : { cause });
}

/** Read every configured list into one set. No lists configured: an empty suppression (nothing is skipped). */
export async function loadSuppression(options: LoadOptions): Promise<Suppression> {
  const set = new SuppressionSet();
  const lists: SuppressionList[] = [];
  for (const file of options.files) {
    const path = listPath(options.root, file);
    const bytes = await readList(path, file);
    let entries = 0;
    await forEachEntry(bytes, path, file, options.defaultCountry, (key) => {
      entries++;
      set.add(key);
    });
    lists.push({ file, path, sha256: `sha256:${sha256Hex(bytes)}`, entries });
  }
  const { defaultCountry } = options;
  return {
    lists,
    size: set.size,
    has: (recipient, normalised = true) => {
      if (set.size === 0) return false;
      const key = recipient.includes('@') ? recipient.toLowerCase() : recipient;
      if (set.has(key)) return true;
      if (normalised) return false;
      const parsed = suppressionKey(recipient, defaultCountry);
      return parsed.ok && set.has(parsed.recipient.value);
    },
  };
}

export async function readList(path: string, file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'the suppression list does not exist (named in `suppress:` of chirp.config.yaml); create it (an empty file is an empty list) or remove it from the config'
        : `the suppression list cannot be read (${code ?? (error as Error).message})`;
    throw listError(file, why, error);
  }
  if (!isUtf8(bytes)) throw listError(file, 'the suppression list is not valid UTF-8; save it as UTF-8');
  return bytes;
}

/** Each entry of a list, normalised; a line chirp cannot read is an error naming file:line. */
export async function forEachEntry(
  bytes: Buffer,
  path: string,
  file: string,
  defaultCountry: string | undefined,
  add: (key: string, line: number) => void,
): Promise<void> {
  const format = listFormat(path);
  if (format === 'txt') {
    textEntries(bytes.toString('utf8'), file, defaultCountry, add);
    return;
  }
  for await (const row of rowsOf(bytes, file, format)) rowEntries(row, file, defaultCountry, add);
}

async function* rowsOf(bytes: Buffer, file: string, format: 'csv' | 'ndjson' | 'json'): AsyncGenerator<Row> {
  try {
    // The bytes already read (and hashed): the list is read once, so the hash is of what was checked.
    yield* readRows({ path: '-', displayName: file, format, input: Readable.from([bytes]) });
  } catch (error) {
    if (error instanceof UserError) throw listError(file, `the suppression list cannot be read: ${error.message}`, error);
    throw error;
  }
}

function normalise(raw: string, where: string, defaultCountry: string | undefined): string {
  const parsed = suppressionKey(raw, defaultCountry);
  if (!parsed.ok) {
    const hint = parsed.hint ? `; ${parsed.hint}` : '';
    throw listError(where, `"${raw.trim()}" ${parsed.reason}${hint} (a suppression list entry chirp cannot read stops the run)`);
  }
  return parsed.recipient.value;
}

/** One receiver a line; blank lines and `#` comments (whole lines, or after the receiver) are skipped. */
function textEntries(text: string, file: string, defaultCountry: string | undefined, add: (key: string, line: number) => void): void {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    let entry = text.slice(start, end);
    start = end + 1;
    const hash = entry.indexOf('#');
    if (hash !== -1) entry = entry.slice(0, hash);
    entry = entry.trim();
    if (entry === '') continue;
    add(normalise(entry, `${file}:${line}`, defaultCountry), line);
  }
}

function rowEntries(row: Row, file: string, defaultCountry: string | undefined, add: (key: string, line: number) => void): void {
  const where = `${file}:${row.line ?? row.index}`;
  const values = row.values;
  let found = 0;
  for (const field of RECEIVER_FIELDS) {
    const value = values[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw listError(where, `"${field}" is not text`);
    add(normalise(String(value), where, defaultCountry), row.line ?? row.index);
    found++;
  }
  if (found === 0)
    throw listError(
      where,
      `no receiver: a suppression list row needs a ${RECEIVER_FIELDS.map((f) => `"${f}"`).join(', ')} ${'column or field'} (this row has ${Object.keys(values).join(', ') || 'none'})`,
    );
}

/** Every normalised entry of a list's bytes (for comparing two versions of the lists: `plan --base`). */
export async function listKeys(bytes: Buffer, path: string, file: string, defaultCountry: string | undefined): Promise<string[]> {
  const keys: string[] = [];
  await forEachEntry(bytes, path, file, defaultCountry, (key) => keys.push(key));
  return keys;
}
