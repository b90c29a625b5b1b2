// `npm run docs:cli`: rewrite the options tables of docs/cli.md from the CLI's own definitions (the
// commander program, as `chirp completion` reads it), in place between `<!-- options:COMMAND -->` and
// `<!-- /options:COMMAND -->`. test/unit/cli-docs.test.ts fails when a table has drifted; rerunning this
// script is the fix (also after a merge that touched the tables).
import { readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Argument, Command, Option } from 'commander';
import { makeIo } from '../src/cli/io.js';
import { buildProgram } from '../src/cli/main.js';

export const CLI_DOC = fileURLToPath(new URL('../docs/cli.md', import.meta.url));

/** The program, built without a process behind it (nothing runs: only the definitions are read). */
export function program(): Command {
  return buildProgram(
    makeIo({ cwd: process.cwd(), env: {}, stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() }),
  );
}

/** Every command that takes arguments or options, by its words after `chirp` (`chirp` itself for the global options). */
export function documentedCommands(root: Command): Map<string, Command> {
  const out = new Map<string, Command>([['chirp', root]]);
  const visit = (command: Command, prefix: string): void => {
    for (const sub of command.commands) {
      const name = `${prefix}${sub.name()}`;
      if (sub.name() === 'help') continue;
      if (sub.options.length > 0 || sub.registeredArguments.length > 0 || sub.commands.length === 0) out.set(name, sub);
      visit(sub, `${name} `);
    }
  };
  visit(root, '');
  return out;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function argumentRow(arg: Argument): string {
  const name = arg.required ? `<${arg.name()}${arg.variadic ? '...' : ''}>` : `[${arg.name()}${arg.variadic ? '...' : ''}]`;
  const choices =
    arg.argChoices && !arg.argChoices.every((c) => arg.description.includes(c))
      ? ` (one of ${arg.argChoices.map((c) => `\`${c}\``).join(', ')})`
      : '';
  const value = arg.defaultValue as unknown;
  const shown = typeof value === 'string' || typeof value === 'number' ? ` \`${cell(String(value))}\` ` : ' ';
  return `| \`${cell(name)}\` |${shown}| ${cell(arg.description)}${choices} |`;
}

function optionRow(option: Option): string {
  const value = option.defaultValue as unknown;
  // A collecting option's starting value (`{}`, `[]`) is no default a user would give.
  const shown = typeof value === 'string' || typeof value === 'number' || value === true ? `\`${cell(String(value))}\`` : '';
  const choices =
    option.argChoices && !option.argChoices.every((c) => option.description.includes(c))
      ? ` (one of ${option.argChoices.map((c) => `\`${c}\``).join(', ')})`
      : '';
  return `| \`${cell(option.flags)}\` |${shown ? ` ${shown} ` : ' '}| ${cell(option.description)}${choices} |`;
}

/** The table of one command: its arguments, then its options in definition order. */
export function optionsTable(command: Command): string {
  const rows = [
    ...command.registeredArguments.map(argumentRow),
    ...command.options.filter((o) => !o.hidden).map(optionRow),
    '| `-h, --help` | | show the help: options, examples and exit codes |',
  ];
  return ['| argument / option | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

const BLOCK = /<!-- options:([a-z][a-z -]*) -->\n[\s\S]*?<!-- \/options:\1 -->/g;

export interface CliDocUpdate {
  text: string;
  /** Commands with no block in the text (add one to their section). */
  missing: string[];
  /** Blocks naming no command (a renamed or removed command). */
  unknown: string[];
}

/** The text with every options block rewritten from the program. */
export function updateCliDoc(text: string, root: Command = program()): CliDocUpdate {
  const commands = documentedCommands(root);
  const seen = new Set<string>();
  const unknown: string[] = [];
  const updated = text.replace(BLOCK, (block, name: string) => {
    const command = commands.get(name);
    if (!command) {
      unknown.push(name);
      return block;
    }
    seen.add(name);
    return `<!-- options:${name} -->\n${optionsTable(command)}\n<!-- /options:${name} -->`;
  });
  return { text: updated, missing: [...commands.keys()].filter((n) => !seen.has(n)), unknown };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { text, missing, unknown } = updateCliDoc(readFileSync(CLI_DOC, 'utf8'));
  writeFileSync(CLI_DOC, text);
  for (const name of missing)
    console.error(
      `docs/cli.md: no options table for \`chirp ${name}\`: add <!-- options:${name} --> and <!-- /options:${name} --> to its section, then run npm run docs:cli again`,
    );
  for (const name of unknown) console.error(`docs/cli.md: an options block names \`${name}\`, which is no command of chirp: remove it`);
  if (missing.length > 0 || unknown.length > 0) process.exitCode = 1;
  else console.log(`rewrote the options tables of ${CLI_DOC}`);
}
