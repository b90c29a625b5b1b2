// Which locales a run's rows ask for, decided as the render decides them (the same validation,
// coercion and defaults, then the same locale template): the template preflight then asks Bird about
// exactly the locales the rows resolve to, not every locale the lock approves.
import type { Row } from '../types.js';
import type { CompiledMessage } from './compile.js';

/**
 * The canonical locales the rows ask for; undefined when the message has no `locale`, or when a row
 * is refused before its locale is known (the send refuses invalid rows and sends nothing; the
 * preflight then checks every approved locale, as without this pass).
 */
export async function requestedLocales(
  message: CompiledMessage,
  rows: AsyncIterable<Row>,
  fromText: boolean,
): Promise<Set<string> | undefined> {
  const requested = new Set<string>();
  for await (const row of rows) {
    // As renderStream hands CSV rows to renderRow: an empty cell is absent (so a default applies).
    const locale = message.rowLocale(fromText ? dropEmpty(row.values) : row.values, fromText);
    if (!locale) return undefined;
    requested.add(locale.requested);
  }
  return requested;
}

/** The same as render/stream.ts's: empty strings removed, nested objects too. */
function dropEmpty(values: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(values)) {
    const v = values[key];
    if (v === '') delete values[key];
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) dropEmpty(v as Record<string, unknown>);
  }
  return values;
}
