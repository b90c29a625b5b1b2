import { resolve } from 'node:path';
import { type RenderItem } from '../render/index.js';
import type { Diagnostic } from '../types.js';
import { type TemplateLock } from '../templates/index.js';
import type { LibraryOptions, DataInput } from './common.js';
import { catalogOf } from './common.js';
import type { RunVars } from './prepare.js';
import { prepareMessage, renderMessage } from './prepare.js';

export interface RenderOptions extends LibraryOptions {
  /** Message id or path to a message file. */
  message: string;
  /** Recipients (default: the message's examples). */
  data?: DataInput;
  limit?: number;
  allowDuplicates?: boolean;
  /** Run-wide variables, given to every row (a row that has the same key is an error). */
  vars?: RunVars;
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
  });
  return {
    messageId: message.definition.id,
    template: message.definition.template !== undefined,
    ...(message.templateLock ? { templateLock: message.templateLock } : {}),
    diagnostics: message.diagnostics,
    items,
  };
}
