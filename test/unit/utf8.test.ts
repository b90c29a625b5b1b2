// Data is text: invalid UTF-8 is refused naming row and line; valid text split across chunks is not.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { readRows } from '../../src/sources/index.js';
import { UserError } from '../../src/errors.js';
import type { DataFormat, Row } from '../../src/types.js';

/** The bytes cut into chunks at the given offsets, as a stream (so characters can straddle chunks). */
function rows(bytes: Buffer, format: DataFormat, cuts: number[] = []): AsyncIterable<Row> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return readRows({ path: '-', format, input: Readable.from(chunks) });
}

async function collect(iterable: AsyncIterable<Row>): Promise<Row[] | UserError> {
  const out: Row[] = [];
  try {
    for await (const row of iterable) out.push(row);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  return out;
}

describe('UTF-8 data', () => {
  it('accepts valid multi-byte text however it is cut into chunks, a real U+FFFD included', async () => {
    const text = 'phone,name\n+31612345678,Zoë 😀 שלום \ufffd\n';
    const bytes = Buffer.from(text, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 6 }), async (cuts) => {
        const result = await collect(rows(bytes, 'csv', cuts));
        expect(result).not.toBeInstanceOf(UserError);
        expect((result as Row[])[0]!.values.name).toBe('Zoë 😀 שלום \ufffd');
      }),
      { numRuns: 100 },
    );
  });

  it('refuses invalid bytes however they are cut, naming the row, the line and the column', async () => {
    const bytes = Buffer.concat([Buffer.from('phone,name\n+31612345678,Ada\n+31612345679,Zo'), Buffer.from([0xc3]), Buffer.from('\n')]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 6 }), async (cuts) => {
        const result = await collect(rows(bytes, 'csv', cuts));
        expect(result).toBeInstanceOf(UserError);
        const d = (result as UserError).diagnostics[0]!;
        expect([d.code, d.row, d.line, d.field]).toEqual(['E_DATA_ENCODING', 2, 3, 'name']);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses an invalid header, and invalid bytes between JSON items', async () => {
    const header = await collect(rows(Buffer.from([0x70, 0xff, 0x0a, 0x31, 0x0a]), 'csv'));
    expect((header as UserError).diagnostics[0]).toMatchObject({ code: 'E_DATA_ENCODING', line: 1 });
    const between = await collect(rows(Buffer.concat([Buffer.from('[{"a":1},\n'), Buffer.from([0xff]), Buffer.from('{"a":2}]')]), 'json'));
    expect(between).toBeInstanceOf(UserError);
  });
});
