// The bare baseline of the send benchmarks, in a process of its own as chirp's send is: the request
// bodies (one per line of the file, as `chirp render` printed them) are read into memory first, then
// the clock starts, undici is loaded (chirp loads it lazily inside its dispatch phase too) and the
// bodies go out in batches over a Pool, `concurrency` requests in flight, one connection each
// (pipelining 1, as chirp's Agent). No journal, no retries, no checks of the answer beyond its status.
// Prints {"rate": msg/s, "seconds": s, "cpuSeconds": s} (CPU: user + system over the timed part).
//   node build/bench/bare-send.js URL BODIES_FILE BATCH_SIZE CONCURRENCY
import { readFileSync } from 'node:fs';

const KEY = 'bench-key';
const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH = '9b8c7d6e-0000-4000-8000-000000000002';

const [url, file, batchArg, concurrencyArg] = process.argv.slice(2);
const batchSize = Number(batchArg);
const concurrency = Number(concurrencyArg);
const bodies = readFileSync(file!, 'utf8').split('\n');
if (bodies.at(-1) === '') bodies.pop();

const cpu = process.cpuUsage();
const started = process.hrtime.bigint();
const { Pool } = await import('undici');
const pool = new Pool(url!, { connections: concurrency, pipelining: 1 });
const path = batchSize === 1 ? `/workspaces/${WS}/channels/${CH}/messages` : `/workspaces/${WS}/channels/${CH}/batch/messages`;
const headers = { authorization: `AccessKey ${KEY}`, 'content-type': 'application/json', accept: 'application/json' };
let next = 0;
const worker = async (): Promise<void> => {
  while (next < bodies.length) {
    const slice = bodies.slice(next, next + batchSize);
    next += batchSize;
    const body = batchSize === 1 ? slice[0]! : `{"messageRequests":[${slice.join(',')}]}`;
    const res = await pool.request({ origin: url, path, method: 'POST', headers, body });
    await res.body.text();
    if (res.statusCode !== 202) throw new Error(`bare loop got ${res.statusCode}`);
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const used = process.cpuUsage(cpu);
await pool.close();
process.stdout.write(`${JSON.stringify({ rate: bodies.length / seconds, seconds, cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
