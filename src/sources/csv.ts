// CSV (RFC 4180) rows over csv-parse's stream API, with the line where each record starts.
import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { Row } from '../types.js';
import type { UserError } from '../errors.js';
import { planHeader, type RowBuilder } from './csv-header.js';
import { dataError, type Chunk } from './data-error.js';
import { encodingAtEnd, encodingProblem, type Utf8Watch } from './utf8.js';
import { parseJson } from './json.js';
import { TYPED_COLUMN, isObject, restoreTyped } from '../util/index.js';

/** Candidates in tie-break order: a header without any of them is a single column. */
const DELIMITERS = [',', ';', '\t'] as const;
const DELIMITER_BYTES = [0x2c, 0x3b, 0x09];
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** Stop looking for the end of the header after this many bytes, so memory stays bounded. */
const SNIFF_LIMIT = 1 << 20;
/** Guards against an unclosed quote swallowing the whole file into one field. */
const MAX_RECORD_CHARS = 1 << 20;

export async function* readCsv(
  chunks: AsyncIterable<Chunk>,
  file: string,
  watch: Utf8Watch = { invalidLine: undefined },
): AsyncGenerator<Row> {
  const source = chunks[Symbol.asyncIterator]();
  const { head, delimiter } = await sniffDelimiter(source);
  if (head.length === 0) throw dataError(file, 'the file is empty; a header row is required', { line: 1 });

  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true, // we report ragged rows ourselves, with row and line
    // Blank lines arrive as [''] so we can count them; `raw`/`info` would cost 12% / 100% more.
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_CHARS,
  });
  // Errors reach us through the parser's iterator; the callback only keeps pipeline quiet.
  pipeline(Readable.from(replay(head, source)), parser, () => undefined);

  let builder: RowBuilder | undefined;
  let header: string[] = [];
  let guarded = false;
  let typedAt = -1; // chirp's failures file: the column holding rows' values as JSON
  let line = 1; // where the next record starts: each spans 1 + the line breaks inside its fields
  let quotedCrlf = 0; // csv-parse counts "\r\n" inside quotes as two lines; we count one
  let index = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const start = line;
      line++;
      if (record.length === 1 && record[0]!.trim() === '') continue; // a blank line
      for (const field of record) {
        // Only quoted fields can hold line breaks, so the cheap check almost always ends here.
        if (field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
          line += countBreaks(field);
          quotedCrlf += countCrlf(field);
        }
      }
      if (builder === undefined) {
        const bad = encodingProblem(watch, file, record, { row: 0, line: start });
        if (bad) throw bad;
        // chirp's own failures file (it has chirp_status): its formula guard is chirp's, not data.
        guarded = record.includes('chirp_status') || record.includes(`'chirp_status`);
        header = guarded ? record.map(unguard) : record;
        typedAt = guarded ? header.indexOf(TYPED_COLUMN) : -1;
        builder = planHeader(header, file, start);
        continue;
      }
      if (guarded) for (let i = 0; i < record.length; i++) record[i] = unguard(record[i]!);
      const typed = typedAt >= 0 ? record[typedAt] : undefined;
      index++;
      const bad = encodingProblem(watch, file, record, { row: index, line: start, names: header });
      if (bad) throw bad;
      if (record.length !== builder.width) {
        const fields = `${record.length} field${record.length === 1 ? '' : 's'}`;
        const message = `row ${index} (line ${start}) has ${fields}, the header has ${builder.width}`;
        throw dataError(file, message, { line: start, row: index });
      }
      const values = builder.build(record);
      yield {
        index,
        line: start,
        values: typed ? typedValues(file, values, header, record, typed, index, start) : values,
        columns: header,
      };
    }
  } catch (error) {
    if (error instanceof CsvError) throw csvSyntaxError(file, error, quotedCrlf);
    throw error;
  }
  if (builder === undefined) throw dataError(file, 'the file is empty; a header row is required', { line: 1 });
  const bad = encodingAtEnd(watch, file);
  if (bad) throw bad;
}

// The exact inverse of the failures file's formula guard (send/failures.ts csvCell): a cell a
// spreadsheet would run as a formula, or one beginning with `'`, got a leading `'`; plain numbers never did.
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?[\d\s().-]+$/;

export function unguard(cell: string): string {
  if (cell.length < 2 || cell[0] !== "'") return cell;
  const rest = cell.slice(1);
  return rest.startsWith("'") || (FORMULA_START.test(rest) && !PLAIN_NUMBER.test(rest)) ? rest : cell;
}

/** A row of chirp's failures file with its `chirp_json`: the values as the original data held them (util/failure-cells.ts). */
function typedValues(
  file: string,
  values: Record<string, unknown>,
  header: readonly string[],
  record: readonly string[],
  text: string,
  row: number,
  line: number,
): Record<string, unknown> {
  if (text === '') {
    delete values[TYPED_COLUMN];
    return values;
  }
  const parsed = parseJson(text);
  if (parsed.error !== undefined || !isObject(parsed.value)) {
    const reason = parsed.error?.message ?? 'not a JSON object';
    throw dataError(
      file,
      `row ${row} (line ${line}): its ${TYPED_COLUMN} cell is not the row chirp wrote (${reason}); restore it, or empty it to use the cells as they are`,
      {
        line,
        row,
        field: TYPED_COLUMN,
      },
    );
  }
  return restoreTyped(values, header, record, parsed.value);
}

function csvSyntaxError(file: string, error: CsvError, quotedCrlf: number): UserError {
  const { lines, records } = error as CsvError & { lines?: unknown; records?: unknown };
  const line = typeof lines === 'number' ? Math.max(1, lines - quotedCrlf) : 0;
  const row = typeof records === 'number' && records > 0 ? records : undefined;
  const where = row === undefined ? 'header' : `row ${row}`;
  // csv-parse's own wording names the problem well; its line numbers are replaced by ours.
  // Its `value is "…"` quotes the data (a receiver's number): the row, line and field say where.
  const detail = error.message.replace(/ (at|on) line \d+/, '').replace(/, value is [\s\S]*$/, '');
  return dataError(file, `CSV syntax error in ${where}: ${detail}`, { line, row, cause: error });
}

/** Reads just enough to see the first line, then picks the delimiter used most on it. */
async function sniffDelimiter(source: AsyncIterator<Chunk>): Promise<{ head: Buffer[]; delimiter: string }> {
  const head: Buffer[] = [];
  const counts = [0, 0, 0];
  let quoted = false;
  let content = false;
  let size = 0;
  scanning: while (size < SNIFF_LIMIT) {
    const next = await source.next();
    if (next.done === true) break;
    const buffer = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(buffer);
    size += buffer.length;
    for (let i = 0; i < buffer.length; i++) {
      const byte = buffer[i];
      if (byte === QUOTE) quoted = !quoted;
      else if (quoted) continue;
      else if (byte === LF || byte === CR) {
        if (content) break scanning; // blank lines before the header do not count
      } else {
        content = true;
        const k = DELIMITER_BYTES.indexOf(byte!);
        if (k >= 0) counts[k]!++;
      }
    }
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k]! > counts[best]!) best = k;
  return { head, delimiter: DELIMITERS[best]! };
}

async function* replay(head: Buffer[], source: AsyncIterator<Chunk>): AsyncGenerator<Chunk> {
  try {
    for (const chunk of head) yield chunk;
    for (;;) {
      const next = await source.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await source.return?.(); // closes the file when the reader stops early
  }
}

/** Line breaks in `text`; "\r\n", "\r" and "\n" each count once. */
function countBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

function countCrlf(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) count++;
  return count;
}
