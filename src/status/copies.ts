// A listed message names its receiver and reference, not which of the recipient's copies it is. With
// `send --allow-duplicates` a recipient's rows are copies: keys of occurrence 1, 2, … (recipientKey),
// and copies of the same text share their reference. Bird's id tells a copy's message where the
// journal (or an earlier status) holds it; otherwise a message is one more of the recipient's messages
// than the copies already matched, never proof for a particular copy that another one may own.
import { recipientKey } from '../send/index.js';
import type { RunTable } from './run-table.js';

export interface Copies {
  /** The recipient's copies (their ids, in occurrence order) whose reference is the listed message's. */
  ids: number[];
  /** A copy of the recipient could not be looked at (its details not read, or an id two keys share): the message may be its. */
  unsure: boolean;
}

/**
 * The copies of `to` in the run that carry `reference`. `duplicates`: the run was sent with
 * `--allow-duplicates` (occurrences past the first may exist); otherwise only the first is looked at.
 */
export function copiesOf(table: RunTable, messageId: string, to: string, reference: string, duplicates: boolean): Copies {
  const ids: number[] = [];
  let unsure = false;
  for (let n = 1; n === 1 || duplicates; n++) {
    const key = recipientKey(messageId, to, n);
    const id = table.keys.get(key);
    if (id < 0) break;
    if (table.ambiguous.has(id) || !table.loaded(id)) {
      unsure = true;
      continue;
    }
    // Another key with the same 64-bit hash: this occurrence is not in the run, nor any later one.
    if (table.key(id) !== key) break;
    if (table.ref(id) === reference) ids.push(id);
  }
  return { ids, unsure };
}

/** Bird's id of the key's message, where the journal's answer or an earlier (or this) status gave it. */
export function knownBirdId(table: RunTable, id: number): string | undefined {
  return table.state(id)?.id ?? table.deliveryId(id);
}
