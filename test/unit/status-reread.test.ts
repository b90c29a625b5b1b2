// Review of refresh-mem (#29): answers learnt while the run could not be written back (a send held it)
// are carried by key to the fresh read of the journal taken once the send let go, and written back then,
// not asked again and not lost.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { send, status } from '../../src/index.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { reopenJournal } from '../../src/journal/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { CANARY_KEY, NOTICE, phone } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('status --wait across a send that holds the run', () => {
  it('a delivery learnt while the run was held is written back after the reread, for its own key, not asked again', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
    writeFileSync(join(root, 'rows.csv'), `phone,name\n${[0, 1, 2].map((i) => `${phone(i)},P${i}`).join('\n')}\n`);
    const journal = tempDir('chirp-journal-');
    const base = { cwd: root, env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY }, journal };
    const sent = await send({
      ...base,
      message: 'notice',
      data: { path: join(root, 'rows.csv') },
      batchSize: 1,
      confirm: () => Promise.resolve(true),
    });
    expect(sent.report).toMatchObject({ accepted: 3 });
    const runId = sent.report.runId!;
    const first = fake.accepted[0]!;
    first.status = 'delivered';
    // "A send" holds the run: a live process's lock (this one), which status (given this pid) takes for its own, so it
    // asks Bird, but cannot write back.
    const held = await reopenJournal(journal, runId, () => new Date(), process.pid);
    let sleeps = 0;
    const warnings: string[] = [];
    const sleep = async (): Promise<void> => {
      sleeps++;
      if (sleeps === 1) {
        // The send goes on writing: the journal grows between two looks.
        await held.appendDurable([{ t: 'status', at: new Date().toISOString(), entries: [] }]);
        // From now on Bird no longer answers for the first message: only what status learnt before can say it was delivered.
        fake!.faults.set((r) => r.method === 'GET' && r.path.endsWith(first.id), { kind: 'status', status: 404 });
      } else if (sleeps === 2) {
        await held.close();
        for (const m of fake!.accepted.slice(1)) m.status = 'delivered';
      }
    };
    const { summary } = await status({
      ...base,
      pid: process.pid,
      wait: true,
      intervalSeconds: 0,
      timeoutSeconds: 20,
      sleep,
      warn: (w) => warnings.push(w),
    });
    expect(sleeps).toBeGreaterThanOrEqual(2);
    // The held path was taken: the first answers could not be written back then.
    expect(warnings.some((w) => /statuses not saved/.test(w))).toBe(true);
    expect(summary).toMatchObject({ delivered: 3, lookupFailed: 0 });
    const lines = readFileSync(join(journal, `${runId}.ndjson`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { t: string; entries?: string[][] });
    const entries = lines.filter((l) => l.t === 'status').flatMap((l) => l.entries!);
    const byKey = new Map(entries.map((e) => [e[0], e]));
    expect(byKey.size).toBe(3);
    for (const [, e] of byKey) expect(e[1]).toBe('delivered');
    // Each delivery is written for the key of its own message.
    for (const m of fake.accepted)
      expect(entries.find((e) => e[2] === m.id)?.[0]).toBe([...byKey.keys()].find((k) => byKey.get(k)![2] === m.id));
  }, 60_000);
});
