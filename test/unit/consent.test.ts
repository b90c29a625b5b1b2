// Consent: suppression lists read fail-closed and matched in every spelling; opt-in values; the set.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOptIn, loadSuppression, NationalEntries, SuppressionSet } from '../../src/consent/index.js';
import { parseRecipient, suppressionKey } from '../../src/util/index.js';
import { UserError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';

function listDir(files: Record<string, string | Buffer>): string {
  const root = tempDir('chirp-consent-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

function thrown(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

// Every way a person writes +31 6 12345678 that `to` accepts (with defaultCountry NL).
const SPELLINGS = [
  '+31612345678',
  '+31 6 12345678',
  '+31 6 1234 5678',
  '+31-6-1234-5678',
  '+31 (6) 1234 5678',
  '0031612345678',
  '0031 6 12 34 56 78',
  '06 1234 5678',
  '0612345678',
  '06-12345678',
  '(06) 12345678',
  '06.12.34.56.78',
  ' 06 1234 5678 ',
  '+310612345678',
  '+31\u00a06\u00a012345678',
];

describe('suppressionKey: the normaliser of `to`, e-mail case-folded', () => {
  it('gives the E.164 number `to` gives, for every spelling', () => {
    for (const spelling of SPELLINGS) {
      const to = parseRecipient(spelling, 'NL');
      expect(to.ok && to.recipient.value, spelling).toBe('+31612345678');
      const key = suppressionKey(spelling, 'NL');
      expect(key.ok && key.recipient.value, spelling).toBe('+31612345678');
    }
  });

  it('the +digits fast path agrees with the full parse on every number the parse accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (number) => {
        const full = parseRecipient(number);
        const key = suppressionKey(number);
        expect(key.ok).toBe(true);
        if (full.ok && key.ok) expect(key.recipient.value).toBe(full.recipient.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('a national prefix after the country code goes through the parse', () => {
    for (const [written, e164] of [
      ['+310612345678', '+31612345678'],
      ['+4407911123456', '+447911123456'],
      ['+4901701234567', '+491701234567'],
    ] as const) {
      const key = suppressionKey(written);
      expect(key.ok && key.recipient.value).toBe(e164);
    }
  });

  it('case-folds e-mail addresses whole', () => {
    const key = suppressionKey('  Ada.Lovelace@Example.COM ');
    expect(key.ok && key.recipient.value).toBe('ada.lovelace@example.com');
  });
});

describe('loadSuppression', () => {
  it('reads text, CSV and NDJSON lists; any spelling of a listed number is suppressed', async () => {
    const root = listDir({
      'optouts.txt': '# opt-outs\n06 1234 5678   # 2026-12-01 STOP\n\n+44 7911 123456\n',
      'crm.csv': 'name,phone,email\nAda,,ADA@example.com\nBob,0031 6 2000 0001,\n',
      'desk.ndjson': '{"receiver":"+31 6 2000 0002","reason":"support desk"}\n\n{"email":"grace@Example.org"}\n',
    });
    const loaded = await loadSuppression({ root, files: ['optouts.txt', 'crm.csv', 'desk.ndjson'] });
    const s = { lists: loaded.lists, has: loaded.forCountry('NL') };
    expect(s.lists.map((l) => [l.file, l.entries])).toEqual([
      ['optouts.txt', 2],
      ['crm.csv', 2],
      ['desk.ndjson', 2],
    ]);
    expect(s.lists[0]!.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const spelling of SPELLINGS) {
      const to = parseRecipient(spelling, 'NL');
      expect(to.ok && s.has(to.recipient.value), spelling).toBe(true);
      // As written in a `receiver:` (not normalised by `to`).
      expect(s.has(spelling, false), spelling).toBe(true);
    }
    expect(s.has('+447911123456')).toBe(true);
    expect(s.has('+31620000001')).toBe(true);
    expect(s.has('+31620000002')).toBe(true);
    expect(s.has('ada@example.com')).toBe(true);
    expect(s.has('Ada@example.com')).toBe(true);
    expect(s.has('grace@example.org')).toBe(true);
    // Neighbours are not suppressed.
    expect(s.has('+31612345679')).toBe(false);
    expect(s.has('+3161234567')).toBe(false);
    expect(s.has('bob@example.com')).toBe(false);
  });

  it('no lists: nobody is suppressed; an empty list is an empty list', async () => {
    const root = listDir({ 'empty.txt': '' });
    expect((await loadSuppression({ root, files: [] })).forCountry(undefined)('+31612345678')).toBe(false);
    const empty = await loadSuppression({ root, files: ['empty.txt'] });
    expect(empty.lists).toHaveLength(1);
    expect(empty.forCountry(undefined)('+31612345678')).toBe(false);
  });

  it('fails closed: a missing list, an unreadable line, a row without a receiver, bad UTF-8 each stop with file:line', async () => {
    const root = listDir({
      'bad.txt': '+31612345678\n\nnot a number\n',
      'national.txt': '0612345678\n',
      'nocol.csv': 'name,number\nAda,+31612345678\n',
      'blank.csv': 'phone,email\n+31612345678,\n,\n',
      'broken.ndjson': '{"receiver":"+31612345678"}\n{"receiver": \n',
      'latin1.txt': Buffer.from([0x2b, 0x33, 0x31, 0x0a, 0xe9, 0x0a]),
    });
    const load = (file: string) => loadSuppression({ root, files: [file] });
    const missing = await failure(load('gone.txt'));
    expect(missing.code).toBe('E_SUPPRESS_LIST');
    expect(missing.message).toMatch(/^gone\.txt: .*does not exist/);
    const bad = await failure(load('bad.txt'));
    expect(bad.code).toBe('E_SUPPRESS_LIST');
    expect(bad.message).toMatch(/^bad\.txt:3: "not a number"/);
    // A national number without a country to read it in is not guessed: the check for such a message stops.
    const national = await load('national.txt');
    const guess = thrown(() => national.forCountry(undefined, 'message m'));
    expect(guess.code).toBe('E_SUPPRESS_LIST');
    expect(guess.message).toMatch(
      /^national\.txt:1: "0612345678" has no country code, and message m has no defaultCountry.*\+<country code>/,
    );
    expect(national.forCountry('NL')('+31612345678')).toBe(true);
    expect((await failure(load('nocol.csv'))).message).toMatch(/^nocol\.csv:2: no receiver/);
    expect((await failure(load('blank.csv'))).message).toMatch(/^blank\.csv:3: no receiver/);
    const ndjson = await failure(load('broken.ndjson'));
    expect(ndjson.code).toBe('E_SUPPRESS_LIST');
    expect(ndjson.message).toMatch(/broken\.ndjson/);
    expect((await failure(load('latin1.txt'))).message).toMatch(/UTF-8/);
  });
});

describe('numbers without a country code on a list', () => {
  it('are read in the country each check asks for, once per country; one unreadable there fails that country only', async () => {
    const root = listDir({ 'optouts.txt': '+31612345670\n0475 12 34 56\n06 1234 5678  # Dutch mobile; no number in BE\n' });
    const s = await loadSuppression({ root, files: ['optouts.txt'] });
    expect(s.lists[0]!.entries).toBe(3);
    const nl = s.forCountry('NL');
    expect(nl('+31475123456')).toBe(true);
    expect(nl('+32475123456')).toBe(false);
    expect(nl('+31612345678')).toBe(true);
    expect(nl('+31612345670')).toBe(true);
    // As written in a `receiver:` identifier: read in the check's country too.
    expect(nl('0475 12 34 56', false)).toBe(true);
    const be = thrown(() => s.forCountry('BE', 'message be'));
    expect(be.code).toBe('E_SUPPRESS_LIST');
    expect(be.message).toMatch(/^optouts\.txt:3: "06 1234 5678" is not a valid number for BE .*BE is the defaultCountry of message be/);
    // The same error again, not a second read (and never a check that lets the entry go).
    expect(thrown(() => s.forCountry('BE'))).toBe(be);
  });

  it('a country is read once: the same set serves every later check', () => {
    const entries = new NationalEntries();
    entries.add('0475 12 34 56', 'a.txt', 1);
    entries.add('0475 12 34 56', 'a.txt', 9);
    expect(entries.size).toBe(2);
    const be = entries.keysIn('BE');
    expect(entries.keysIn('BE')).toBe(be);
    expect(be.has('+32475123456')).toBe(true);
    expect(be.has('+31475123456')).toBe(false);
    expect(entries.keysIn('NL').has('+31475123456')).toBe(true);
    expect(() => entries.keysIn(undefined)).toThrow(/^a\.txt:1: "0475 12 34 56" has no country code/);
  });
});

describe('SuppressionSet', () => {
  it('is exact: membership equals a Set of the same keys (no false positives, no false negatives)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.oneof(fc.stringMatching(/^\+[1-9]\d{6,14}$/), fc.emailAddress(), fc.string({ maxLength: 12 })), {
          maxLength: 300,
        }),
        fc.array(fc.oneof(fc.stringMatching(/^\+[1-9]\d{6,14}$/), fc.string({ maxLength: 12 })), { maxLength: 300 }),
        (keys, probes) => {
          const set = new SuppressionSet();
          const reference = new Set<string>();
          for (const k of keys) expect(set.add(k)).toBe(!reference.has(k) && reference.add(k) !== undefined);
          expect(set.size).toBe(reference.size);
          for (const k of [...keys, ...probes]) expect(set.has(k)).toBe(reference.has(k));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a repeated key is stored once; non-ASCII keys are kept too', () => {
    const set = new SuppressionSet();
    expect(set.add('+31612345678')).toBe(true);
    expect(set.add('+31612345678')).toBe(false);
    expect(set.add('zoë@example.com')).toBe(true);
    expect(set.has('zoë@example.com')).toBe(true);
    expect(set.has('zoe@example.com')).toBe(false);
    expect(set.size).toBe(2);
  });
});

describe('opt-in values', () => {
  it('only a yes counts; anything else (no, empty, a typo, absent) is no consent', () => {
    for (const yes of [true, 1, 'yes', 'YES', ' y ', 'true', '1', 'optin', 'opt-in', 'opted-in', '2026-01-31', '2026-01-31T10:00:00Z'])
      expect(isOptIn(yes), String(yes)).toBe(true);
    for (const no of [false, 0, 2, 'no', 'n', 'false', '0', '', ' ', 'optout', 'yse', 'maybe', '2026-13-45', null, undefined, {}, []])
      expect(isOptIn(no), JSON.stringify(no)).toBe(false);
  });
});
