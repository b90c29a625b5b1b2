// The resume shortcut's two halves: render skips the rows it is told are final (after consent, first
// occurrence only), and send trusts only journal states recorded under the same render key.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCatalog, prepareMessage } from '../../src/index.js';
import { renderStream, type CompiledMessage, type RenderItem } from '../../src/render/index.js';
import type { FolderIndex, RecipientState } from '../../src/journal/index.js';
import { finalRows } from '../../src/send/shortcut.js';
import { recipientKey } from '../../src/send/keys.js';
import { readRows } from '../../src/sources/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { phone } from '../helpers/send.js';
import type { Row } from '../../src/types.js';

const MESSAGE = `channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  name: { type: string, minLength: 1 }\nrequired: [phone, name]\nbody:\n  type: text\n  text:\n    text: "Hi {{name}}"\n`;

async function compiled(rows: string[]): Promise<{ message: CompiledMessage; path: string }> {
  const root = makeCatalog({ 'messages/m.yaml': MESSAGE });
  const path = join(root, 'rows.csv');
  writeFileSync(path, `phone,name\n${rows.join('\n')}\n`);
  const prepared = await prepareMessage(await openCatalog({ cwd: root, env: {} }), 'm');
  return { message: prepared.compiled, path };
}

describe('renderStream with final rows', () => {
  it('does not render a final recipient’s first row; checks consent first; a later row of it is rendered and is a duplicate', async () => {
    const { message, path } = await compiled([
      `${phone(1)},Ada`, // final: taken, not rendered
      `${phone(2)},Bo`, // final but opted out: rendered path, suppressed
      `${phone(3)},Cy`, // not final: rendered
      `${phone(1)},Ada again`, // a second row of a final recipient: a duplicate, as always
      `${phone(4)},`, // final, and invalid if rendered: taken (the earlier run sent these bytes)
      `${phone(5)},`, // not final and invalid: rendered, invalid
    ]);
    const rendered: string[] = [];
    const counting: CompiledMessage = {
      ...message,
      renderRow: (values, fromText, options) => {
        rendered.push(String(values.phone));
        return message.renderRow(values, fromText, options);
      },
    };
    const finals = new Set([phone(1), phone(2), phone(4)]);
    const taken: [number, string][] = [];
    const items: RenderItem[] = [];
    for await (const item of renderStream(counting, readRows({ path }), {
      file: 'rows.csv',
      fromText: true,
      consent: { suppressed: (r) => r === phone(2) },
      final: { is: (r) => finals.has(r), take: (row: Row, r) => taken.push([row.index, r]) },
    }))
      items.push(item);
    expect(taken).toEqual([
      [1, phone(1)],
      [5, phone(4)],
    ]);
    expect(rendered).toEqual([phone(2), phone(3), phone(1), phone(5)]);
    expect(items.map((i) => [i.row.index, i.kind])).toEqual([
      [2, 'suppressed'],
      [3, 'request'],
      [4, 'duplicate'],
      [6, 'invalid'],
    ]);
  });
});

async function* rowsOf(values: Record<string, unknown>[]): AsyncGenerator<Row> {
  await Promise.resolve();
  for (const [i, v] of values.entries()) yield { index: i + 1, values: { ...v } };
}

async function classify(
  message: CompiledMessage,
  values: Record<string, unknown>[],
  suppressed: Set<string>,
  final?: Set<string>,
): Promise<Map<number, string>> {
  const kinds = new Map<number, string>();
  for await (const item of renderStream(message, rowsOf(values), {
    file: 'rows.json',
    fromText: false,
    consent: { suppressed: (r) => suppressed.has(r), optIn: (v) => v.optin !== 'no' },
    ...(final ? { final: { is: (r: string) => final.has(r), take: (row: Row) => kinds.set(row.index, 'final') } } : {}),
  }))
    kinds.set(item.row.index, item.kind);
  return kinds;
}

describe('renderStream with final rows: the same verdict for every row as a full render', () => {
  it('random rows (repeated recipients, opt-outs, no opt-in, broken rows): only rows a full render sends are taken, the rest keep their kind', async () => {
    const { message } = await compiled([]);
    const row = fc.record({
      phone: fc.integer({ min: 0, max: 7 }).map((i) => phone(i)),
      name: fc.constantFrom('Ada', 'Bo', ''),
      optin: fc.constantFrom('yes', 'no'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 30 }),
        fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
        fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
        fc.nat(),
        async (rows, optedOut, finalPick, pickLimit) => {
          const values = rows.map((r) => (r.name === '' ? { phone: r.phone, optin: r.optin } : r));
          const suppressed = new Set(optedOut.map(phone));
          const full = await classify(message, values, suppressed);
          // What a trusted journal can hold as final: recipients an earlier run of the same inputs sent. That
          // run checked every row in its reach first (a --limit of any size), so it reached no further
          // than the first broken row.
          const broken = [...full].filter(([, kind]) => kind === 'invalid').map(([i]) => i);
          const reach = Math.min(values.length, ...broken.map((i) => i - 1));
          const limit = pickLimit % (reach + 1);
          const sent = new Set([...full].filter(([i, kind]) => kind === 'request' && i <= limit).map(([i]) => values[i - 1]!.phone));
          const final = new Set(finalPick.map(phone).filter((p) => sent.has(p)));
          const quick = await classify(message, values, suppressed, final);
          for (const [i, kind] of full) {
            const taken = kind === 'request' && final.has(values[i - 1]!.phone);
            expect(quick.get(i)).toBe(taken ? 'final' : kind);
          }
          expect(quick.size).toBe(full.size);
        },
      ),
      { numRuns: 300 },
    );
  });
});

const state = (runId: string, status: RecipientState['status'], hash: string | undefined): RecipientState => ({
  status,
  at: '',
  runId,
  b: 0,
  id: undefined,
  code: undefined,
  message: undefined,
  via: undefined,
  hash,
});

describe('finalRows: which journal states send may trust without rendering', () => {
  const index = {
    runs: [
      { runId: 'same', header: { options: { renderKey: 'K' } }, renderKey: 'K' },
      { runId: 'older', header: { options: {} } },
      { runId: 'other', header: { options: { renderKey: 'L' } }, renderKey: 'L' },
      // Started with K, continued by a send with other inputs (--resume --force): no key of its own.
      { runId: 'forced', header: { options: { renderKey: 'K' } } },
    ],
  } as unknown as FolderIndex;
  const states = new Map<string, RecipientState>([
    [recipientKey('m', 'a', 1), state('same', 'accepted', 'h')],
    [recipientKey('m', 'b', 1), state('same', 'unknown', 'h')],
    [recipientKey('m', 'c', 1), state('same', 'pending', 'h')],
    [recipientKey('m', 'd', 1), state('same', 'failed', 'h')],
    [recipientKey('m', 'e', 1), state('same', 'resendable', 'h')],
    [recipientKey('m', 'f', 1), state('older', 'accepted', 'h')],
    [recipientKey('m', 'g', 1), state('other', 'accepted', 'h')],
    [recipientKey('m', 'h', 1), state('same', 'accepted', undefined)],
    [recipientKey('m', 'i', 1), state('forced', 'accepted', 'h')],
  ]);
  const stateOf = (key: string) => states.get(key);

  it('accepted and held states of runs with the same render key; nothing else', () => {
    const taken: string[] = [];
    const final = finalRows({ messageId: 'm', renderKey: 'K', retryUnknown: false }, index, stateOf, (_row, r, s) =>
      taken.push(`${r}:${s.status}`),
    )!;
    const yes = [...'abcdefghiz'].filter((r) => final.is(r));
    expect(yes).toEqual(['a', 'b', 'c']);
    final.is('b');
    final.take({ index: 2, values: {} }, 'b');
    expect(taken).toEqual(['b:unknown']);
  });

  it('with --retry-unknown only accepted ones; without a render key or a trusted run, no shortcut at all', () => {
    const retry = finalRows({ messageId: 'm', renderKey: 'K', retryUnknown: true }, index, stateOf, () => undefined)!;
    expect([...'abc'].filter((r) => retry.is(r))).toEqual(['a']);
    expect(finalRows({ messageId: 'm', retryUnknown: false }, index, stateOf, () => undefined)).toBeUndefined();
    expect(finalRows({ messageId: 'm', renderKey: 'Z', retryUnknown: false }, index, stateOf, () => undefined)).toBeUndefined();
  });
});
