// NDJSON / JSON Lines: one object per line, blank lines skipped.
import type { Row } from '../types.js';
import { dataError, type Chunk } from './data-error.js';
import { decodeUtf8, isPlainObject, parseJson } from './json.js';
import { encodingAtEnd, encodingProblem, type Utf8Watch } from './utf8.js';

/** One line may not exceed this, so a file without newlines cannot fill memory. */
const MAX_LINE_CHARS = 16 << 20;

export async function* readNdjson(
  chunks: AsyncIterable<Chunk>,
  file: string,
  watch: Utf8Watch = { invalidLine: undefined },
): AsyncGenerator<Row> {
  let carry = '';
  let line = 0;
  let index = 0;
  const parseLine = (text: string): Row | undefined => {
    line++;
    if (text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '')) return undefined;
    const bad = encodingProblem(watch, file, [text], { row: index + 1, line });
    if (bad) throw bad;
    const parsed = parseJson(text);
    if (parsed.error !== undefined) {
      throw dataError(file, `line ${line} is not valid JSON: ${parsed.error.message}`, { line, row: index + 1, cause: parsed.error });
    }
    if (!isPlainObject(parsed.value)) {
      const kind = parsed.value === null ? 'null' : Array.isArray(parsed.value) ? 'an array' : typeof parsed.value;
      throw dataError(file, `line ${line} is ${kind}, not a JSON object`, { line, row: index + 1 });
    }
    return { index: ++index, line, values: parsed.value };
  };

  for await (const text of decodeUtf8(chunks)) {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const row = parseLine(carry + text.slice(from, nl));
      carry = '';
      from = nl + 1;
      if (row !== undefined) yield row;
    }
    carry += text.slice(from);
    if (carry.length > MAX_LINE_CHARS) {
      throw dataError(file, `line ${line + 1} is longer than ${MAX_LINE_CHARS} characters`, { line: line + 1 });
    }
  }
  const last = carry.length > 0 ? parseLine(carry) : undefined;
  if (last !== undefined) yield last;
  const bad = encodingAtEnd(watch, file);
  if (bad) throw bad;
}
