// The failures file fed back renders what the original rows rendered: random rows of every type, from
// CSV, JSON and NDJSON data → failuresCsv → read back as CSV → the same values (types, numbers as
// written, absent keys absent). A CSV's rows need no chirp_json; a JSON row's edited cell wins.
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failuresCsv, type FailureRecord } from '../../src/send/index.js';
import { readRows } from '../../src/sources/index.js';
import type { DataFormat, Row } from '../../src/types.js';
import { writtenText } from '../../src/util/numbers.js';

const RESERVED = new Set(['chirp_status', 'chirp_error_code', 'chirp_error_message', 'chirp_json']);

/** What a render can see of a value: its type, each number as the data wrote it, absent keys absent; key order aside. */
function canonical(value: unknown, holder?: unknown, key?: string): string {
  if (typeof value === 'number') return `n:${(key !== undefined ? writtenText(holder, key) : undefined) ?? String(value)}`;
  if (typeof value === 'string') return `s:${JSON.stringify(value)}`;
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v, i) => canonical(v, value, String(i))).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined && !(holder === undefined && RESERVED.has(k)))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k], o, k)}`).join(',')}}`;
}

async function read(text: string, format: DataFormat): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of readRows({ path: '-', displayName: `d.${format}`, format, input: Readable.from([Buffer.from(text)]) }))
    rows.push(row);
  return rows;
}

async function roundTrip(rows: Row[], statuses: readonly FailureRecord['status'][] = ['failed']): Promise<{ csv: string; back: Row[] }> {
  const records: FailureRecord[] = rows.map((r, i) => ({
    row: r.index,
    recipient: `+3161234${String(r.index).padStart(4, '0')}`,
    status: statuses[i % statuses.length]!,
    code: '=x',
    message: '\'msg, "quoted"',
  }));
  async function* again(): AsyncGenerator<Row> {
    await Promise.resolve();
    yield* rows;
  }
  const csv = await failuresCsv(records, again());
  return { csv, back: await read(csv, 'csv') };
}

// JSON text with number literals as written: a value tree whose numbers are literal strings.
type Lit = { num: string } | string | boolean | null | Lit[] | { obj: [string, Lit][] };
const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '',
    ' ',
    '0',
    'false',
    'null',
    '=1+1',
    'a\r\nb',
    'c\rd',
    '\u2028',
    '\u0000',
    "'=x",
    "'",
    "''",
    '@me',
    '+cmd',
    '-2+3',
    '\tx',
    ' pad ',
    'a,b',
    'q"q',
    'l1\nl2',
    'é€😀',
    '[1]',
    '{}',
  ),
);
const numberLiteral = fc.constantFrom('0', '1', '-0', '0.0', '1.50', '1E3', '2e-2', '-7', '100.0', '42', '9007199254740991', '3.14');
const key = fc.constantFrom('phone', 'flag', 'name', 'n', 'o', 'a', 'b.c', '', ' sp', 'chirp_status', 'x');
const lit: fc.Arbitrary<Lit> = fc.letrec<{ v: Lit }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    numberLiteral.map((num) => ({ num })),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(key, tie('v')), { maxLength: 3, selector: ([k]) => k }).map((obj) => ({ obj })),
  ),
})).v;
const jsonRow = fc.uniqueArray(fc.tuple(key, lit), { maxLength: 6, selector: ([k]) => k });

function toJson(v: Lit): string {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toJson).join(',')}]`;
  if ('num' in v) return v.num;
  return `{${v.obj.map(([k, x]) => `${JSON.stringify(k)}:${toJson(x)}`).join(',')}}`;
}

describe('the failures file fed back', () => {
  it('NDJSON and JSON rows of every type come back exactly: types, numbers as written, absent keys', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(jsonRow, { minLength: 1, maxLength: 5 }), fc.boolean(), async (rows, asArray) => {
        const objects = rows.map((r) => `{${r.map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`);
        const original = await read(asArray ? `[${objects.join(',\n')}]` : `${objects.join('\n')}\n`, asArray ? 'json' : 'ndjson');
        const { back } = await roundTrip(original);
        expect(back.map((r) => canonical(r.values))).toEqual(original.map((r) => canonical(r.values)));
      }),
      { numRuns: 400 },
    );
  });

  it('CSV rows come back exactly without chirp_json: formula guards, quotes, dotted columns', async () => {
    const cell = fc.oneof(text, fc.constantFrom('+31612345678', '-5', "'+31 6", '=N300'));
    const header = fc.uniqueArray(fc.constantFrom('phone', 'name', 'a.x', 'a.y', 'flag', "'q", '=h', 'b c'), {
      minLength: 1,
      maxLength: 5,
    });
    await fc.assert(
      fc.asyncProperty(
        header.chain((h) =>
          fc.tuple(fc.constant(h), fc.array(fc.array(cell, { minLength: h.length, maxLength: h.length }), { minLength: 1, maxLength: 4 })),
        ),
        async ([names, rows]) => {
          const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
          const original = await read(`${[names, ...rows].map((r) => r.map(q).join(',')).join('\n')}\n`, 'csv');
          const { csv, back } = await roundTrip(original);
          expect(csv.split('\n')[0]).not.toContain('chirp_json');
          expect(back.map((r) => canonical(r.values))).toEqual(original.map((r) => canonical(r.values)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('`flag: 0` stays 0 (falsy), and a cell the user edited wins over chirp_json', async () => {
    const original = await read('{"phone":"+31612340001","flag":0,"tags":["a"],"n":1.50}\n', 'ndjson');
    const { csv } = await roundTrip(original);
    const [head, line] = csv.trim().split('\n');
    expect(head).toBe('phone,flag,tags,n,chirp_status,chirp_error_code,chirp_error_message,chirp_json');
    const [same] = await read(csv, 'csv');
    expect(same!.values.flag).toBe(0);
    expect(same!.values.tags).toEqual(['a']);
    expect(canonical(same!.values)).toBe(canonical(original[0]!.values));
    const edited = `${head}\n${line!.replace('+31612340001,0,', '+31612340001,1,')}\n`;
    const [fixed] = await read(edited, 'csv');
    expect(fixed!.values.flag).toBe('1'); // the user's edit, read as CSV text (the declared type coerces it)
    expect(fixed!.values.tags).toEqual(['a']);
  });

  it('a column the user deleted does not come back from chirp_json (flat or dotted): the visible file is what is sent', async () => {
    const original = await read('{"phone":"+31612340001","flag":0,"coupon":"SAVE50","address":{"city":"Delft","zip":7}}\n', 'ndjson');
    const { csv } = await roundTrip(original);
    const [head, line] = csv.trim().split('\n');
    expect(head).toBe('phone,flag,coupon,address.city,address.zip,chirp_status,chirp_error_code,chirp_error_message,chirp_json');
    // A spreadsheet user deletes the coupon and address.zip columns.
    const drop = (cells: string[]): string[] => cells.filter((_, i) => i !== 2 && i !== 4);
    const cells = line!
      .match(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)!
      .map((c) => c.replace(/,$/, ''))
      .slice(0, 9);
    const edited = `${drop(head!.split(',')).join(',')}\n${drop(cells).join(',')}\n`;
    const [back] = await read(edited, 'csv');
    expect(back!.values.flag).toBe(0);
    expect(back!.values.coupon).toBeUndefined();
    expect((back!.values.address as Record<string, unknown>).zip).toBeUndefined();
    expect((back!.values.address as Record<string, unknown>).city).toBe('Delft');
  });

  it('a chirp_json cell that is not JSON is a data error naming the row', async () => {
    const csv = 'phone,chirp_status,chirp_error_code,chirp_error_message,chirp_json\n+31612340001,failed,x,y,{oops\n';
    await expect(read(csv, 'csv')).rejects.toThrow(/row 1 \(line 2\): its chirp_json cell is not the row chirp wrote/);
  });
});
