// Number columns of CSV rows, checked before ajv coerces them (docs/message-format.md, "Numbers").
import { DECIMAL, numberProblem, rememberWritten } from '../util/index.js';
import type { RowProblem } from './row-validator.js';

function ownLookup(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Paths of the variables declared as a number or integer (and not also as a string), with whether integer. */
export function numberPaths(variables: Record<string, unknown> | undefined, prefix: string[] = [], out: string[][] = []): string[][] {
  if (!variables || typeof variables !== 'object') return out;
  for (const [name, schema] of Object.entries(variables)) {
    if (schema === null || typeof schema !== 'object') continue;
    const type = (schema as { type?: unknown }).type;
    const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type : [];
    if ((types.includes('number') || types.includes('integer')) && !types.includes('string')) out.push([...prefix, name]);
    const props = (schema as { properties?: unknown }).properties;
    if (props && typeof props === 'object') numberPaths(props as Record<string, unknown>, [...prefix, name], out);
  }
  return out;
}

/**
 * CSV cells of number columns before ajv coerces them: only decimal syntax (ajv would take 0x10,
 * 0b11, Infinity and " 5"), nothing a JavaScript number cannot hold; how each was written is kept.
 */
export function textNumberProblems(values: Record<string, unknown>, paths: string[][]): RowProblem[] {
  const problems: RowProblem[] = [];
  for (const path of paths) {
    const parent = ownLookup(values, path.slice(0, -1));
    const key = path[path.length - 1]!;
    if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, key)) continue;
    const text = (parent as Record<string, unknown>)[key];
    if (typeof text !== 'string' || text === '') continue;
    const field = path.join('.');
    const problem = DECIMAL.test(text) ? numberProblem(text) : `"${text}" is not a decimal number`;
    if (problem) problems.push({ code: 'E_ROW_INVALID', field, message: `${field}: ${problem}` });
    else rememberWritten(parent, key, text, Number(text));
  }
  return problems;
}
