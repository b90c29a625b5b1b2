import { resolve } from 'node:path';
import { type RenderItem } from '../render/index.js';
import type { Diagnostic } from '../types.js';
import { type TemplateLock } from '../templates/index.js';
import type { LibraryOptions, DataInput } from './common.js';
import { catalogOf } from './common.js';
import type { RunVars } from './prepare.js';
import { prepareMessage, renderMessage } from './prepare.js';
import { renderInParallel, workerFailureAsError } from './render-parallel.js';
export { defaultThreads } from './render-parallel.js';

export interface RenderOptions extends LibraryOptions {
  /** Message id or path to a message file. */
  message: string;
  /** Recipients (default: the message's examples). */
  data?: DataInput;
  limit?: number;
  allowDuplicates?: boolean;
  /** Run-wide variables, given to every row (a row that has the same key is an error). */
  vars?: RunVars;
  /**
   * Threads that render a CSV file's rows: 1 renders on this thread; more starts that many worker threads
   * (once the input is longer than one batch) while this one reads and writes. The output is the same
   * bytes in the same order. Default 1. Needs the system clock (ignored with `now`).
   */
  threads?: number;
  /** Rows per batch sent to a worker (default 2048; small values are for tests). */
  batchRows?: number;
}
export interface RenderResult {
  messageId: string;
  /** Whether the message sends a template (rather than a body). */
  template: boolean;
  /** The catalog's templates.lock.json, if it has one (for showing a template's text). */
  templateLock?: TemplateLock;
  /** Warnings from checking the definition. */
  diagnostics: Diagnostic[];
  /** Streamed in input order: requests, invalid rows and duplicates. */
  items: AsyncIterable<RenderItem>;
}

/** Render one request per recipient (streamed: a million rows never sit in memory). */
export async function render(options: RenderOptions): Promise<RenderResult> {
  const catalog = await catalogOf(options);
  const message = await prepareMessage(catalog, options.message);
  const parallel = options.now
    ? undefined
    : renderInParallel(catalog, message, {
        threads: options.threads ?? 1,
        ...(options.batchRows !== undefined ? { batchRows: options.batchRows } : {}),
      });
  const items = renderMessage(message, {
    ...(options.data
      ? {
          data: {
            ...options.data,
            path: options.data.path === '-' ? '-' : resolve(options.cwd, options.data.path),
            displayName: options.data.path === '-' ? '<stdin>' : options.data.path,
          },
        }
      : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    allowDuplicates: options.allowDuplicates ?? false,
    ...(options.vars ? { vars: options.vars } : {}),
    ...(parallel ? { parallel: workerFailureAsError(parallel) } : {}),
  });
  return {
    messageId: message.definition.id,
    template: message.definition.template !== undefined,
    ...(message.templateLock ? { templateLock: message.templateLock } : {}),
    diagnostics: message.diagnostics,
    items,
  };
}
