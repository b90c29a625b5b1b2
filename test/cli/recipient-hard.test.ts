// The adversarial pass on recipients, through the built CLI: a foreign number written without its +
// read as a number of the default country, and an opted-out e-mail address written with an invisible
// character, a scheme or a trailing dot. Each row is refused with its row, column and way out, and
// nothing is sent.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeCatalog, TEST_CONFIG } from '../helpers/catalog.js';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { CANARY_KEY } from '../helpers/send.js';

let fake: FakeBird | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const CONFIG = `${TEST_CONFIG}  mail: { id: 00000000-0000-4000-8000-000000000003, platform: email }
suppress: [optouts.txt]
`;

const phoneMessage = (country: string) => `channel: whatsapp
defaultCountry: ${country}
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}"
examples:
  - { phone: "+4915112345678", name: Ada }
`;

const MAIL = `channel: mail
to: "{{email}}"
variables:
  email: { type: string }
  name: { type: string }
required: [email, name]
body:
  type: text
  text:
    text: "Hi {{name}}"
examples:
  - { email: "bo@x.com", name: Bo }
`;

const CC = `channel: mail
receiver:
  contacts:
    - { identifierKey: emailaddress, identifierValue: "{{email}}" }
    - { identifierKey: emailaddress, identifierValue: "{{cc}}", type: cc }
variables:
  email: { type: string }
  cc: { type: string }
  name: { type: string }
body: { type: text, text: { text: "Hi {{name}}" } }
examples:
  - { email: "bo@x.com", cc: "cy@x.com", name: Bo }
`;

/** Foreign numbers without their + in a DE list, then the same person with +, and a German number. */
const DE_ROWS = 'phone,name\n4915112345678,Ada\n447911123456,Bo\n31612345678,Cy\n+4915112345678,Ada\n015112345679,Di\n';

/** An opted-out address in the spellings that hid it, then the address itself, then someone else. */
const MAIL_ROWS = [
  'email,name',
  'ada\u200b@x.com,A',
  'ada@x.com\u200b,B',
  'ada@x.com\u00ad,C',
  '\u200eada@x.com,D',
  'mailto:ada@x.com,E',
  'MAILTO:ada@x.com,F',
  'ada@x.com.,G',
  'ada@x.com,H',
  'bo@x.com,I',
  '',
].join('\n');

function catalog(files: Record<string, string>): string {
  return makeCatalog({ 'chirp.config.yaml': CONFIG, 'optouts.txt': 'ada@x.com\n', ...files });
}

describe('a foreign number written without its + (hole 1)', () => {
  it('render refuses each ambiguous row naming row, column, both readings and the way out', async () => {
    const root = catalog({ 'messages/de.yaml': phoneMessage('DE'), 'rows.csv': DE_ROWS });
    const result = await runCli(['render', 'de', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.includes('E_PHONE_AMBIGUOUS'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^rows\.csv:2:1 {2}error {2}E_PHONE_AMBIGUOUS {2}row 1: recipient "4915112345678" could be two numbers/);
    expect(lines[0]).toContain('+494915112345678');
    expect(lines[0]).toMatch(/write \+494915112345678 .* or \+4915112345678 if the other one is/);
    expect(lines[0]).toContain('(column 1, "phone")');
    expect(lines[1]).toMatch(/^rows\.csv:3:1 .*\+447911123456/);
    expect(lines[2]).toMatch(/^rows\.csv:4:1 .*\+31612345678/);
    // Never the wrong German numbers; the person written with + once, the German number read nationally.
    expect(result.stdout).not.toMatch(/\+49(4915|4479|3161)/);
    const sent = result.stdout.trim().split('\n');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('"+4915112345678"');
    expect(sent[1]).toContain('"+4915112345679"');
  });

  it('an Italian list: a Belgian mobile without + is refused, Italian mobiles are read as they are', async () => {
    const root = catalog({ 'messages/it.yaml': phoneMessage('IT'), 'rows.csv': 'phone,name\n32470123456,Ada\n3471234567,Bo\n' });
    const result = await runCli(['render', 'it', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rows\.csv:2:1 {2}error {2}E_PHONE_AMBIGUOUS {2}row 1: .*\+32470123456/);
    expect(result.stdout).not.toContain('+3932470123456');
    expect(result.stdout).toContain('"+393471234567"');
  });

  it('send sends nothing', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = catalog({ 'messages/de.yaml': phoneMessage('DE'), 'rows.csv': DE_ROWS });
    const result = await runCli(['send', 'de', '--data', 'rows.csv', '--yes'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/E_PHONE_AMBIGUOUS/);
    expect(result.stdout).toMatch(/nothing was sent/);
    expect(fake.accepted).toHaveLength(0);
  });

  it('a suppression list entry with two readings stops the run, naming file and line', async () => {
    const root = catalog({
      'chirp.config.yaml': `${CONFIG}defaultCountry: DE\n`,
      'optouts.txt': '+31612345670\n4915112345678\n',
      'messages/de.yaml': phoneMessage('DE'),
      'rows.csv': DE_ROWS,
    });
    const result = await runCli(['render', 'de', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/optouts\.txt:2: "4915112345678" could be two numbers: .* or \+4915112345678 /);
    expect(result.stderr).toMatch(/E_SUPPRESS_LIST/);
    expect(result.stdout).toBe('');
  });
});

describe('an opted-out e-mail address in another spelling (hole 2)', () => {
  it('render refuses every hiding spelling, suppresses the address, renders only the other person', async () => {
    const root = catalog({ 'messages/mail.yaml': MAIL, 'rows.csv': MAIL_ROWS });
    const result = await runCli(['render', 'mail', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    const refused = result.stderr.split('\n').filter((l) => / {2}error {2}E_RECEIVER_INVALID {2}row \d: recipient /.test(l));
    expect(refused.map((l) => /^rows\.csv:(\d+):1 /.exec(l)?.[1])).toEqual(['2', '3', '4', '5', '6', '7', '8']);
    expect(refused[0]).toMatch(/U\+200B/);
    expect(refused[2]).toMatch(/U\+00AD/);
    expect(refused[3]).toMatch(/U\+200E/);
    expect(refused[4]).toMatch(/"mailto:"; write the address alone/);
    expect(refused[6]).toMatch(/dot/);
    expect(result.stderr).toMatch(/1 row suppressed/);
    const sent = result.stdout.trim().split('\n');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('"bo@x.com"');
  });

  it('send sends nothing', async () => {
    fake = await startFakeBird({ accessKey: CANARY_KEY });
    const root = catalog({ 'messages/mail.yaml': MAIL, 'rows.csv': MAIL_ROWS });
    const result = await runCli(['send', 'mail', '--data', 'rows.csv', '--yes'], {
      cwd: root,
      env: { BIRD_API_URL: fake.url, BIRD_ACCESS_KEY: CANARY_KEY },
    });
    expect(result.code).toBe(1);
    expect(result.stdout.match(/E_RECEIVER_INVALID/g)).toHaveLength(7);
    expect(result.stdout).toMatch(/nothing was sent/);
    expect(fake.accepted).toHaveLength(0);
  });

  it('a cc contact in a hiding spelling is refused too, not compared as written and missed', async () => {
    const root = catalog({
      'messages/cc.yaml': CC,
      'rows.csv': 'email,cc,name\nbo@x.com,ada\u200b@x.com,Bo\ncy@x.com,mailto:ada@x.com,Cy\ndi@x.com,ada@x.com,Di\nel@x.com,fe@x.com,El\n',
    });
    const result = await runCli(['render', 'cc', '--data', 'rows.csv'], { cwd: root });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/rows\.csv:2:\d+ {2}error {2}E_RECEIVER_INVALID {2}row 1: receiver "ada\u200b@x\.com" .*U\+200B/);
    expect(result.stderr).toMatch(/rows\.csv:3:\d+ {2}error {2}E_RECEIVER_INVALID {2}row 2: receiver "mailto:ada@x\.com"/);
    expect(result.stderr).toMatch(/1 row suppressed/);
    expect(result.stdout).not.toMatch(/ada/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});
