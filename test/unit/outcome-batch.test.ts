// What crosses back from a render worker (src/render/parallel.ts encodeOutcomes/decodeOutcomes) is the
// outcome the worker made, field for field: a plain success as three string columns, anything more
// (here the identity hash of an address sent with capitals, which the journal records) whole.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeOutcomes, encodeOutcomes, type RowOutcome } from '../../src/render/index.js';

describe('outcomes crossing from a worker', () => {
  it('keep every field: plain successes, an identity hash, an alias, a failure, a row not rendered', () => {
    const outcomes: (RowOutcome | null)[] = [
      { ok: true, json: '{"a":1}', recipient: '+31612345678', reference: 'r1' },
      { ok: true, json: '{"b":2}', recipient: 'ada@example.com', reference: 'r2', identityHash: 'h-own-spelling' },
      { ok: true, json: '{"c":3}', recipient: '+31612345679', reference: 'r3', alias: '06 12345679', aliasHash: 'h-alias' },
      { ok: false, problems: [{ code: 'E_ROW_INVALID', message: 'bad', field: 'name' }] },
      null,
    ];
    const crossed = decodeOutcomes(structuredClone(encodeOutcomes(outcomes)));
    expect(crossed).toEqual(outcomes);
  });

  it('keep any field a success carries besides the three columns, whatever its name (a field added later included)', () => {
    const field = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !['ok', 'json', 'recipient', 'reference', '__proto__'].includes(k));
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.dictionary(fc.string({ maxLength: 4 }), fc.string()));
    fc.assert(
      fc.property(field, value, (key, v) => {
        const outcomes: (RowOutcome | null)[] = [{ ok: true, json: '{}', recipient: '+31612345678', reference: 'r', [key]: v }];
        expect(decodeOutcomes(structuredClone(encodeOutcomes(outcomes)))).toEqual(outcomes);
      }),
    );
  });
});
