// The batch body is built straight into a Buffer: it must be byte for byte what the joined string
// `{"messageRequests":[b1,b2,…]}` encodes to, for any text (non-ASCII, astral, lone surrogates).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBody } from '../../src/transport/client.js';

describe('batchBody', () => {
  it('is the UTF-8 of the joined batch, for any bodies', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 20 }), (bodies) => {
        const expected = Buffer.from(`{"messageRequests":[${bodies.join(',')}]}`, 'utf8');
        expect(batchBody(bodies).equals(expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('copies bodies given as UTF-8 bytes (read back from the spool) as they are, mixed with text', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.boolean()), { minLength: 1, maxLength: 20 }), (given) => {
        const bodies = given.map(([text, asBytes]) => (asBytes ? Buffer.from(text, 'utf8') : text));
        const expected = Buffer.from(`{"messageRequests":[${given.map(([text]) => text).join(',')}]}`, 'utf8');
        expect(batchBody(bodies).equals(expected)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps rendered JSON bodies as they are', () => {
    const bodies = [
      '{"receiver":{"contacts":[{"identifierValue":"+31612345678"}]},"body":{"text":{"text":"Hi Zoë 👋"}}}',
      '{"a":"\\u0000"}',
    ];
    expect(JSON.parse(batchBody(bodies).toString('utf8'))).toEqual({ messageRequests: bodies.map((b) => JSON.parse(b) as unknown) });
  });
});
