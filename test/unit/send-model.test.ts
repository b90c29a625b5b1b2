// Model-based test of the exactly-once promise (issue 10): fast-check generates fault schedules,
// interruptions (an abort at a random moment: the bounded shutdown) and user actions (send, send
// --retry-unknown, edit the text then send --only-unreached, feed the failures file back) against the
// fake Bird, through the library's send(). After every step:
//   - nobody has two messages, except recipients that were unknown when a --retry-unknown send began
//     (one more for each such send);
//   - nobody the journal folder records as accepted lacks a message;
// and once the faults stop, one more send leaves everyone with exactly one, or with none and held as
// unknown (a request Bird never processed, that chirp cannot prove absent without `status --reconcile`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird, type FaultSpec } from '../../src/fake-bird/index.js';
import { send } from '../../src/index.js';
import { indexFolder } from '../../src/journal/index.js';
import { recipientKey } from '../../src/send/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const N = 9;
const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CH = '9b8c7d6e-0000-4000-8000-000000000002';
const PHONES = Array.from({ length: N }, (_, i) => phone(i));

const FAULTS: (FaultSpec | undefined)[] = [
  undefined,
  { kind: 'status', status: 422 },
  { kind: 'status', status: 503, retryAfter: 0 },
  { kind: 'status', status: 429, retryAfter: 0 },
  { kind: 'reset-before' },
  { kind: 'reset-after' },
  { kind: 'raw', status: 200, body: '<html>proxy</html>' },
  { kind: 'raw', status: 202, body: '{"id":"', process: true },
  { kind: 'echo', status: 422 },
  { kind: 'latency', ms: 40 },
];

type Action =
  | { kind: 'send'; retryUnknown: boolean; faults: number[]; abortAfterMs: number | null }
  | { kind: 'feedback'; retryUnknown: boolean; faults: number[] }
  | { kind: 'edit' };

const faultList = fc.array(fc.integer({ min: 0, max: FAULTS.length - 1 }), { maxLength: 4 });
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('send' as const),
      retryUnknown: fc.boolean(),
      faults: faultList,
      abortAfterMs: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('feedback' as const), retryUnknown: fc.boolean(), faults: faultList }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('edit' as const) }) },
);

let fake: FakeBird;
beforeAll(async () => {
  fake = await startFakeBird({ accessKey: CANARY_KEY });
});
afterAll(async () => {
  await fake.close();
});

function counts(): Map<string, number> {
  const map = new Map<string, number>();
  for (const m of fake.accepted) if (m.recipient && m.status !== 'rejected') map.set(m.recipient, (map.get(m.recipient) ?? 0) + 1);
  return map;
}

describe('exactly once, under generated faults, interruptions and user actions', () => {
  it('holds its invariants after every step', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 5 }), async (actions) => {
        fake.accepted.length = 0;
        fake.requests.length = 0;
        fake.faults.clear();
        const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
        const journal = tempDir('chirp-model-');
        const data = join(root, 'rows.csv');
        writeFileSync(data, `phone,name\n${PHONES.map((p, i) => `${p},Person ${i}`).join('\n')}\n`);
        const failures = join(root, 'failures.csv');
        let version = 0;
        let haveFailures = false;
        const extra = new Map<string, number>();
        const keyOf = new Map(PHONES.map((p) => [recipientKey('notice', p, 1), p]));
        const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
        const index = () =>
          indexFolder(journal, {
            messageId: 'notice',
            destination: { apiOrigin: new URL(fake.url).origin, workspace: WS, channelId: CH, platform: 'whatsapp' },
          });

        const run = async (dataPath: string, retryUnknown: boolean, faults: number[], abortAfterMs: number | null): Promise<void> => {
          if (retryUnknown) {
            // Who may get a second message: those unknown right now.
            for (const [key, state] of (await index()).recipients) {
              const p = keyOf.get(key);
              if (p && (state.status === 'unknown' || state.status === 'pending')) extra.set(p, (extra.get(p) ?? 0) + 1);
            }
          }
          fake.faults.clear();
          for (const f of faults) {
            const spec = FAULTS[f];
            fake.faults.push(spec ? { ...spec, on: 'batch' } : { kind: 'latency', ms: 0, on: 'batch' });
          }
          const controller = new AbortController();
          const timer = abortAfterMs === null ? undefined : setTimeout(() => controller.abort(), abortAfterMs);
          try {
            const result = await send({
              cwd: root,
              env,
              message: 'notice',
              data: { path: dataPath },
              journal,
              batchSize: 3,
              concurrency: 2,
              rate: 1000,
              retryUnknown,
              onlyUnreached: version > 0,
              signal: controller.signal,
              confirm: () => Promise.resolve(true),
              pid: process.pid,
            });
            writeFileSync(failures, await result.failuresCsv());
            haveFailures = true;
            expect(JSON.stringify(result.report)).not.toContain(CANARY_KEY);
          } finally {
            clearTimeout(timer);
          }
        };

        const check = async (): Promise<void> => {
          const now = counts();
          for (const p of PHONES) expect(now.get(p) ?? 0, p).toBeLessThanOrEqual(1 + (extra.get(p) ?? 0));
          for (const [key, state] of (await index()).recipients) {
            const p = keyOf.get(key);
            if (p && state.status === 'accepted') expect(now.get(p) ?? 0, `${p} is recorded as sent`).toBeGreaterThanOrEqual(1);
          }
        };

        for (const a of actions) {
          if (a.kind === 'edit') {
            version++;
            const file = join(root, 'messages', 'notice.yaml');
            writeFileSync(file, NOTICE.replace('chirp v2 is out', `chirp v2 is out (${version})`));
            continue;
          }
          if (a.kind === 'feedback' && !haveFailures) continue;
          await run(a.kind === 'feedback' ? failures : data, a.retryUnknown, a.faults, a.kind === 'send' ? a.abortAfterMs : null);
          await check();
        }
        // The faults stop: one more send.
        await run(data, false, [], null);
        await check();
        const final = counts();
        const states = (await index()).recipients;
        for (const p of PHONES) {
          const n = final.get(p) ?? 0;
          if (n === 0) expect(states.get(recipientKey('notice', p, 1))?.status, `${p} has no message`).toBe('unknown');
          else expect(n).toBeLessThanOrEqual(1 + (extra.get(p) ?? 0));
        }
      }),
      { numRuns: 30, seed: 20261201, endOnFailure: true },
    );
  }, 120_000);
});
