// JSON data files: a top-level array of objects, streamed item by item.
import { isObject as isPlainObject } from '../util/index.js';
import type { Row } from '../types.js';
import { dataError, nullObject, type Chunk } from './data-error.js';
import { JsonArraySplitter } from './json-splitter.js';
import { encodingAtEnd, encodingProblem, type Utf8Watch } from './utf8.js';

export async function* readJson(
  chunks: AsyncIterable<Chunk>,
  file: string,
  watch: Utf8Watch = { invalidLine: undefined },
): AsyncGenerator<Row> {
  const splitter = new JsonArraySplitter(file);
  for await (const text of decodeUtf8(chunks)) {
    for (const item of splitter.push(text)) {
      const bad = encodingProblem(watch, file, [item.text], { row: item.index, line: item.line });
      if (bad) throw bad;
      const parsed = parseJson(item.text);
      if (parsed.error !== undefined || !isPlainObject(parsed.value)) {
        // A successful parse is always an object (the splitter cuts from "{" to its "}");
        // the check is there for the type.
        const reason = parsed.error?.message ?? 'not an object';
        const message = `item ${item.index} (line ${item.line}) is not valid JSON: ${reason}`;
        throw dataError(file, message, { line: item.line, column: item.column, row: item.index, cause: parsed.error });
      }
      yield { index: item.index, line: item.line, values: parsed.value, ...(item.column !== undefined ? { column: item.column } : {}) };
    }
  }
  splitter.end();
  const bad = encodingAtEnd(watch, file);
  if (bad) throw bad;
}

export type Parsed = { value: unknown; error?: undefined } | { error: Error };

/**
 * JSON.parse with every object rebuilt without a prototype. JSON.parse itself already stores
 * `__proto__` as an own key; rebuilding keeps it inert for code that later copies or merges rows.
 * Returns the error rather than throwing, so callers add the location.
 */
export function parseJson(text: string): Parsed {
  try {
    return { value: JSON.parse(text, nullPrototypes) as unknown };
  } catch (error) {
    // RangeError: nesting deep enough to exhaust the stack is bad data too, not a crash.
    if (error instanceof SyntaxError || error instanceof RangeError) return { error };
    throw error;
  }
}

function nullPrototypes(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const copy = nullObject();
  for (const key of Object.keys(source)) {
    Object.defineProperty(copy, key, { value: source[key], enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

export { isPlainObject };

/** UTF-8 text across chunk boundaries (a character may be split); a leading BOM is dropped. */
export async function* decodeUtf8(chunks: AsyncIterable<Chunk>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8'); // drops a BOM itself, for Buffer input
  let first = true;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && typeof chunk === 'string' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    if (text.length > 0) yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}
