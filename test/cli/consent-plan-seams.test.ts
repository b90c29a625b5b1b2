// Seams between consent, locales and the plan's definition diff, found by an adversarial review: an
// opted-out receiver in any contact of `receiver:` is never sent to, and the plan sees every definition change.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../helpers/cli.js';
import { removeTempDirs, tempDir } from '../helpers/temp.js';

afterAll(() => removeTempDirs());

const CONFIG = `workspace: 00000000-0000-4000-8000-000000000000
channels:
  whatsapp: 00000000-0000-4000-8000-000000000001
  mail: { id: 00000000-0000-4000-8000-000000000002, platform: email }
defaultCountry: NL
suppress: [optouts.txt]
`;

function catalog(files: Record<string, string>): string {
  const root = tempDir();
  mkdirSync(join(root, 'messages'), { recursive: true });
  writeFileSync(join(root, 'chirp.config.yaml'), CONFIG);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const git = (root: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, encoding: 'utf8' });

describe('consent: every receiver of a request is checked', () => {
  it('an opted-out address in a second contact (cc) is never sent to', async () => {
    const root = catalog({
      'optouts.txt': 'boss@example.com\n',
      'messages/mail.yaml': `channel: mail
receiver:
  contacts:
    - { identifierKey: emailaddress, identifierValue: "{{email}}" }
    - { identifierKey: emailaddress, identifierValue: "{{cc}}", type: cc }
body: { type: text, text: { text: "Hi {{name}}" } }
`,
      'm.csv': 'email,cc,name\nada@example.com,boss@example.com,Ada\n',
    });
    const out = await runCli(['render', 'mail', '--data', 'm.csv'], { cwd: root });
    expect(out.stdout).not.toContain('boss@example.com');
    expect(out.stderr).toMatch(/suppressed|opted out/i);
  });

  it("an opted-out number given in a contact's `identifiers` is never sent to", async () => {
    const root = catalog({
      'optouts.txt': '+31612345679\n',
      'messages/ids.yaml': `channel: whatsapp
receiver:
  contacts:
    - identifiers:
        - { identifierKey: phonenumber, identifierValue: "{{phone}}" }
body: { type: text, text: { text: "Hi {{name}}" } }
`,
      's.csv': 'phone,name\n+31612345679,Grace\n',
    });
    const out = await runCli(['render', 'ids', '--data', 's.csv'], { cwd: root });
    expect(out.stdout).not.toContain('+31612345679');
  });

  it('a contact given by id only cannot be checked while lists are configured: the row is refused, not sent', async () => {
    const root = catalog({
      'optouts.txt': '+31612345679\n',
      'messages/byid.yaml': `channel: whatsapp
receiver:
  contacts:
    - { id: "{{contact}}" }
body: { type: text, text: { text: "Hi {{name}}" } }
`,
      'c.csv': 'contact,name\n6f0b5a7e-0000-4000-8000-00000000000a,Grace\n',
    });
    const out = await runCli(['render', 'byid', '--data', 'c.csv'], { cwd: root });
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('E_RECEIVER_INVALID');
    expect(out.stderr).toContain('suppression lists');
  });
});

describe('plan --base: a definition change is a change whatever the rows render', () => {
  const loc = (nl: string): string => `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
body: { type: text, text: { text: "Hi {{name}}" } }
translations:
  nl:
    body: { type: text, text: { text: "${nl} {{name}}" } }
`;
  it('a changed translation no plan row is in is reported as a change', async () => {
    const root = catalog({ 'optouts.txt': '', 'messages/loc.yaml': loc('Hoi'), 'l.csv': 'phone,name,lang\n+31612345670,Bob,en\n' });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    writeFileSync(join(root, 'messages/loc.yaml'), loc('Dag'));
    const plan = await runCli(['plan', 'loc', '--base', 'HEAD', '--data', 'l.csv', '--detailed-exitcode'], { cwd: root });
    // Today: "0 changed, 1 unchanged", exit 0.
    expect(plan.code).toBe(2);
  });

  it('removing `consent:` is reported as a change (docs/sending.md: "adding it is a change of the message")', async () => {
    const hello = (consent: string): string => `channel: whatsapp
${consent}to: "{{phone}}"
body: { type: text, text: { text: "Hi {{name}}" } }
`;
    const root = catalog({
      'optouts.txt': '',
      'messages/hello.yaml': hello('consent: ok\n'),
      'o.csv': 'phone,name,ok\n+31612345678,Ada,yes\n',
    });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    writeFileSync(join(root, 'messages/hello.yaml'), hello(''));
    const plan = await runCli(['plan', 'hello', '--base', 'HEAD', '--data', 'o.csv', '--detailed-exitcode'], { cwd: root });
    // Today: "0 changed, 1 unchanged", exit 0: rows without opt-in would now be sent, and the plan is silent.
    expect(plan.code).toBe(2);
  });
});
