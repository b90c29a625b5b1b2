// JSON data files: a top-level array of objects, streamed item by item.
import { isObject as isPlainObject, parseJsonNumbers } from '../util/index.js';
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
    // Numbers keep how they were written; one JSON.parse cannot hold exactly is a row error (src/util/numbers.ts).
    keysRead = 0;
    const value = parseJsonNumbers(text, nullPrototypes);
    // JSON.parse keeps the last of a key written twice: which `phone` was meant, chirp cannot know.
    const twice = keyTokens(text, keysRead) > keysRead ? duplicateKey(text) : undefined;
    if (twice !== undefined)
      return {
        error: new SyntaxError(`the key ${JSON.stringify(twice)} appears twice in one object (JSON would keep the last one silently)`),
      };
    return { value };
  } catch (error) {
    // RangeError: nesting deep enough to exhaust the stack is bad data too, not a crash.
    if (error instanceof SyntaxError || error instanceof RangeError) return { error };
    throw error;
  }
}

/** `"` then `:` (spaces between): every key of a JSON text ends so, and only a `\":` inside a string value else. */
const KEY_END = /"\s*:/g;
const SPACED_KEY_END = /"\s+:/;

/**
 * At least how many keys `text` writes (more when a string value holds `\":`), or `keys` itself when it
 * writes no more than that: `":` found by indexOf, and the regular expression only when spaces may
 * stand between a key and its colon.
 */
function keyTokens(text: string, keys: number): number {
  let n = 0;
  for (let at = text.indexOf('":'); at >= 0; at = text.indexOf('":', at + 2)) n++;
  // Exactly as many: unless a key has spaces before its colon (`{"a" :1,"b":2,"b":3}` counts 2 of 3).
  if (n > keys || (n === keys && !SPACED_KEY_END.test(text))) return n;
  n = 0;
  KEY_END.lastIndex = 0;
  while (KEY_END.exec(text) !== null) n++;
  return n;
}

/** Keys the last parseJson read (nullPrototypes counts them; it sees every object). */
let keysRead = 0;

/** The first key written twice in one object of `text` (valid JSON), or undefined. */
function duplicateKey(text: string): string | undefined {
  const stack: (Set<string> | null)[] = []; // a set of keys per open object, null per open array
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) stack.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
  }
  return undefined;
}

function nullPrototypes(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const copy = nullObject();
  const keys = Object.keys(source);
  keysRead += keys.length;
  for (const key of keys) {
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
