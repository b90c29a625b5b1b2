// The plan's shortcuts (#22) against the plain ways they replace: the grouping key found with indexOf
// instead of replaceAll, a message's `consent` found without checking files that provably have none
// (and once for a file the same on both sides), and rows rendered only to be compared (no JSON, no
// chirp reference). Each must give exactly what the plain way gives: a plan shows everything it
// cannot rule out.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { compareSides, consentDiff, textSide, type PlanDiff, type Side, type SideMessage } from '../../src/diff/index.js';
import { mayHaveConsent, type TextFacts } from '../../src/diff/sides.js';
import { personalKey, Placeholders, MIN_PERSONAL } from '../../src/diff/grouping.js';
import { planJson, planText } from '../../src/report/index.js';
import { exampleRows } from '../../src/index.js';
import type { Row } from '../../src/types.js';

const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH = '9b8c7d6e-0000-4000-8000-000000000002';

/** The grouping key as it was made before #22: each identifier's JSON text replaced in turn. */
function plainKey(jsons: readonly string[], identifiers: readonly [string, string][], placeholders: Placeholders) {
  const joined = jsons.join('\u0001');
  const PRIVATE = /[\uE000-\uE8FF]/;
  const usable = identifiers.filter(([, v]) => v.length >= MIN_PERSONAL && !PRIVATE.test(v));
  if (PRIVATE.test(joined) || placeholders.full) return { key: `R${joined}`, personal: [] };
  let key = `T${joined}`;
  const personal: string[] = [];
  for (const [name, value] of [...usable].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
    const encoded = JSON.stringify(value).slice(1, -1);
    if (!key.includes(encoded)) continue;
    key = key.replaceAll(encoded, placeholders.token(name));
    personal.push(name);
  }
  return { key, personal: personal.sort() };
}

describe('the grouping key', () => {
  // A tiny alphabet makes values overlap each other and themselves ("aa" in "aaa", "ab" across "ba").
  const bit = fc.constantFrom('a', 'b', 'T', '"', '\\', '\u0001', 'é');
  const value = fc.array(bit, { minLength: 0, maxLength: 4 }).map((cs) => cs.join(''));
  const rowArb = fc.record({
    jsons: fc.array(
      fc.array(bit, { maxLength: 30 }).map((cs) => cs.join('')),
      { minLength: 2, maxLength: 2 },
    ),
    identifiers: fc.uniqueArray(fc.tuple(fc.constantFrom('name', 'city', 'code', '(recipient)', '(old recipient)', 'x.y'), value), {
      selector: ([n]) => n,
      maxLength: 6,
    }),
  });

  it('is the key of replacing each identifier in turn, with the same placeholders, over many rows of one message', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 8 }), (rows) => {
        const [fast, plain] = [new Placeholders(), new Placeholders()];
        for (const r of rows) expect(personalKey(r.jsons, r.identifiers, fast)).toEqual(plainKey(r.jsons, r.identifiers, plain));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds an identifier inside the text of a longer one that took another part', () => {
    const ids: [string, string][] = [
      ['name', 'abab'],
      ['code', 'ba'],
    ];
    const jsons = ['"ababa"', '"baab"'];
    expect(personalKey(jsons, ids, new Placeholders())).toEqual(plainKey(jsons, ids, new Placeholders()));
  });
});

describe("a message's consent", () => {
  // Every way found to write the key `consent` in YAML, with and without the literal word.
  const spellings = [
    'consent: optin\n',
    '"consent": optin\n',
    "'consent': optin\n",
    '"\\x63onsent": optin\n',
    '"\\u0063onsent": optin\n',
    '? !!binary Y29uc2VudA==\n: optin\n',
    '? !<tag:yaml.org,2002:binary> Y29uc2VudA==\n: optin\n',
    '? consent\n: optin\n',
    '? |-\n  consent\n: optin\n',
    'x: &k consent\n*k : optin\n',
    '{ consent: optin }\n',
  ];

  it('is found by the text test wherever the parsed file has it', () => {
    for (const text of spellings) {
      const value = parseDocument(text).toJS() as Record<string, unknown>;
      expect(typeof value.consent === 'string' || Object.keys(value).includes('consent'), text).toBe(true);
      expect(mayHaveConsent(text), text).toBe(true);
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        let value: unknown;
        try {
          value = parseDocument(s, { logLevel: 'silent' }).toJS({ maxAliasCount: 50 });
        } catch {
          return;
        }
        const has = value !== null && typeof value === 'object' && Object.hasOwn(value, 'consent');
        if (has) expect(mayHaveConsent(s)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  const body = 'channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  optin: { type: string }\n';
  const texts = [
    `${body}body: { type: text, text: { text: "Hi!" } }\n`,
    `${body}body: { type: text, text: { text: "Hello" } }\n`,
    `${body}consent: optin\nbody: { type: text, text: { text: "Hi" } }\n`,
    `${body}"\\x63onsent": optin\nbody: { type: text, text: { text: "Hi" } }\n`,
    `${body}? !!binary Y29uc2VudA==\n: optin\nbody: { type: text, text: { text: "Hi" } }\n`,
    `${body}consent: optin\n`, // no body: checked, no definition
    `${body}consent: 3\nbody: { type: text, text: { text: "Hi" } }\n`, // not a string: refused
    'consent: [\n', // not YAML
    `${body}body: { type: text, text: { text: "consent is asked" } }\n`,
  ];
  const withExamples = (t: string): string =>
    `${t}examples:\n  - { phone: "+31612345678", optin: "yes" }\n  - { phone: "+31612345679", optin: "no" }\n`;

  function sideOf(label: string, files: Record<string, string>, facts?: TextFacts): Side {
    return textSide({
      label,
      entries: Object.keys(files).map((rel) => ({ rel, link: false })),
      texts: new Map(Object.entries(files)),
      channels: { whatsapp: CH },
      workspace: WS,
      display: (rel) => `${label}:messages/${rel}`,
      ...(facts ? { facts } : {}),
    });
  }

  async function planOf(base: Record<string, string>, head: Record<string, string>, facts?: TextFacts, lists = false) {
    const [b, h] = [sideOf('main', base, facts), sideOf('working tree', head, facts)];
    const rows = (x: SideMessage | undefined, y: SideMessage | undefined) => ({
      rows: exampleRows(x?.checked.definition ?? y?.checked.definition ?? { examples: [] }) as AsyncIterable<Row>,
      fromText: false,
      label: 'rows',
    });
    // The consent diff asks every message first, as plan.ts does after the comparison.
    const consentFirst = await consentDiff(
      h,
      b,
      {
        keys: new Set(lists ? ['+31612345678'] : []),
        has: () => (key) => lists && key === '+31612345678',
        lists: lists ? [{ file: 'a.txt', sha256: 'x' }] : [],
      },
      { keys: new Set(), has: () => () => false, lists: [] },
      rows,
    );
    const diff: PlanDiff = await compareSides({
      base: b,
      head: h,
      baseRev: { ref: 'main', commit: 'a'.repeat(40) },
      reveal: true,
      rows,
    });
    if (consentFirst) diff.consent = consentFirst;
    return { json: planJson(diff), text: planText(diff, { color: false }) };
  }

  it('is what the check says, and a plan with the text test and shared facts is the plain plan', async () => {
    const side = fc.dictionary(
      fc.constantFrom('a.yaml', 'b.yaml', 'c.yaml', 'd.yaml'),
      fc.nat(texts.length - 1).map((i) => withExamples(texts[i]!)),
    );
    await fc.assert(
      fc.asyncProperty(side, side, fc.boolean(), async (base, head, lists) => {
        const facts: TextFacts = new Map();
        const sides = [sideOf('main', base, facts), sideOf('working tree', head, facts)];
        expect(sides.map((s) => s.messages.size)).toEqual([base, head].map((x) => Object.keys(x).length));
        for (const s of sides)
          for (const m of s.messages.values()) {
            const fast = m.consent;
            expect(fast).toBe(m.checked.definition?.consent);
          }
        expect(await planOf(base, head, new Map(), lists)).toEqual(await planOf(base, head, undefined, lists));
      }),
      { numRuns: 60 },
    );
  });

  it('parses a file the same on both sides once, and never one that cannot hold it', () => {
    const facts: TextFacts = new Map();
    const same = withExamples(texts[0]!.replace('Hi!', 'Hi'));
    const marked = withExamples(texts[0]!);
    const [b, h] = [
      sideOf('main', { 'a.yaml': same, 'b.yaml': marked }, facts),
      sideOf('working tree', { 'a.yaml': same, 'b.yaml': marked }, facts),
    ];
    expect([...b.messages.keys(), ...h.messages.keys()]).toEqual(['a', 'b', 'a', 'b']);
    for (const s of [b, h]) for (const m of s.messages.values()) expect(m.consent).toBeUndefined();
    // `same` has no `consent`, `!` nor backslash: never parsed; `marked` has a `!`: parsed once for both sides.
    expect([...facts]).toEqual([[marked, false]]);
  });
});

describe('a row rendered only to be compared', () => {
  const message = (extra: string): string =>
    `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  name: { type: string, minLength: 1 }\n  count: { type: integer }\n` +
    `body: { type: text, text: { text: "Hi {{name}}, {{count}} new" } }\n${extra}`;
  const compiled = (extra: string) =>
    textSide({
      label: 'x',
      entries: [{ rel: 'm.yaml', link: false }],
      texts: new Map([['m.yaml', message(extra)]]),
      channels: { whatsapp: CH },
      workspace: WS,
      display: (rel) => rel,
    }).messages.get('m')!.compiled!;

  it('renders, refuses and coerces as the full render does, without the JSON and chirp reference', () => {
    const messages = [compiled(''), compiled('reference: "r-{{name}}"\n')];
    const row = fc.record(
      {
        phone: fc.constantFrom('+31612345678', '0612345678', 'not a number', ''),
        name: fc.constantFrom('Ada', '', ' '),
        count: fc.constantFrom<unknown>(1, '2', 'x', 2.5),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.nat(1), row, fc.boolean(), (i, values, fromText) => {
        const m = messages[i]!;
        const [full, bare] = [
          m.renderRow(structuredClone(values), fromText),
          m.renderRow(structuredClone(values), fromText, { requestOnly: true }),
        ];
        expect(bare.ok).toBe(full.ok);
        if (!full.ok || !bare.ok) return void expect(bare).toEqual(full);
        const { reference, ...rest } = full.request;
        expect(bare.recipient).toBe(full.recipient);
        // The message's own reference is part of its request; chirp's own is left out.
        if (i === 1) expect(bare.request).toEqual(full.request);
        else expect([bare.request, typeof reference]).toEqual([rest, 'string']);
        expect([bare.json, bare.locale, bare.alias]).toEqual(['', full.locale, full.alias]);
      }),
      { numRuns: 300 },
    );
  });
});
