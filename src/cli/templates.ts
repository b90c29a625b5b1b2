// `chirp templates pull`, and the template preflight send and `plan --window check` run before
// anything goes out.
import { relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { Catalog } from '../index.js';
import { chirpVersion } from '../version.js';
import { lockPath, writeLockFile } from '../templates/index.js';
import type { Diagnostic } from '../types.js';
import { diagnosticsText } from '../report/index.js';
import type { ChirpTemplatesPullOutput } from '../schema/index.js';
import { EXIT } from './exit-codes.js';
import { write, type Io } from './io.js';
import { oneOf, type GlobalOptions } from './options.js';

function needBird(catalog: Catalog, what: string): string {
  const workspace = catalog.config.workspace;
  if (!workspace) throw new UserError('E_WORKSPACE', `${what} asks Bird: set \`workspace:\` in chirp.config.yaml or BIRD_WORKSPACE_ID`);
  if (!catalog.config.accessKey)
    throw new UserError('E_ACCESS_KEY', `${what} asks Bird: set BIRD_ACCESS_KEY in the environment (never in a file)`);
  return workspace;
}

export function registerTemplates(program: Command, io: Io): void {
  const templates = program
    .command('templates')
    .description("WhatsApp templates: the catalog's lock of what Bird has (templates.lock.json)");
  templates
    .command('pull')
    .description('fetch every template project the catalog uses from Bird and write templates.lock.json beside chirp.config.yaml')
    .option('--format <format>', 'text or json (the summary on stdout)', oneOf('--format', ['text', 'json'] as const), 'text')
    .action(async (flags: { format: 'text' | 'json' }, command: Command) => {
      const [{ openCatalog }, { pullTemplateLock }, { createDispatcher }] = await Promise.all([
        import('../catalog/index.js'),
        import('../template-uses.js'),
        import('../transport/index.js'),
      ]);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const catalog = await openCatalog({ cwd: io.cwd, env: io.env, ...(globals.config ? { configPath: globals.config } : {}) });
      needBird(catalog, 'templates pull');
      const dispatcher = createDispatcher({ connections: 1 });
      const { lock, problems, writable } = await pullTemplateLock(catalog, { dispatcher, userAgent: `chirp/${chirpVersion()}` }).finally(
        () => dispatcher.close(),
      );
      const target = lockPath(catalog.config.root);
      const shown = relative(io.cwd, target) || target;
      if (!writable) {
        // Unreachable Bird or a refused key: an empty lock would throw away the committed one.
        const first = problems.find((p) => p.fatal)!;
        throw new UserError(
          first.auth ? 'E_AUTH' : 'E_TEMPLATE_PULL',
          `templates pull stopped, ${shown} was left as it was: ${first.message}`,
        );
      }
      await writeLockFile(catalog.config.root, lock);
      const diagnostics: Diagnostic[] = problems.map((p) => ({
        code: 'E_TEMPLATE_PULL',
        severity: 'error',
        file: p.files[0] ?? shown,
        line: 0,
        column: 0,
        pointer: '/template/projectId',
        message: `${p.message}; used by ${p.files.join(', ')}`,
        hint: "check the project id, the workspace and the key's access policy (View on /workspaces/*/projects/**)",
      }));
      const locked = Object.values(lock.projects);
      const count = locked.reduce((n, p) => n + Object.keys(p.templates).length, 0);
      if (flags.format === 'json') {
        const output: ChirpTemplatesPullOutput = {
          version: 1,
          lock: shown,
          projects: locked.length,
          templates: count,
          problems: diagnostics,
        };
        await write(io.stdout, `${JSON.stringify(output, null, 2)}\n`);
      } else {
        await write(
          io.stdout,
          `wrote ${shown}: ${locked.length} project${locked.length === 1 ? '' : 's'}, ${count} channel template${count === 1 ? '' : 's'}\n`,
        );
        if (diagnostics.length > 0)
          await write(
            io.stderr,
            `${diagnosticsText(diagnostics)}\nchirp: ${problems.length} project${problems.length === 1 ? '' : 's'} could not be read and ${problems.length === 1 ? 'is' : 'are'} missing from the lock\n`,
          );
      }
      process.exitCode = problems.some((p) => p.auth) ? EXIT.USAGE : problems.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
    });
}
