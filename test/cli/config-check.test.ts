// chirp.config.yaml is checked as strictly as a message file: a wrong channel id, workspace id or
// country, or an unknown key, stops validate, a dry run and a send at file:line:col. The fake Bird,
// told which channels exist, answers 404 for any other, as Bird's send endpoint does.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { CANARY_KEY, NOTICE } from '../helpers/send.js';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';

const WS = '2f1c3a4e-0000-4000-8000-000000000001';
const CHANNEL = '9b8c7d6e-0000-4000-8000-000000000002';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function catalog(config: string): string {
  const root = makeCatalog({ 'chirp.config.yaml': config, 'messages/notice.yaml': NOTICE });
  writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345678,Ada\n');
  return root;
}

describe('the config is checked like a message', () => {
  it('a channel id that is not a UUID stops validate, the dry run and the send at file:line:col', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY, channels: [CHANNEL] });
    const root = catalog(`workspace: ${WS}\nchannels: {whatsapp: not-a-uuid}\n`);
    const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/chirp\.config\.yaml:2:22 +error +E_CONFIG +channel id "not-a-uuid" is not a Bird id/);
    const dry = await runCli(['send', 'notice', '--data', 'rows.csv', '--dry-run'], { cwd: root, env });
    expect(dry.code).toBe(2);
    expect(dry.stdout).not.toMatch(/channel +not-a-uuid/);
    expect(dry.stderr).toMatch(/chirp\.config\.yaml:2:22 .*not-a-uuid/);
    const send = await runCli(['send', 'notice', '--data', 'rows.csv', '--yes'], { cwd: root, env });
    expect(send.code).toBe(2);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports every problem of the file at once: workspace, channel ids, defaultCountry, unknown keys', async () => {
    const root = catalog(
      [
        'workspace: my-workspace',
        'channels:',
        `  whatsapp: ${CHANNEL}`,
        '  sms: { id: sms-channel, platform: sms }',
        'defaultCountry: XX',
        'chanels: {}',
        '',
      ].join('\n'),
    );
    const result = await runCli(['validate'], { cwd: root });
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((l) => l.includes('chirp.config.yaml:'));
    expect(lines.map((l) => /chirp\.config\.yaml:(\d+:\d+)/.exec(l)?.[1])).toEqual(['1:12', '4:14', '5:17', '6:1']);
    expect(lines[0]).toMatch(/workspace "my-workspace" is not a Bird id/);
    expect(lines[1]).toMatch(/channel id "sms-channel" is not a Bird id/);
    expect(lines[2]).toMatch(/defaultCountry "XX"/);
    expect(lines[3]).toMatch(/E_UNKNOWN_PROPERTY .*"chanels".*did you mean `channels`/);
    // No noise from the other shape a channel may take.
    expect(result.stderr).not.toMatch(/must be (string|object)/);
  });

  it('BIRD_WORKSPACE_ID that is not a UUID is refused, naming the variable', async () => {
    const root = catalog(`workspace: ${WS}\nchannels: {whatsapp: ${CHANNEL}}\n`);
    const result = await runCli(['validate'], { cwd: root, env: { BIRD_WORKSPACE_ID: 'staging' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/BIRD_WORKSPACE_ID "staging" is not a Bird workspace id/);
  });

  it('the fake Bird answers 404 for a channel it was not told exists, and the send reports it', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY, channels: [CHANNEL] });
    // A well-formed id of a channel that does not exist: only Bird can say so.
    const root = catalog(`workspace: ${WS}\nchannels: {whatsapp: 00000000-0000-4000-8000-00000000dead}\n`);
    const env = { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY };
    const send = await runCli(['send', 'notice', '--data', 'rows.csv', '--yes', '--batch-size', '1', '--format', 'json'], {
      cwd: root,
      env,
    });
    expect(send.code).not.toBe(0);
    expect(fake.requests.some((r) => r.status === 404)).toBe(true);
    expect(fake.accepted).toHaveLength(0);
    expect(send.stdout).toMatch(/channel not found/);
    // The channel it knows works.
    const good = catalog(`workspace: ${WS}\nchannels: {whatsapp: ${CHANNEL}}\n`);
    const ok = await runCli(['send', 'notice', '--data', 'rows.csv', '--yes', '--batch-size', '1'], { cwd: good, env });
    expect(ok.code).toBe(0);
    expect(fake.accepted).toHaveLength(1);
  });
});
