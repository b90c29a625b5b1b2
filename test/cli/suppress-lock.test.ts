// `chirp suppress add` run by several processes at the same instant: the list's lock keeps every entry.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';
import { spawnCli } from '../helpers/cli.js';

const number = (i: number): string => `+3162${String(i).padStart(7, '0')}`;

describe('chirp suppress add, concurrently', () => {
  it('6 `chirp suppress add` processes at once: every number lands exactly once', async () => {
    const root = makeCatalog({});
    writeFileSync(join(root, 'chirp.config.yaml'), `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`);
    writeFileSync(join(root, 'optouts.txt'), '# opt-outs\n');
    const runs = Array.from({ length: 6 }, (_, i) => spawnCli(['suppress', 'add', number(i), '--reason', `run ${i}`], { cwd: root }).done);
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const list = readFileSync(join(root, 'optouts.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('+'))
      .map((l) => l.split(' ')[0]!);
    expect(list.sort()).toEqual(Array.from({ length: 6 }, (_, i) => number(i)).sort());
    expect(existsSync(join(root, 'optouts.txt.lock'))).toBe(false);
  }, 60_000);
});
