// `chirp schema [NAME] [--out DIR]`: the JSON Schemas shipped in the package, for editors and other
// tools. Printed one at a time, or written to a folder with everything they reference (the
// cross-file `$ref`s are relative, so a folder of copies resolves by itself).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { schemasDir } from '../package-info.js';
import { write, type Io } from './io.js';

const SUFFIX = '.schema.json';

/** `message`, `config`, … in the order of their file names. */
export function schemaNames(): string[] {
  return readdirSync(schemasDir())
    .filter((f) => f.endsWith(SUFFIX))
    .sort()
    .map((f) => f.slice(0, -SUFFIX.length));
}

export function schemaText(name: string): string {
  return readFileSync(join(schemasDir(), `${name}${SUFFIX}`), 'utf8');
}

/** `message`, `message.schema.json` or `schemas/message.schema.json` → `message`; unknown names are a usage error. */
export function schemaName(arg: string): string {
  const name = arg.replace(/^.*\//, '').replace(/\.schema\.json$|\.json$/, '');
  const names = schemaNames();
  if (!names.includes(name)) {
    throw new UserError('E_USAGE', `no schema "${arg}"; the schemas are: ${names.join(', ')}`);
  }
  return name;
}

/** The schema and every schema it references, directly or not. */
export function schemaClosure(name: string): string[] {
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const match of schemaText(n).matchAll(/"\$ref"\s*:\s*"([a-z0-9-]+)\.schema\.json/g)) visit(match[1]!);
  };
  visit(name);
  return [...seen].sort();
}

/** Writes the schemas to DIR (overwriting older copies of them, nothing else); returns the file paths. */
export function writeSchemas(dir: string, names: readonly string[]): string[] {
  mkdirSync(dir, { recursive: true });
  return names.map((name) => {
    const file = join(dir, `${name}${SUFFIX}`);
    writeFileSync(file, schemaText(name));
    return file;
  });
}

export function registerSchema(program: Command, io: Io): void {
  program
    .command('schema')
    .description('print a JSON Schema (message, config, …), or write them to a folder for editors')
    .argument('[name]', 'schema name, e.g. message or config (default with --out: all of them)')
    .option('--out <dir>', 'write the schema (and the schemas it references) to this folder instead of printing it')
    .action(async (arg: string | undefined, options: { out?: string }) => {
      if (options.out === undefined) {
        if (arg === undefined) {
          const lines = schemaNames().map((n) => `${n}${SUFFIX}`);
          await write(io.stdout, `${lines.join('\n')}\n`);
          await write(io.stderr, 'chirp schema NAME prints one; chirp schema --out DIR writes them all\n');
          return;
        }
        await write(io.stdout, schemaText(schemaName(arg)));
        return;
      }
      const names = arg === undefined ? schemaNames() : schemaClosure(schemaName(arg));
      const dir = resolve(io.cwd, options.out);
      const files = writeSchemas(dir, names);
      await write(io.stderr, `wrote ${files.length} schema${files.length === 1 ? '' : 's'} to ${relative(io.cwd, dir) || '.'}\n`);
    });
}
