import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CONTROL, controlProblem, hasControl, RenderFailure } from '../../src/render/helpers.js';

// The row's control-character check scans code units instead of running CONTROL on every value:
// it must answer exactly what the regular expression answers, and the error stays the regex's.
const near = fc.constantFrom(
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\n\r',
  '\u0000',
  '\u0008',
  '\u000b',
  '\u000c',
  '\u001f',
  '\u007f',
  '\u0080',
  ' ',
  'a',
  'é',
  '\u2028',
  '\ud83d\ude00',
  '\ud800',
);

describe('hasControl', () => {
  it('agrees with CONTROL on random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(hasControl(text)).toBe(CONTROL.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with CONTROL on text made of the edge characters (tab, line breaks, a lone CR at the end, DEL, C1)', () => {
    fc.assert(
      fc.property(fc.array(near, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(hasControl(text)).toBe(CONTROL.test(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves the message as it was: the character and its position', () => {
    expect(() => controlProblem('ab\r', 'name')).toThrow(RenderFailure);
    expect(() => controlProblem('ab\r', 'name')).toThrow(/U\+000D at position 3/);
    expect(() => controlProblem('a\r\nb\tc', 'name')).not.toThrow();
    expect(() => controlProblem('x\u007f', undefined)).toThrow(/a printed value contains the control character U\+007F at position 2/);
  });
});
