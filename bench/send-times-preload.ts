// Preloaded into a measured `chirp send` (node --import) to record when chirp hands each POST to
// undici: the moment its rate limiter let it go, before any socket, kernel or server queue. Written
// at exit to CHIRP_BENCH_SEND_TIMES, one epoch time in ms (fractional) per line. The arrival times at
// the fake Bird add loopback and event-loop jitter on the fake's side, which chirp does not control.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const file = process.env.CHIRP_BENCH_SEND_TIMES;
if (file) {
  // The same module instance chirp's transport loads (CommonJS cache, keyed by the resolved file).
  const undici = createRequire(import.meta.url)('undici') as typeof Undici;
  const proto = undici.Agent.prototype as { dispatch: Undici.Dispatcher['dispatch'] };
  const dispatch = proto.dispatch;
  const times: number[] = [];
  proto.dispatch = function (this: Undici.Agent, options, handler) {
    if (options.method === 'POST') times.push(performance.timeOrigin + performance.now());
    return dispatch.call(this, options, handler);
  };
  process.on('exit', () => writeFileSync(file, times.map((t) => t.toFixed(3)).join('\n')));
}
