// The locales a send's rows ask for, read before the template preflight (one pass over the data, only
// when a template follows the recipient's locale and the lock approves several): the preflight then
// asks Bird about the locales the rows resolve to, fallback chain included, not every approved one.
import { requestedLocales } from '../render/index.js';
import { detectFormat, readRows } from '../sources/index.js';
import { followsManyLocales } from '../template-uses.js';
import type { DataFormat } from '../types.js';
import { withVars, type PreparedMessage, type RunVars } from './prepare.js';

export async function sendRowLocales(
  message: PreparedMessage,
  data: { path: string; displayName: string; format?: DataFormat },
  vars: RunVars | undefined,
  fallback: boolean,
): Promise<ReadonlySet<string> | undefined> {
  if (!followsManyLocales(message.definition, { fallback, lock: message.templateLock })) return undefined;
  const rows = withVars(readRows(data), vars, data.displayName);
  return requestedLocales(message.compiled, rows, (data.format ?? detectFormat(data.path)) === 'csv');
}
