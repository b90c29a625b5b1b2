// ajv errors → Diagnostics at FILE:LINE:COL, with the noise of combinators removed and a hint for typos.
import type { ErrorObject } from 'ajv';
import type { DiagnosticCode } from '../errors.js';
import type { Diagnostic } from '../types.js';
import { closestName, decodePointer, type Position } from '../util/index.js';

// In util/ so the CLI can name the nearest command without loading ajv; re-exported for the stages.
export { closestName, nearestName } from '../util/index.js';

interface Locatable {
  file: string;
  locate(pointer: string, options?: { key?: boolean }): Position;
}

export interface SchemaDiagnosticOptions {
  /** The instance is a message definition: strings holding Handlebars expressions are checked after rendering. */
  templated?: boolean;
  /** Pointer prefix to add when the validated value sits inside a larger document. */
  prefix?: string;
}

const LIMIT_KEYWORDS = new Set(['maxItems', 'minItems', 'maxLength', 'maxProperties', 'uniqueButtonTexts', 'maxTotalRows']);
const COMBINATORS = new Set(['anyOf', 'oneOf', 'if']);
/** Keywords a template string cannot satisfy before rendering; the rendered request is checked in full. */
const DEFERRED_FOR_TEMPLATES = new Set(['format', 'pattern', 'maxLength', 'minLength', 'type']);
const SINGLE_EXPRESSION = /^\{\{\s*[^{}#/>!^&]+?\s*\}\}$/;

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const seg of decodePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

function isDeferred(error: ErrorObject, root: unknown): boolean {
  if (!DEFERRED_FOR_TEMPLATES.has(error.keyword)) return false;
  const value = valueAt(root, error.instancePath);
  if (typeof value !== 'string' || !value.includes('{{')) return false;
  // A string can stand for a number or boolean only when it is exactly one expression.
  return error.keyword !== 'type' || SINGLE_EXPRESSION.test(value.trim());
}

function prettyPath(pointer: string): string {
  const segs = decodePointer(pointer);
  if (segs.length === 0) return 'the document';
  return segs.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

interface RuleNote {
  code: DiagnosticCode;
  message: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The `chirpRule` of the failing keyword's schema, its placeholders filled from the error and the value. */
function ruleMessage(error: ErrorObject, root: unknown): { code: DiagnosticCode; message: string } | undefined {
  const notes = (error.parentSchema as { chirpRule?: Record<string, RuleNote> } | undefined)?.chirpRule;
  const note = notes?.[error.keyword];
  if (!note) return undefined;
  const p = error.params as Record<string, unknown>;
  const value = valueAt(root, error.instancePath);
  const actual = typeof value === 'string' ? count([...value].length) : Array.isArray(value) ? count(value.length) : String(value);
  const parent = valueAt(root, error.instancePath.replace(/\/[^/]*$/, '')) as Record<string, unknown> | undefined;
  const fill: Record<string, string> = {
    actual,
    limit: typeof p.limit === 'number' ? count(p.limit) : String(p.limit),
    value: typeof value === 'string' ? (value.length > 40 ? `${value.slice(0, 37)}...` : value) : (JSON.stringify(value) ?? ''),
    missing: String(p.missingProperty),
    total: typeof p.total === 'number' ? count(p.total) : String(p.total),
    text: String(p.text),
    key: parent && typeof parent === 'object' ? String(parent.key) : '',
  };
  return { code: note.code, message: note.message.replace(/\{(\w+)\}/g, (m, name: string) => fill[name] ?? m) };
}

function describe(
  error: ErrorObject,
  root: unknown,
): { code: DiagnosticCode; message: string; hint?: string; pointer: string; key: boolean } {
  const at = prettyPath(error.instancePath);
  const p = error.params as Record<string, unknown>;
  const rule = ruleMessage(error, root);
  if (rule) return { ...rule, pointer: error.instancePath, key: false };
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const guess = closestName(name, known);
      return {
        code: 'E_UNKNOWN_PROPERTY',
        message: `${at} has an unknown property "${name}"`,
        ...(guess ? { hint: `did you mean \`${guess}\`?` } : known.length > 0 ? { hint: `known properties: ${known.join(', ')}` } : {}),
        pointer: `${error.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        key: true,
      };
    }
    case 'required':
      return {
        code: 'E_SCHEMA',
        message: `${at} is missing the required property "${String(p.missingProperty)}"`,
        pointer: error.instancePath,
        key: false,
      };
    case 'maxLength': {
      const value = valueAt(root, error.instancePath);
      const length = typeof value === 'string' ? [...value].length : undefined;
      const detail = length === undefined ? '' : ` (it has ${length})`;
      return {
        code: 'E_LIMIT',
        message: `${at} must be at most ${String(p.limit)} characters${detail}`,
        pointer: error.instancePath,
        key: false,
      };
    }
    case 'maxItems':
    case 'minItems': {
      const value = valueAt(root, error.instancePath);
      const count = Array.isArray(value) ? ` (it has ${value.length})` : '';
      const bound = error.keyword === 'maxItems' ? 'at most' : 'at least';
      return {
        code: 'E_LIMIT',
        message: `${at} must have ${bound} ${String(p.limit)} items${count}`,
        pointer: error.instancePath,
        key: false,
      };
    }
    case 'enum':
      return {
        code: 'E_SCHEMA',
        message: `${at} must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        pointer: error.instancePath,
        key: false,
      };
    case 'const':
      return { code: 'E_SCHEMA', message: `${at} must be ${JSON.stringify(p.allowedValue)}`, pointer: error.instancePath, key: false };
    case 'discriminator': {
      const tag = String(p.tag);
      return {
        code: 'E_SCHEMA',
        message:
          p.error === 'tag'
            ? `${at} needs a string "${tag}"`
            : `${at} has an unsupported ${tag} "${String(valueAt(root, `${error.instancePath}/${tag}`))}"`,
        pointer: p.error === 'tag' ? error.instancePath : `${error.instancePath}/${tag}`,
        key: false,
      };
    }
    default:
      return {
        code: LIMIT_KEYWORDS.has(error.keyword) ? 'E_LIMIT' : 'E_SCHEMA',
        message: `${at} ${error.message ?? 'is invalid'}`,
        pointer: error.instancePath,
        key: false,
      };
  }
}

/** A schema problem before it is given a file and a position. */
export interface SchemaProblem {
  code: DiagnosticCode;
  message: string;
  hint?: string;
  /** Pointer into `root` (with the prefix). */
  pointer: string;
  /** The problem is about a key (unknown property), not a value. */
  key: boolean;
}

/** Turn ajv errors for `root` into problems, most specific first, combinator noise removed. */
export function schemaProblems(errors: readonly ErrorObject[], root: unknown, options: SchemaDiagnosticOptions = {}): SchemaProblem[] {
  const deferred = options.templated ? errors.filter((e) => isDeferred(e, root)) : [];
  const kept = errors.filter((e) => !deferred.includes(e));
  const specific = kept.filter((e) => !COMBINATORS.has(e.keyword));
  const under = (list: readonly ErrorObject[], path: string): boolean =>
    list.some((e) => e.instancePath === path || e.instancePath.startsWith(`${path}/`));
  const chosen = kept.filter((e) => {
    if (!COMBINATORS.has(e.keyword)) return true;
    if (e.keyword === 'if') return false;
    // A combinator failing only because of deferred template checks would pass once rendered;
    // one with specific errors beneath it is explained better by those.
    return !under(deferred, e.instancePath) && !under(specific, e.instancePath);
  });
  // Under anyOf/oneOf, a value of one branch's type that fails that branch (a string that is not a
  // UUID) also fails the other branches' `type`: that says nothing the specific error does not.
  const typed = chosen.filter(
    (e) =>
      e.keyword !== 'type' ||
      !chosen.some(
        (o) =>
          o.keyword !== 'type' &&
          !COMBINATORS.has(o.keyword) &&
          (o.instancePath === e.instancePath || o.instancePath.startsWith(`${e.instancePath}/`)),
      ),
  );
  const described = typed.map((error) => ({ error, d: describe(error, root) }));
  // `mediaURL` → "did you mean mediaUrl?" already explains why `mediaUrl` is missing: say it once.
  const suggested = new Set(
    described.filter(({ d }) => d.hint?.startsWith('did you mean')).map(({ error, d }) => `${error.instancePath}|${d.hint}`),
  );
  const explained = ({ error }: { error: ErrorObject }): boolean =>
    error.keyword === 'required' &&
    suggested.has(`${error.instancePath}|did you mean \`${String((error.params as { missingProperty: string }).missingProperty)}\`?`);
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const { d } of described.filter((x) => !explained(x))) {
    const pointer = `${options.prefix ?? ''}${d.pointer}`;
    const key = `${d.code}|${pointer}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: d.code, message: d.message, pointer, key: d.key, ...(d.hint ? { hint: d.hint } : {}) });
  }
  return out;
}

/** Turn ajv errors for `root` (parsed from `source`) into diagnostics, most specific first. */
export function schemaDiagnostics(
  errors: readonly ErrorObject[],
  source: Locatable,
  root: unknown,
  options: SchemaDiagnosticOptions = {},
): Diagnostic[] {
  return schemaProblems(errors, root, options).map((d) => {
    const pos = source.locate(d.pointer, { key: d.key });
    return {
      code: d.code,
      severity: 'error',
      file: source.file,
      line: pos.line,
      column: pos.column,
      pointer: d.pointer,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
    };
  });
}
