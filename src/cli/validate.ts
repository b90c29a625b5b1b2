import type { Command } from 'commander';
import { validate } from '../index.js';
import { countBySeverity, diagnosticsText, validateJson } from '../report/index.js';
import { validateExitCode } from './exit-codes.js';
import { write, type Io } from './io.js';
import { oneOf, type GlobalOptions } from './options.js';

export function registerValidate(program: Command, io: Io): void {
  program
    .command('validate')
    .description('check message definitions (the whole catalog, or the given files / ids)')
    .argument('[paths...]', 'message files or message ids')
    .option('--format <format>', 'text or json', oneOf('--format', ['text', 'json'] as const), 'text')
    .action(async (paths: string[], options: { format: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const result = await validate({ cwd: io.cwd, env: io.env, paths, ...(globals.config ? { configPath: globals.config } : {}) });
      if (options.format === 'json') {
        await write(io.stdout, `${validateJson(result)}\n`);
      } else {
        const text = diagnosticsText(result.diagnostics, { color: io.color });
        if (text) await write(io.stdout, `${text}\n`);
        const { errors, warnings } = countBySeverity(result.diagnostics);
        await write(io.stderr, `${result.files} message file${result.files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      }
      process.exitCode = validateExitCode(result.diagnostics);
    });
}
