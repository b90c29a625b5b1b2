#!/usr/bin/env node
// `npm run fake-bird`: the fake Bird server as a process, for trying chirp by hand.
// The fake's process entry (bin `chirp-fake-bird`); the server itself, in fake-bird/, touches no process.*.
import { parseArgs } from 'node:util';
import { startFakeBird, type FakeBird, type FakeBirdOptions } from '../fake-bird/index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'access-key': { type: 'string', default: 'test-key' },
    'fault-rate': { type: 'string' },
    seed: { type: 'string', default: '1' },
    'post-per-second': { type: 'string' },
    'get-per-second': { type: 'string' },
    // Keep counts only, not message bodies: for benchmarks that push millions of messages.
    'no-record': { type: 'boolean', default: false },
    // A folder of template projects to serve (see FakeBirdOptions.templates).
    templates: { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`fake-bird: --port must be a port number, got ${values.port}\n`);
  process.exit(2);
}
const options: FakeBirdOptions = { port, host: values.host, accessKey: values['access-key'], record: !values['no-record'], ...(values.templates !== undefined ? { templates: values.templates } : {}) };
if (values['post-per-second'] !== undefined || values['get-per-second'] !== undefined) {
  options.rateLimit = {
    postPerSecond: optionalNumber(values['post-per-second']),
    getPerSecond: optionalNumber(values['get-per-second']),
  };
}

let fake: FakeBird;
try {
  fake = await startFakeBird(options);
  if (values['fault-rate'] !== undefined) {
    fake.faults.random({ rate: Number(values['fault-rate']), seed: Number(values.seed) });
  }
} catch (error) {
  process.stderr.write(`fake-bird: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
process.stdout.write(`fake Bird listening on ${fake.url}\naccess key: ${fake.accessKey}\n`);

const stop = (): void => {
  void fake.close().then(() => {
    process.stderr.write(`fake Bird stopped: ${JSON.stringify(fake.stats)}\n`);
  });
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}
