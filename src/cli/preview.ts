// `chirp preview`: the catalog as WhatsApp shows it, served live on 127.0.0.1 or written as a static
// site. The preview code is imported only when this command runs, so other commands start as fast.
import { spawn } from 'node:child_process';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { terminalLine } from '../report/index.js';
import type { DataFormat } from '../types.js';
import type { TemplateTextFn, WatchFn } from '../preview/index.js';
import { templateText, type TemplateLock, type TemplateTextInput } from '../templates/index.js';
import { EXIT } from './exit-codes.js';
import { write, type Io } from './io.js';
import { oneOf, positiveInt, type GlobalOptions } from './options.js';
import { DATA_FORMATS } from './render.js';

interface PreviewFlags {
  data?: string;
  dataFormat?: DataFormat;
  port?: number;
  open?: boolean;
  out?: string;
  rows: number;
  reveal?: boolean;
}

export const DEFAULT_PREVIEW_PORT = 4646;

/** The text of template messages, from the catalog's templates.lock.json (its parameters when there is none). */
function templateTextProvider(lock: TemplateLock | undefined): TemplateTextFn | undefined {
  return (
    lock &&
    ((t) => {
      const r = templateText(lock, t as unknown as TemplateTextInput);
      return r.ok
        ? {
            body: r.body,
            ...(r.header ? { header: r.header } : {}),
            ...(r.footer ? { footer: r.footer } : {}),
            buttons: r.actions.map((a) => (a.url !== undefined ? { text: a.text, url: a.url } : a.text)),
          }
        : { reason: r.reason };
    })
  );
}

/** fs.watch on messages/ (recursive), and on the folders of the config and data files (editors replace files on save). */
function watchFiles(messagesDir: string, files: readonly string[], warn: (text: string) => void): WatchFn {
  return (onChange) => {
    const watchers: FSWatcher[] = [];
    const add = (make: () => FSWatcher, what: string): void => {
      try {
        const w = make();
        w.on('error', (error) => warn(`stopped watching ${what}: ${error.message}`));
        watchers.push(w);
      } catch (error) {
        warn(`cannot watch ${what}: ${error instanceof Error ? error.message : String(error)}; pages repaint on reload only`);
      }
    };
    add(() => watch(messagesDir, { recursive: true }, (_event, name) => onChange(join(messagesDir, name ?? ''))), messagesDir);
    const byDir = new Map<string, Set<string>>();
    for (const file of files) byDir.set(dirname(file), (byDir.get(dirname(file)) ?? new Set()).add(basename(file)));
    for (const [dir, names] of byDir) {
      add(
        () =>
          watch(dir, (_event, name) => {
            if (name && names.has(name)) onChange(join(dir, name));
          }),
        dir,
      );
    }
    return () => watchers.forEach((w) => w.close());
  };
}

function openInBrowser(target: string, platform: NodeJS.Platform, warn: (text: string) => void): void {
  const [cmd, args] =
    platform === 'darwin' ? ['open', [target]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', target]] : ['xdg-open', [target]];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => warn(`could not open a browser (${cmd}); open ${target} yourself`));
    child.unref();
  } catch {
    warn(`could not open a browser; open ${target} yourself`);
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolveSignal) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveSignal();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerPreview(program: Command, io: Io): void {
  program
    .command('preview')
    .description('see messages as WhatsApp shows them: a live page on 127.0.0.1, or a static site (--out)')
    .argument('[messages...]', 'message ids or files (default: the whole catalog)')
    .option('--data <file>', "recipients to preview, paged (default: each message's examples)")
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option('--port <n>', `port on 127.0.0.1 (default ${DEFAULT_PREVIEW_PORT}; 0 for any free port)`, positiveInt('--port', 0, 65_535))
    .option('--open', 'open the page in the default browser')
    .option('--out <dir>', 'write a static, self-contained site (index.html and one page per message) instead of serving')
    .option('--rows <n>', 'data rows per page', positiveInt('--rows', 1, 500), 20)
    .option('--reveal', 'show full recipient numbers (masked by default, as in every plan)')
    .action(async (messages: string[], flags: PreviewFlags, command: Command) => {
      const [{ openCatalog }, { detectFormat }] = await Promise.all([import('../catalog/index.js'), import('../sources/index.js')]);
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (flags.out && flags.port !== undefined)
        throw new UserError('E_USAGE', '--out writes files and --port serves them; give one of them');
      if (flags.data === '-') throw new UserError('E_USAGE', 'preview reads --data for every page; give a file, not stdin');
      if (flags.data && !existsSync(resolve(io.cwd, flags.data))) throw new UserError('E_FILE_READ', `no data file ${flags.data}`);
      const preview = await import('../preview/index.js');
      const format = flags.dataFormat ?? (flags.data ? detectFormat(flags.data) : undefined);
      const opened = await openCatalog({ cwd: io.cwd, env: io.env, ...(globals.config ? { configPath: globals.config } : {}) });
      const templateText = templateTextProvider(opened.templateLock.lock);
      const source = {
        cwd: io.cwd,
        env: io.env,
        ...(globals.config ? { configPath: globals.config } : {}),
        messages,
        ...(flags.data ? { data: { path: resolve(io.cwd, flags.data), displayName: flags.data, ...(format ? { format } : {}) } } : {}),
        pageSize: flags.rows,
        reveal: flags.reveal ?? false,
        now: () => new Date(),
        ...(templateText ? { templateText } : {}),
      };
      const warn = (text: string): void => void io.stderr.write(`chirp: warning: ${terminalLine(text)}\n`);
      // Fails early (exit 2) on a broken config or an unknown message, before anything is served or written.
      const catalog = await preview.loadCatalog(source);

      if (flags.out) {
        const outDir = resolve(io.cwd, flags.out);
        const result = await preview.writeStaticSite({ ...source, outDir });
        const more = result.truncated.length ? `; data rows cut after 50 pages for ${result.truncated.join(', ')}` : '';
        await write(
          io.stderr,
          `chirp preview: wrote ${join(flags.out, 'index.html')} and ${result.files.length - 1} page${result.files.length === 2 ? '' : 's'} for ${result.messages} message${result.messages === 1 ? '' : 's'}${more}\n`,
        );
        if (flags.open) openInBrowser(pathToFileURL(join(outDir, 'index.html')).href, process.platform, warn);
        process.exitCode = EXIT.OK;
        return;
      }

      const watchList = [
        join(catalog.root, 'chirp.config.yaml'),
        ...(globals.config ? [resolve(io.cwd, globals.config)] : []),
        ...(source.data ? [source.data.path] : []),
      ];
      const serverOptions = {
        ...source,
        host: '127.0.0.1',
        watch: watchFiles(join(catalog.root, 'messages'), watchList, warn),
        onError: (error: unknown) =>
          void io.stderr.write(
            `chirp: internal error while rendering a page: ${terminalLine(error instanceof Error ? error.message : String(error))}\n`,
          ),
        onChange: (paths: string[]) =>
          void io.stderr.write(
            `chirp preview: ${paths.length === 1 ? terminalLine(paths[0]!) : `${paths.length} files`} changed; open pages repaint\n`,
          ),
      };
      let server;
      try {
        server = await preview.startPreviewServer({ ...serverOptions, port: flags.port ?? DEFAULT_PREVIEW_PORT });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
        if (flags.port !== undefined)
          throw new UserError('E_USAGE', `port ${flags.port} on 127.0.0.1 is in use; choose another with --port (0 for any free port)`);
        server = await preview.startPreviewServer({ ...serverOptions, port: 0 });
      }
      await write(io.stdout, `${server.url}\n`);
      await write(
        io.stderr,
        `chirp preview: ${catalog.messages.length} message${catalog.messages.length === 1 ? '' : 's'} at ${server.url} (127.0.0.1 only; pages repaint when a file is saved; Ctrl-C stops)\n`,
      );
      if (flags.open) openInBrowser(server.url, process.platform, warn);
      await untilSignal();
      await server.close();
      process.exitCode = EXIT.OK;
    });
}
