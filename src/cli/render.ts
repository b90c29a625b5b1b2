import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { templateText, type TemplateTextInput } from '../templates/index.js';
import { UserError } from '../errors.js';
import { diagnosticsText, LocaleTally, localeText } from '../report/index.js';
import { MAX_THREADS, type DataFormat } from '../types.js';
import { exitCode } from './exit-codes.js';
import { tuneHeapForRender } from './heap.js';
import { write, type Io } from './io.js';
import { LineWriter } from './line-writer.js';
import { addVarOptions, libraryOptions, oneOf, positiveInt, runVars, type GlobalOptions, type VarFlags } from './options.js';

export interface RenderFlags extends VarFlags {
  data?: string;
  dataFormat?: DataFormat;
  limit?: number;
  allowDuplicates?: boolean;
  showTemplate?: boolean;
  showLocale?: boolean;
  threads?: number;
}

export { MAX_THREADS };

export const DATA_FORMATS = ['csv', 'json', 'ndjson'] as const;

export function registerRender(program: Command, io: Io): void {
  const command = program
    .command('render')
    .description('print the exact request bodies, one JSON object per line (NDJSON), in input order')
    .argument('<message>', 'message id (releases/notice) or path to a message file')
    .option('--data <file>', "recipients: CSV, JSON array or NDJSON ('-' for stdin); default: the message's examples")
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option('--limit <n>', 'only the first N rows', positiveInt('--limit'))
    .option('--allow-duplicates', 'render a recipient that appears more than once every time')
    .option(
      '--threads <n>',
      `threads that render a CSV file's rows (1: no worker threads; default: CHIRP_THREADS, else 1); the output is the same`,
      positiveInt('--threads', 1, MAX_THREADS),
    )
    .option('--show-locale', "print (on stderr) each recipient's locale and the one they get when it falls back")
    .option(
      '--show-template',
      'also print (on stderr) the text each recipient reads: the template body from templates.lock.json with the parameters filled in',
    );
  addVarOptions(command).action(async (messageArg: string, flags: RenderFlags, command: Command) => {
    tuneHeapForRender(io.env, dataBytes(io.cwd, flags.data));
    const { render, defaultThreads } = await import('../usecases/render.js');
    const threads = flags.threads ?? envThreads(io.env.CHIRP_THREADS) ?? defaultThreads();
    const vars = await runVars(io, flags);
    const {
      items,
      template,
      templateLock: lock,
    } = await render({
      ...(vars ? { vars } : {}),
      ...libraryOptions(io, command.optsWithGlobals<GlobalOptions>()),
      message: messageArg,
      ...(flags.data ? { data: { path: flags.data, ...(flags.dataFormat ? { format: flags.dataFormat } : {}), input: io.stdin } } : {}),
      ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
      allowDuplicates: flags.allowDuplicates ?? false,
      threads,
    });
    if (flags.showTemplate && !template) throw new UserError('E_USAGE', `--show-template: ${messageArg} sends a body, not a template`);
    if (flags.showTemplate && !lock)
      throw new UserError(
        'E_TEMPLATE_LOCK',
        '--show-template reads the template text from templates.lock.json; there is none (run `chirp templates pull`)',
      );
    const out = new LineWriter(io.stdout);
    let failed = 0;
    const locales = new LocaleTally();
    const suppressed = { 'opted-out': 0, 'no-consent': 0 };
    for await (const item of items) {
      if (item.kind === 'request') {
        const flushed = out.line(item.json);
        if (flushed) await flushed;
        if (item.locale) {
          locales.add(item.locale);
          if (flags.showLocale) {
            await out.flush();
            await write(io.stderr, `── row ${item.row.index}: ${localeText(item.locale)}\n`);
          }
        }
        if (flags.showTemplate && lock) {
          await out.flush();
          const shown = templateText(lock, item.request.template as unknown as TemplateTextInput);
          const text = shown.ok ? shown.text : `(cannot show the template text: ${shown.reason})`;
          await write(
            io.stderr,
            `── row ${item.row.index}, template ${shown.ok ? shown.templateId : '?'}:\n${text.replace(/^(?=.)/gm, '   ')}\n`,
          );
        }
      } else if (item.kind === 'suppressed') {
        // Counted, never printed row by row: `chirp suppress check DATA` lists them.
        suppressed[item.reason]++;
      } else {
        if (item.kind === 'invalid') failed++;
        // Stream problems as they come: a long file should not hold them all back.
        await write(io.stderr, `${diagnosticsText(item.diagnostics)}\n`);
      }
    }
    await out.flush();
    if (locales.size > 0) await write(io.stderr, `locales: ${locales.text()}\n`);
    const skipped = suppressed['opted-out'] + suppressed['no-consent'];
    if (skipped > 0) await write(io.stderr, `${suppressedLine(skipped, suppressed['opted-out'], suppressed['no-consent'])}\n`);
    if (failed > 0)
      await write(io.stderr, `${failed} row${failed === 1 ? '' : 's'} failed and ${failed === 1 ? 'was' : 'were'} not rendered\n`);
    process.exitCode = exitCode({ command: 'render', failedRows: failed });
  });
}

/** The size of a `--data` file (0 without one: the examples); undefined for stdin or what cannot be told (the render says why). */
function dataBytes(cwd: string, data: string | undefined): number | undefined {
  if (data === undefined) return 0;
  if (data === '-') return undefined;
  try {
    return statSync(resolve(cwd, data)).size;
  } catch {
    return undefined;
  }
}

/** CHIRP_THREADS: like --threads (an empty value counts as unset). */
export function envThreads(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    throw new UserError('E_USAGE', `CHIRP_THREADS must be an integer from 1 to ${MAX_THREADS} (it is "${value}")`);
  return n;
}

/** `3 rows suppressed (2 opted out, 1 without opt-in): not rendered, never sent`. */
export function suppressedLine(total: number, optedOut: number, noConsent: number): string {
  const parts = [optedOut > 0 ? `${optedOut} opted out` : '', noConsent > 0 ? `${noConsent} without opt-in` : ''].filter(Boolean);
  return `${total} row${total === 1 ? '' : 's'} suppressed (${parts.join(', ')}): not rendered, never sent`;
}
