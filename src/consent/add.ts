// `chirp suppress add`: one receiver appended to a suppression list, normalised, never twice, and
// atomically (a new file renamed over the old one: a crash leaves the old list or the new one, never
// half a line). A reason and the date go where the format has room: a `#` comment in a text list,
// `reason`/`date` columns a CSV list has, fields of an NDJSON line. A number without a country code
// is read in one country, said out loud (`--country`, else the config's `defaultCountry`), and
// stored with its country code: an entry names one person, whatever message it is checked for.
import { randomBytes } from 'node:crypto';
import { rename, stat, writeFile, rm } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { parse } from 'csv-parse/sync';
import { isKnownCountry, isNationalNumber, suppressionKey } from '../util/index.js';
import { forEachEntry, listFormat, readList } from './load.js';
import { withListLock, type ListLockOptions } from './list-lock.js';

export interface AddOptions {
  /** The list's path, and its name as the config gives it (for messages). */
  path: string;
  file: string;
  receiver: string;
  reason?: string;
  defaultCountry: string | undefined;
  /** The country to read a number without a country code in (`--country`); default: `defaultCountry`. */
  country?: string;
  /** Today, as YYYY-MM-DD. */
  date: string;
  /** Who holds `<list>.lock` while the list is read and replaced (concurrent adds must not lose an entry). */
  lock: Omit<ListLockOptions, 'at'> & { at?: string };
}

export interface AddResult {
  /** The normalised receiver. */
  receiver: string;
  /** false: it was on the list already (nothing written). */
  added: boolean;
  file: string;
  /** The receiver was a number without a country code: read in this country (and stored with its code). */
  readIn?: { country: string; from: 'option' | 'config' };
}

function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function addToList(options: AddOptions): Promise<AddResult> {
  if (options.country !== undefined && !isKnownCountry(options.country))
    throw new UserError(
      'E_USAGE',
      `--country ${oneLine(options.country)} is not a country chirp knows phone numbers of (ISO 3166-1 alpha-2, e.g. NL)`,
    );
  const country = options.country ?? options.defaultCountry;
  const national = isNationalNumber(options.receiver);
  const parsed = suppressionKey(options.receiver, country);
  if (!parsed.ok) {
    const hint = national
      ? '; write it with its country code (+<country code><number>), or give --country (e.g. --country NL) to say where it is a number'
      : parsed.hint
        ? `; ${parsed.hint}`
        : '';
    throw new UserError(parsed.code ?? 'E_RECEIVER_INVALID', `"${oneLine(options.receiver)}" ${parsed.reason}${hint}`);
  }
  const readIn =
    national && country !== undefined
      ? { country, from: options.country !== undefined ? ('option' as const) : ('config' as const) }
      : undefined;
  const { path, file } = options;
  // Read, append and rename under the list's lock: two adds at once each renamed their own copy.
  const result = await withListLock(path, file, { at: new Date().toISOString(), ...options.lock }, () =>
    append(options, parsed.recipient.value, parsed.recipient.kind),
  );
  return readIn ? { ...result, readIn } : result;
}

async function append(options: AddOptions, key: string, kind: 'phone' | 'email'): Promise<AddResult> {
  const { path, file } = options;
  const bytes = await readList(path, file);
  // The whole list is read (and must be readable) first: a duplicate is never written.
  let present = false;
  // (An entry without a country code names a number per message country: never this one for every message.)
  await forEachEntry(bytes, path, file, (entry) => {
    if ('key' in entry && entry.key === key) present = true;
  });
  if (present) return { receiver: key, added: false, file };
  const text = bytes.toString('utf8');
  const reason = options.reason === undefined ? '' : oneLine(options.reason);
  let line: string;
  switch (listFormat(path)) {
    case 'txt':
      line = `${key}  # ${options.date}${reason ? ` ${reason}` : ''}`;
      break;
    case 'ndjson':
      line = JSON.stringify({ receiver: key, date: options.date, ...(reason ? { reason } : {}) });
      break;
    case 'csv':
      line = csvLine(text, file, key, kind, options.date, reason);
      break;
    case 'json':
      throw new UserError(
        'E_USAGE',
        `${file} is a JSON array: chirp appends to text, CSV or NDJSON lists only (one entry a line); add the entry by hand or use an .ndjson list`,
      );
  }
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await replaceAtomically(path, `${text}${separator}${line}\n`);
  return { receiver: key, added: true, file };
}

function csvLine(text: string, file: string, key: string, kind: 'phone' | 'email', date: string, reason: string): string {
  if (text.trim() === '') return `receiver,date,reason\n${csvCell(key)},${date},${csvCell(reason)}`;
  const end = text.indexOf('\n');
  const records: string[][] = parse(end === -1 ? text : text.slice(0, end), { bom: true });
  const header = records[0] ?? [];
  const column = header.indexOf(kind) !== -1 ? header.indexOf(kind) : header.indexOf('receiver');
  if (column === -1)
    throw new UserError(
      'E_USAGE',
      `${file} has no "${kind}" or "receiver" column to add ${kind === 'phone' ? 'a number' : 'an address'} to`,
    );
  return header
    .map((name, i) => (i === column ? csvCell(key) : name === 'date' ? date : name === 'reason' ? csvCell(reason) : ''))
    .join(',');
}

async function replaceAtomically(path: string, content: string): Promise<void> {
  const mode = (await stat(path)).mode & 0o777;
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, content, { flag: 'wx', mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new UserError(
      'E_OUTPUT_PATH',
      `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; the list is unchanged`,
      {
        cause: error,
      },
    );
  }
}
