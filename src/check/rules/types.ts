// What a rule sees and says. A rule reads a request-shaped object: a rendered request, or a message
// file (whose Bird fields sit where a request has them). Strings still holding Handlebars are unknown
// until rendered: rules leave them alone, and the rendered request is checked row by row.
import type { DiagnosticCode } from '../../errors.js';
import type { JsonObject } from '../../types.js';

export interface RuleProblem {
  code: DiagnosticCode;
  /** JSON pointer into the checked object. */
  pointer: string;
  message: string;
}

export interface RuleContext {
  /** The injected clock: when the request would be sent. */
  now: Date;
}

export type Rule = (request: JsonObject, ctx: RuleContext) => RuleProblem[];

/** A literal string: not one still holding a Handlebars expression. */
export function known(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('{{');
}

export function obj(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The body's payload (`body.text`, `body.image`, ...) with its type and pointer. */
export function payload(request: JsonObject): { type: string; value: JsonObject; pointer: string } | undefined {
  const body = obj(request.body);
  const type = body?.type;
  if (typeof type !== 'string') return undefined;
  const value = obj(body?.[type]);
  return value ? { type, value, pointer: `/body/${type}` } : undefined;
}

/** The last path segment of a URL, lower-cased file extension, or undefined if it has none. */
export function extension(url: unknown): string | undefined {
  if (!known(url)) return undefined;
  const path = url.split(/[?#]/)[0] ?? '';
  const m = /\.([a-z0-9]{2,5})$/i.exec(path.slice(path.lastIndexOf('/') + 1));
  return m ? m[1]!.toLowerCase() : undefined;
}
