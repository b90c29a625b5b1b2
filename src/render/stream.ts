// Rows in, requests out: the streaming stage between a data source and a printer or sender.
// Keeps input order, skips (and reports) invalid rows and repeated recipients.
import type { CompiledMessage, RowLocale } from './compile.js';
import type { RowProblem } from './row-validator.js';
import type { Diagnostic, Row } from '../types.js';
import { RecipientSet } from './recipient-set.js';
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
  /** Send's resume shortcut (see FinalRows): rows it takes are not rendered and not yielded. */
  final?: FinalRows;
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

function dropEmpty(values: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(values)) {
    const v = values[key];
    if (v === '') delete values[key];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) dropEmpty(v as Record<string, unknown>);
  }
  return values;
}

/**
 * Where in a data row a problem sits: a CSV problem about a variable names its column (1-based, as a
 * spreadsheet counts) and that column's header; a variable the header lacks says so. Otherwise the row's start.
 */
export function rowColumn(row: Row, field: string | undefined, required = false): { column: number; note: string } {
  if (row.columns && field) {
    const i = row.columns.indexOf(field);
    if (i >= 0) return { column: i + 1, note: ` (column ${i + 1}, "${row.columns[i]!}")` };
    const top = field.split('.')[0]!;
    if (required && !row.columns.some((name) => name === top || name.startsWith(`${top}.`)))
      return { column: 1, note: ` (the header has no "${field}" column; its columns: ${row.columns.join(', ')})` };
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

export async function* renderStream(
  message: CompiledMessage,
  rows: AsyncIterable<Row>,
  options: RenderStreamOptions,
): AsyncGenerator<RenderItem> {
  const seen = new RecipientSet();
  let count = 0;
  const optIn = options.consent?.optIn;
  const suppressed = options.consent?.suppressed;
  // `to` recipients are normalised already: the check is one hash lookup per row.
  const normalised = message.definition.to !== undefined;
  for await (const row of rows) {
    if (options.limit !== undefined && count >= options.limit) break;
    count++;
    const values = options.fromText ? dropEmpty(row.values) : row.values;
    if (optIn && !optIn(values)) {
      yield { kind: 'suppressed', row, recipient: undefined, reason: 'no-consent' };
      continue;
    }
    if (options.final && normalised) {
      const recipient = message.recipientOf(values);
      if (
        recipient !== undefined &&
        !suppressed?.(recipient, true) &&
        options.final.is(recipient) &&
        seen.firstRowOrAdd(recipient, row.index) === 0
      ) {
        options.final.take(row, recipient);
        continue;
      }
    }
    const result = message.renderRow(values, options.fromText);
    if (!result.ok) {
      // Someone who opted out is skipped, whatever else their row gets wrong.
      const recipient = suppressed ? message.recipientOf(values) : undefined;
      if (recipient !== undefined && suppressed!(recipient, normalised)) {
        yield { kind: 'suppressed', row, recipient, reason: 'opted-out' };
        continue;
      }
      yield {
        kind: 'invalid',
        row,
        diagnostics: result.problems.map((p) => rowDiagnostic(options.file, row, p, options.locateRow?.(row, p))),
      };
      continue;
    }
    if (suppressed) {
      // `to` names one recipient; a `receiver` may name several (cc, identifiers): every one is checked,
      // and one that cannot be (a contact given by id only) is refused rather than sent unchecked.
      const who = normalised ? { values: [result.recipient], unchecked: false } : receiverIdentifiers(result.request.receiver);
      const hit = who.values.find((v) => suppressed(v, normalised));
      if (hit !== undefined) {
        yield { kind: 'suppressed', row, recipient: hit, reason: 'opted-out' };
        continue;
      }
      if (who.unchecked) {
        const problem: RowProblem = {
          code: 'E_RECEIVER_INVALID',
          field: 'receiver',
          message: 'a contact given by id only cannot be checked against the suppression lists: give its identifierValue',
        };
        yield { kind: 'invalid', row, diagnostics: [rowDiagnostic(options.file, row, problem, options.locateRow?.(row, problem))] };
        continue;
      }
    }
    const first = seen.firstRowOrAdd(result.recipient, row.index);
    if (first !== 0 && !options.allowDuplicates) {
      const problem: RowProblem = {
        code: 'W_DUPLICATE_RECIPIENT',
        field: 'to',
        message: `the recipient of row ${row.index} is the same as row ${first}'s; sent once (use --allow-duplicates to send both)`,
      };
      yield {
        kind: 'duplicate',
        row,
        firstRow: first,
        recipient: result.recipient,
        diagnostics: [rowDiagnostic(options.file, row, problem)],
      };
      continue;
    }
    // The request passed request.schema.json, which these types are generated from.
    yield {
      kind: 'request',
      row,
      recipient: result.recipient,
      reference: result.reference,
      request: result.request as unknown as SendMessageRequest,
      json: result.json,
      ...(result.locale ? { locale: result.locale } : {}),
    };
  }
}

/** Every identifier a rendered `receiver` names (each contact's identifierValue and identifiers), and whether one has none. */
function receiverIdentifiers(receiver: unknown): { values: string[]; unchecked: boolean } {
  const values: string[] = [];
  let unchecked = false;
  const contacts = (receiver as { contacts?: unknown } | undefined)?.contacts;
  for (const contact of Array.isArray(contacts) ? (contacts as Record<string, unknown>[]) : []) {
    const own = typeof contact.identifierValue === 'string' ? [contact.identifierValue] : [];
    const listed = Array.isArray(contact.identifiers)
      ? (contact.identifiers as Record<string, unknown>[]).flatMap((i) =>
          typeof i.identifierValue === 'string' ? [i.identifierValue] : [],
        )
      : [];
    if (own.length + listed.length === 0) unchecked = true;
    values.push(...own, ...listed);
  }
  if (values.length === 0) unchecked = true;
  return { values, unchecked };
}
