// The last-moment window re-check of `send --window check`: split from run.ts.
import type { PlanBuilder } from './decisions.js';
import type { SendOptions } from './run.js';
import type { Entry } from './spool.js';
import type { WindowReceiver } from './window.js';
import type { Row } from '../types.js';

export interface OpenWindow {
  expiresAt: number;
  receiver: WindowReceiver;
  row: Row;
}

/**
 * Right before an entry goes to dispatch, a window that was open at planning but now closes within
 * the margin is asked again: still open, the body goes; closed (or the check failed: no proof it is
 * open), the fallback template goes instead, or the recipient is skipped and counted as window-closed.
 */
export async function* recheckWindows(
  entries: AsyncIterable<Entry>,
  windows: ReadonlyMap<string, OpenWindow>,
  window: NonNullable<SendOptions['window']>,
  builder: PlanBuilder,
  reveal: boolean,
  skip: (entry: Entry, reason: string) => void,
): AsyncGenerator<Entry> {
  const { checker, fallback } = window;
  for await (const entry of entries) {
    const open = windows.get(entry.key);
    if (!open || !checker.needsRecheck({ open: true, reason: '', expiresAt: open.expiresAt })) {
      yield entry;
      continue;
    }
    let verdict;
    try {
      verdict = await checker.check(open.receiver);
    } catch (error) {
      verdict = { open: false, reason: `the re-check before sending failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (verdict.open) {
      yield entry;
      continue;
    }
    const rendered = fallback?.(open.row);
    if (rendered?.ok) {
      builder.closedWindow(entry.row, entry.recipient, verdict.reason, true, reveal);
      yield { ...entry, json: rendered.json, reference: rendered.reference.replace(/[\t\n\r]/g, ' ') };
    } else {
      builder.closedWindow(entry.row, entry.recipient, verdict.reason, false, reveal);
      skip(entry, verdict.reason);
    }
  }
}
