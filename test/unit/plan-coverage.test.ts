// Coverage and the definition layer of `plan --base`, in-process. The plan fails closed: a change to
// what a message can send is a change whatever the rows reach, and a changed branch that no row takes
// is named. Properties: random templates with random edits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareSides, hasChanges, textSide, type PlanDiff, type Side } from '../../src/diff/index.js';
import { createTemplateEnv, recordBranches, templateBranches } from '../../src/render/index.js';
import { exampleRows } from '../../src/index.js';
import type { Row } from '../../src/types.js';

const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH = '9b8c7d6e-0000-4000-8000-000000000002';

function side(label: string, files: Record<string, string>): Side {
  return textSide({
    label,
    entries: Object.keys(files).map((rel) => ({ rel, link: false })),
    texts: new Map(Object.entries(files)),
    channels: { whatsapp: CH },
    workspace: WS,
    display: (rel) => (label === 'working tree' ? `messages/${rel}` : `${label}:messages/${rel}`),
  });
}

async function* rowsOf(rows: readonly Record<string, unknown>[]): AsyncGenerator<Row> {
  await Promise.resolve();
  let index = 0;
  for (const values of rows) yield { index: ++index, values: structuredClone(values) };
}

async function plan(
  base: Record<string, string>,
  head: Record<string, string>,
  rows?: readonly Record<string, unknown>[],
): Promise<PlanDiff> {
  return compareSides({
    base: side('main', base),
    head: side('working tree', head),
    baseRev: { ref: 'main', commit: 'a'.repeat(40), tip: 'a'.repeat(40), mergeBase: true },
    reveal: true,
    rows: (h, b) => ({
      rows: rows ? rowsOf(rows) : exampleRows(h?.checked.definition ?? b?.checked.definition ?? { examples: [] }),
      fromText: false,
      label: 'rows',
    }),
  });
}

const VARS = ['a', 'b', 'c'] as const;

function message(text: string, examples: readonly Record<string, boolean>[], variables = ''): string {
  const rows = examples
    .map((e, i) => `  - { phone: "+3161234567${i}", ${VARS.map((v) => `${v}: ${e[v] ?? false}`).join(', ')} }`)
    .join('\n');
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
${VARS.map((v) => `  ${v}: { type: boolean }`).join('\n')}
${variables}body:
  type: text
  text:
    text: ${JSON.stringify(text)}
${examples.length > 0 ? `examples:\n${rows}\n` : ''}`;
}

describe('the definition layer', () => {
  it('a message without examples: a text change is a change, named as not rendered', async () => {
    const diff = await plan({ 'hi.yaml': message('Hello {{#if a}}A{{/if}}', []) }, { 'hi.yaml': message('Hey {{#if a}}A{{/if}}', []) });
    const m = diff.messages[0]!;
    expect(m.status).toBe('changed');
    expect(hasChanges(diff)).toBe(true);
    expect(m.definition.map((e) => [e.path, e.where])).toEqual([['body.text.text', 'messages/hi.yaml:11']]);
    expect(m.unreached).toEqual([
      { where: 'messages/hi.yaml:11', branch: 'the message', reason: 'it has no examples, so no row renders it' },
    ]);
  });

  it('a branch no example takes: changed, and the branch is named with its line', async () => {
    const examples = [{ a: false }];
    const diff = await plan(
      { 'vip.yaml': message('{{#if a}}Gold{{else}}Hi{{/if}}', examples) },
      { 'vip.yaml': message('{{#if a}}Gold!{{else}}Hi{{/if}}', examples) },
    );
    const m = diff.messages[0]!;
    expect(m.status).toBe('changed');
    expect(m.recipients).toBe(0);
    expect(m.unreached).toEqual([{ where: 'messages/vip.yaml:11', branch: 'the {{#if a}} branch', reason: 'no example reaches it' }]);
    expect(diff.summary.unreached).toBe(1);
  });

  it('variables: maxLength, enum and default are changes of what a row may be', async () => {
    const before = message('Hi', [{ a: true }], '  name: { type: string, maxLength: 10 }\n');
    const after = message('Hi', [{ a: true }], '  name: { type: string, maxLength: 20, enum: [x, y], default: x }\n');
    const m = (await plan({ 'v.yaml': before }, { 'v.yaml': after })).messages[0]!;
    expect(m.status).toBe('changed');
    expect(m.definition.map((e) => e.path).sort()).toEqual([
      'variables.name.default',
      'variables.name.enum[0]',
      'variables.name.enum[1]',
      'variables.name.maxLength',
    ]);
    expect(m.definition.every((e) => e.where === 'messages/v.yaml:8')).toBe(true);
  });

  it('comments, key order, quoting and spacing are no change', async () => {
    const before = message('Hi {{#if a}}A{{/if}}', [{ a: true }]);
    const after = `# a comment\nto:   '{{phone}}'\nchannel: "whatsapp"\n${before.split('\n').slice(2).join('\n')}`;
    const diff = await plan({ 'x.yaml': before }, { 'x.yaml': after });
    expect(diff.messages[0]!.status).toBe('unchanged');
    expect(hasChanges(diff)).toBe(false);
  });

  it('a partial used only by a message without examples is a change of that message', async () => {
    const files = (sig: string): Record<string, string> => ({
      'a.yaml': message('Hi {{> sig}}', []),
      'b.yaml': message('Hi', [{ a: true }]),
      '_partials/sig.hbs': sig,
    });
    const diff = await plan(files('— us'), files('— all of us'));
    const a = diff.messages.find((m) => m.id === 'a')!;
    expect(a.status).toBe('changed');
    expect(a.definition[0]).toMatchObject({ path: '(partials).sig', where: 'messages/_partials/sig.hbs:1' });
    expect(diff.messages.find((m) => m.id === 'b')!.status).toBe('unchanged');
  });
});

// Random templates over three boolean variables: text, {{#if}}/{{#unless}} with or without {{else}}, nesting.
type Node = { t: 'text'; s: string } | { t: 'block'; kind: 'if' | 'unless'; v: (typeof VARS)[number]; then: Node[]; else?: Node[] };

const nodes: fc.Arbitrary<Node[]> = fc.letrec<{ list: Node[]; node: Node }>((tie) => ({
  list: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('text' as const), s: fc.constantFrom('x', 'y', 'z', ' ', 'ab') }),
    fc.record(
      {
        t: fc.constant('block' as const),
        kind: fc.constantFrom('if' as const, 'unless' as const),
        v: fc.constantFrom(...VARS),
        then: tie('list'),
        else: tie('list'),
      },
      { requiredKeys: ['t', 'kind', 'v', 'then'] },
    ),
  ),
})).list;

function print(list: readonly Node[]): string {
  return list
    .map((n) => (n.t === 'text' ? n.s : `{{#${n.kind} ${n.v}}}${print(n.then)}${n.else ? `{{else}}${print(n.else)}` : ''}{{/${n.kind}}}`))
    .join('');
}

/** The text leaves, in order: an edit replaces one of them. */
function leafCount(list: readonly Node[]): number {
  return list.reduce((n, x) => n + (x.t === 'text' ? 1 : leafCount(x.then) + leafCount(x.else ?? [])), 0);
}

function edit(list: readonly Node[], target: number, text: string): Node[] {
  let i = 0;
  const walk = (l: readonly Node[]): Node[] =>
    l.map((n) => {
      if (n.t === 'text') return i++ === target ? { t: 'text', s: text } : n;
      return { ...n, then: walk(n.then), ...(n.else ? { else: walk(n.else) } : {}) };
    });
  return walk(list);
}

const ALL_ROWS = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ a: (k & 1) > 0, b: (k & 2) > 0, c: (k & 4) > 0 }));

describe('property: the plan fails closed', () => {
  it('reports a change whenever any row could render differently, and names a branch when no example shows it', async () => {
    const render = (source: string, row: Record<string, boolean>): string => {
      const env = createTemplateEnv();
      return `>${env.compile(`>${source}`)(row)}`;
    };
    await fc.assert(
      fc.asyncProperty(
        nodes,
        fc.nat(),
        fc.constantFrom('X', 'Q', ''),
        fc.subarray(ALL_ROWS, { minLength: 0, maxLength: 4 }),
        async (tree, pick, text, examples) => {
          const before = print(tree);
          const after = print(edit(tree, pick % leafCount(tree), text));
          fc.pre(before !== after);
          // `>` keeps each text non-blank: the definitions must stay valid on both sides.
          const diff = await plan({ 'm.yaml': message(`>${before}`, examples) }, { 'm.yaml': message(`>${after}`, examples) });
          const m = diff.messages[0]!;
          const differs = ALL_ROWS.some((r) => render(before, r) !== render(after, r));
          const shown = examples.some((r) => render(before, r) !== render(after, r));
          expect(hasChanges(diff)).toBe(true); // the text changed: the definition layer shows it, always
          if (differs) expect(m.status).toBe('changed');
          if (shown) expect(m.recipients).toBeGreaterThan(0);
          if (differs && !shown) expect(m.unreached.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a coverage environment renders exactly what the plain one does, and records only branches the parser knows', () => {
    fc.assert(
      fc.property(nodes, fc.constantFrom('', '\n', ' \n'), (tree, pad) => {
        const source = `>${print(tree).replaceAll('{{else}}', `${pad}{{else}}${pad}`).replaceAll('{{/', `${pad}{{/`)}`;
        const plain = createTemplateEnv().compile(source);
        const covered = createTemplateEnv({ coverage: true });
        const fn = covered.compile(source);
        const keys = new Set(templateBranches(source, covered.coverageId(source) ?? 'none').map((b) => b.key));
        for (const row of ALL_ROWS) {
          const hits = new Set<string>();
          expect(recordBranches(hits, () => fn(row))).toBe(plain(row));
          for (const hit of hits) expect(keys.has(hit)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('branches from the parser', () => {
  it('#each and its empty list, #with, default and partials are branches, recorded per render', () => {
    const env = createTemplateEnv({ coverage: true });
    env.registerPartial('sig', '{{#if team}}— {{team}}{{/if}}');
    const source = '{{#each items}}-{{this}}{{else}}none{{/each}} {{#with address}}{{city}}{{/with}} {{default nick "friend"}}{{> sig}}';
    const fn = env.compile(source);
    const id = env.coverageId(source)!;
    expect(templateBranches(source, id).map((b) => b.label)).toEqual([
      'the items of {{#each items}}',
      'the {{else}} (empty list) of {{#each items}}',
      'the {{#with address}} branch',
      'the {{else}} of {{#with address}}',
      'the value of {{default nick "friend"}}',
      'the fallback of {{default nick "friend"}}',
    ]);
    const hits = new Set<string>();
    expect(recordBranches(hits, () => fn({ items: [], nick: 'Al' }))).toBe('none  Al');
    const arms = (set: Set<string>): string[] => [...set].map((k) => k.replace(/^.*\|/, '').replace(/^\d+:\d+:?/, '')).sort();
    // #with's else, the partial's own #if else, the empty list, the partial's entry, default's value.
    expect(arms(hits)).toEqual(['else', 'else', 'empty', 'entry', 'value']);
    const more = new Set<string>();
    expect(recordBranches(more, () => fn({ items: [1], address: { city: 'Delft' }, team: 'us' }))).toBe('-1 Delft friend— us');
    expect(arms(more)).toEqual(['entry', 'fallback', 'items', 'then', 'then']);
    // A render outside recordBranches records nothing and renders the same.
    expect(fn({ items: [], nick: 'Al' })).toBe('none  Al');
  });
});
