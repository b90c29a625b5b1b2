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
 * The copies of `to` in the run that carry `reference`. Occurrences past the first are looked for even
 * when the header does not say `--allow-duplicates`: a run sent without it (W_DUPLICATE_RECIPIENT: "sent
 * once") may be sent again with it, and its header stays as written (their details may then be unread: unsure).
 */
export function copiesOf(table: RunTable, messageId: string, to: string, reference: string): Copies {
  const ids: number[] = [];
  let unsure = false;
  // An address is keyed case-folded; a run of an earlier chirp keyed it as sent (the case written).
  const folded = to.toLowerCase();
  const who = folded !== to && to.includes('@') && table.keys.get(recipientKey(messageId, folded, 1)) >= 0 ? folded : to;
  for (let n = 1; ; n++) {
    const key = recipientKey(messageId, who, n);
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

/** Bird's answer to this copy's own request named `birdId` (a listing's match of an earlier status may have been a guess). */
export function answeredWith(table: RunTable, id: number, birdId: string): boolean {
  return table.state(id)?.id === birdId;
}

/**
 * The copies were sent the same bytes (the journal's request hash, format 2): whichever of them a listed
 * message is, the same message reached the recipient. A reference is no proof of this: a message file
 * may set its own, `chirp:…` included, for copies of other texts.
 */
export function sameRequest(table: RunTable, ids: readonly number[]): boolean {
  const first = ids.length > 0 ? table.requestHash(ids[0]!) : undefined;
  return first !== undefined && ids.every((id) => table.requestHash(id) === first);
}
