// The template uses a run's rows need, for the template preflight: asked only when Bird differs from
// the lock, it reads the data once more and decides each row's locale as the render does (render's
// rowLocale), so a locale no row gets (paused at Bird since the pull) does not stop the send.
import { requestedLocales } from '../render/index.js';
import { detectFormat, readRows } from '../sources/index.js';
import { followsManyLocales, mergeUses, sendTemplateUses } from '../template-uses.js';
import type { PreflightUse, TemplateLock } from '../templates/index.js';
import type { DataFormat } from '../types.js';
import { withVars, type PreparedMessage, type RunVars } from './prepare.js';

export type RowUses = () => Promise<PreflightUse[] | undefined>;

/** Undefined when there is nothing to narrow: no template follows the recipient's locale with several approved. */
export function rowTemplateUses(
  message: PreparedMessage,
  data: { path: string; displayName: string; format?: DataFormat },
  vars: RunVars | undefined,
  options: { fallback: boolean; lock: TemplateLock | undefined },
): RowUses | undefined {
  if (!followsManyLocales(message.definition, options)) return undefined;
  return async () => {
    const rows = withVars(readRows(data), vars, data.displayName);
    const requested = await requestedLocales(message.compiled, rows, (data.format ?? detectFormat(data.path)) === 'csv');
    return requested && sendTemplateUses(message.definition, { ...options, requested });
  };
}

/** Several messages' (a plan's): each one's row uses, or its every use when it has none to narrow. */
export function allRowUses(parts: readonly { uses: PreflightUse[]; rowUses: RowUses | undefined }[]): RowUses {
  return async () => {
    const all: PreflightUse[] = [];
    for (const part of parts) {
      const uses = part.rowUses ? await part.rowUses() : part.uses;
      if (!uses) return undefined;
      all.push(...uses);
    }
    return mergeUses(all);
  };
}
