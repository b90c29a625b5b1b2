// A `--vars` file is YAML or JSON: `version: 1.10` is read as the number 1.1 (`0x1F` as 31, `1e3` as
// 1000), and a CSV run coerced it to the text "1.1" for a `type: string` variable: "chirp 1.1 is out".
// The file's values are typed, as a JSON data file's are: a value whose type the variable does not
// declare (a number, true/false or null for `type: string`) is refused, not coerced. Quote it.
import { UserError } from '../errors.js';
import type { RunVars } from './prepare.js';

/** The --vars file the run-wide variables were read from, by the object loadRunVars returned. */
const files = new WeakMap<object, string>();

export function noteVarsFile(vars: RunVars, file: string): RunVars {
  files.set(vars, file);
  return vars;
}

const kindOf = (value: unknown): string | undefined =>
  value === null
    ? 'null'
    : typeof value === 'boolean'
      ? 'boolean'
      : typeof value === 'number'
        ? Number.isInteger(value)
          ? 'integer'
          : 'number'
        : undefined;

/** E_VARS_FILE for a run-wide value of a type its variable does not declare, or undefined. */
export function varsTypeRefusal(variables: Record<string, unknown> | undefined, vars: RunVars | undefined): UserError | undefined {
  if (!vars || !variables) return undefined;
  for (const [key, value] of Object.entries(vars)) {
    const kind = kindOf(value);
    const spec = variables[key];
    if (kind === undefined || spec === null || typeof spec !== 'object') continue;
    const declared = (spec as { type?: unknown }).type;
    if (declared === undefined) continue;
    const types: unknown[] = Array.isArray(declared) ? declared : [declared];
    if (types.includes(kind) || (kind === 'integer' && types.includes('number'))) continue;
    const file = files.get(vars);
    const where = file !== undefined ? `${file}: ` : '';
    const shown = typeof value === 'number' ? `the number ${String(value)}` : String(value);
    return new UserError(
      'E_VARS_FILE',
      `${where}"${key}" is ${shown}, but the variable is declared type: ${types.map(String).join(' or ')}; a --vars file's values are used as typed, as in a JSON data file (YAML and JSON read 1.10 as 1.1, 0x1F as 31, 1e3 as 1000): quote the value as you mean it (${key}: "…")`,
    );
  }
  return undefined;
}
