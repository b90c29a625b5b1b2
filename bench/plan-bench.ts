// plan --base over a generated catalog (200 messages × 50 example rows) and over one message with
// 100,000 data rows: wall time and peak RSS.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCatalog, benchCsv, BENCH_MESSAGE } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

function git(root: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd: root,
    env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@e' },
  });
}

function catalogMessage(i: number, version: string): string {
  const rows = Array.from(
    { length: 50 },
    (_, r) =>
      `  - { phone: "+3162${String(i * 100 + r).padStart(7, '0')}", name: "Person ${r}", version: v1.${r}.0, city: Delft, plan: pro, code: C${r} }`,
  ).join('\n');
  return BENCH_MESSAGE.replace('Hi {{name}}', `${version} ${i}: Hi {{name}}`) + `examples:\n${rows}\n`;
}

export async function benchPlan(): Promise<string> {
  const root = benchCatalog();
  mkdirSync(join(root, 'messages', 'many'), { recursive: true });
  for (let i = 0; i < 200; i++) writeFileSync(join(root, 'messages', 'many', `m${i}.yaml`), catalogMessage(i, 'Before'));
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  // A pull request that changes a tenth of the catalog.
  for (let i = 0; i < 200; i += 10) writeFileSync(join(root, 'messages', 'many', `m${i}.yaml`), catalogMessage(i, 'After'));
  writeFileSync(join(root, 'messages', 'bench.yaml'), BENCH_MESSAGE.replace('Hi {{name}}', 'Hello {{name}}'));
  const catalog = await measureNode([CLI, 'plan', '--base', 'main', '--format', 'markdown'], { cwd: root, discardStdout: true });
  const csv = await benchCsv(100_000);
  const one = await measureNode([CLI, 'plan', 'bench', '--base', 'main', '--data', csv], { cwd: root, discardStdout: true });
  for (const m of [catalog, one]) if (m.code !== 0) throw new Error(`plan bench failed: ${m.stderr.slice(0, 500)}`);
  return table(
    ['case', 'wall s', 'peak RSS MB', 'goal'],
    [
      ['201 messages × 50 example rows, 21 changed', fmt(catalog.seconds, 2), fmt(catalog.peakRssMb), '< 2 s, < 150 MB'],
      ['1 message × 100,000 data rows, all changed', fmt(one.seconds, 2), fmt(one.peakRssMb), '< 5 s'],
    ],
  );
}
