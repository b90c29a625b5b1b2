// The E.164 fast path of parseRecipient must agree with libphonenumber-js itself: whenever it says
// "valid as written", the library (its public API, not chirp's loader) parses the same text to a
// possible, valid number that is exactly that text. Random numbers and adversarial ones built from
// the metadata: every calling code, national prefixes, lengths around the possible ones.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { e164FastPath } from '../../src/util/phone-fast.js';
import { parseRecipient } from '../../src/util/recipient.js';

const require = createRequire(import.meta.url);
const metadata = require('libphonenumber-js/metadata.min.json') as {
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown[]>;
  nonGeographic?: Record<string, unknown>;
};
const fast = e164FastPath(metadata)!;

/** What the library says of a text: the number it returns, if possible and valid; else null. */
function library(text: string): string | null {
  let parsed;
  try {
    parsed = parsePhoneNumberFromString(text);
  } catch {
    return null;
  }
  if (!parsed || parsed.ext || !parsed.isPossible() || !parsed.isValid()) return null;
  return parsed.number;
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const callingCodes = [...Object.keys(metadata.country_calling_codes), ...Object.keys(metadata.nonGeographic ?? {})];
/** National prefixes and prefixes-for-parsing as written in the metadata (digits only), and some likely ones. */
const prefixes = [
  ...new Set([
    '',
    '0',
    '00',
    '1',
    '8',
    '9',
    '06',
    ...Object.values(metadata.countries).flatMap((c) => [c[5], c[7]].filter((p): p is string => typeof p === 'string' && /^\d+$/.test(p))),
  ]),
];
const lengths = [...new Set(Object.values(metadata.countries).flatMap((c) => (Array.isArray(c[3]) ? (c[3] as number[]) : [])))];

/** Every calling code with its countries' possible lengths and national prefixes (for parsing). */
const plans = callingCodes.map((code) => {
  const data = (metadata.country_calling_codes[code] ?? []).map((c) => metadata.countries[c]!);
  const own = data.flatMap((c) => (Array.isArray(c[3]) ? (c[3] as number[]) : []));
  const starts = data.flatMap((c) => [c[5], c[7]]).flatMap((p) => (typeof p === 'string' && /^\d+$/.test(p) ? [p] : []));
  return { code, lengths: own.length > 0 ? own : lengths, starts: ['', ...starts, ...prefixes] };
});

/**
 * `+<calling code><start><random digits>`, its national part at, or one off, a possible length of
 * that code's countries, and often starting with a national prefix or a trunk-like digit (where the
 * library strips digits or reverts its stripping: +375 8…, +55 90…).
 */
const adversarial = fc
  .tuple(fc.constantFrom(...plans), fc.nat(), fc.nat(), fc.integer({ min: -1, max: 1 }), digits(20, 20), fc.boolean())
  .map(([plan, i, j, off, tail, prefixed]) => {
    const length = plan.lengths[i % plan.lengths.length]! + (off === 0 || i % 3 !== 0 ? 0 : off);
    const start = prefixed ? plan.starts[j % plan.starts.length]! : '';
    return `+${plan.code}${(start + tail).slice(0, Math.max(1, length))}`;
  });
/** fast-check strings matching a regular expression of the metadata (null if fast-check cannot generate it). */
function matching(source: string, whole: boolean): fc.Arbitrary<string> | null {
  try {
    return fc.stringMatching(new RegExp(whole ? `^(?:${source})$` : `^(?:${source})$`)).filter((t) => /^\d*$/.test(t));
  } catch {
    return null;
  }
}

/**
 * Numbers built from each country's own regular expressions: a string its national number pattern
 * matches, half the time behind a string its national-prefix-for-parsing pattern matches (what the
 * library strips, or strips and then puts back).
 */
const fromPatterns = fc.oneof(
  ...Object.entries(metadata.countries).flatMap(([, data]) => {
    const code = data[0] as string;
    const valid = typeof data[2] === 'string' ? matching(data[2], true) : null;
    if (!valid) return [];
    const forParsing = data[7] || data[5];
    const prefix = typeof forParsing === 'string' && forParsing !== '' ? matching(forParsing, false) : null;
    const national = prefix
      ? fc.oneof(
          valid,
          fc.tuple(prefix, valid).map(([p, v]) => p + v),
        )
      : valid;
    return [national.map((n) => `+${code}${n}`)];
  }),
);

const random = fc.tuple(fc.constantFrom('+', '+0', '+1', '+3', '+4', '+7', '+8', '+9'), digits(0, 17)).map(([a, b]) => a + b);

function agrees(text: string): void {
  if (fast(text)) expect(library(text), text).toBe(text);
}

describe('E.164 fast path', () => {
  it('never calls a number valid that the library would refuse or rewrite (random numbers)', () => {
    fc.assert(
      fc.property(random, (text) => agrees(text)),
      { numRuns: 10_000 },
    );
  });

  it('never calls a number valid that the library would refuse or rewrite (adversarial numbers)', () => {
    let taken = 0;
    fc.assert(
      fc.property(adversarial, (text) => {
        if (fast(text)) taken++;
        agrees(text);
      }),
      { numRuns: 30_000 },
    );
    // The property is not vacuous: the fast path does take a good share of these.
    expect(taken).toBeGreaterThan(150);
  });

  it("never calls a number valid that the library would refuse or rewrite (numbers from the metadata's own patterns)", () => {
    let taken = 0;
    fc.assert(
      fc.property(fromPatterns, (text) => {
        if (fast(text)) taken++;
        agrees(text);
      }),
      { numRuns: 30_000 },
    );
    expect(taken).toBeGreaterThan(3_000);
  });

  it('agrees on every calling code with national-prefix and trunk-like starts', () => {
    for (const code of callingCodes)
      for (const prefix of prefixes)
        for (let n = 4; n <= 14; n++) {
          const text = `+${code}${(prefix + '612345678901234').slice(0, n)}`;
          agrees(text);
        }
  });

  it('takes the common numbers and leaves the shared or prefixed codes to the library', () => {
    expect(fast('+31612345678')).toBe(true);
    expect(fast('+4915123456789')).toBe(true);
    expect(fast('+33612345678')).toBe(true);
    // +1 and +44 are shared by several countries; +7 has 8 as national prefix: the library decides.
    expect(fast('+12025550123')).toBe(false);
    expect(fast('+447911123456')).toBe(false);
    // The library strips a written trunk 0 after +31: never "valid as written".
    expect(fast('+310612345678')).toBe(false);
    // Valid-looking as written, but the library strips a national prefix or carrier code (BY 8, BR 90).
    expect(library('+3758107328525')).toBe('+375107328525');
    expect(fast('+3758107328525')).toBe(false);
    expect(library('+559034953675')).toBe('+5534953675');
    expect(fast('+559034953675')).toBe(false);
    // Not E.164 as written.
    expect(fast('+31 612345678')).toBe(false);
    expect(fast('0031612345678')).toBe(false);
    expect(fast('+0312345678')).toBe(false);
  });

  it('leaves parseRecipient answering exactly as the library does', () => {
    fc.assert(
      fc.property(fc.oneof(random, adversarial), (text) => {
        const ours = parseRecipient(text);
        // chirp adds one rule of its own after the library: at most 15 digits (E.164).
        const theirs = library(text);
        expect(ours.ok ? ours.recipient.value : null, text).toBe(theirs !== null && /^\+[1-9]\d{6,14}$/.test(theirs) ? theirs : null);
      }),
      { numRuns: 10_000 },
    );
  });

  it('is off for metadata of another layout', () => {
    expect(e164FastPath({ ...metadata, version: 5 })).toBeUndefined();
    expect(e164FastPath(null)).toBeUndefined();
  });
});
