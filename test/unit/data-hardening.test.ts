// Issue 29 (data half), the cores behind the CLI cases in test/cli/data-hardening.test.ts: every
// spelling of the key is scrubbed, numbers keep how they were written, distinct keys are counted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyCounter } from '../../src/journal/key-count.js';
import { scrubText } from '../../src/util/scrub.js';
import { numberProblems, parseJsonNumbers, writtenText } from '../../src/util/numbers.js';

const keyArb = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_+/='),
  minLength: 16,
  maxLength: 48,
});
const b64 = (s: string, url = false) => Buffer.from(s).toString(url ? 'base64url' : 'base64');

describe('scrubText', () => {
  it('removes the key as written, in any case, URL-encoded, in base64 at any offset, and its long prefixes', () => {
    fc.assert(
      fc.property(keyArb, fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), (key, before, after) => {
        const prefix = key.slice(0, Math.max(8, Math.ceil(key.length / 2)));
        const spellings = [
          key,
          key.toUpperCase(),
          key.toLowerCase(),
          encodeURIComponent(key),
          b64(`AccessKey ${key}`),
          b64(`${before}${key}${after}`, true),
          `${prefix}…`,
        ];
        for (const s of spellings) {
          const out = scrubText(`<${s}>`, key);
          expect(out).toContain('[redacted]');
          expect(out.toLowerCase()).not.toContain(prefix.toLowerCase());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('leaves text without the key alone, a short piece of it included', () => {
    const key = 'canary-key-7d1f0c2a9b';
    expect(scrubText('HTTP 422: receiver is invalid (canary)', key)).toBe('HTTP 422: receiver is invalid (canary)');
    expect(scrubText('key=canary-k', key)).toBe('key=canary-k');
  });
});

describe('parseJsonNumbers', () => {
  const plain = (_k: string, v: unknown): unknown => v;

  it('keeps how each changed number was written, nested and in lists, and reports what it cannot hold with its path', () => {
    const value = parseJsonNumbers('{"a":1.50,"b":{"c":[1e3,2]},"d":12345678901234567891,"e":"1.50"}', plain) as {
      a: number;
      b: { c: number[] };
    };
    expect(value.a).toBe(1.5);
    expect(writtenText(value, 'a')).toBe('1.50');
    expect(writtenText(value.b.c, '0')).toBe('1e3');
    expect(writtenText(value.b.c, '1')).toBeUndefined();
    expect(numberProblems(value)).toEqual([{ field: 'd', message: expect.stringContaining('beyond 2^53−1') as string }]);
    expect(JSON.stringify(value)).toBe('{"a":1.5,"b":{"c":[1000,2]},"d":12345678901234567000,"e":"1.50"}');
  });

  it('gives what JSON.parse gives for every JSON value', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(parseJsonNumbers(text, plain)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('KeyCounter', () => {
  it('counts distinct keys', () => {
    const counter = new KeyCounter();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const key = `k${(i * 7919) % 15_000}`;
      counter.add(key);
      seen.add(key);
    }
    expect(counter.size).toBe(seen.size);
  });
});
