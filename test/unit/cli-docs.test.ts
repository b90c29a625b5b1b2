// docs/cli.md is generated where it can be: each command's options table comes from the commander
// program (scripts/cli-docs.ts, `npm run docs:cli`), and the JSON sections link to the output schemas.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_DOC, documentedCommands, optionsTable, program, updateCliDoc } from '../../scripts/cli-docs.js';
import { REPO } from '../helpers/cli.js';

const doc = readFileSync(CLI_DOC, 'utf8');

describe('docs/cli.md', () => {
  it('has every options table as the CLI defines it (run `npm run docs:cli` to fix)', () => {
    const { text, missing, unknown } = updateCliDoc(doc);
    expect(missing, 'commands without an <!-- options:COMMAND --> block in their section').toEqual([]);
    expect(unknown, 'options blocks naming no command').toEqual([]);
    expect(text === doc, 'docs/cli.md options tables differ from the CLI: run `npm run docs:cli`').toBe(true);
  });

  it('documents every command, subcommands included, in its own section', () => {
    const names = [...documentedCommands(program()).keys()];
    expect(names).toEqual(
      expect.arrayContaining(['chirp', 'validate', 'render', 'send', 'plan', 'status', 'journal check', 'templates pull']),
    );
    for (const name of names.filter((n) => n !== 'chirp')) expect(doc, name).toMatch(new RegExp(`^## \`chirp ${name}\\b`, 'm'));
  });

  it('links every command output schema instead of restating it', () => {
    const outputs = readdirSync(join(REPO, 'schemas')).filter((f) => f.endsWith('-output.schema.json'));
    expect(outputs.length).toBeGreaterThanOrEqual(6);
    expect(outputs.filter((f) => !doc.includes(`](../schemas/${f})`))).toEqual([]);
  });

  it('sees a drifted table, a missing block and a stale one (the check can fail)', () => {
    const root = new Command('chirp');
    root
      .command('send')
      .argument('<message>', 'what to send')
      .option('--rate <n>', 'requests per second', '50')
      .option('--var <key=value>', 'a variable', () => ({}), {});
    root.command('journal').command('list').option('--format <format>', 'text or json', 'text');
    const stale = '<!-- options:send -->\n| old |\n<!-- /options:send -->\n<!-- options:gone -->\n<!-- /options:gone -->\n';
    const { text, missing, unknown } = updateCliDoc(stale, root);
    expect(text).toContain('| `--rate <n>` | `50` | requests per second |');
    expect(text).toContain('| `<message>` | | what to send |');
    expect(text).toContain('| `--var <key=value>` | | a variable |');
    expect(text).not.toContain('| old |');
    expect(missing).toEqual(['chirp', 'journal list']);
    expect(unknown).toEqual(['gone']);
    expect(optionsTable(root.commands[0]!)).toMatch(/^\| argument \/ option \| default \| meaning \|/);
  });
});
