// E-mail addresses: a spelling that hides another address (an invisible character, a scheme, a trailing
// dot) is refused with the reason, never sent to as a "new" person past the suppression list and the
// duplicate check, and never quietly rewritten into the address it hides.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRecipient, suppressionKey } from '../../src/util/recipient.js';

const refused = (raw: string) => {
  const result = parseRecipient(raw);
  return result.ok ? `accepted as ${result.recipient.value}` : result.reason;
};

describe('e-mail addresses that hide another one', () => {
  it.each([
    ['ada\u200b@x.com', /invisible|U\+200B/],
    ['ada@x.com\u200b', /invisible|U\+200B/],
    ['ada@x.com\u00ad', /invisible|U\+00AD/],
    ['\u200eada@x.com', /invisible|U\+200E/],
    ['ada@x\u2060.com', /invisible|U\+2060/],
    ['ada@x.com\u202e', /invisible|U\+202E/],
    ['ada@x.com\u0007', /invisible|U\+0007/],
    ['ada\u3164@x.com', /invisible|U\+3164/],
    ['ada@x.com\ufe0f', /invisible|U\+FE0F/],
    ['mailto:ada@x.com', /mailto:/],
    ['MAILTO:ada@x.com', /MAILTO:/],
    ['ada@x.com.', /dot/],
    ['ada@x..com', /dot/],
    ['.ada@x.com', /dot/],
    ['ada.@x.com', /dot/],
    ['ad..a@x.com', /dot/],
    ['ada@x.com,bo@x.com', /e-mail address/],
    ['ada@x.com;bo@x.com', /e-mail address/],
    ['<ada@x.com>', /e-mail address/],
    ['Ada <ada@x.com>', /e-mail address|space/],
    ['ada@@x.com', /e-mail address/],
    ['ada@bo@x.com', /e-mail address/],
    ['"ada"@x.com', /e-mail address/],
    ['ada@[127.0.0.1]', /e-mail address/],
    ['ada@127.0.0.1', /e-mail address/],
    ['ada@-x.com', /e-mail address/],
    ['ada@x-.com', /e-mail address/],
    ['ada@x', /e-mail address/],
    ['ada@x.c_m', /e-mail address/],
    ['ada@x.com?subject=hi', /e-mail address/],
    ['ada@x.com/', /e-mail address/],
    ['\uff41da@x.com', /form|fullwidth|compatib/], // fullwidth a
    ['jose\u0301@x.com', /form|compos/], // e + combining acute: another spelling of josé
    [`${'a'.repeat(65)}@x.com`, /long/],
    [`ada@${'x'.repeat(64)}.com`, /long/],
    [`ada@${'xxxxxxxxx.'.repeat(25)}com`, /long/],
  ])('%j is refused (%s)', (raw, why) => {
    expect(refused(raw)).toMatch(why);
    const result = parseRecipient(raw);
    expect(!result.ok && result.code).toBeFalsy();
    // A suppression list entry in such a spelling is refused too, not stored as a key nothing matches.
    expect(suppressionKey(raw).ok).toBe(false);
  });

  it.each([
    ['ada@x.com', 'ada@x.com'],
    ['Ada.Lovelace@Example.COM', 'Ada.Lovelace@example.com'],
    ['  ada@x.com  ', 'ada@x.com'],
    ['ada+news@x.co.uk', 'ada+news@x.co.uk'],
    ["o'brien@x.ie", "o'brien@x.ie"],
    ['a_b-c!#$%&*/=?^`{|}~@x-y.com', 'a_b-c!#$%&*/=?^`{|}~@x-y.com'],
    ['josé@exämple.de', 'josé@exämple.de'],
    ['用户@例子.广告', '用户@例子.广告'],
    ['ada@xn--exmple-cua.de', 'ada@xn--exmple-cua.de'],
    ['ada@1x.io', 'ada@1x.io'],
  ])('%j is an address (%s)', (raw, value) => {
    expect(parseRecipient(raw)).toEqual({ ok: true, recipient: { kind: 'email', value } });
  });

  it('property: an accepted address has no invisible, control or space character and is in normal form', () => {
    const noise = fc.constantFrom(
      '',
      '\u200b',
      '\u200c',
      '\u200d',
      '\u200e',
      '\u2060',
      '\u00ad',
      '\ufeff',
      '\u202e',
      '\u0000',
      '\u3000',
      ' ',
      '.',
    );
    fc.assert(
      fc.property(
        noise,
        noise,
        noise,
        fc.constantFrom('ada', 'a.b', 'x+y'),
        fc.constantFrom('x.com', 'mail.x.org'),
        (a, b, c, local, domain) => {
          const result = parseRecipient(`${local}${a}@${b}${domain}${c}`);
          if (!result.ok) return;
          // Whatever was accepted is exactly the plain address (trim may drop outer spaces and a BOM).
          expect(result.recipient.value).toBe(`${local}@${domain}`);
        },
      ),
      { numRuns: 3_000 },
    );
  });
});
