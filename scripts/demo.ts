// `npm run demo`: the whole pipeline with no Bird account. Starts the fake Bird on 127.0.0.1,
// validates the example catalog, previews and really sends the example release notice to it,
// shows what the fake received, follows the deliveries (status --wait), sends again (nothing goes
// out twice), and stops.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeBird } from '../src/fake-bird/index.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
const accessKey = 'demo-key';
// Messages move on as Bird's do (sent, then delivered), quickly, so `status --wait` has something to follow.
const fake = await startFakeBird({ accessKey, lifecycle: { sentAfterMs: 300, finalAfterMs: 800, mix: { delivered: 1 } } });
const journal = mkdtempSync(join(tmpdir(), 'chirp-demo-journal-'));
const env = { ...process.env, BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: accessKey };

// Asynchronous on purpose: the fake Bird answers from this process's event loop.
async function chirp(...args: string[]): Promise<number> {
  console.log(`\n$ chirp ${args.join(' ')}`);
  const child = spawn(process.execPath, [cli, ...args], { cwd: repo, env, stdio: 'inherit' });
  const [code] = (await once(child, 'close')) as [number | null];
  return code ?? 1;
}

let failed = false;
try {
  console.log(`fake Bird listening on ${fake.url} (BIRD_API_URL), journal in ${journal}`);
  failed ||= (await chirp('validate')) !== 0;
  failed ||= (await chirp('send', 'releases/notice', '--data', 'docs/examples/recipients.csv', '--dry-run')) !== 0;
  failed ||= (await chirp('send', 'releases/notice', '--data', 'docs/examples/recipients.csv', '--yes', '--journal', journal)) !== 0;
  console.log(`\nThe fake Bird accepted ${fake.accepted.length} messages:`);
  for (const m of fake.accepted) {
    const text = (m.request as { body?: { text?: { text?: string } } }).body?.text?.text ?? '';
    console.log(`  ${m.recipient ?? '?'}  ${JSON.stringify(text.split('\n')[0])}`);
  }
  failed ||= (await chirp('status', '--wait', '--interval', '1', '--timeout', '60', '--journal', journal)) !== 0;
  failed ||= (await chirp('send', 'releases/notice', '--data', 'docs/examples/recipients.csv', '--yes', '--journal', journal)) !== 0;
  console.log(`\nAfter the second send the fake still holds ${fake.accepted.length} messages.`);
} finally {
  await fake.close();
}
process.exitCode = failed ? 1 : 0;
