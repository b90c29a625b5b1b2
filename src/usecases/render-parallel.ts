// Rendering a message's rows on worker threads (src/render/parallel.ts): what each worker needs to
// compile the message exactly as this thread did (the checked definition, the catalog's partials,
// channels and template lock: data, not files, so a file edited meanwhile cannot split the run), and
// the worker's side (render-worker.ts). `render` uses it; so can any use case that renders a whole list.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildContext, type Catalog } from '../catalog/index.js';
import { messageRequestChecker, templateLocaleOption, type MessageDefinition } from '../check/index.js';
import {
  BatchPool,
  compileMessage,
  parallelRender,
  decodeWork,
  encodeOutcomes,
  rowOutcome,
  type OutcomeBatch,
  type OutcomeNeeds,
  type ParallelRender,
  type WorkBatch,
  WorkerFailure,
  type RenderItem,
} from '../render/index.js';
import { InternalError, UserError } from '../errors.js';
import { checkRenderedTemplate, type TemplateLock } from '../templates/index.js';
import type { JsonObject, Platform } from '../types.js';
import { checkThreads } from '../util/index.js';
import type { PreparedMessage } from './prepare.js';

/**
 * Rows per message to a worker, and batches out at once per worker. Small batches keep the rows that
 * wait young (measured at 200k rows: 64 rows a batch peaks ≈ 190 MB, 1024 ≈ 265 MB; CPU the same).
 */
export const BATCH_ROWS = 64;
const IN_FLIGHT_PER_WORKER = 4;

export interface RenderWorkerData {
  definition: MessageDefinition;
  partials: [string, string][];
  channels: Record<string, string>;
  platforms: Record<string, Platform>;
  defaultCountry?: string;
  lock: TemplateLock | undefined;
  fromText: boolean;
  needs: Omit<OutcomeNeeds, 'checkRequest'> & { checkRequest: boolean };
}

/**
 * How many threads render when nothing says: one. Measured on the project's 2-core machine
 * (docs/benchmarks.md), a worker made a 200k-row render no faster whenever anything else ran (this
 * thread reads the CSV and hands rows over, ≈ 40% of the work) and cost ≈ 60–80 MB of peak RSS, so
 * workers are opt-in: `--threads 2` or CHIRP_THREADS=2 on an otherwise idle machine.
 */
export function defaultThreads(): number {
  return 1;
}

/**
 * A parallel renderer for `message` of `catalog` with `threads` workers, or undefined for 1 (the inline
 * path). The catalog's clock must be the system's: a worker cannot be handed another.
 */
export function renderInParallel(
  catalog: Catalog,
  message: PreparedMessage,
  options: { threads: number; batchRows?: number },
): ParallelRender | undefined {
  checkThreads(options.threads);
  if (options.threads === 1) return undefined;
  // This thread renders too (whenever the workers have their fill), so `threads` counts it.
  const workers = options.threads - 1;
  const base = {
    definition: message.definition,
    partials: [...catalog.partialSources],
    channels: catalog.config.channels,
    platforms: catalog.config.platforms,
    ...(catalog.config.defaultCountry ? { defaultCountry: catalog.config.defaultCountry } : {}),
    lock: catalog.templateLock.lock,
  };
  // From source (tests run the .ts files) the worker needs a TypeScript loader; the build is plain JS.
  const fromSource = import.meta.url.endsWith('.ts');
  return (compiled, rows, streamOptions) =>
    parallelRender({
      batchSize: options.batchRows ?? BATCH_ROWS,
      inFlight: workers * IN_FLIGHT_PER_WORKER,
      queued: workers * IN_FLIGHT_PER_WORKER + 4,
      start: (needs) =>
        new BatchPool<WorkBatch, OutcomeBatch>({
          threads: workers,
          worker: new URL(fromSource ? './render-worker.ts' : './render-worker.js', import.meta.url),
          data: { ...base, fromText: streamOptions.fromText, needs } satisfies RenderWorkerData,
          ...(fromSource ? { preload: tsxLoader() } : {}),
        }),
    })(compiled, rows, streamOptions);
}

/**
 * `send`'s whole-list check on worker threads: it comes before the first request, so whatever stops it,
 * nothing was sent, and the error says so. A worker that died, failed or could not start is
 * `E_RENDER_WORKER` (exit 1, like a window check that failed: try again); anything else is still a bug
 * (exit 70), saying that nothing was sent. A row's own problems are items, not errors: unchanged.
 */
export function beforeAnyRequest(parallel: ParallelRender): ParallelRender {
  const nothingSent = (error: unknown): never => {
    if (error instanceof UserError) throw error;
    if (error instanceof WorkerFailure)
      throw new UserError(
        'E_RENDER_WORKER',
        `${error.message} while checking every row before the first request; nothing was sent (send again: the journal is as it was, and --threads 1 checks on this thread)`,
      );
    const message = error instanceof Error ? error.message : String(error);
    throw new InternalError(`${message} (while checking every row before the first request: nothing was sent)`, { cause: error });
  };
  return rethrowing(parallel, nothingSent);
}

/**
 * `render --threads`: a worker thread that died, failed or could not start is `E_RENDER_WORKER` (exit 1:
 * render again), not a bug of chirp's (exit 70); everything else is unchanged. Render sends nothing.
 */
export function workerFailureAsError(parallel: ParallelRender): ParallelRender {
  const failed = (error: unknown): never => {
    if (error instanceof WorkerFailure)
      throw new UserError('E_RENDER_WORKER', `${error.message} while rendering (render again, or with --threads 1)`);
    throw error;
  };
  return rethrowing(parallel, failed);
}

/** The same renderer, its errors (never its items) turned into others by `rethrow`. */
function rethrowing(parallel: ParallelRender, rethrow: (error: unknown) => never): ParallelRender {
  return (compiled, rows, options) => ({
    [Symbol.asyncIterator](): AsyncIterator<RenderItem> {
      const items = parallel(compiled, rows, options)[Symbol.asyncIterator]();
      return {
        next: () => items.next().catch(rethrow),
        return: async (value?: unknown) => (items.return ? await items.return(value) : { done: true, value: undefined }),
      };
    },
  });
}

/** tsx's ESM `register` (a dev dependency), for workers started from the TypeScript sources (tests). */
function tsxLoader(): string {
  const dir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return pathToFileURL(join(dir, 'dist/esm/api/index.mjs')).href;
}

/** The worker's setup: compile the message once, then render each batch. */
export function workerRenderer(data: RenderWorkerData): (batch: WorkBatch) => OutcomeBatch {
  const { definition, lock } = data;
  const built = buildContext(data.channels, new Map(data.partials.map(([name, source]) => [name, { source, file: name }])), {
    platforms: data.platforms,
    defaultCountry: data.defaultCountry,
  });
  const compiled = compileMessage(definition, built.ctx.env, {
    check: messageRequestChecker(definition, built.ctx),
    now: built.ctx.now,
    ...templateLocaleOption(definition, lock),
  });
  const needs: OutcomeNeeds = {
    recipientOnFailure: data.needs.recipientOnFailure,
    identifiers: data.needs.identifiers,
    ...(data.needs.checkRequest ? { checkRequest: (request: JsonObject) => checkRenderedTemplate(request, lock) } : {}),
  };
  return (batch) =>
    encodeOutcomes(decodeWork(batch).map((values) => (values === null ? null : rowOutcome(compiled, values, data.fromText, needs, false))));
}
