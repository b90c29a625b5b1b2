// Rendering throughput and peak RSS: chirp render vs the bare pipeline, same CSV, same run.
import { fileURLToPath } from 'node:url';
import { benchCatalog, benchCsv } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const BARE = fileURLToPath(new URL('./bare-render.js', import.meta.url));

export async function benchRender(): Promise<string> {
  const quick = process.env.CHIRP_BENCH_QUICK === '1';
  const sizes = quick ? [10_000, 100_000] : [100_000, 1_000_000];
  const root = benchCatalog();
  const rows: (string | number)[][] = [];
  for (const size of sizes) {
    const csv = await benchCsv(size);
    const bare = await measureNode([BARE, csv], { discardStdout: true });
    const chirp = await measureNode([CLI, 'render', 'bench', '--data', csv], { cwd: root, discardStdout: true });
    if (chirp.code !== 0 || bare.code !== 0)
      throw new Error(`render bench failed: ${chirp.stderr.slice(0, 500)} ${bare.stderr.slice(0, 500)}`);
    const bareRate = size / bare.seconds;
    const chirpRate = size / chirp.seconds;
    rows.push([
      fmt(size),
      fmt(bareRate),
      fmt(bare.peakRssMb),
      fmt(chirpRate),
      fmt(chirp.peakRssMb),
      `${fmt((chirpRate / bareRate) * 100)}%`,
    ]);
  }
  return (
    table(['recipients', 'bare rows/s', 'bare peak RSS MB', 'chirp rows/s', 'chirp peak RSS MB', 'chirp / bare'], rows) +
    '\n\nGoal: chirp ≥ 70% of the bare pipeline; peak RSS < 150 MB at both sizes.'
  );
}
