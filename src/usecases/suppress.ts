// `chirp suppress add` and `chirp suppress check`: the suppression lists from the command line.
import { resolve } from 'node:path';
import { CONFIG_FILE } from '../catalog/index.js';
import { addToList, listPath, RECEIVER_FIELDS, type AddResult } from '../consent/index.js';
import { UserError } from '../errors.js';
import { pidIsAlive } from '../journal/index.js';
import { detectFormat, readRows } from '../sources/index.js';
import type { Row } from '../types.js';
import { normalizeRecipient } from '../util/index.js';
import { catalogOf, clock, type DataInput, type LibraryOptions } from './common.js';
import { suppressionOf } from './consent.js';
import { prepareMessage, renderMessage } from './prepare.js';

export interface SuppressAddOptions extends LibraryOptions {
  receiver: string;
  reason?: string;
  /** One of the configured lists (a path relative to cwd); default: the first. */
  list?: string;
  /** The country to read a number without a country code in (default: the config's `defaultCountry`); it is stored with its country code. */
  country?: string;
  /** This process, named in the list's lock while it is changed (0: never taken over as dead). */
  pid?: number;
  /** How long to wait for another add holding the list's lock (ms; default 30 s). */
  lockWaitMs?: number;
}

/** Add a receiver to a suppression list: normalised, no duplicate line, atomically. */
export async function suppressAdd(options: SuppressAddOptions): Promise<AddResult> {
  const catalog = await catalogOf(options);
  const { suppress, root, configFile, defaultCountry } = catalog.config;
  if (suppress.length === 0)
    throw new UserError(
      'E_USAGE',
      `${configFile} names no suppression list: add \`suppress: [optouts.txt]\` to it (and create the file) first`,
    );
  let file = suppress[0]!;
  if (options.list !== undefined) {
    const wanted = resolve(options.cwd, options.list);
    const found = suppress.find((f) => resolve(listPath(root, f)) === wanted);
    // A list the config does not name would suppress nobody: refused rather than written in vain.
    if (found === undefined)
      throw new UserError(
        'E_USAGE',
        `--list ${options.list} is not one of the lists in suppress: of ${configFile} (${suppress.join(', ')})`,
      );
    file = found;
  }
  return addToList({
    path: listPath(root, file),
    file,
    receiver: options.receiver,
    ...(options.reason !== undefined ? { reason: options.reason } : {}),
    ...(options.country !== undefined ? { country: options.country } : {}),
    defaultCountry,
    date: clock(options)().toISOString().slice(0, 10),
    lock: {
      pid: options.pid ?? 0,
      isAlive: pidIsAlive,
      ...(options.lockWaitMs !== undefined ? { waitMs: options.lockWaitMs } : {}),
    },
  });
}

export interface SuppressCheckOptions extends LibraryOptions {
  data: DataInput;
  /** Read the data as this message does (its `to`, its opt-in column); default: the data's receiver/phone/email column. */
  message?: string;
}

export interface SuppressedRow {
  row: number;
  line?: number;
  /** Normalised; undefined when the row was skipped for its opt-in before its recipient was read. */
  recipient?: string;
  reason: 'opted-out' | 'no-consent';
}

export interface SuppressCheckResult {
  lists: { file: string; entries: number; sha256: string }[];
  /** Rows read. */
  rows: number;
  suppressed: SuppressedRow[];
}

/** Which rows of a data file a send would skip for consent. */
export async function suppressCheck(options: SuppressCheckOptions): Promise<SuppressCheckResult> {
  const catalog = await catalogOf(options);
  const suppression = await suppressionOf(catalog);
  const lists = suppression.lists.map((l) => ({ file: l.file, entries: l.entries, sha256: l.sha256 }));
  const suppressed: SuppressedRow[] = [];
  const stdin = options.data.path === '-';
  const displayName = stdin ? '<stdin>' : options.data.path;
  const format = options.data.format ?? (stdin ? undefined : detectFormat(options.data.path));
  const data = {
    path: stdin ? '-' : resolve(options.cwd, options.data.path),
    displayName,
    ...(format ? { format } : {}),
    ...(options.data.input ? { input: options.data.input } : {}),
  };
  let rows = 0;
  // Without a message: the data's numbers, and the lists' numbers without a country code, read in the config's country.
  const onList = options.message === undefined ? suppression.forCountry(catalog.config.defaultCountry, CONFIG_FILE) : undefined;
  const note = (row: Row, recipient: string | undefined, reason: SuppressedRow['reason']): void => {
    suppressed.push({ row: row.index, ...(row.line !== undefined ? { line: row.line } : {}), ...(recipient ? { recipient } : {}), reason });
  };
  if (options.message !== undefined) {
    const message = await prepareMessage(catalog, options.message);
    for await (const item of renderMessage(message, { data, allowDuplicates: true })) {
      rows++;
      if (item.kind === 'suppressed') note(item.row, item.recipient, item.reason);
    }
    return { lists, rows, suppressed };
  }
  for await (const row of readRows(data)) {
    rows++;
    const fields = RECEIVER_FIELDS.filter((f) => typeof row.values[f] === 'string' || typeof row.values[f] === 'number');
    if (rows === 1 && fields.length === 0 && !RECEIVER_FIELDS.some((f) => Object.hasOwn(row.values, f)))
      throw new UserError(
        'E_USAGE',
        `${displayName} has no ${RECEIVER_FIELDS.join(', ')} column; name the message that sends it (--message ID) to read it as its \`to\` does`,
      );
    for (const field of fields) {
      const recipient = normalizeRecipient(String(row.values[field]), catalog.config.defaultCountry)?.value;
      if (recipient !== undefined && onList!(recipient)) {
        note(row, recipient, 'opted-out');
        break;
      }
    }
  }
  return { lists, rows, suppressed };
}
