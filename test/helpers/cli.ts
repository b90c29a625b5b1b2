// Run the CLI: in this process through its own entry (`main` with the run's streams, env and cwd), or
// spawned from the build (dist/) the way a user runs it, for what only a process shows: signals, pipes,
// the real exit status. CHIRP_TEST_SPAWN=1 spawns every run (a check that both agree).
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { makeIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** Run as a child process of the build (default: in this process, unless CHIRP_TEST_SPAWN=1). */
  spawn?: boolean;
  /**
   * In this process: every retry backoff of the run waits 0 ms, the retries themselves still happen (for
   * cases about how chirp gives up, not when). Math.random is the transport's only randomness, its
   * full jitter (src/transport/settings.ts): it returns 0 during the run. A spawned run waits as usual.
   */
  instantRetries?: boolean;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  if (options.spawn || process.env.CHIRP_TEST_SPAWN === '1') return spawnCli(args, options).done;
  return inProcess(args, options);
}

/** A minimal environment: nothing of the developer's (keys, proxies, CI variables) leaks into a test. */
function cliEnv(options: CliOptions): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    ...options.env,
  };
}

// In-process runs share process.exitCode: one at a time (a Promise.all of runs still works, in turn).
let queue: Promise<unknown> = Promise.resolve();

function inProcess(args: string[], options: CliOptions): Promise<CliResult> {
  const run = queue.then(async (): Promise<CliResult> => {
    const collect = (): { stream: PassThrough; text: () => string } => {
      const stream = new PassThrough();
      let text = '';
      stream.setEncoding('utf8').on('data', (d: string) => (text += d));
      return { stream, text: () => text };
    };
    const [out, err] = [collect(), collect()];
    const stdin = Readable.from([options.input ?? '']);
    // V8's settings for send, status and big renders (src/cli/heap.ts) are for chirp's own process: set
    // here they would stay on in this test worker for every later file. Spawned runs keep them.
    const env = { CHIRP_DEFAULT_GC: '1', ...cliEnv(options) };
    const io = makeIo({ cwd: options.cwd ?? REPO, env, stdout: out.stream, stderr: err.stream, stdin });
    const before = process.exitCode;
    const tz = process.env.TZ;
    const random = Math.random;
    if (options.instantRetries) Math.random = () => 0;
    process.exitCode = undefined;
    process.env.TZ = io.env.TZ; // Node re-reads TZ when it is assigned: dates print as in a spawned run
    try {
      await main([process.execPath, CLI, ...args], io);
      const code = process.exitCode ?? 0;
      await new Promise((r) => setImmediate(r));
      return { code: Number(code), signal: null, stdout: out.text(), stderr: err.text() };
    } finally {
      Math.random = random;
      process.exitCode = before;
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Like runCli, with the child process at hand (to signal or kill it). */
export function spawnCli(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const env = cliEnv(options);
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
  return { child, done };
}

/** A stack trace looks like "    at fn (file:line:col)". None may ever reach a user. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text);
}
