// Read a YAML file into plain data while keeping source positions, so every later problem can be
// reported as FILE:LINE:COL. Refuses oversized files before parsing and limits aliases (no alias bombs).
import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { DiagnosticCode } from '../errors.js';
import type { Diagnostic } from '../types.js';
import { normaliseNewlines } from './newlines.js';
import { decodePointer, encodePointer, RESERVED_KEYS, type Position } from '../util/index.js';

export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases resolved while converting to data; far above honest use, far below a "billion laughs". */
const MAX_ALIAS_COUNT = 50;

export interface YamlSource {
  file: string;
  text: string;
  /** The parsed data; undefined when the file could not be parsed. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** Where a JSON pointer points: the value node, or its key with `{ key: true }`. */
  locate(pointer: string, options?: { key?: boolean }): Position;
}

function diag(file: string, code: DiagnosticCode, pos: Position, message: string, pointer = ''): Diagnostic {
  return { code, severity: 'error', file, line: pos.line, column: pos.column, pointer, message };
}

/** Parse YAML text (already read) into a YamlSource. Never throws on bad input. */
export function parseYamlSource(file: string, raw: string): YamlSource {
  const text = normaliseNewlines(raw);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const posAt = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const locate = (pointer: string, options: { key?: boolean } = {}): Position =>
    posAt(locateOffset(doc, decodePointer(pointer), options.key ?? false));
  const source: YamlSource = { file, text, value: undefined, diagnostics: [], locate };

  for (const error of doc.errors) {
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'E_YAML_DUPLICATE_KEY' : 'E_YAML';
    const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    source.diagnostics.push(diag(file, code, posAt(error.pos[0]), message));
  }
  // `!!js/function x` or `!foo bar` would be read as the plain text: a tag yaml cannot resolve is an error.
  for (const warning of doc.warnings) {
    if (warning.code !== 'TAG_RESOLVE_FAILED') continue;
    const tag = /Unresolved tag: (.*)/.exec(warning.message)?.[1]?.split('\n')[0] ?? 'unknown';
    const shown = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : tag;
    source.diagnostics.push(
      diag(file, 'E_YAML_TAG', posAt(warning.pos[0]), `unknown YAML tag ${shown}: remove it (quote the value if it is text)`),
    );
  }
  if (source.diagnostics.length > 0) return source;

  source.diagnostics.push(...reservedKeys(doc, file, posAt));
  // A file refused for its keys is not turned into data (a key that is a list would be stringified, with a warning on stderr).
  if (source.diagnostics.length > 0) return source;
  try {
    source.value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError for "excessive alias count" and for unresolvable aliases.
    const message = error instanceof Error ? error.message : String(error);
    const code: DiagnosticCode = /alias count/i.test(message) ? 'E_YAML_ALIAS' : 'E_YAML';
    source.diagnostics.push(
      diag(
        file,
        code,
        { line: 1, column: 1 },
        code === 'E_YAML_ALIAS' ? `too many aliases (limit ${MAX_ALIAS_COUNT}): ${message}` : message,
      ),
    );
  }
  return source;
}

/** Parse text already in memory (from git), with the same size limit as files on disk. */
export function parseYamlText(file: string, text: string): YamlSource {
  const bytes = Buffer.byteLength(text);
  if (bytes <= MAX_FILE_BYTES) return parseYamlSource(file, text);
  return {
    file,
    text: '',
    value: undefined,
    locate: () => ({ line: 1, column: 1 }),
    diagnostics: [
      diag(
        file,
        'E_FILE_TOO_LARGE',
        { line: 1, column: 1 },
        `file is ${bytes} bytes; chirp reads message files up to ${MAX_FILE_BYTES} bytes (1 MiB)`,
      ),
    ],
  };
}

/**
 * Read and parse a YAML file, refusing files over MAX_FILE_BYTES before reading them. The reads are
 * synchronous: a message file is small, and each awaited read is a round trip through libuv's thread
 * pool that cost a cold `validate` of 33 files 13 ms idle and well over 100 ms on a busy machine (#22).
 */
export function readYamlSource(file: string, displayName = file): YamlSource {
  const failed = (code: DiagnosticCode, message: string): YamlSource => ({
    file: displayName,
    text: '',
    value: undefined,
    diagnostics: [diag(displayName, code, { line: 1, column: 1 }, message)],
    locate: () => ({ line: 1, column: 1 }),
  });
  try {
    const info = statSync(file);
    if (info.size > MAX_FILE_BYTES) {
      return failed('E_FILE_TOO_LARGE', `file is ${info.size} bytes; chirp reads message files up to ${MAX_FILE_BYTES} bytes (1 MiB)`);
    }
    return parseYamlSource(displayName, readFileSync(file, 'utf8'));
  } catch (error) {
    return failed('E_FILE_READ', `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/**
 * Keys such as `__proto__` are refused wherever they appear, written or by way of an alias (`*name :`),
 * even though yaml itself stores them safely; so is a key that is a list or a mapping (no member name).
 */
function reservedKeys(doc: Document, file: string, posAt: (offset: number) => Position): Diagnostic[] {
  const found: Diagnostic[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const offset = (pair.key as Node | null)?.range?.[0] ?? 0;
        const keyNode = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        if (isMap(keyNode) || isSeq(keyNode)) {
          found.push(diag(file, 'E_YAML', posAt(offset), 'a key is a list or a mapping; a key must be text', encodePointer(path)));
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key !== undefined && RESERVED_KEYS.has(key)) {
          const how = isAlias(pair.key) ? ` (by way of the alias *${pair.key.source})` : '';
          found.push(
            diag(file, 'E_PROTO_KEY', posAt(offset), `the key "${key}"${how} is reserved and not allowed`, encodePointer([...path, key])),
          );
        }
        walk(pair.value, [...path, key ?? '?']);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return found;
}

/** Offset of the node a pointer names; falls back to the deepest existing ancestor. */
function locateOffset(doc: Document, segments: string[], wantKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (last && wantKey) return keyNode.range?.[0] ?? offset;
      node = pair.value;
      offset = (node as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(seg)];
      if (!item) return offset;
      node = item;
      offset = (item as Node).range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
