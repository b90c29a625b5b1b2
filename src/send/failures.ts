// Failed and unknown rows, as a CSV that can be fed back with --data: the original columns plus
// chirp_status, chirp_error_code and chirp_error_message, and chirp_json when a row's cells cannot
// carry its values exactly (JSON data: numbers, booleans, lists; util/failure-cells.ts). Fed back,
// each row renders what the original row rendered.
import type { SendOutcome } from '../transport/index.js';
import type { Row } from '../types.js';
import type { Entry, EntryStatus } from './dispatch.js';
import { FAILURE_COLUMNS, TYPED_COLUMN, failureCells } from '../util/index.js';

/**
 * A row's outcome in the failures file's `chirp_status`: failed (Bird refused it), unknown (may have
 * been created: feeding the file back holds it unless --retry-unknown), not_sent (the run stopped
 * first: sent when fed back), window_closed (skipped), failed_before (an earlier run's refusal).
 */
export type FailureStatus = 'failed' | 'unknown' | 'not_sent' | 'window_closed' | 'failed_before';

export interface FailureRecord {
  row: number;
  recipient: string;
  status: FailureStatus;
  code: string;
  message: string;
}

export function failureOf(entry: Entry, status: EntryStatus, outcome: SendOutcome | undefined): FailureRecord | undefined {
  if (status === 'not-sent') {
    const why = outcome?.kind === 'fatal' ? outcome.message : 'the run stopped before this request left';
    return {
      row: entry.row,
      recipient: entry.recipient,
      status: 'not_sent',
      code: outcome?.kind === 'fatal' ? outcome.reason : 'not_sent',
      message: why,
    };
  }
  if (status !== 'failed' && status !== 'unknown') return undefined;
  let code = 'unknown';
  let message = 'no answer from Bird: the message may or may not have been created';
  if (outcome?.kind === 'failed') {
    code = outcome.code ?? `HTTP_${outcome.http}`;
    message = outcome.message ?? `HTTP ${outcome.http}`;
    if (outcome.details && typeof outcome.details === 'object') message += ` ${JSON.stringify(outcome.details)}`;
  } else if (outcome?.kind === 'unknown') {
    code = outcome.code ?? 'unknown';
    message = `${outcome.reason}: the message may or may not have been created`;
  }
  return { row: entry.row, recipient: entry.recipient, status, code, message };
}

// A cell a spreadsheet would run as a formula gets a leading `'`; so does a cell that begins with `'`
// itself, so that reading chirp's own file back (sources/csv.ts unguard) removes exactly one and gives
// every cell back as it was. Plain numbers and phone numbers (+31…) are left alone: they evaluate to
// themselves, and a quote in front would break them in any other reader.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?[\d\s().-]+$/;

export function csvCell(value: string): string {
  const safe = value.startsWith("'") || (FORMULA_START.test(value) && !PLAIN_NUMBER.test(value)) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV, with each failed row's original values read back from the data file. */
export async function failuresCsv(records: readonly FailureRecord[], rows: AsyncIterable<Row>): Promise<string> {
  const byRow = new Map(records.map((r) => [r.row, r]));
  const found: { record: FailureRecord; values: Record<string, unknown> }[] = [];
  for await (const row of rows) {
    const record = byRow.get(row.index);
    if (record) found.push({ record, values: row.values });
    if (found.length === byRow.size) break;
  }
  found.sort((a, b) => a.record.row - b.record.row);
  const { columns, cells, typed } = failureCells(found.map((f) => f.values));
  const withTyped = typed.some((t) => t !== '');
  const header = [...columns, ...FAILURE_COLUMNS, ...(withTyped ? [TYPED_COLUMN] : [])];
  const lines = [header.map(csvCell).join(',')];
  found.forEach(({ record }, i) => {
    const data = columns.map((c) => cells[i]!.get(c) ?? '');
    lines.push([...data, record.status, record.code, record.message, ...(withTyped ? [typed[i]!] : [])].map(csvCell).join(','));
  });
  return `${lines.join('\n')}\n`;
}
