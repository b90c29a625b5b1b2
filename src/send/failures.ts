// Failed and unknown rows, as a CSV that can be fed back with --data: the original columns plus
// chirp_status, chirp_error_code and chirp_error_message.
import type { SendOutcome } from '../transport/index.js';
import type { Row } from '../types.js';
import type { Entry, EntryStatus } from './dispatch.js';
import { numberText } from '../util/index.js';

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

/** Nested row values back to dotted columns (`address.city`), as the CSV reader nests them. */
function flatten(values: Record<string, unknown>, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  for (const [key, value] of Object.entries(values)) {
    const column = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) flatten(value as Record<string, unknown>, column, out);
    else
      out.set(
        column,
        value === undefined || value === null
          ? ''
          : typeof value === 'string'
            ? value
            : typeof value === 'number'
              ? numberText(value, values, key)
              : JSON.stringify(value),
      );
  }
  return out;
}

// A cell a spreadsheet would run as a formula. Plain numbers and phone numbers (+31…) are left alone:
// they evaluate to themselves, and a quote in front would break them when the file is fed back.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?[\d\s().-]+$/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The CSV, with each failed row's original values read back from the data file. */
export async function failuresCsv(records: readonly FailureRecord[], rows: AsyncIterable<Row>): Promise<string> {
  const byRow = new Map(records.map((r) => [r.row, r]));
  const found: { record: FailureRecord; values: Map<string, string> }[] = [];
  for await (const row of rows) {
    const record = byRow.get(row.index);
    if (record) found.push({ record, values: flatten(row.values) });
    if (found.length === byRow.size) break;
  }
  found.sort((a, b) => a.record.row - b.record.row);
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const { values } of found) {
    for (const column of values.keys()) {
      if (seen.has(column)) continue;
      seen.add(column);
      columns.push(column);
    }
  }
  const header = [...columns, 'chirp_status', 'chirp_error_code', 'chirp_error_message'];
  const lines = [header.map(csvCell).join(',')];
  for (const { record, values } of found) {
    lines.push([...columns.map((c) => values.get(c) ?? ''), record.status, record.code, record.message].map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
