// Rows in, requests out: the streaming stage between a data source and a printer or sender.
// Keeps input order, skips (and reports) invalid rows and repeated recipients.
import type { CompiledMessage, RowLocale } from './compile.js';
import type { RowProblem } from './row-validator.js';
import type { DiagnosticCode } from '../errors.js';
import type { Diagnostic, JsonObject, Row } from '../types.js';
import { RecipientSet } from './recipient-set.js';
import { misnamed, namesChecked, namesNoter } from './column-names.js';
import { namesPerson } from './receiver.js';
import { parseRecipient } from '../util/index.js';
import type { SendMessageRequest } from '../schema/index.js';

export type RenderItem =
  | {
      kind: 'request';
      row: Row;
      recipient: string;
      reference: string;
      request: SendMessageRequest;
      json: string;
      /** For a message with `locale`: the recipient's and the one they get. */
      locale?: RowLocale;
      /** A `receiver`'s identifier as written, when normalising changed it: the key earlier chirp versions journalled. */
      alias?: string;
      /** With `alias`: the hash of the request bytes an earlier chirp sent for this row. */
      aliasHash?: string;
      /** A recipient sent in another spelling than its own (an address with capitals): the hash of the request its own spelling gives (journalled). */
      identityHash?: string;
    }
  | { kind: 'invalid'; row: Row; diagnostics: Diagnostic[] }
  | { kind: 'duplicate'; row: Row; firstRow: number; recipient: string; diagnostics: Diagnostic[] }
  /** Never sent: the recipient opted out (a suppression list), or the row records no opt-in. Counted, never a request. */
  | { kind: 'suppressed'; row: Row; recipient: string | undefined; reason: 'opted-out' | 'no-consent' };

/** Who is never sent to, checked on every row (src/consent builds it). */
export interface ConsentCheck {
  /** The message's opt-in column says yes (absent: the message tracks no opt-in). */
  optIn?: (values: Record<string, unknown>) => boolean;
  /** On a suppression list. `normalised`: the recipient came from `to` (E.164 or an e-mail address). */
  suppressed?: (recipient: string, normalised: boolean) => boolean;
}

export interface RenderStreamOptions {
  /** Name of the data file for diagnostics. */
  file: string;
  /** Values are text (CSV): coerce to declared types; empty cells count as absent. */
  fromText: boolean;
  allowDuplicates?: boolean;
  /** Only the first N rows of the input. */
  limit?: number;
  /** Where a row is, when the source has no line numbers (examples in a YAML file). */
  locateRow?: (row: Row, problem: RowProblem) => { line: number; column: number };
  consent?: ConsentCheck;
  /** Checked on each request that would be sent (after suppression and duplicates); a problem makes the row invalid. */
  checkRequest?: RequestCheck;
  /** Render on worker threads instead (src/render/parallel.ts): the same items, in the same order. */
  parallel?: ParallelRender;
  /** Send's resume shortcut (see FinalRows): rows it takes are not rendered and not yielded. */
  final?: FinalRows;
  /** About how many rows will come (a low guess): the duplicate index is sized for them up front. Memory only. */
  expectedRows?: number;
}

/**
 * Send's resume shortcut, for a message with `to`: when `is` says the journal already holds the
 * recipient's final outcome (sent with these very inputs, or held), a row with consent that is the
 * recipient's first goes to `take` instead of being rendered again. Every other row is rendered and
 * checked as always (a later row of the same recipient is a duplicate, as it would be).
 */
export interface FinalRows {
  is: (recipient: string) => boolean;
  take: (row: Row, recipient: string) => void;
}

/** A renderer of the whole stream that agrees with the inline one item for item. */
export type ParallelRender = (
  message: CompiledMessage,
  rows: AsyncIterable<Row>,
  options: RenderStreamOptions,
) => AsyncIterable<RenderItem>;

function dropEmpty(values: Record<string, unknown>): Record<string, unknown> {
  // (Object.keys, not for…in: rows without a prototype are dictionaries, which for…in enumerates slowly.)
  for (const key of Object.keys(values)) {
    const v = values[key];
    if (v === '') delete values[key];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) dropEmpty(v as Record<string, unknown>);
  }
  return values;
}

/** Characters a header name can hold that nobody sees: spaces other than the space, zero-width and format characters. */
const UNSEEN = /[\p{Default_Ignorable_Code_Point}\p{White_Space}]/gu;
const unseen = (name: string): string =>
  name.replace(UNSEEN, (c) => (c === ' ' ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`));

/**
 * Where in a data row a problem sits: a CSV problem about a variable names its column (1-based, as a
 * spreadsheet counts) and that column's header; a variable the header lacks says so. Otherwise the row's start.
 */
export function rowColumn(row: Row, field: string | undefined, required = false): { column: number; note: string } {
  if (row.columns && field) {
    const i = row.columns.indexOf(field);
    if (i >= 0) return { column: i + 1, note: ` (column ${i + 1}, "${row.columns[i]!}")` };
    const top = field.split('.')[0]!;
    if (required && !row.columns.some((name) => name === top || name.startsWith(`${top}.`))) {
      // `phone\u200b` (pasted from a web page) reads as `phone`: show what hides in it, and say which it is.
      const near = row.columns.findIndex((name) => name.replace(UNSEEN, '') === top);
      const hint =
        near >= 0
          ? `; column ${near + 1} is "${unseen(row.columns[near]!)}" (with spaces or invisible characters): remove them from the header`
          : '';
      return { column: 1, note: ` (the header has no "${field}" column; its columns: ${row.columns.map(unseen).join(', ')}${hint})` };
    }
  }
  return { column: row.column ?? 1, note: '' };
}

export function rowDiagnostic(file: string, row: Row, problem: RowProblem, pos?: { line: number; column: number }): Diagnostic {
  const where = pos ? { column: pos.column, note: '' } : rowColumn(row, problem.field, problem.message.endsWith(' is required'));
  return {
    code: problem.code,
    severity: problem.code.startsWith('W_') ? 'warning' : 'error',
    file,
    line: pos?.line ?? row.line ?? 0,
    column: where.column,
    pointer: problem.pointer ?? '',
    message: `row ${row.index}: ${problem.message}${where.note}`,
    row: row.index,
    ...(problem.field ? { field: problem.field } : {}),
  };
}

/** A check of a rendered request (a template's parameters against the lock), applied to rows that would be sent. */
export type RequestCheck = (request: JsonObject) => RequestProblem[];
export interface RequestProblem {
  code: DiagnosticCode;
  message: string;
  pointer: string;
  field?: string;
}

/**
 * One rendered row, as a worker thread can post it back (no request object): everything the stream
 * decides with. Rendering on the main thread gives the same outcome, with the request kept.
 */
export type RowOutcome =
  | {
      ok: true;
      json: string;
      recipient: string;
      reference: string;
      locale?: RowLocale;
      /** Kept when rendered on this thread. */
      request?: JsonObject;
      /** The receiver's identifiers, when suppression lists are checked and the message has no `to`. */
      ids?: Identifiers;
      /** The request check's problems (absent: none). */
      checked?: RequestProblem[];
      /** See RenderItem's `alias`, `aliasHash` and `identityHash`. */
      alias?: string;
      aliasHash?: string;
      identityHash?: string;
    }
  | { ok: false; problems: RowProblem[]; recipient?: string };

/** What an outcome must carry besides the rendered row: fixed per run, so a worker can be told once. */
export interface OutcomeNeeds {
  /** A failed row's recipient (suppression lists: an opted-out row is skipped, not reported). */
  recipientOnFailure: boolean;
  /** The receiver's identifiers (suppression lists, a message without `to`). */
  identifiers: boolean;
  checkRequest?: RequestCheck;
}

export function outcomeNeeds(message: CompiledMessage, options: Pick<RenderStreamOptions, 'consent' | 'checkRequest'>): OutcomeNeeds {
  const suppressed = options.consent?.suppressed !== undefined;
  return {
    recipientOnFailure: suppressed,
    identifiers: suppressed && message.definition.to === undefined,
    ...(options.checkRequest ? { checkRequest: options.checkRequest } : {}),
  };
}

/** Render one row (its values already without empty cells) into an outcome. `keep`: keep the request object. */
export function rowOutcome(
  message: CompiledMessage,
  values: Record<string, unknown>,
  fromText: boolean,
  needs: OutcomeNeeds,
  keep: boolean,
): RowOutcome {
  const result = message.renderRow(values, fromText);
  if (!result.ok) {
    if (!needs.recipientOnFailure) return result;
    const recipient = message.recipientOf(values);
    return recipient === undefined ? result : { ok: false, problems: result.problems, recipient };
  }
  const out: RowOutcome = { ok: true, json: result.json, recipient: result.recipient, reference: result.reference };
  if (result.locale) out.locale = result.locale;
  if (result.alias !== undefined) out.alias = result.alias;
  if (result.aliasHash !== undefined) out.aliasHash = result.aliasHash;
  if (result.identityHash !== undefined) out.identityHash = result.identityHash;
  if (keep) out.request = result.request;
  if (needs.identifiers) out.ids = receiverIdentifiers(result.request.receiver, message.definition.defaultCountry);
  const checked = needs.checkRequest?.(result.request);
  if (checked && checked.length > 0) out.checked = checked;
  return out;
}

/** Turns outcomes, in input order, into items: suppression, duplicates (one index for the whole input), request checks. */
export function itemMaker(
  message: CompiledMessage,
  options: RenderStreamOptions,
  seen = new RecipientSet(options.expectedRows),
): (row: Row, outcome: RowOutcome) => RenderItem {
  const suppressed = options.consent?.suppressed;
  // `to` recipients are normalised already: the check is one hash lookup per row.
  const normalised = message.definition.to !== undefined;
  return (row, outcome) => {
    if (!outcome.ok) {
      // Someone who opted out is skipped, whatever else their row gets wrong.
      const recipient = outcome.recipient;
      if (suppressed && recipient !== undefined && suppressed(recipient, normalised))
        return { kind: 'suppressed', row, recipient, reason: 'opted-out' };
      return {
        kind: 'invalid',
        row,
        diagnostics: [...outcome.problems, ...misnamed(row)].map((p) => rowDiagnostic(options.file, row, p, options.locateRow?.(row, p))),
      };
    }
    if (suppressed) {
      // `to` names one recipient; a `receiver` may name several (cc, identifiers): every one is checked,
      // and one that cannot be (a contact given by id only) is refused rather than sent unchecked.
      const who = normalised ? { values: [outcome.recipient], unchecked: false } : outcome.ids!;
      const hit = who.values.find((v) => suppressed(v, normalised));
      if (hit !== undefined) return { kind: 'suppressed', row, recipient: hit, reason: 'opted-out' };
      if (who.unchecked || who.unreadable) {
        const problem: RowProblem = {
          code: 'E_RECEIVER_INVALID',
          field: 'receiver',
          message: who.unreadable
            ? `${who.unreadable} (a receiver the suppression lists cannot check is never sent to)`
            : 'a contact given by id only cannot be checked against the suppression lists: give its identifierValue',
        };
        return { kind: 'invalid', row, diagnostics: [rowDiagnostic(options.file, row, problem, options.locateRow?.(row, problem))] };
      }
    }
    const names = misnamed(row);
    if (names.length > 0)
      return { kind: 'invalid', row, diagnostics: names.map((p) => rowDiagnostic(options.file, row, p, options.locateRow?.(row, p))) };
    const first = seen.firstRowOrAdd(outcome.recipient, row.index);
    if (first !== 0 && !options.allowDuplicates) {
      const problem: RowProblem = {
        code: 'W_DUPLICATE_RECIPIENT',
        field: 'to',
        message: `the recipient of row ${row.index} is the same as row ${first}'s; sent once (use --allow-duplicates to send both)`,
      };
      return {
        kind: 'duplicate',
        row,
        firstRow: first,
        recipient: outcome.recipient,
        diagnostics: [rowDiagnostic(options.file, row, problem)],
      };
    }
    if (outcome.checked) return { kind: 'invalid', row, diagnostics: outcome.checked.map((p) => checkDiagnostic(options.file, row, p)) };
    return requestItem(row, outcome);
  };
}

/** A request check's problem (a template parameter) as a diagnostic of its row. */
function checkDiagnostic(file: string, row: Row, p: RequestProblem): Diagnostic {
  return {
    code: p.code,
    severity: 'error',
    file,
    line: row.line ?? 0,
    column: rowColumn(row, p.field).column,
    pointer: p.pointer,
    message: `row ${row.index}: ${p.message}`,
    row: row.index,
    ...(p.field !== undefined ? { field: p.field } : {}),
  };
}

function requestItem(row: Row, outcome: Extract<RowOutcome, { ok: true }>): RenderItem {
  const { json, recipient, reference, locale } = outcome;
  // The request passed request.schema.json, which these types are generated from.
  if (outcome.request) {
    const item: RenderItem = {
      kind: 'request',
      row,
      recipient,
      reference,
      request: outcome.request as unknown as SendMessageRequest,
      json,
    };
    if (locale) item.locale = locale;
    if (outcome.alias !== undefined) item.alias = outcome.alias;
    if (outcome.aliasHash !== undefined) item.aliasHash = outcome.aliasHash;
    if (outcome.identityHash !== undefined) item.identityHash = outcome.identityHash;
    return item;
  }
  // Rendered in a worker: the request is its JSON, read back only if someone asks.
  let request: SendMessageRequest | undefined;
  return {
    kind: 'request',
    row,
    recipient,
    reference,
    get request(): SendMessageRequest {
      return (request ??= JSON.parse(json) as SendMessageRequest);
    },
    json,
    ...(locale ? { locale } : {}),
    ...(outcome.alias !== undefined ? { alias: outcome.alias } : {}),
    ...(outcome.aliasHash !== undefined ? { aliasHash: outcome.aliasHash } : {}),
    ...(outcome.identityHash !== undefined ? { identityHash: outcome.identityHash } : {}),
  };
}

/** Values as rendered: a CSV row's empty cells count as absent. */
export function rowValues(row: Row, fromText: boolean): Record<string, unknown> {
  return fromText ? dropEmpty(row.values) : row.values;
}

export async function* renderStream(
  message: CompiledMessage,
  rows: AsyncIterable<Row>,
  options: RenderStreamOptions,
): AsyncGenerator<RenderItem> {
  // A column named like a variable but not as it (`Title`, `vipp`) fails its rows: see src/render/column-names.ts.
  const variables = Object.keys(message.definition.variables ?? {});
  // The resume shortcut decides rows on this thread: a resuming send renders here, even with --threads.
  if (options.parallel && !options.final) {
    yield* options.parallel(message, namesChecked(rows, variables), options);
    return;
  }
  const noteNames = namesNoter(variables);
  const seen = new RecipientSet(options.expectedRows);
  const make = itemMaker(message, options, seen);
  const needs = outcomeNeeds(message, options);
  const optIn = options.consent?.optIn;
  const suppressed = options.consent?.suppressed;
  const final = message.definition.to !== undefined ? options.final : undefined;
  let count = 0;
  for await (const row of rows) {
    if (options.limit !== undefined && count >= options.limit) break;
    count++;
    noteNames(row);
    const values = rowValues(row, options.fromText);
    if (optIn && !optIn(values)) {
      yield { kind: 'suppressed', row, recipient: undefined, reason: 'no-consent' };
      continue;
    }
    if (final) {
      const recipient = message.recipientOf(values);
      if (
        recipient !== undefined &&
        !suppressed?.(recipient, true) &&
        final.is(recipient) &&
        seen.firstRowOrAdd(recipient, row.index) === 0
      ) {
        final.take(row, recipient);
        continue;
      }
    }
    yield make(row, rowOutcome(message, values, options.fromText, needs, true));
  }
}

/** Every identifier a rendered `receiver` names (each contact's identifierValue and identifiers), and whether one has none. */
/** A receiver's identifiers; `unreadable`: why one naming a person (a cc's `ada\u200b@x.com`) is no number or address. */
export type Identifiers = { values: string[]; unchecked: boolean; unreadable?: string };

export function receiverIdentifiers(receiver: unknown, defaultCountry: string | undefined): Identifiers {
  const values: string[] = [];
  let unchecked = false;
  let unreadable: string | undefined;
  const contacts = (receiver as { contacts?: unknown } | undefined)?.contacts;
  for (const contact of Array.isArray(contacts) ? (contacts as Record<string, unknown>[]) : []) {
    const ids = [contact, ...(Array.isArray(contact.identifiers) ? (contact.identifiers as Record<string, unknown>[]) : [])];
    const own = ids.flatMap((i) => (typeof i.identifierValue === 'string' ? [i] : []));
    if (own.length === 0) unchecked = true;
    for (const id of own) {
      const value = id.identifierValue as string;
      values.push(value);
      // A person's identifier the suppression lists cannot key is refused, not compared as written and missed.
      if (unreadable === undefined && namesPerson(id.identifierKey)) {
        const parsed = parseRecipient(value, defaultCountry);
        if (!parsed.ok) unreadable = `receiver "${value}" ${parsed.reason}`;
      }
    }
  }
  if (values.length === 0) unchecked = true;
  return unreadable === undefined ? { values, unchecked } : { values, unchecked, unreadable };
}
