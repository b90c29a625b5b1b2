import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { detectFormat, readRows, type ReadRowsOptions } from '../../src/sources/index.js';
import type { DataFormat, Diagnostic, Row } from '../../src/types.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/data/${name}`, import.meta.url));

async function collect(rows: AsyncIterable<Row>): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** Feeds `text` as stdin in chunks of `size` bytes, so UTF-8 characters and tokens split. */
function stdin(text: string, format: DataFormat, size = 64 * 1024): AsyncIterable<Row> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return readRows({ path: '-', format, input: Readable.from(chunks) });
}

/** Chunks of 1, 2, 3, 1, 2, 3… bytes. */
function tiny(text: string, format: DataFormat): AsyncIterable<Row> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0, n = 1; i < bytes.length; i += n, n = (n % 3) + 1) chunks.push(bytes.subarray(i, i + n));
  return readRows({ path: '-', format, input: Readable.from(chunks) });
}

async function failure(rows: AsyncIterable<Row>): Promise<Diagnostic & { error: UserError }> {
  try {
    await collect(rows);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const userError = error as UserError;
    expect(userError.diagnostics).toHaveLength(1);
    return { ...userError.diagnostics[0]!, error: userError };
  }
  throw new Error('expected the read to fail');
}

/** Reads a key path by index signature, so `constructor` is data rather than Object's member. */
const get = (value: unknown, ...keys: string[]): unknown => keys.reduce((at, key) => (at as Record<string, unknown>)[key], value);

const values = (rows: Row[]): unknown[] => rows.map((row) => row.values);
const lines = (rows: Row[]): unknown[] => rows.map((row) => [row.index, row.line]);

function expectNullPrototypes(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (!Array.isArray(value)) expect(Object.getPrototypeOf(value)).toBeNull();
  for (const child of Object.values(value)) expectNullPrototypes(child);
}

describe('detectFormat', () => {
  it('maps extensions, case-insensitively', () => {
    expect(detectFormat('a/b.csv')).toBe('csv');
    expect(detectFormat('B.JSON')).toBe('json');
    expect(detectFormat('x.ndjson')).toBe('ndjson');
    expect(detectFormat('x.jsonl')).toBe('ndjson');
    expect(detectFormat('x.txt')).toBeUndefined();
    expect(detectFormat('-')).toBeUndefined();
  });

  it('rejects an unknown extension without a format when iterated', async () => {
    const d = await failure(readRows({ path: fixture('recipients.txt') }));
    expect(d.code).toBe('E_USAGE');
  });
});

describe('CSV', () => {
  it('reads BOM, CRLF, quotes, "" escapes, embedded newlines and dotted headers', async () => {
    const rows = await collect(readRows({ path: fixture('bom-crlf.csv') }));
    expect(values(rows)).toEqual([
      { phone: '+31612345678', name: 'Doe, Jane', address: { city: 'Amsterdam', zip: '1011AB' } },
      { phone: '+31687654321', name: 'two\r\nlines', address: { city: 'Utrecht', zip: '3511AA' } },
      { phone: '+31600000000', name: 'say "hi"', address: { city: 'Delft', zip: '2611AA' } },
    ]);
    // The quoted newline pushes the third row to line 5; trailing blank lines add no rows.
    expect(lines(rows)).toEqual([
      [1, 2],
      [2, 3],
      [3, 5],
    ]);
    expectNullPrototypes(rows.map((row) => row.values));
    expect(Object.keys(rows[0]!.values)).toEqual(['phone', 'name', 'address']);
  });

  it('detects ";" and tab delimiters and keeps values as strings', async () => {
    expect(values(await collect(readRows({ path: fixture('semicolon.csv') })))).toEqual([
      { phone: '+31612345678', name: 'Jan', note: 'a;b, c' },
      { phone: '+31687654321', name: 'Piet', note: '007' },
    ]);
    expect(values(await collect(readRows({ path: fixture('tab.csv') })))).toEqual([{ phone: '+31612345678', name: 'Jan', note: 'true' }]);
  });

  it('picks the most frequent delimiter outside quotes on the header line', async () => {
    const rows = await collect(stdin('"a,b,c";d;e\n1;2;3\n', 'csv'));
    expect(values(rows)).toEqual([{ 'a,b,c': '1', d: '2', e: '3' }]);
  });

  it('reads a single-column file', async () => {
    expect(values(await collect(stdin('phone\n+31612345678\n\n', 'csv')))).toEqual([{ phone: '+31612345678' }]);
  });

  it('counts lines across LF and CRLF quoted newlines and blank lines', async () => {
    const text = '\r\nphone,note\r\n1,"a\nb\r\nc"\r\n\r\n2,x\r\n3,"\n"\r\n4,y';
    const rows = await collect(tiny(text, 'csv'));
    expect(lines(rows)).toEqual([
      [1, 3],
      [2, 7],
      [3, 8],
      [4, 10],
    ]);
    expect(values(rows)[0]).toEqual({ phone: '1', note: 'a\nb\r\nc' });
  });

  it('keeps emoji and right-to-left text verbatim, even split across 1-3 byte chunks', async () => {
    const expected = [
      { phone: '+31612345678', greeting: 'Hallo 👋🏽 wereld', name: 'שלום עולם' },
      { phone: '+971500000000', greeting: 'مرحبا بالعالم', name: '👨‍👩‍👧' },
    ];
    expect(values(await collect(readRows({ path: fixture('unicode.csv') })))).toEqual(expected);
    const text = 'phone,greeting,name\n+31612345678,Hallo 👋🏽 wereld,שלום עולם\n+971500000000,مرحبا بالعالم,👨‍👩‍👧\n';
    expect(values(await collect(tiny(text, 'csv')))).toEqual(expected);
  });

  it('reports a ragged row with its row and line', async () => {
    const d = await failure(readRows({ path: fixture('ragged.csv'), displayName: 'ragged.csv' }));
    expect(d).toMatchObject({ code: 'E_DATA', severity: 'error', file: 'ragged.csv', line: 5, column: 0, pointer: '', row: 3 });
    expect(d.message).toBe('row 3 (line 5) has 4 fields, the header has 3');
    expect(d.error.message).toContain('ragged.csv:5');
  });

  it.each([
    ['a,,c\n1,2,3\n', 'column 2'],
    ['a,b,a\n1,2,3\n', '"a"'],
    ['address,address.city\n1,2\n', '"address.city"'],
    ['address.city,address\n1,2\n', '"address"'],
    ['a.b,a.b.c\n1,2\n', '"a.b.c"'],
    ['a..b\n1\n', '"a..b"'],
  ])('rejects the header %j, naming %s', async (text, name) => {
    const d = await failure(stdin(text, 'csv'));
    expect(d).toMatchObject({ code: 'E_DATA', file: '<stdin>', line: 1, pointer: '' });
    expect(d.row).toBeUndefined();
    expect(d.message).toContain(name);
  });

  it('wraps csv-parse errors in E_DATA with the row and line, keeping the cause', async () => {
    const d = await failure(stdin('a,b\n1,2\n3,"open\n4,5\n', 'csv'));
    expect(d).toMatchObject({ code: 'E_DATA', row: 2, line: 4 });
    expect(d.error.cause).toBeInstanceOf(Error);
    expect(d.message).toMatch(/^CSV syntax error in row 2: /);
  });

  it('requires a header row', async () => {
    expect((await failure(stdin('', 'csv'))).code).toBe('E_DATA');
    expect((await failure(stdin('\n\r\n', 'csv'))).code).toBe('E_DATA');
    expect(await collect(stdin('a,b\n', 'csv'))).toEqual([]);
  });

  it('reads 100,000 rows from a stream, yielding as it goes (not after the whole input)', async () => {
    const count = 100_000;
    let produced = 0;
    function* generate(): Generator<string> {
      yield 'phone,name,address.city\n';
      for (let i = 1; i <= count; i += 1000) {
        let chunk = '';
        for (let j = i; j < i + 1000; j++) chunk += `+3161${j},Name ${j},City\n`;
        produced++;
        yield chunk;
      }
    }
    let seen = 0;
    let producedAtFirstRow = -1;
    let last: Row | undefined;
    for await (const row of readRows({ path: '-', format: 'csv', input: Readable.from(generate()) })) {
      if (seen === 0) producedAtFirstRow = produced;
      seen++;
      last = row;
    }
    expect(seen).toBe(count);
    expect(last).toMatchObject({ index: count, line: count + 1 });
    // The first row came out while most of the input was still unread (speed is measured by `npm run bench`).
    expect(producedAtFirstRow).toBeGreaterThan(0);
    expect(producedAtFirstRow).toBeLessThan(10);
  });

  it('stops reading when the consumer stops early', async () => {
    for await (const row of readRows({ path: fixture('bom-crlf.csv') })) {
      expect(row.index).toBe(1);
      break;
    }
  });
});

describe('JSON', () => {
  const items = [
    { phone: '+31612345678', name: 'Jan ] { " }', address: { city: 'Amsterdam', tags: ['a]', '{b'] } },
    { phone: '+31687654321', path: 'C:\\\\' },
  ];

  it('streams an array of objects with the line each starts on', async () => {
    const rows = await collect(readRows({ path: fixture('recipients.json') }));
    expect(values(rows)).toEqual(items);
    expect(lines(rows)).toEqual([
      [1, 2],
      [2, 7],
    ]);
    expectNullPrototypes(rows.map((row) => row.values));
  });

  it('splits correctly when fed 1-3 byte chunks', async () => {
    const text = `\uFEFF ${JSON.stringify(items, null, 2)} \n`;
    const rows = await collect(tiny(text, 'json'));
    expect(values(rows)).toEqual(items);
    expect(rows.map((row) => row.line)).toEqual([2, 13]);
  });

  it('keeps unicode verbatim across chunk boundaries', async () => {
    const text = '[{"greeting": "مرحبا 👋🏽", "name": "שלום", "escaped": "\\ud83d\\ude00"}]';
    expect(values(await collect(tiny(text, 'json')))).toEqual([{ greeting: 'مرحبا 👋🏽', name: 'שלום', escaped: '😀' }]);
  });

  it('accepts an empty array', async () => {
    expect(await collect(stdin(' [ ] ', 'json'))).toEqual([]);
  });

  it('rejects an element that is not an object, naming its line', async () => {
    const d = await failure(tiny('[\n  {"a": 1},\n  "text"\n]', 'json'));
    expect(d).toMatchObject({ code: 'E_DATA', line: 3, column: 3, row: 2 });
  });

  it('rejects malformed JSON inside an element, naming its line', async () => {
    const d = await failure(stdin('[{"a": 1},\n{"b": }]', 'json'));
    expect(d).toMatchObject({ code: 'E_DATA', line: 2, row: 2 });
    expect(d.error.cause).toBeInstanceOf(SyntaxError);
  });

  it('turns nesting deep enough to exhaust the stack into E_DATA', async () => {
    const depth = 200_000;
    const text = `[\n${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`;
    expect(await failure(stdin(text, 'json'))).toMatchObject({ code: 'E_DATA', line: 2, row: 1 });
  });

  it.each([
    ['{"a": 1}', 1],
    ['\n\n"x"', 3],
    ['', 1],
    ['[{"a": 1}', 1],
    ['[{"a": 1}\n{"b": 2}]', 2],
    ['[{"a": 1},]', 1],
    ['[{"a": 1}] x', 1],
    ['[{"a": [1}', 1],
  ])('rejects the document %j at line %i', async (text, line) => {
    const d = await failure(stdin(text, 'json'));
    expect(d).toMatchObject({ code: 'E_DATA', file: '<stdin>', line, pointer: '' });
  });
});

describe('NDJSON', () => {
  it('reads one object per line, skipping blank lines and tolerating CRLF', async () => {
    const rows = await collect(readRows({ path: fixture('recipients.ndjson') }));
    expect(values(rows)).toEqual([
      { phone: '+31612345678', name: 'Jan' },
      { phone: '+31687654321', address: { city: 'Utrecht' } },
      { phone: '+31600000000' },
    ]);
    expect(lines(rows)).toEqual([
      [1, 1],
      [2, 4],
      [3, 5],
    ]);
    expectNullPrototypes(rows.map((row) => row.values));
  });

  it('reports a malformed line with its number', async () => {
    const d = await failure(readRows({ path: fixture('bad-line.ndjson') }));
    expect(d).toMatchObject({ code: 'E_DATA', line: 3, row: 2 });
    expect(d.message).toContain('line 3');
  });

  it('rejects a line that is not an object', async () => {
    expect(await failure(tiny('{"a": 1}\n[1, 2]\n', 'ndjson'))).toMatchObject({ line: 2, row: 2 });
    expect(await failure(tiny('null\n', 'ndjson'))).toMatchObject({ line: 1, row: 1 });
  });

  it('handles 1-3 byte chunks and unicode', async () => {
    const rows = await collect(tiny('{"a": "👋🏽 ]"}\n\n{"b": "שלום"}\n', 'ndjson'));
    expect(values(rows)).toEqual([{ a: '👋🏽 ]' }, { b: 'שלום' }]);
    expect(lines(rows)).toEqual([
      [1, 1],
      [2, 3],
    ]);
  });
});

describe('input and files', () => {
  it('reads stdin through `input` when path is "-"', async () => {
    const options: ReadRowsOptions = { path: '-', format: 'csv', input: Readable.from(['phone\n', '+3161\n']) };
    expect(values(await collect(readRows(options)))).toEqual([{ phone: '+3161' }]);
  });

  it('names stdin <stdin> unless a display name is given', async () => {
    expect((await failure(stdin('[1]', 'json'))).file).toBe('<stdin>');
    const named = readRows({ path: '-', format: 'json', input: Readable.from(['[1]']), displayName: 'pipe' });
    expect((await failure(named)).file).toBe('pipe');
  });

  it('reports a missing file as E_FILE_READ', async () => {
    const d = await failure(readRows({ path: fixture('missing.csv'), displayName: 'missing.csv' }));
    expect(d).toMatchObject({ code: 'E_FILE_READ', file: 'missing.csv', line: 0, column: 0 });
  });

  it('overrides detection with `format`', async () => {
    const rows = await collect(readRows({ path: fixture('recipients.ndjson'), format: 'ndjson' }));
    expect(rows).toHaveLength(3);
  });
});

describe('prototype pollution', () => {
  const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();

  it.each([['proto.csv'], ['proto.json'], ['proto.ndjson']])('%s cannot touch Object.prototype', async (name) => {
    const before = prototypeKeys();
    const rows = await collect(readRows({ path: fixture(name) }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeKeys()).toEqual(before);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expectNullPrototypes(rows.map((row) => row.values));

    const row = rows[0]!.values;
    // `__proto__` and `constructor` are plain data keys holding plain data.
    expect(Object.keys(row)).toContain('__proto__');
    expect(get(row, '__proto__', 'polluted')).toBe('yes');
    expect(get(row, 'constructor', 'prototype', 'polluted')).toBe('yes');
  });

  it('CSV header prototype is a plain column', async () => {
    const rows = await collect(readRows({ path: fixture('proto.csv') }));
    expect(rows[0]!.values.prototype).toBe('yes');
  });

  it('nested JSON __proto__ keys stay data', async () => {
    const rows = await collect(readRows({ path: fixture('proto.json') }));
    const nested = rows[0]!.values.nested as Record<string, unknown>;
    expect(Object.getPrototypeOf(nested)).toBeNull();
    expect(Object.keys(nested)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
