import type { Command } from 'commander';
import { countBySeverity, coverageText, diagnosticsText, githubAnnotations, validateJson } from '../report/index.js';
import { repositoryPath } from './github.js';
import { exitCode } from './exit-codes.js';
import { write, type Io } from './io.js';
import { libraryOptions, oneOf, type GlobalOptions } from './options.js';

export function registerValidate(program: Command, io: Io): void {
  program
    .command('validate')
    .description('check message definitions (the whole catalog, or the given files / ids)')
    .argument('[paths...]', 'message files or message ids')
    .option(
      '--format <format>',
      'text, json, or github (workflow commands: annotations on the pull request)',
      oneOf('--format', ['text', 'json', 'github'] as const),
      'text',
    )
    .option('--coverage', 'also show which examples reach each template branch (#if/#unless/#each/#with, default, partials)')
    .option('--require-coverage', 'a template branch that no example reaches is an error, E_BRANCH_UNREACHED (config: requireCoverage)')
    .action(async (paths: string[], options: { format: string; coverage?: boolean; requireCoverage?: boolean }, command: Command) => {
      const { validate } = await import('../usecases/validate.js');
      const result = await validate({
        ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
        paths,
        ...(options.coverage ? { coverage: true } : {}),
        ...(options.requireCoverage ? { requireCoverage: true } : {}),
      });
      if (options.format === 'json') {
        await write(io.stdout, `${validateJson(result)}\n`);
      } else if (options.format === 'github') {
        await write(io.stdout, githubAnnotations(result.diagnostics, repositoryPath(io)));
      } else {
        const text = diagnosticsText(result.diagnostics, { color: io.color });
        if (text) await write(io.stdout, `${text}\n`);
        if (options.coverage && result.coverage) await write(io.stdout, coverageText(result.coverage, { color: io.color }));
        const { errors, warnings } = countBySeverity(result.diagnostics);
        await write(
          io.stderr,
          `${result.files} message file${result.files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
        );
      }
      process.exitCode = exitCode({ command: 'validate', diagnostics: result.diagnostics });
    });
}
