// The keys a send looks a row up under: this chirp's (E.164, copies per person) and an earlier chirp's
// (a receiver as written, copies per spelling), and which of two states holds a recipient back.
import { describe, expect, it } from 'vitest';
import { CopyKeys, firstCopyKeys, recipientKey } from '../../src/send/keys.js';
import { decide, stronger } from '../../src/send/decisions.js';
import type { RecipientState } from '../../src/journal/index.js';

const N = '+31612345678';

describe('CopyKeys', () => {
  it('without --allow-duplicates: a receiver written otherwise is also looked up as written', () => {
    const keys = new CopyKeys('m', false);
    expect(keys.keys(N, undefined)).toEqual({ key: recipientKey('m', N, 1) });
    expect(keys.keys(N, '06 12345678')).toEqual({ key: recipientKey('m', N, 1), earlier: [recipientKey('m', '06 12345678', 1)] });
  });

  it('with --allow-duplicates: copies are counted per person now and per spelling before', () => {
    const keys = new CopyKeys('m', true);
    expect(keys.keys(N, '06 12345678')).toEqual({ key: recipientKey('m', N, 1), earlier: [recipientKey('m', '06 12345678', 1)] });
    // The earlier chirp: copy 1 of "+31612345678".
    expect(keys.keys(N, undefined)).toEqual({ key: recipientKey('m', N, 2), earlier: [recipientKey('m', N, 1)] });
    expect(keys.keys(N, '06 12345678')).toEqual({ key: recipientKey('m', N, 3), earlier: [recipientKey('m', '06 12345678', 2)] });
    expect(keys.keys(N, undefined)).toEqual({ key: recipientKey('m', N, 4), earlier: [recipientKey('m', N, 2)] });
  });
});

describe('CopyKeys and firstCopyKeys for e-mail addresses', () => {
  const A = 'ada@x.com';

  it('an address with capitals: keyed case-folded, looked up as the chirp before sent it (and a receiver as written)', () => {
    const keys = new CopyKeys('m', false);
    // `to: Ada@x.com`: the alias is the address as sent.
    expect(keys.keys(A, 'Ada@x.com')).toEqual({ key: recipientKey('m', A, 1), earlier: [recipientKey('m', 'Ada@x.com', 1)] });
    // A receiver written `Ada@X.COM`: the chirp two back keyed it as written, the last one as sent.
    expect(keys.keys(A, 'Ada@X.COM')).toEqual({
      key: recipientKey('m', A, 1),
      earlier: [recipientKey('m', 'Ada@X.COM', 1), recipientKey('m', 'Ada@x.com', 1)],
    });
    expect(firstCopyKeys('m', A, 'Ada@X.COM')).toEqual([
      recipientKey('m', A, 1),
      recipientKey('m', 'Ada@X.COM', 1),
      recipientKey('m', 'Ada@x.com', 1),
    ]);
    // A receiver written `ada@X.COM`: sent `ada@x.com`, which is the recipient.
    expect(keys.keys(A, 'ada@X.COM')).toEqual({ key: recipientKey('m', A, 1), earlier: [recipientKey('m', 'ada@X.COM', 1)] });
    expect(keys.keys(A, undefined)).toEqual({ key: recipientKey('m', A, 1) });
    expect(firstCopyKeys('m', A, undefined)).toEqual([recipientKey('m', A, 1)]);
  });

  it('with --allow-duplicates: copies of one address in any case are counted together now, per spelling before', () => {
    const keys = new CopyKeys('m', true);
    expect(keys.keys(A, 'Ada@x.com')).toEqual({ key: recipientKey('m', A, 1), earlier: [recipientKey('m', 'Ada@x.com', 1)] });
    // The chirp before: copy 1 of "ada@x.com".
    expect(keys.keys(A, undefined)).toEqual({ key: recipientKey('m', A, 2), earlier: [recipientKey('m', A, 1)] });
    expect(keys.keys(A, 'Ada@x.com')).toEqual({ key: recipientKey('m', A, 3), earlier: [recipientKey('m', 'Ada@x.com', 2)] });
  });
});

const state = (status: RecipientState['status']): RecipientState => ({
  status,
  at: '',
  runId: 'r',
  b: 0,
  id: undefined,
  code: undefined,
  message: undefined,
  via: undefined,
  hash: undefined,
});

describe('stronger', () => {
  it('failed under one key and reached (or maybe reached) under the other is never sent again', () => {
    for (const held of ['accepted', 'unknown', 'pending'] as const) {
      for (const [a, b] of [
        [state('failed'), state(held)],
        [state(held), state('failed')],
        [state('resendable'), state(held)],
        [undefined, state(held)],
      ]) {
        expect(decide(stronger(a, b), false)).not.toBe('send');
      }
    }
    expect(stronger(undefined, undefined)).toBeUndefined();
  });
});
