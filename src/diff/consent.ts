// `plan --base` and consent: a change of the suppression lists (or of a message's opt-in column) is a
// change of who gets a message. Both sides' lists are compared entry by entry (added, removed), and
// each message's rows are checked against both: how many a send would now skip, and how many it would
// now reach, per message affected. Counts only, never who.
import { optInCheck } from '../consent/index.js';
import { suppressionKey } from '../util/index.js';
import type { Row } from '../types.js';
import type { Side, SideMessage } from './sides.js';

/** One side's consent: the lists' entries, each list's name and content hash, and the check per message country. */
export interface ConsentSide {
  /** The entries: normalised, and numbers without a country code as written (compared as entries, not as people). */
  keys: ReadonlySet<string>;
  /** Whether a normalised recipient is on the lists, their numbers without a country code read in `country` (the message's). */
  has: (country: string | undefined) => (key: string) => boolean;
  lists: { file: string; sha256: string }[];
}

export interface ConsentDiff {
  lists: { file: string; change: 'added' | 'removed' | 'edited' }[];
  /** Distinct entries on the head's lists and not the base's, and the reverse. */
  entriesAdded: number;
  entriesRemoved: number;
  /** Messages whose rows a send would skip differently: newly skipped (opted out, no opt-in), no longer skipped. */
  messages: { id: string; newlySkipped: number; noLongerSkipped: number }[];
}

type Rows = (head: SideMessage | undefined, base: SideMessage | undefined) => { rows: AsyncIterable<Row>; fromText: boolean };

function key(recipient: string, defaultCountry: string | undefined): string | undefined {
  const parsed = suppressionKey(recipient, defaultCountry);
  return parsed.ok ? parsed.recipient.value : undefined;
}

function skipped(m: SideMessage | undefined, side: ConsentSide, values: Record<string, unknown>): boolean {
  const definition = m?.checked.definition;
  if (!definition || !m?.compiled) return false;
  if (definition.consent !== undefined && !optInCheck(definition.consent)(values)) return true;
  if (side.keys.size === 0) return false;
  const recipient = m.compiled.recipientOf(values);
  const k = recipient === undefined ? undefined : key(recipient, definition.defaultCountry);
  return k !== undefined && side.has(definition.defaultCountry)(k);
}

/** undefined: neither side has a list or an opt-in column (nothing to say). */
export async function consentDiff(
  head: Side,
  base: Side,
  heads: ConsentSide,
  bases: ConsentSide,
  rows: Rows,
): Promise<ConsentDiff | undefined> {
  const optIn = (side: Side): boolean => [...side.messages.values()].some((m) => m.consent !== undefined);
  if (heads.lists.length === 0 && bases.lists.length === 0 && !optIn(head) && !optIn(base)) return undefined;
  const lists: ConsentDiff['lists'] = [];
  for (const l of heads.lists) {
    const before = bases.lists.find((b) => b.file === l.file);
    if (!before) lists.push({ file: l.file, change: 'added' });
    else if (before.sha256 !== l.sha256) lists.push({ file: l.file, change: 'edited' });
  }
  for (const b of bases.lists) if (!heads.lists.some((l) => l.file === b.file)) lists.push({ file: b.file, change: 'removed' });
  let entriesAdded = 0;
  let entriesRemoved = 0;
  for (const k of heads.keys) if (!bases.keys.has(k)) entriesAdded++;
  for (const k of bases.keys) if (!heads.keys.has(k)) entriesRemoved++;
  const messages: ConsentDiff['messages'] = [];
  const ids = [...new Set([...head.messages.keys(), ...base.messages.keys()])].sort();
  const listsChanged = entriesAdded + entriesRemoved > 0;
  for (const id of ids) {
    const h = head.messages.get(id);
    const b = base.messages.get(id);
    // Only a message on both sides can be reached differently; its rows are read only when something could differ.
    if (!h || !b) continue;
    const optInChanged = h.consent !== b.consent;
    if (!listsChanged && !optInChanged) continue;
    let newlySkipped = 0;
    let noLongerSkipped = 0;
    for await (const row of rows(h, b).rows) {
      const values = structuredClone(row.values);
      const now = skipped(h, heads, values);
      const then = skipped(b, bases, values);
      if (now && !then) newlySkipped++;
      else if (then && !now) noLongerSkipped++;
    }
    if (newlySkipped + noLongerSkipped > 0) messages.push({ id, newlySkipped, noLongerSkipped });
  }
  return { lists, entriesAdded, entriesRemoved, messages };
}
