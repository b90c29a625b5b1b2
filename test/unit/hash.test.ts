// References and journal keys are persisted: the one-shot hashing must give exactly the bytes the
// Hash-object path gave, so journals written by earlier versions are still honoured on resume.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256Hex, shortKey } from '../../src/util/index.js';
import { referenceFor } from '../../src/render/compile.js';

describe('hashes stay what they were', () => {
  it('sha256Hex and shortKey equal the createHash digests (any text)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
        expect(shortKey(text)).toBe(createHash('sha256').update(text).digest('base64url').slice(0, 22));
      }),
      { numRuns: 2000 },
    );
  });

  it('a reference is the one earlier versions wrote (pinned)', () => {
    // chirp:<message id>:<first 20 hex of sha256(id NUL recipient NUL request JSON)>
    expect(referenceFor('releases/notice', '+31612345678', '{"a":1}')).toBe(
      `chirp:releases/notice:${createHash('sha256').update('releases/notice\0+31612345678\0{"a":1}').digest('hex').slice(0, 20)}`,
    );
    expect(referenceFor('releases/notice', '+31612345678', '{"a":1}')).toBe('chirp:releases/notice:e60372713811ee05ae4e');
  });
});
