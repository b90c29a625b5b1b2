// What the resume shortcut saves, counted: a second send of the same inputs renders only the rows
// the journal does not hold as final (every row is still read and checked for consent).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';
import type * as Compile from '../../src/render/compile.js';

const rendered = vi.hoisted(() => ({ rows: 0 }));
vi.mock('../../src/render/compile.js', async (original) => {
  const real = await original<typeof Compile>();
  return {
    ...real,
    compileMessage: (...args: Parameters<typeof real.compileMessage>) => {
      const message = real.compileMessage(...args);
      return {
        ...message,
        renderRow: (...row: Parameters<typeof message.renderRow>) => {
          rendered.rows++;
          return message.renderRow(...row);
        },
      };
    },
  };
});

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('a resume renders only the rows left', () => {
  it('nothing left: no row is rendered again; some left: only those', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    const journal = tempDir('chirp-journal-');
    const rows = (n: number): string => `phone,name\n${Array.from({ length: n }, (_, i) => `${phone(i)},P${i}`).join('\n')}\n`;
    writeFileSync(join(root, 'rows.csv'), rows(30));
    const run = (limit?: number) =>
      send({
        cwd: root,
        env: { BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY },
        message: 'notice',
        data: { path: 'rows.csv' },
        journal,
        ...(limit !== undefined ? { limit } : {}),
        confirm: () => Promise.resolve(true),
      });
    // Checking the message renders its examples too: counted apart, as the renders of a send with no row left.
    const renders = async (limit?: number): Promise<[unknown, number]> => {
      rendered.rows = 0;
      const { report } = await run(limit);
      return [report, rendered.rows];
    };
    const [first, r1] = await renders(12);
    const [second, r2] = await renders();
    const [third, r3] = await renders();
    expect(first).toMatchObject({ accepted: 12 });
    expect(second).toMatchObject({ alreadySent: 12, accepted: 18 });
    expect(third).toMatchObject({ status: 'nothing-to-send', alreadySent: 30, recipients: 30 });
    expect(r3).toBeLessThanOrEqual(1);
    expect(r1 - r3).toBe(12);
    expect(r2 - r3).toBe(18);
    expect(fake.accepted).toHaveLength(30);
  });
});
