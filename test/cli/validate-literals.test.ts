// What validate let pass silently: `{{default p ""}}` (a row without p renders "Hi ,"), `{{truncate name 1}}`
// (renders "Hi …"), and an unknown YAML tag (`!foo`, `!!js/function`) read as plain text. Each is an
// error at its file:line:col now, and render/send refuse the message before any row.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';

const message = (text: string, extra = '') => `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  p: { type: string }
required: [phone, name]
body:
  type: text
  text:
    text: ${text}
${extra}examples:
  - { phone: "+31612345678", name: Ada, p: x }
`;

describe('helper arguments that print nothing useful', () => {
  it.each([
    ['default with an empty fallback', `"Hi {{default p ''}},"`, 11, 15],
    ['default with a blank fallback', `"Hi {{default p ' '}},"`, 11, 15],
    ['truncate to one code point', '"Hi {{truncate name 1}}"', 11, 15],
    ['truncate no longer than its suffix', `"Hi {{truncate name 3 '...'}}"`, 11, 15],
  ])('%s is E_HBS_ARGUMENT at file:line:col (exit 1)', async (_, text, line, column) => {
    const root = makeCatalog({ 'messages/m.yaml': message(text) });
    const result = await runCli(['validate'], { cwd: root });
    expect(result.stdout + result.stderr).toContain(`messages/m.yaml:${line}:${column}`);
    expect(result.stdout + result.stderr).toMatch(/E_HBS_ARGUMENT/);
    expect(result.code).toBe(1);
    writeFileSync(join(root, 'rows.csv'), 'phone,name\n+31612345670,Ada\n');
    const render = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(render.stdout).toBe('');
    expect(render.code).not.toBe(0);
  });

  it('a usable fallback and a truncate that keeps a character are fine', async () => {
    const root = makeCatalog({ 'messages/m.yaml': message(`"Hi {{default p 'friend'}} {{truncate name 2}}"`) });
    const result = await runCli(['validate'], { cwd: root });
    expect(result.stdout + result.stderr).not.toMatch(/E_HBS_ARGUMENT/);
    expect(result.code).toBe(0);
  });
});

describe('an unknown YAML tag in a message file', () => {
  it.each([
    ['!foo', 'x: !foo bar\n', '!foo'],
    ['!!js/function', 'x: !!js/function "function () {}"\n', '!!js/function'],
  ])('%s is E_YAML_TAG at file:line:col (exit 1), not read as text', async (_, tagged, shown) => {
    const root = makeCatalog({ 'messages/m.yaml': message('"Hi {{name}}"').replace('variables:\n', `variables:\n  ${tagged}`) });
    const result = await runCli(['validate'], { cwd: root });
    expect(result.stdout + result.stderr).toMatch(
      new RegExp(`messages/m\\.yaml:4:6 +error +E_YAML_TAG +unknown YAML tag ${shown.replace(/[!/]/g, '\\$&')}`),
    );
    expect(result.code).toBe(1);
  });
});
