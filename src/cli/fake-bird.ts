#!/usr/bin/env node
// `chirp-fake-bird` (`npm run fake-bird`): the fake Bird server as a process, for trying chirp by hand
// and for users' own pipeline tests. The server itself, in fake-bird/, touches no process.*.
import { parseArgs } from 'node:util';
import { DEFAULT_LIFECYCLE_MIX, startFakeBird, type FakeBird, type FakeBirdOptions, type MessageStatus } from '../fake-bird/index.js';

const HELP = `Usage: chirp-fake-bird [options]

A fake Bird Channels API on loopback (127.0.0.1): both send endpoints, message status and listing,
contacts and service windows, Bird's status codes and error bodies, injectable faults. Accepted
messages move on to sent, then to delivered or failed (a seeded mix), so \`chirp status --wait\` ends.
Point chirp at it with BIRD_API_URL=http://127.0.0.1:PORT and BIRD_ACCESS_KEY=<access key>.
A contact's reply (for \`chirp status --replies\`): POST /_fake/inbound with the access key and
{"from": "+31612345678", "channelId": "<channel>", "text": "STOP"}; it is listed as incoming.

Options:
  --port N               port to listen on (default 8787; 0 = any free port)
  --host ADDR            loopback address to listen on (default 127.0.0.1)
  --access-key KEY       the key requests must carry (default test-key)
  --workspace ID         the workspace that exists (default: any); others get 404
  --channel ID           a channel that exists (repeat for more; default: any); others get 404
  --sent-after MS        age at which an accepted message is sent (default 500)
  --final-after MS       age at which it is delivered or failed (default 1500)
  --mix STATUS=W,...     weights of the final statuses (default ${mixText(DEFAULT_LIFECYCLE_MIX)})
  --no-lifecycle         keep every message accepted (statuses never move on)
  --seed N               seed of the mix and of --fault-rate (default 1)
  --fault-rate R         answer a share R (0..1) of requests with a random fault (429, 5xx, resets)
  --post-per-second N    rate limit on POSTs per workspace (429 above it)
  --get-per-second N     rate limit on GETs per workspace
  --no-record            keep counts only, not messages (for benchmarks)
  -h, --help             show this help

Examples:
  chirp-fake-bird
  chirp-fake-bird --port 0 --mix delivered=1 --final-after 200
  chirp-fake-bird --fault-rate 0.2 --seed 7
  chirp-fake-bird --channel 9b8c7d6e-0000-4000-8000-000000000002

Exit codes: 0 stopped by SIGINT/SIGTERM, 2 usage error (bad option, port in use).
`;

const FINAL: readonly MessageStatus[] = ['delivered', 'delivery_failed', 'sending_failed', 'rejected', 'skipped', 'deleted'];

function fail(message: string): never {
  process.stderr.write(`chirp-fake-bird: ${message}\n(run chirp-fake-bird --help for usage)\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'access-key': { type: 'string', default: 'test-key' },
      workspace: { type: 'string' },
      channel: { type: 'string', multiple: true },
      'fault-rate': { type: 'string' },
      seed: { type: 'string', default: '1' },
      'post-per-second': { type: 'string' },
      'get-per-second': { type: 'string' },
      'sent-after': { type: 'string', default: '500' },
      'final-after': { type: 'string', default: '1500' },
      mix: { type: 'string' },
      'no-lifecycle': { type: 'boolean', default: false },
      // Keep counts only, not message bodies: for benchmarks that push millions of messages.
      'no-record': { type: 'boolean', default: false },
      // A folder of template projects to serve (see FakeBirdOptions.templates).
      templates: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got ${values.port}`);
const seed = number('--seed', values.seed, { integer: true });
const options: FakeBirdOptions = {
  port,
  host: values.host,
  accessKey: values['access-key'],
  record: !values['no-record'],
  ...(values.workspace !== undefined ? { workspaceId: values.workspace } : {}),
  ...(values.channel !== undefined ? { channels: values.channel } : {}),
  ...(values.templates !== undefined ? { templates: values.templates } : {}),
};
if (values['post-per-second'] !== undefined || values['get-per-second'] !== undefined) {
  options.rateLimit = {
    postPerSecond: optionalNumber('--post-per-second', values['post-per-second']),
    getPerSecond: optionalNumber('--get-per-second', values['get-per-second']),
  };
}
if (!values['no-lifecycle']) {
  options.lifecycle = {
    sentAfterMs: number('--sent-after', values['sent-after']),
    finalAfterMs: number('--final-after', values['final-after']),
    seed,
  };
  if (values.mix !== undefined) options.lifecycle.mix = parseMix(values.mix);
}
const faultRate = optionalNumber('--fault-rate', values['fault-rate']);
if (faultRate !== undefined && faultRate > 1) fail(`--fault-rate must be between 0 and 1, got ${faultRate}`);

let fake: FakeBird;
try {
  fake = await startFakeBird(options);
  if (faultRate !== undefined) fake.faults.random({ rate: faultRate, seed });
} catch (error) {
  const code = (error as { code?: unknown }).code;
  fail(
    code === 'EADDRINUSE'
      ? `port ${port} is in use (try --port 0 for any free port)`
      : error instanceof Error
        ? error.message
        : String(error),
  );
}
process.stdout.write(`fake Bird listening on ${fake.url}\naccess key: ${fake.accessKey}\n`);

const stop = (): void => {
  void fake.close().then(() => {
    process.stderr.write(`fake Bird stopped: ${JSON.stringify(fake.stats)}\n`);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

function number(flag: string, text: string, { integer = false } = {}): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
    fail(`${flag} must be a${integer ? 'n integer' : ' number'} >= 0, got ${JSON.stringify(text)}`);
  }
  return n;
}

function optionalNumber(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : number(flag, text);
}

function parseMix(text: string): Partial<Record<MessageStatus, number>> {
  const mix: Partial<Record<MessageStatus, number>> = {};
  for (const part of text.split(',')) {
    const [status, weight, ...rest] = part.split('=');
    if (status === undefined || weight === undefined || rest.length > 0 || !FINAL.includes(status.trim() as MessageStatus)) {
      fail(`--mix takes STATUS=WEIGHT pairs separated by commas, STATUS one of ${FINAL.join(', ')}; got ${JSON.stringify(part)}`);
    }
    mix[status.trim() as MessageStatus] = number(`--mix ${status}`, weight);
  }
  if (!Object.values(mix).some((w) => w > 0)) fail('--mix needs at least one status with a weight > 0');
  return mix;
}

function mixText(mix: Partial<Record<MessageStatus, number>>): string {
  return Object.entries(mix)
    .map(([s, w]) => `${s}=${w}`)
    .join(',');
}
