// A suppression list's numbers written without a country code, and a `receiver:`'s identifiers, are read
// in the country of the message they are checked for (its own `defaultCountry`, else the config's), never
// in the config's for every message: an opted-out person is never sent to because their number was read
// as another country's, and an entry that cannot be read for a message's country stops that message.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { CANARY_KEY, NOTICE } from '../helpers/send.js';
import { tempDir } from '../helpers/temp.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** NL config; `be` reads numbers in BE (its own defaultCountry), `nl` in the config's NL. */
function catalog(list: string, rows: string, extra: Record<string, string> = {}): string {
  return makeCatalog({
    'chirp.config.yaml': `${TEST_CONFIG}defaultCountry: NL\nsuppress: [optouts.txt]\n`,
    'optouts.txt': list,
    'messages/be.yaml': `defaultCountry: BE\n${NOTICE}`,
    'messages/nl.yaml': NOTICE,
    'rows.csv': rows,
    ...extra,
  });
}

async function send(root: string, message: string, args: string[] = []): Promise<CliResult> {
  fake ??= await startFakeBird({ accessKey: CANARY_KEY });
  return runCli(['send', message, '--data', 'rows.csv', '--journal', tempDir('chirp-journal-'), '--yes', '--format', 'json', ...args], {
    cwd: root,
    env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
  });
}

const reached = (): string[] => fake!.accepted.map((m) => m.recipient!).sort();

describe("a suppression list's numbers without a country code, read in each message's country", () => {
  it("a Belgian number on the list (not a number in the config's NL) keeps the Belgian recipient of a BE message out", async () => {
    // 02 123 45 67 is a Brussels number; in NL it is no number at all.
    const root = catalog('02 123 45 67  # replied STOP\n', 'phone,name\n02 123 45 67,Ada\n02 123 45 68,Bo\n');
    const sent = await send(root, 'be');
    expect(sent.stderr).not.toMatch(/E_SUPPRESS_LIST/);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ status: 'complete', accepted: 1, suppressed: 1 });
    expect(reached()).toEqual(['+3221234568']);
  });

  it('a number valid in both countries is suppressed only for the person of the message’s country', async () => {
    // 0475 12 34 56 is a Belgian mobile (+32475123456) and a number in Roermond, NL (+31475123456).
    const root = catalog('0475 12 34 56\n', 'phone,name\n+32475123456,Belgian\n+31475123456,Dutch\n');
    const be = await send(root, 'be');
    expect(be.code).toBe(0);
    expect(JSON.parse(be.stdout)).toMatchObject({ accepted: 1, suppressed: 1 });
    expect(reached()).toEqual(['+31475123456']);
    const nl = await send(root, 'nl');
    expect(nl.code).toBe(0);
    expect(JSON.parse(nl.stdout)).toMatchObject({ accepted: 1, suppressed: 1 });
    expect(reached()).toEqual(['+31475123456', '+32475123456']);
  });

  it('fails closed: an entry that is no number in the message’s country stops that message, naming file:line and the way out', async () => {
    // 06 1234 5678 is a Dutch mobile; in BE it is no valid number.
    const root = catalog('+32475000001\n06 1234 5678\n', 'phone,name\n+32475123456,Ada\n+31612345679,Bo\n');
    const be = await send(root, 'be');
    expect(be.code).toBe(2);
    expect(be.stderr).toContain('E_SUPPRESS_LIST');
    expect(be.stderr).toMatch(
      /optouts\.txt:2: "06 1234 5678" is not a valid number for BE \(read as a number in BE\): BE is the defaultCountry of message be,/,
    );
    expect(be.stderr).toMatch(/write it with its country code in the list \(\+<country code><number>\)/);
    expect(be.stderr).not.toMatch(/\n\s+at /);
    expect(fake!.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    // The Dutch message reads it as a Dutch number: sent, the listed person skipped.
    const nl = await send(root, 'nl');
    expect(nl.code).toBe(0);
    expect(JSON.parse(nl.stdout)).toMatchObject({ accepted: 2, suppressed: 0 });
    // render and plan stop the same way.
    const render = await runCli(['render', 'be', '--data', 'rows.csv'], { cwd: root });
    expect(render.code).toBe(2);
    expect(render.stderr).toMatch(/optouts\.txt:2: /);
  });

  it("a receiver's identifiers are read in the message's country", async () => {
    const root = catalog(
      '+32475123456\n+31475123499\n',
      'phone,alt,name\n+32470000001,0475 12 34 56,Ada\n+32470000002,0475 12 34 99,Bo\n',
      {
        'messages/rcv.yaml': `channel: whatsapp
defaultCountry: BE
receiver:
  contacts:
    - identifierKey: phonenumber
      identifierValue: "{{phone}}"
      identifiers:
        - { identifierKey: phonenumber, identifierValue: "{{alt}}" }
variables:
  phone: { type: string }
  alt: { type: string }
  name: { type: string }
required: [phone, alt, name]
body: { type: text, text: { text: "Hi {{name}}" } }
`,
      },
    );
    const sent = await send(root, 'rcv');
    expect(sent.stderr).not.toMatch(/error/);
    expect(sent.code).toBe(0);
    // Ada's other number is the opted-out Belgian one; Bo's, read in BE, is not the listed Dutch number.
    expect(JSON.parse(sent.stdout)).toMatchObject({ accepted: 1, suppressed: 1 });
    expect(reached()).toEqual(['+32470000002']);
  });

  it('a saved plan is checked again at send time in the message’s country', async () => {
    const root = catalog('', 'phone,name\n+32475123456,Belgian\n+31475123456,Dutch\n');
    const planFile = join(root, 'plan.json');
    const planned = await runCli(['plan', 'be', '--data', 'rows.csv', '--out', planFile], { cwd: root });
    expect(planned.code).toBe(0);
    expect(JSON.parse(readFileSync(planFile, 'utf8'))).toMatchObject({ defaultCountry: 'BE' });
    // The Belgian opts out after the plan was reviewed, written the Belgian way.
    writeFileSync(join(root, 'optouts.txt'), '0475 12 34 56\n');
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const sent = await runCli(['send', planFile, '--journal', tempDir('chirp-journal-'), '--yes', '--format', 'json'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ accepted: 1, suppressed: 1 });
    expect(reached()).toEqual(['+31475123456']);
  });

  it("suppress check without --message reads the data and the list's national numbers in the config's country", async () => {
    const root = catalog('0475 12 34 56\n', 'phone,name\n+32475123456,Belgian\n+31 475 12 34 56,Dutch\n');
    const check = await runCli(['suppress', 'check', 'rows.csv', '--reveal', '--format', 'json'], { cwd: root });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ rows: 2, suppressed: 1, skipped: [{ row: 2, recipient: '+31475123456' }] });
    const be = await runCli(['suppress', 'check', 'rows.csv', '--message', 'be', '--reveal', '--format', 'json'], { cwd: root });
    expect(JSON.parse(be.stdout)).toMatchObject({ rows: 2, suppressed: 1, skipped: [{ row: 1, recipient: '+32475123456' }] });
  });
});

describe('suppress add and a number without a country code', () => {
  it('reads it in --country, else the config’s defaultCountry, says so, and stores it with its country code', async () => {
    const root = catalog('', 'phone,name\n');
    const add = (...args: string[]) => runCli(['suppress', 'add', ...args], { cwd: root });
    const be = await add('0475 12 34 56', '--country', 'BE');
    expect(be.code).toBe(0);
    expect(be.stdout).toBe('added +32475123456 to optouts.txt\n');
    expect(be.stderr).toBe('note: 0475 12 34 56 has no country code: read in BE as +32475123456\n');
    const nl = await add('0475 12 34 56');
    expect(nl.code).toBe(0);
    expect(nl.stdout).toBe('added +31475123456 to optouts.txt\n');
    expect(nl.stderr).toMatch(
      /read in NL \(defaultCountry of chirp\.config\.yaml\) as \+31475123456; for a number of another country give --country/,
    );
    expect(readFileSync(join(root, 'optouts.txt'), 'utf8')).toMatch(/^\+32475123456 {2}# \S+\n\+31475123456 {2}# \S+\n$/);
    // An international number needs no country; --country changes nothing about it.
    const intl = await add('+32 470 00 00 01', '--country', 'NL');
    expect(intl.stdout).toBe('added +32470000001 to optouts.txt\n');
    expect(intl.stderr).toBe('');
    const unknown = await add('0475 12 34 56', '--country', 'XX');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--country XX is not a country.*E_USAGE/s);
    const invalid = await add('06 1234 5678', '--country', 'BE');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/not a valid number for BE.*--country.*E_RECEIVER_INVALID/s);
  });
});

describe('plan --base and numbers without a country code', () => {
  it("counts a listed number as the person of each message's country", async () => {
    const notice = (country: string, phones: string[]) =>
      `defaultCountry: ${country}\n${NOTICE.replace(/examples:[\s\S]*$/, `examples:\n${phones.map((p) => `  - { phone: "${p}", name: Ada }\n`).join('')}`)}`;
    const root = catalog('', 'phone,name\n', {
      'messages/be.yaml': notice('BE', ['+32475123456', '+32470000001']),
      'messages/nl.yaml': notice('NL', ['+32475123456', '+31470000001']),
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
          GIT_CONFIG_GLOBAL: '/dev/null',
        },
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    // The Belgian mobile 0475 12 34 56 opts out, written the Belgian way; in NL it is another person (+31475123456).
    writeFileSync(join(root, 'optouts.txt'), '0475 12 34 56\n');
    const plan = await runCli(['plan', '--base', 'main', '--format', 'json'], { cwd: root });
    expect(plan.stderr).toBe('');
    expect((JSON.parse(plan.stdout) as { consent: unknown }).consent).toEqual({
      lists: [{ file: 'optouts.txt', change: 'edited' }],
      entriesAdded: 1,
      entriesRemoved: 0,
      messages: [{ id: 'be', newlySkipped: 1, noLongerSkipped: 0 }],
    });
  });
});
