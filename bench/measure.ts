// Run a command in a child process and measure wall time and peak RSS.
// Peak RSS comes from a preload (rss-preload.ts) that writes process.resourceUsage().maxRSS at exit,
// so the measured program itself needs no benchmark code.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./rss-preload.js', import.meta.url));

export interface Measurement {
  seconds: number;
  peakRssMb: number;
  /** CPU time of the process (user + system), steadier than wall time on a shared machine; NaN if unknown. */
  cpuSeconds: number;
  code: number | null;
  stderr: string;
  stdout: string;
}

export interface MeasureOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Send stdout to /dev/null (true) or capture it. */
  discardStdout?: boolean;
}

export function measureNode(args: string[], options: MeasureOptions = {}): Promise<Measurement> {
  const rssFile = join(mkdtempSync(join(tmpdir(), 'chirp-bench-')), 'rss');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const stdout = options.discardStdout ? openSync('/dev/null', 'w') : 'pipe';
    const child = spawn(process.execPath, ['--import', PRELOAD, ...args], {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CHIRP_BENCH_RSS_FILE: rssFile, ...options.env },
      stdio: ['ignore', stdout, 'pipe'],
    });
    let err = '';
    let out = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakRssMb = NaN;
      let cpuSeconds = NaN;
      try {
        const [rss, cpu] = readFileSync(rssFile, 'utf8').split('\n');
        peakRssMb = Number(rss) / 1024;
        cpuSeconds = Number(cpu) / 1e6;
      } catch {
        // the child died before its exit hook ran
      }
      resolve({ seconds, peakRssMb, cpuSeconds, code, stderr: err, stdout: out });
    });
  });
}

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
