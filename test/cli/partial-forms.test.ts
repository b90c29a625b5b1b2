// Which partial a message renders is written in it, never chosen by the data: `{{> (lookup . "p")}}`
// rendered messages/_partials/internal.hbs for a row with `p: internal`, while validate called `p`
// unused and a plan of a commit that changed only internal.hbs said "0 changed". Every form that lets
// the data, or a path validate does not visit, pick a template is refused at file:line:col.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCatalog } from '../helpers/catalog.js';
import { runCli } from '../helpers/cli.js';
import { GIT_ENV } from '../helpers/git.js';
import { parseTemplate, TemplateSyntaxError } from '../../src/render/index.js';

function message(text: string, p = 'sig'): string {
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
  p: { type: string }
  vip: { type: boolean }
body:
  type: text
  text:
    text: ${JSON.stringify(text)}
examples:
  - { phone: "+31612345678", name: Ada, p: ${p} }
`;
}

const PARTIALS = { 'messages/_partials/sig.hbs': 'Regards', 'messages/_partials/internal.hbs': 'INTERNAL {{name}}' };

describe('partial names the data could pick', () => {
  it('{{> (lookup . "p")}} is refused by validate at file:line:col, and render sends nothing', async () => {
    const root = makeCatalog({ ...PARTIALS, 'messages/m.yaml': message('Hi {{name}} {{> (lookup . "p")}}!') });
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.code).toBe(1);
    // line 11 is `    text: "Hi {{name}} {{> (lookup . \"p\")}}!"`: the quote at column 11, `{{>` at 24.
    expect(validate.stdout).toMatch(
      /messages\/m\.yaml:11:24 +error +E_HBS_PARTIAL_FORM +the partial name is computed when the message renders/,
    );
    writeFileSync(join(root, 'rows.csv'), 'phone,name,p\n+31612345678,Ada,internal\n');
    const render = await runCli(['render', 'm', '--data', 'rows.csv'], { cwd: root });
    expect(render.code).toBe(1);
    expect(render.stdout).not.toContain('INTERNAL');
  });

  it('in a block scalar the line and column are those of the file', async () => {
    const root = makeCatalog({
      ...PARTIALS,
      'messages/m.yaml': message('x').replace('    text: "x"', '    text: |\n      Hi {{name}},\n        {{> (lookup . "p")}}'),
    });
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.stdout).toMatch(/messages\/m\.yaml:13:9 +error +E_HBS_PARTIAL_FORM/);
  });

  it('in a partial file too (a partial calling a computed partial)', async () => {
    const root = makeCatalog({
      ...PARTIALS,
      'messages/_partials/pick.hbs': 'x\n {{> (lookup . "p")}}',
      'messages/m.yaml': message('Hi {{name}} {{> pick}}'),
    });
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/messages\/_partials\/pick\.hbs:2:2 +error +E_HBS_PARTIAL_FORM/);
  });

  it.each([
    ['{{#> sig}}Hi {{p}}{{/sig}}', 'partial block'],
    ['{{#> nosuch}}fallback {{p}}{{/nosuch}}', 'partial block'],
    ['{{#*inline "sig"}}{{p}}{{/inline}}{{> sig}}', 'inline partials'],
    ['{{*foo}}', 'decorators'],
    ['{{> @root.p}}', 'comes from @data'],
    ['{{> 12}}', 'is not a name'],
    ['{{#if vip}}{{> (lookup . "p")}}{{/if}}', 'computed when the message renders'],
    ['{{#each list}}{{else}}{{#*inline "x"}}a{{/inline}}{{/each}}', 'inline partials'],
  ])('%s is refused (%s)', async (text, what) => {
    const root = makeCatalog({ ...PARTIALS, 'messages/m.yaml': message(`Hi {{name}} ${text}`) });
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/messages\/m\.yaml:11:\d+ +error +E_HBS_PARTIAL_FORM/);
    expect(validate.stdout).toContain(what);
  });

  it('a name written out is fine: a word, [a bracketed word] and a string, each checked to exist', async () => {
    for (const call of ['{{> sig}}', '{{> [sig]}}', '{{> "sig"}}']) {
      const root = makeCatalog({ ...PARTIALS, 'messages/m.yaml': message(`Hi {{name}} ${call}`) });
      const render = await runCli(['render', 'm'], { cwd: root });
      expect(render.code, call).toBe(0);
      expect(render.stdout, call).toContain('Hi Ada Regards');
    }
    const root = makeCatalog({ ...PARTIALS, 'messages/m.yaml': message('Hi {{name}} {{#if vip}}{{> "nosuch"}}{{/if}}') });
    const validate = await runCli(['validate'], { cwd: root });
    expect(validate.code).toBe(1);
    expect(validate.stdout).toContain('E_HBS_PARTIAL  unknown partial "nosuch"');
  });

  it('parseTemplate refuses each form with its position inside the template', () => {
    const refused = (source: string): TemplateSyntaxError => {
      try {
        parseTemplate(source);
      } catch (error) {
        if (error instanceof TemplateSyntaxError) return error;
        throw error;
      }
      throw new Error(`not refused: ${source}`);
    };
    const e = refused('a\nbc {{> (lookup . "p")}}');
    expect([e.code, e.line, e.column]).toEqual(['E_HBS_PARTIAL_FORM', 2, 4]);
    expect(refused('{{#if x}}{{else}}{{#> y}}z{{/y}}{{/if}}').code).toBe('E_HBS_PARTIAL_FORM');
    expect(refused('{{#if x}}').code).toBe('E_HBS_SYNTAX');
    expect(() => parseTemplate('{{> sig}} {{> "sig"}} {{> [my sig]}}')).not.toThrow();
  });
});

describe('a plan sees every partial a message can render', () => {
  it('a string-named partial behind a branch no example takes: a commit changing only that partial is a change', async () => {
    const root = makeCatalog({ ...PARTIALS, 'messages/m.yaml': message('Hi {{name}}{{#if vip}} {{> "internal"}}{{/if}}') });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    writeFileSync(join(root, 'messages/_partials/internal.hbs'), 'Send your password to evil@example.net {{name}}');
    const plan = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/1 changed, 0 unchanged/);
    expect(plan.stdout).toContain('evil@example.net');
  });

  it('a pull request that adds a computed partial name introduces E_HBS_PARTIAL_FORM (exit 1)', async () => {
    const root = makeCatalog({ ...PARTIALS, 'messages/m.yaml': message('Hi {{name}} {{> sig}}') });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: GIT_ENV });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    writeFileSync(join(root, 'messages/m.yaml'), message('Hi {{name}} {{> (lookup . "p")}}'));
    const plan = await runCli(['plan', '--base', 'HEAD', '--detailed-exitcode'], { cwd: root });
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('E_HBS_PARTIAL_FORM');
  });
});
