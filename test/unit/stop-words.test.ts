// Which replies ask to stop: the whole reply is a stop word (case, Unicode width, spaces and what is
// neither letter nor digit at its ends aside); a stop word inside a longer reply is a mention; part of a
// word is nothing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_STOP_WORDS, normaliseReply, stopWords, type StopWords } from '../../src/status/index.js';

function matcher(words: readonly string[] = DEFAULT_STOP_WORDS): StopWords {
  const m = stopWords(words);
  if ('error' in m) throw new Error(m.error);
  return m;
}

describe('stop words', () => {
  const m = matcher();
  it.each([
    ['STOP', 'stop', 'STOP'],
    ['stop', 'stop', 'STOP'],
    ['  Stop. ', 'stop', 'STOP'],
    ['stop!', 'stop', 'STOP'],
    ['"STOP"', 'stop', 'STOP'],
    ['🛑 STOP 🛑', 'stop', 'STOP'],
    ['ＳＴＯＰ', 'stop', 'STOP'], // full-width: NFKC
    ['S\u200bTOP', 'stop', 'STOP'], // a zero-width space nobody sees
    ['\u202eSTOP\u202c', 'stop', 'STOP'], // bidi controls
    ['Unsubscribe', 'stop', 'UNSUBSCRIBE'],
    ['unsubscribe!!!\n', 'stop', 'UNSUBSCRIBE'],
    ['STOP please', 'mention', 'STOP'],
    ['please unsubscribe me', 'mention', 'UNSUBSCRIBE'],
    ["don't stop", 'mention', 'STOP'],
    ['stop, stop', 'mention', 'STOP'],
    ['stop.stop', 'mention', 'STOP'],
  ])('%j is %s (%s)', (text, kind, word) => {
    expect(m.match(text)).toEqual({ kind, word });
  });

  it.each(['stopped', 'nonstop', 'STOPP', 'S T O P', 'st0p', 'thanks', '', '   ', '!!!', 'unsubscribed', 'stöp'])(
    '%j is no match',
    (text) => {
      expect(m.match(text)).toBeUndefined();
    },
  );

  it('uses the configured words only (they replace the default), multi-word ones with any spacing', () => {
    const nl = matcher(['STOP', 'Afmelden', 'opt out']);
    expect(nl.match('afmelden')).toEqual({ kind: 'stop', word: 'Afmelden' });
    expect(nl.match('Opt   OUT.')).toEqual({ kind: 'stop', word: 'opt out' });
    expect(nl.match('please opt out')).toEqual({ kind: 'mention', word: 'opt out' });
    expect(nl.match('UNSUBSCRIBE')).toBeUndefined();
    expect(stopWords(['STOP', '!!!'])).toEqual({ error: 'stop word "!!!" has no letter or digit' });
  });

  it('property: a stop word in any case, wrapped in any non-letter, non-digit characters, is a stop request', () => {
    const edge = fc
      .array(fc.constantFrom(' ', '.', ',', '!', '?', '¡', '"', "'", '(', '*', '~', '🛑', '✋', '-', '\n'), { maxLength: 6 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(
        fc.constantFrom(...DEFAULT_STOP_WORDS),
        fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }),
        edge,
        edge,
        (word, upper, a, b) => {
          const cased = [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join('');
          expect(m.match(`${a}${cased}${b}`)).toEqual({ kind: 'stop', word });
        },
      ),
    );
  });

  it('property: a stop word glued to letters or digits is never a stop request nor a mention', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEFAULT_STOP_WORDS), fc.stringMatching(/^[a-z0-9]{1,5}$/), fc.boolean(), (word, glue, before) => {
        const text = before ? `${glue}${word}` : `${word}${glue}`;
        expect(m.match(text)).toBeUndefined();
      }),
    );
  });

  it('property: normalising is idempotent, and a normalised reply has no edge that is not a letter or digit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const once = normaliseReply(text);
        expect(normaliseReply(once)).toBe(once);
        if (once !== '') expect(/^[\p{L}\p{N}]/u.test(once) && /[\p{L}\p{N}]$/u.test(once)).toBe(true);
      }),
    );
  });
});
