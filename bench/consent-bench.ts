// Consent: loading a suppression list of 1,000,000 numbers (time, memory), and what checking every
// row against it costs `chirp render` (the same CSV with and without the list).
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_MESSAGE, benchCsv } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const LOAD = fileURLToPath(new URL('./consent-load.js', import.meta.url));

/** A text list of `n` numbers: every other one of the render CSV's (+3161…), half spelled nationally, the rest elsewhere (+3162…). */
async function benchList(n: number): Promise<string> {
  const path = join(tmpdir(), `chirp-bench-optouts-${n}.txt`);
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.tmp`);
  out.write('# benchmark opt-outs\n');
  for (let i = 0; i < n; i++) {
    const line = i % 10 === 0 ? `06 1${String(i).padStart(7, '0')}  # 2026-12-01 STOP\n` : `+3162${String(i * 2).padStart(7, '0')}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${path}.tmp`, path);
  return path;
}

function catalog(list: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'chirp-bench-consent-'));
  mkdirSync(join(root, 'messages'), { recursive: true });
  writeFileSync(
    join(root, 'chirp.config.yaml'),
    `workspace: 2f1c3a4e-0000-4000-8000-000000000001\ndefaultCountry: NL\nchannels:\n  whatsapp: 9b8c7d6e-0000-4000-8000-000000000002\n${list ? `suppress: [${JSON.stringify(list)}]\n` : ''}`,
  );
  writeFileSync(join(root, 'messages', 'bench.yaml'), BENCH_MESSAGE);
  return root;
}

export async function benchConsent(): Promise<string> {
  const quick = process.env.CHIRP_BENCH_QUICK === '1';
  const entries = quick ? 100_000 : 1_000_000;
  const rowsN = quick ? 100_000 : 1_000_000;
  const list = await benchList(entries);
  const load = await measureNode(['--expose-gc', LOAD, list]);
  if (load.code !== 0) throw new Error(`consent load bench failed: ${load.stderr.slice(0, 500)}`);
  const l = JSON.parse(load.stdout) as {
    entries: number;
    seconds: number;
    cpuSeconds: number;
    rssMb: number;
    heldMb: number;
    lookupNs: number;
  };
  const csv = await benchCsv(rowsN);
  const plain = await measureNode([CLI, 'render', 'bench', '--data', csv], { cwd: catalog(undefined), discardStdout: true });
  const checked = await measureNode([CLI, 'render', 'bench', '--data', csv], { cwd: catalog(list), discardStdout: true });
  if (plain.code !== 0 || checked.code !== 0) throw new Error(`consent render bench failed: ${checked.stderr.slice(0, 500)}`);
  const suppressed = /(\d+) rows? suppressed/.exec(checked.stderr)?.[1] ?? '0';
  // The list's load is paid once per run; the per-row check (one lookup) is what render pays per row.
  const perRowNs = (plain.seconds / rowsN) * 1e9;
  return (
    table(
      ['list entries', 'load s (wall)', 'load s (CPU)', 'held MB', 'RSS growth MB', 'lookup ns/row (CPU)', 'lookup / render row'],
      [
        [
          fmt(l.entries),
          fmt(l.seconds, 2),
          fmt(l.cpuSeconds, 2),
          fmt(l.heldMb, 1),
          fmt(l.rssMb, 1),
          fmt(l.lookupNs, 0),
          `${fmt((l.lookupNs / perRowNs) * 100, 2)}%`,
        ],
      ],
    ) +
    '\n\n' +
    table(
      ['rows', 'render s (no list)', 'render s (with the list, its load included)', 'suppressed'],
      [[fmt(rowsN), fmt(plain.seconds, 2), fmt(checked.seconds, 2), suppressed]],
    ) +
    '\n\nGoal: a 1,000,000-number list loads in < 2 s and < 60 MB (held); checking costs render < 5% (one hash lookup per row: ' +
    '"lookup / render row"). The list is 90% E.164 and 10% national spellings (`06 1…`), which go through the full ' +
    'phone parse (≈7 µs each); wall times on a shared machine vary, CPU times less.'
  );
}
