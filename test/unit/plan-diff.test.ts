// The plan's comparison, in-process: two catalog sides built from texts (the same listing rule and
// checks as a git revision), compared with the library. What a reviewer can trust: every distinct
// outcome is shown, nothing is cut in JSON, and where a message goes is part of the change.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareSides, diffValues, textSide, type PlanDiff, type Side } from '../../src/diff/index.js';
import { planJson, planMarkdown, planText } from '../../src/report/index.js';
import { exampleRows } from '../../src/index.js';
import type { Row } from '../../src/types.js';

const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH_A = '9b8c7d6e-0000-4000-8000-000000000002';
const CH_B = '9b8c7d6e-0000-4000-8000-0000000000bb';

interface SideSpec {
  files: Record<string, string>;
  channels?: Record<string, string>;
  workspace?: string;
}

function side(label: string, spec: SideSpec): Side {
  const entries = Object.keys(spec.files).map((rel) => ({ rel, link: false }));
  return textSide({
    label,
    entries,
    texts: new Map(Object.entries(spec.files)),
    channels: spec.channels ?? { whatsapp: CH_A, other: CH_B },
    workspace: spec.workspace ?? WS,
    display: (rel) => `${label}:messages/${rel}`,
  });
}

async function* rowsOf(rows: readonly Record<string, unknown>[]): AsyncGenerator<Row> {
  await Promise.resolve();
  let index = 0;
  for (const values of rows) yield { index: ++index, values: structuredClone(values) };
}

async function plan(base: SideSpec, head: SideSpec, rows?: readonly Record<string, unknown>[], reveal = true): Promise<PlanDiff> {
  return compareSides({
    base: side('main', base),
    head: side('working tree', head),
    baseRev: { ref: 'main', commit: 'a'.repeat(40), tip: 'a'.repeat(40), mergeBase: true },
    reveal,
    rows: (h, b) => ({
      rows: rows ? rowsOf(rows) : exampleRows(h?.checked.definition ?? b?.checked.definition ?? { examples: [] }),
      fromText: false,
      label: 'rows',
    }),
  });
}

function message(text: string, extra = '', examples = '  - { phone: "+31612345678", name: Ada, city: Delft }\n'): string {
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  vip: { type: string }
  city: { type: string }
${extra}body:
  type: text
  text:
    text: ${JSON.stringify(text)}
examples:
${examples}`;
}

describe('grouping by the rendered result (case 1)', () => {
  it('shows the text every recipient gets: the non-VIP branch is its own group, with its count', async () => {
    const rows = [
      { phone: '+31612345671', name: 'Ada', vip: 'yes' },
      { phone: '+31612345672', name: 'Bo' },
      { phone: '+31612345673', name: 'Cy' },
    ];
    const diff = await plan(
      { files: { 'offer.yaml': message('{{#if vip}}VIP: 50% off today{{else}}10% off today{{/if}}') } },
      { files: { 'offer.yaml': message('{{#if vip}}VIP: 60% off today{{else}}No discount for you, cheapskate{{/if}}') } },
      rows,
    );
    const m = diff.messages[0]!;
    expect(m.recipients).toBe(3);
    expect(m.groups.map((g) => [g.count, g.entries.map((e) => e.after)])).toEqual([
      [2, ['"No discount for you, cheapskate"']],
      [1, ['"VIP: 60% off today"']],
    ]);
    const text = planText(diff);
    expect(text).toContain('2 recipients: same change');
    expect(text).toContain('+ body.text.text: "No discount for you, cheapskate"');
    expect(planMarkdown(diff)).toContain('No discount for you, cheapskate');
  });

  it('keeps recipients together when their change differs only by their own values, and says which', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ phone: `+3161234${String(i).padStart(4, '0')}`, name: `Person${i}` }));
    const diff = await plan({ files: { 'n.yaml': message('Hi {{name}}') } }, { files: { 'n.yaml': message('Hello {{name}}') } }, rows);
    expect(diff.messages[0]!.groups).toHaveLength(1);
    expect(diff.messages[0]!.groups[0]).toMatchObject({ count: 50, personal: ['name'] });
  });

  it('property: the union of the groups covers every recipient’s actual change', async () => {
    const word = fc.constantFrom('hi', 'sale', 'today', 'off', 'no', 'deal', ' ', ', ', '\n');
    const variable = fc.constantFrom('{{name}}', '{{city}}', '{{upper name}}', '{{default vip "none"}}');
    const leaf = fc.oneof(word, variable);
    const branch = fc
      .tuple(fc.array(leaf, { maxLength: 3 }), fc.array(leaf, { maxLength: 3 }))
      .map(([a, b]) => `{{#if vip}}${a.join('')}{{else}}${b.join('')}{{/if}}`);
    const template = fc.array(fc.oneof(leaf, branch), { minLength: 1, maxLength: 6 }).map((parts) => `x${parts.join('')}`);
    const value = fc.stringMatching(/^[A-Z][A-Z0-9]{0,3}$/);
    const rows = fc
      .array(fc.record({ name: value, city: value, vip: fc.constantFrom(undefined, 'yes', 'Y2') }), { minLength: 1, maxLength: 12 })
      .map((rs) =>
        rs.map((r, i) => ({
          phone: `+3161234${String(i).padStart(4, '0')}`,
          name: r.name,
          city: r.city,
          ...(r.vip ? { vip: r.vip } : {}),
        })),
      );
    await fc.assert(
      fc.asyncProperty(template, template, rows, async (before, after, data) => {
        const diff = await plan({ files: { 'm.yaml': message(before) } }, { files: { 'm.yaml': message(after) } }, data);
        const m = diff.messages[0]!;
        const baseSide = side('main', { files: { 'm.yaml': message(before) } }).messages.get('m')!.compiled!;
        const headSide = side('head', { files: { 'm.yaml': message(after) } }).messages.get('m')!.compiled!;
        let changed = 0;
        for (const row of data) {
          const a = baseSide.renderRow(structuredClone(row), false);
          const b = headSide.renderRow(structuredClone(row), false);
          if (!a.ok || !b.ok) throw new Error('rows are valid');
          const { reference: _r1, ...old } = a.request;
          const { reference: _r2, ...neu } = b.request;
          const actual = JSON.stringify(diffValues(old, neu));
          if (actual === '[]') continue;
          changed++;
          // Some group's shown change, with the sample's own values swapped for this recipient's, is exactly it.
          const covered = m.groups.some((g) => {
            const sample = data[g.sample.row - 1]!;
            const own: [string, string][] = [
              ['(recipient)', g.sample.recipient],
              ...g.personal.map((p): [string, string] => [p, String((sample as Record<string, unknown>)[p])]),
            ];
            let shown = JSON.stringify(g.entries);
            own.sort((x, y) => y[1].length - x[1].length).forEach(([, v], i) => (shown = shown.replaceAll(v, `\uE000${i}\uE001`)));
            own
              .sort((x, y) => y[1].length - x[1].length)
              .forEach(
                ([p], i) =>
                  (shown = shown.replaceAll(
                    `\uE000${i}\uE001`,
                    p === '(recipient)' ? row.phone : String((row as Record<string, unknown>)[p]),
                  )),
              );
            return shown === actual;
          });
          expect(covered, `row ${row.phone}: ${actual}`).toBe(true);
        }
        expect(m.recipients).toBe(changed);
        expect(m.groups.reduce((s, g) => s + g.count, 0)).toBe(changed);
        expect(m.recipientsNotShown).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});

describe('nothing cut (case 2)', () => {
  const long = `Our spring sale has started and everything in the shop is 30% off until Sunday. ${'Come and see what is new. '.repeat(12)}The end.`;
  const image = (text: string) => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
body:
  type: image
  image:
    images:
      - mediaUrl: "https://shop.example.com/spring.jpg"
    text: ${JSON.stringify(text)}
examples:
  - { phone: "+31612345678" }
`;

  it('a body-type change carries the whole new text in JSON and in text', async () => {
    const diff = await plan({ files: { 's.yaml': message('Hi') } }, { files: { 's.yaml': image(long) } });
    expect(planJson(diff)).toContain(JSON.stringify(JSON.stringify(long)).slice(1, -1));
    expect(planText(diff)).toContain('The end.');
    expect(planMarkdown(diff)).toContain('The end.');
  });

  it('a new message shows its full first request; a huge value is bounded in text with the count left out, whole in JSON', async () => {
    // Within WhatsApp's 4,096 characters for a text, beyond the text plan's 4,000.
    const huge = `${'x'.repeat(4087)}END`;
    const diff = await plan({ files: {} }, { files: { 's.yaml': message(huge) } });
    const m = diff.messages[0]!;
    expect(m.status).toBe('added');
    expect(m.firstRequest?.request).toMatchObject({ body: { type: 'text', text: { text: huge } } });
    expect(planJson(diff)).toContain('END');
    const text = planText(diff);
    expect(text).toContain('first request (row 1):');
    expect(text).toContain('… 90 more characters');
    expect(text).not.toContain('END');
  });
});

describe('where it goes is part of the plan (case 3)', () => {
  const withFallback = (locale: string) =>
    message(
      'Hi {{name}}',
      `fallback:\n  template: { projectId: 3d5f2a10-0000-4000-8000-00000000c0de, version: latest, locale: ${locale}, parameters: [{ type: string, key: name, value: "{{name}}" }] }\n`,
    );

  it.each([
    [
      'a channel alias pointed at another id',
      { files: { 'n.yaml': message('Hi') } },
      { files: { 'n.yaml': message('Hi') }, channels: { whatsapp: CH_B } },
      'destination.channel',
    ],
    [
      "a message's channel",
      { files: { 'n.yaml': message('Hi') } },
      { files: { 'n.yaml': message('Hi').replace('channel: whatsapp', 'channel: other') } },
      'destination.channel',
    ],
    [
      'the workspace',
      { files: { 'n.yaml': message('Hi') } },
      { files: { 'n.yaml': message('Hi') }, workspace: 'ffffffff-0000-4000-8000-000000000001' },
      'destination.workspace',
    ],
    [
      'the fallback template',
      { files: { 'n.yaml': withFallback('en') } },
      { files: { 'n.yaml': withFallback('nl') } },
      'destination.fallbackTemplate.locale',
    ],
    [
      'the sender',
      { files: { 'n.yaml': message('Hi', 'sender: { connector: { identifierValue: news } }\n') } },
      { files: { 'n.yaml': message('Hi', 'sender: { connector: { identifierValue: offers } }\n') } },
      'destination.sender.connector.identifierValue',
    ],
  ])('%s is a change of every recipient, shown first and in bold', async (_name, base, head, path) => {
    const diff = await plan(base, head, undefined, false);
    const m = diff.messages[0]!;
    expect(m.status).toBe('changed');
    expect(m.recipients).toBe(1);
    expect(m.destination.map((e) => e.path)).toEqual([path]);
    const text = planText(diff);
    expect(text).toMatch(
      new RegExp(`WHERE IT GOES CHANGES[^\\n]*\\n\\s+\\*\\* where it goes changes[^\\n]*\\n\\s+\\*\\* - ${path.replaceAll('.', '\\.')}`),
    );
    expect(planMarkdown(diff)).toContain(`- **\` - ${path}`);
    expect((JSON.parse(planJson(diff)) as PlanDiff).messages[0]!.destination[0]!.path).toBe(path);
  });

  it('fallback parameters are compared like the body', async () => {
    const diff = await plan(
      { files: { 'n.yaml': withFallback('en') } },
      { files: { 'n.yaml': withFallback('en').replace('value: "{{name}}"', 'value: "Dear {{name}}"') } },
    );
    expect(diff.messages[0]!.status).toBe('changed');
    expect(JSON.stringify(diff.messages[0]!.groups[0]!.entries)).toContain('Dear Ada');
  });
});

describe('renames (case 7)', () => {
  it('a rename says that every recipient gets the message again', async () => {
    const diff = await plan({ files: { 'old.yaml': message('Hi') } }, { files: { 'new.yaml': message('Hi') } });
    expect(diff.messages.map((m) => [m.id, m.status, m.renamedFrom, m.resendsToAll])).toEqual([['new', 'renamed', 'old', true]]);
    expect(planText(diff)).toContain('the send journal does not follow renames, so every recipient (1) gets it again');
    expect(planMarkdown(diff)).toContain('does not follow renames');
  });
});
