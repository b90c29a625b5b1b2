// A saved plan sent after its `sendAt` time has passed does what a fresh send would at that time
// (docs/message-format.md, past times): `ifPast: error` refuses the recipients (nothing is sent),
// `ifPast: now` sends them at once and says so; a message's own `scheduledFor` goes at once, as Bird
// sends any past time; a plan that does not record the rule is refused. Clocks injected.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { plan, send } from '../../src/index.js';
import { sealPlan, serializePlan, type SavedPlan } from '../../src/saved-plan/index.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { CANARY_KEY } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

const MADE = () => new Date('2026-03-10T06:00:00Z'); // the plan is made: 09:00 Amsterdam is 08:00Z, two hours ahead
const BEFORE = () => new Date('2026-03-10T07:59:00Z');
const AFTER = () => new Date('2026-03-10T08:30:00Z');

const message = (when: string) => `channel: whatsapp
to: "{{phone}}"
${when}variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: "Hi {{name}}"
`;
const SEND_AT = (ifPast: string) => `sendAt: { date: "2026-03-10", time: "09:00", timeZone: Europe/Amsterdam${ifPast} }\n`;

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function planAt(when: string): Promise<{ root: string; file: string; saved: SavedPlan }> {
  const root = makeCatalog({ 'messages/m.yaml': message(when), 'rows.csv': 'phone,name\n+31612345671,Ada\n+31612345672,Bo\n' });
  const made = await plan({ cwd: root, env: {}, now: MADE, messages: ['m'], data: { path: join(root, 'rows.csv') }, save: true });
  if (made.kind !== 'saved') throw new Error(`not saved: ${JSON.stringify(made)}`);
  const file = join(root, 'plan.json');
  writeFileSync(file, serializePlan(made.plan));
  return { root, file, saved: made.plan };
}

async function sendPlan(root: string, now: () => Date) {
  fake ??= await startFakeBird({ accessKey: CANARY_KEY });
  const warnings: string[] = [];
  const run = await send({
    cwd: root,
    env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    now,
    message: 'plan.json',
    journal: tempDir('chirp-journal-'),
    confirm: () => Promise.resolve(true),
    warn: (w) => warnings.push(w),
  });
  return { report: run.report, warnings };
}

describe('a saved plan sent after its sendAt has passed', () => {
  it('ifPast: error (the default): every passed recipient is refused, nothing is sent, as a fresh send would', async () => {
    const { root, saved } = await planAt(SEND_AT(''));
    expect(saved.sendAt).toEqual({ ifPast: 'error' });
    expect(saved.requests.map((r) => r.body.scheduledFor)).toEqual(['2026-03-10T08:00:00Z', '2026-03-10T08:00:00Z']);
    const { report } = await sendPlan(root, AFTER);
    expect(report.status).toBe('refused');
    expect(report.invalid).toBe(2);
    expect(report.samples.invalid[0]!.code).toBe('E_SEND_AT_PAST');
    expect(report.samples.invalid[0]!.message).toMatch(
      /request 1: its scheduledFor 2026-03-10T08:00:00Z has passed \(the plan was made at 2026-03-10T06:00:00.000Z\); the message's `sendAt` has `ifPast: error`/,
    );
    expect(fake!.accepted).toHaveLength(0);
    // What a fresh send says at that time.
    const fresh = await send({
      cwd: root,
      env: { BIRD_API_URL: fake!.url, BIRD_ACCESS_KEY: CANARY_KEY },
      now: AFTER,
      message: 'm',
      data: { path: join(root, 'rows.csv') },
      journal: tempDir('chirp-journal-'),
      confirm: () => Promise.resolve(true),
    });
    expect(fresh.report.status).toBe('refused');
    expect(fresh.report.samples.invalid.map((d) => d.code)).toEqual(['E_SEND_AT_PAST', 'E_SEND_AT_PAST']);
  });

  it('before the time: scheduled as planned, nothing said', async () => {
    const { root, saved } = await planAt(SEND_AT(''));
    const { report, warnings } = await sendPlan(root, BEFORE);
    expect(report.status).toBe('complete');
    expect(fake!.accepted.map((m) => m.request)).toEqual(saved.requests.map((r) => r.body));
    expect(warnings).toEqual([]);
  });

  it('ifPast: now: sent at once, and the run says so', async () => {
    const { root, saved } = await planAt(SEND_AT(', ifPast: now'));
    expect(saved.sendAt).toEqual({ ifPast: 'now' });
    const { report, warnings } = await sendPlan(root, AFTER);
    expect(report.status).toBe('complete');
    expect(report.accepted).toBe(2);
    // The reviewed bytes go out as they are: Bird sends a past scheduledFor at once.
    expect(fake!.accepted.map((m) => m.request)).toEqual(saved.requests.map((r) => r.body));
    expect(warnings).toEqual([
      "2 requests of plan.json were scheduled for a time that has passed since the plan was made (2026-03-10T06:00:00.000Z): Bird sends them at once (the message's `sendAt` has `ifPast: now`)",
    ]);
  });

  it("a message's own scheduledFor goes at once, as in a fresh send; a plan without the rule is refused", async () => {
    const own = await planAt('scheduledFor: "2026-03-10T08:00:00Z"\n');
    expect(own.saved.sendAt).toBeNull();
    const sent = await sendPlan(own.root, AFTER);
    expect(sent.report.accepted).toBe(2);
    expect(sent.warnings[0]).toMatch(/^2 requests of plan\.json were scheduled for a time that has passed .*: Bird sends them at once$/);

    // An older chirp's plan (no `sendAt` field): where the time came from is unknown.
    const { sendAt: _sendAt, hash: _hash, ...rest } = JSON.parse(readFileSync(own.file, 'utf8')) as SavedPlan;
    writeFileSync(own.file, serializePlan(sealPlan(rest)));
    const old = await sendPlan(own.root, AFTER);
    expect(old.report.status).toBe('refused');
    expect(old.report.samples.invalid[0]!.message).toMatch(/does not record the message's `sendAt` rule .*: make the plan again/);
  });

  it('the CLI: a plan made in March, sent in December, is refused with the reason and nothing goes out', async () => {
    const { root } = await planAt(SEND_AT(''));
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const result = await runCli(['send', 'plan.json', '--yes', '--journal', tempDir('chirp-journal-')], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/E_SEND_AT_PAST {2}request 1: its scheduledFor 2026-03-10T08:00:00Z has passed/);
    expect(result.stdout).toMatch(/nothing was sent/);
    expect(fake.accepted).toHaveLength(0);
  });
});
