// An e-mail address is one recipient in any case: every case-permutation of an address has the same
// identity (and journal key), rendered from `to` or from a `receiver`, the one suppression lists compare
// on; addresses that differ otherwise never share one. The address sent is the one the data wrote.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRecipient, recipientIdentity, suppressionKey } from '../../src/util/recipient.js';
import { maskRecipientIn } from '../../src/util/mask.js';
import { shortKey } from '../../src/util/index.js';
import { recipientKey } from '../../src/send/keys.js';
import { openCatalog, prepareMessage } from '../../src/index.js';
import type { CompiledMessage } from '../../src/render/index.js';
import { makeCatalog } from '../helpers/catalog.js';

// A dot-atom: no dot at either end, never two in a row (others are refused: src/util/email.ts).
const LOCAL = fc.stringMatching(/^[A-Za-z0-9]([._+-]?[A-Za-z0-9]){0,8}$/);
const LABEL = fc.stringMatching(/^[A-Za-z0-9]{1,10}$/);
const ADDRESS = fc.tuple(LOCAL, LABEL, fc.stringMatching(/^[A-Za-z]{2,6}$/)).map(([l, d, t]) => `${l}@${d}.${t}`);
/** The address with each letter's case flipped where `flips` says. */
const permute = (address: string, flips: boolean[]): string =>
  [...address].map((c, i) => (flips[i % flips.length] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');

function identity(raw: string): string {
  const parsed = parseRecipient(raw);
  if (!parsed.ok) throw new Error(`${raw}: ${parsed.reason}`);
  return recipientIdentity(parsed.recipient);
}

const body = 'variables:\n  to: { type: string }\nrequired: [to]\nbody:\n  type: text\n  text:\n    text: "Hi"\n';
let messages: CompiledMessage[] = [];
beforeAll(async () => {
  const root = makeCatalog({
    'messages/to.yaml': `channel: whatsapp\nto: "{{to}}"\n${body}`,
    'messages/rcv.yaml': `channel: whatsapp\nreceiver:\n  contacts:\n    - { identifierKey: emailaddress, identifierValue: "{{to}}" }\n${body}`,
  });
  const catalog = await openCatalog({ cwd: root, env: {} });
  messages = [(await prepareMessage(catalog, 'to')).compiled, (await prepareMessage(catalog, 'rcv')).compiled];
});

function render(message: CompiledMessage, to: string) {
  const result = message.renderRow({ to }, true);
  if (!result.ok) throw new Error(`${to}: ${JSON.stringify(result.problems)}`);
  return result;
}
/** The address as chirp sends it: as written, its domain lower-cased. */
const sent = (address: string): string =>
  address.slice(0, address.lastIndexOf('@')) + address.slice(address.lastIndexOf('@')).toLowerCase();

describe('e-mail identity', () => {
  it('any case-permutation of an address: one identity, journal key, suppression key, recipient and journalled hash; sent as written', () => {
    fc.assert(
      fc.property(ADDRESS, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (address, flips) => {
        const other = permute(address, flips);
        expect(identity(other)).toBe(identity(address));
        expect(identity(other)).toBe(address.toLowerCase());
        expect(recipientKey('m', identity(other), 1)).toBe(recipientKey('m', identity(address), 1));
        const listed = suppressionKey(other);
        expect(listed.ok && listed.recipient.value).toBe(identity(address));
        for (const message of messages) {
          const a = render(message, address);
          const b = render(message, other);
          expect(b.recipient).toBe(a.recipient);
          // The hash the journal records (src/send/run.ts): the request of the lower-case spelling.
          expect(b.identityHash ?? shortKey(b.json)).toBe(a.identityHash ?? shortKey(a.json));
          expect(JSON.parse(b.json)).toMatchObject({ receiver: { contacts: [{ identifierValue: sent(other) }] } });
          // Masked in any case: the address sent never shows.
          expect(maskRecipientIn(b.json, b.recipient).toLowerCase()).not.toContain(identity(other));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('addresses that differ other than in case never share an identity or a key', () => {
    fc.assert(
      fc.property(ADDRESS, ADDRESS, (a, b) => {
        fc.pre(a.toLowerCase() !== b.toLowerCase());
        expect(identity(a)).not.toBe(identity(b));
        expect(recipientKey('m', identity(a), 1)).not.toBe(recipientKey('m', identity(b), 1));
      }),
      { numRuns: 300 },
    );
  });

  it("a row spelled with capitals journals the hash of the lower-case spelling's request; a phone number is untouched", () => {
    for (const message of messages) {
      const upper = render(message, 'Ada@X.com');
      const lower = render(message, 'ada@x.com');
      expect(upper.recipient).toBe('ada@x.com');
      expect(upper.alias).toBeDefined();
      expect(lower.identityHash).toBeUndefined();
      expect(upper.identityHash).toBe(shortKey(lower.json));
      expect(upper.json).not.toBe(lower.json);
    }
    expect(identity('+31612345678')).toBe('+31612345678');
  });
});
