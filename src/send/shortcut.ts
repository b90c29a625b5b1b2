// The resume shortcut (#29): a send of the same inputs as an earlier run asks the journal which
// recipients are final before rendering, and does not render their rows again. A row is still read,
// checked for consent (suppression lists as they are now, the opt-in column) and its recipient
// normalised and deduplicated, so every count of the report stays what a full render would say.
import type { FolderIndex, RecipientState } from '../journal/index.js';
import type { FinalRows } from '../render/index.js';
import type { Row } from '../types.js';
import { recipientKey } from './keys.js';

/**
 * Final: accepted, or unknown and held (no --retry-unknown), in a run whose header records the same
 * render key and that no send with another key continued (IndexedRun.renderKey), so its hash of the request is the hash of what this send would render (same definition,
 * partials, data, run-wide variables, chirp version and template lock: see `renderKey`). A state from
 * any other run (older chirp, other data, a saved plan, journal damage) is decided by a full render.
 */
export function finalRows(
  options: { messageId: string; renderKey?: string; retryUnknown: boolean },
  index: FolderIndex,
  stateOf: (key: string) => RecipientState | undefined,
  take: (row: Row, recipient: string, state: RecipientState) => void,
): FinalRows | undefined {
  const { renderKey } = options;
  if (renderKey === undefined) return undefined;
  const trusted = new Set(index.runs.filter((r) => r.renderKey === renderKey).map((r) => r.runId));
  if (trusted.size === 0) return undefined;
  // `is` is asked right before `take` for the same recipient: keep its answer.
  let asked: { recipient: string; state: RecipientState } | undefined;
  return {
    is: (recipient) => {
      const state = stateOf(recipientKey(options.messageId, recipient, 1));
      const final =
        state !== undefined &&
        state.hash !== undefined &&
        trusted.has(state.runId) &&
        (state.status === 'accepted' || (!options.retryUnknown && (state.status === 'unknown' || state.status === 'pending')));
      asked = final ? { recipient, state } : undefined;
      return final;
    },
    take: (row, recipient) => {
      const state = asked?.recipient === recipient ? asked.state : stateOf(recipientKey(options.messageId, recipient, 1));
      asked = undefined;
      take(row, recipient, state!);
    },
  };
}
