// Suppression lists (`suppress:` in chirp.config.yaml): who opted out, read fail-closed. A list that
// is missing, unreadable or holds a line chirp cannot read stops the run naming file:line; "no list"
// is never "nobody opted out". Entries are normalised like `to` (E.164; e-mail addresses case-folded),
// so any spelling of a suppressed number matches. A number written without a country code
// (`06 1234 5678`) names a person only in a country: it is kept as written and read in the country of
// each message it is checked for (the message's `defaultCountry`, else the config's), once per country.
// One that cannot be read there stops that message, naming file:line: never silently ignored.
import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { extname, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { isNationalNumber, suppressionKey } from '../util/index.js';
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
  /** Distinct normalised recipients, plus the entries written without a country code. */
  size: number;
  /**
   * The check for a message whose numbers without a country code are read in `country` (its
   * `defaultCountry`; undefined: none). The lists' national entries are read in that country once
   * (then cached); one that cannot be is an E_SUPPRESS_LIST naming file:line, thrown here, before
   * any row is checked. `reader` names who asks, for that error (e.g. `message notice`).
   */
  forCountry: (country: string | undefined, reader?: string) => SuppressionCheck;
}

/**
 * Whether a recipient is suppressed. `normalised`: it came from `to` (E.164, or an e-mail address):
 * one or two hash lookups. Otherwise (a `receiver:` as written) it is normalised first, in the check's country.
 */
export type SuppressionCheck = (recipient: string, normalised?: boolean) => boolean;

/** One entry of a list: normalised, or a phone number without a country code kept as written (`national`). */
export type ListEntry = { key: string; line: number } | { national: string; where: string; line: number };

/** The columns (CSV) or fields (NDJSON/JSON) that hold a receiver, in this order. */
export const RECEIVER_FIELDS = ['receiver', 'phone', 'email'] as const;

export interface LoadOptions {
  /** The config's folder: list paths are relative to it. */
  root: string;
  /** The lists as the config names them. */
  files: readonly string[];
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
  const national = new NationalEntries();
  const lists: SuppressionList[] = [];
  for (const file of options.files) {
    const path = listPath(options.root, file);
    const bytes = await readList(path, file);
    let entries = 0;
    await forEachEntry(bytes, path, file, (entry) => {
      entries++;
      if ('key' in entry) set.add(entry.key);
      else national.add(entry.national, file, entry.line);
    });
    lists.push({ file, path, sha256: `sha256:${sha256Hex(bytes)}`, entries });
  }
  return {
    lists,
    size: set.size + national.size,
    forCountry: (country, reader) => checkOf(set, national.size === 0 ? undefined : national.keysIn(country, reader), country),
  };
}

function checkOf(set: SuppressionSet, extra: SuppressionSet | undefined, country: string | undefined): SuppressionCheck {
  const other = extra !== undefined && extra.size > 0 ? extra : undefined;
  if (set.size === 0 && other === undefined) return () => false;
  const has = other === undefined ? (key: string) => set.has(key) : (key: string) => set.has(key) || other.has(key);
  return (recipient, normalised = true) => {
    if (has(recipient.includes('@') ? recipient.toLowerCase() : recipient)) return true;
    if (normalised) return false;
    const parsed = suppressionKey(recipient, country);
    return parsed.ok && has(parsed.recipient.value);
  };
}

/**
 * A list's numbers written without a country code, as written, each with where it is (file:line),
 * read per country on first use: each country once. Kept compact (the text, a file number, a line
 * number): a list of a million entries may hold a hundred thousand of them.
 */
export class NationalEntries {
  private readonly texts: string[] = [];
  private readonly lines: number[] = [];
  private readonly fileOf: number[] = [];
  private readonly files: string[] = [];
  private readonly read = new Map<string, SuppressionSet | UserError>();

  add(text: string, file: string, line: number): void {
    if (this.files[this.files.length - 1] !== file) this.files.push(file);
    this.texts.push(text);
    this.lines.push(line);
    this.fileOf.push(this.files.length - 1);
  }

  /** Entries (one written twice counts twice). */
  get size(): number {
    return this.texts.length;
  }

  /** The entries read in `country`, normalised; the first that cannot be read there is an E_SUPPRESS_LIST naming file:line. */
  keysIn(country: string | undefined, reader = 'the message'): SuppressionSet {
    const known = this.read.get(country ?? '');
    if (known instanceof UserError) throw known;
    if (known) return known;
    const set = new SuppressionSet();
    for (let i = 0; i < this.texts.length; i++) {
      const text = this.texts[i]!;
      const parsed = country === undefined ? undefined : suppressionKey(text, country);
      if (parsed?.ok) {
        set.add(parsed.recipient.value);
        continue;
      }
      const error = listError(
        `${this.files[this.fileOf[i]!]!}:${this.lines[i]!}`,
        parsed === undefined
          ? `"${text}" has no country code, and ${reader} has no defaultCountry to read it in; write it with its country code in the list (+<country code><number>), or set \`defaultCountry\` in the message or in chirp.config.yaml (an entry chirp cannot read stops the send)`
          : `"${text}" ${parsed.reason}: ${country} is the defaultCountry of ${reader}, and a number without a country code is read in the country of each message it is checked for; write it with its country code in the list (+<country code><number>) (an entry chirp cannot read stops the send)`,
      );
      this.read.set(country ?? '', error);
      throw error;
    }
    this.read.set(country ?? '', set);
    return set;
  }
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

/** Each entry of a list: normalised, or a number without a country code as written; a line chirp cannot read is an error naming file:line. */
export async function forEachEntry(bytes: Buffer, path: string, file: string, add: (entry: ListEntry) => void): Promise<void> {
  const format = listFormat(path);
  if (format === 'txt') {
    textEntries(bytes.toString('utf8'), file, add);
    return;
  }
  for await (const row of rowsOf(bytes, file, format)) rowEntries(row, file, add);
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

function entryOf(raw: string, where: string, line: number): ListEntry {
  const text = raw.trim();
  // Without a country code: read later, in the country of each message it is checked for.
  if (isNationalNumber(text)) return { national: text, where, line };
  const parsed = suppressionKey(text, undefined);
  if (!parsed.ok) {
    const hint = parsed.hint ? `; ${parsed.hint}` : '';
    throw listError(where, `"${text}" ${parsed.reason}${hint} (a suppression list entry chirp cannot read stops the run)`);
  }
  return { key: parsed.recipient.value, line };
}

/** One receiver a line; blank lines and `#` comments (whole lines, or after the receiver) are skipped. */
function textEntries(text: string, file: string, add: (entry: ListEntry) => void): void {
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
    add(entryOf(entry, `${file}:${line}`, line));
  }
}

function rowEntries(row: Row, file: string, add: (entry: ListEntry) => void): void {
  const where = `${file}:${row.line ?? row.index}`;
  const values = row.values;
  let found = 0;
  for (const field of RECEIVER_FIELDS) {
    const value = values[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' && typeof value !== 'number') throw listError(where, `"${field}" is not text`);
    add(entryOf(String(value), where, row.line ?? row.index));
    found++;
  }
  if (found === 0)
    throw listError(
      where,
      `no receiver: a suppression list row needs a ${RECEIVER_FIELDS.map((f) => `"${f}"`).join(', ')} ${'column or field'} (this row has ${Object.keys(values).join(', ') || 'none'})`,
    );
}

/** Every entry of a list's bytes (for comparing two versions of the lists: `plan --base`). */
export async function listEntries(bytes: Buffer, path: string, file: string): Promise<ListEntry[]> {
  const entries: ListEntry[] = [];
  await forEachEntry(bytes, path, file, (entry) => entries.push(entry));
  return entries;
}
