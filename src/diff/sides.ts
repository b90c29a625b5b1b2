// The two sides of a plan: the catalog in the working tree, and the catalog at a git revision.
import { extname } from 'node:path';
import { buildContext, type Catalog, type PartialSource } from '../catalog/index.js';
import { listMessages, MESSAGES_DIR, PARTIALS_DIR } from '../catalog/index.js';
import { readFile } from 'node:fs/promises';
import { checkMessage, messageRequestChecker, type CatalogContext, type CheckedMessage } from '../check/index.js';
import { channelTable, loadConfigText } from '../catalog/index.js';
import { listFilesAt, readFilesAt, type GitRevision } from '../catalog/index.js';
import { compileMessage, type CompiledMessage } from '../render/index.js';
import { parseYamlText } from '../catalog/index.js';
import type { Diagnostic, Platform } from '../types.js';

export interface SideMessage {
  id: string;
  /** As shown to users. */
  file: string;
  text: string;
  /** Checked and compiled on first use: an unchanged message never needs it. */
  readonly checked: CheckedMessage;
  readonly compiled: CompiledMessage | undefined;
}

function lazyMessage(id: string, file: string, text: string, check: () => CheckedMessage, ctx: CatalogContext): SideMessage {
  let checked: CheckedMessage | undefined;
  let compiled: CompiledMessage | undefined;
  return {
    id, file, text,
    get checked() {
      checked ??= check();
      return checked;
    },
    get compiled() {
      compiled ??= compile(this.checked, ctx);
      return compiled;
    },
  };
}

export interface Side {
  label: string;
  messages: Map<string, SideMessage>;
  partialSources: Map<string, string>;
  channels: Record<string, string>;
  /** Alias → platform: a channel that changes platform changes which rules its messages meet. */
  platforms?: Record<string, Platform>;
  diagnostics: Diagnostic[];
}

function compile(checked: CheckedMessage, ctx: CatalogContext): CompiledMessage | undefined {
  return checked.definition ? compileMessage(checked.definition, ctx.env, { check: messageRequestChecker(checked.definition, ctx) }) : undefined;
}

/** The working tree's catalog (only `ids`, when given). */
export async function headSide(catalog: Catalog, ids: readonly string[] | undefined): Promise<Side> {
  const messages = new Map<string, SideMessage>();
  for (const file of await listMessages(catalog.config.root, catalog.cwd)) {
    if (ids && !ids.includes(file.id)) continue;
    // Only the text is read now: parsing waits until the message turns out to differ from the base.
    const text = await readFile(file.path, 'utf8').catch(() => '');
    messages.set(file.id, lazyMessage(file.id, file.displayPath, text, () => checkMessage({ ...file, source: parseYamlText(file.displayPath, text) }, catalog.ctx), catalog.ctx));
  }
  return { label: 'working tree', messages, partialSources: catalog.partialSources, channels: catalog.config.channels, platforms: catalog.config.platforms, diagnostics: catalog.diagnostics };
}

const MESSAGE_EXTENSIONS = new Set(['.yaml', '.yml']);

/** The catalog at a revision, read from git objects. Falls back to the current config's channels. */
export async function revisionSide(rev: GitRevision, catalog: Catalog, ids: readonly string[] | undefined): Promise<Side> {
  const paths = await listFilesAt(rev, `${MESSAGES_DIR}/`);
  const partialPaths = paths.filter((p) => p.startsWith(`${MESSAGES_DIR}/${PARTIALS_DIR}/`) && p.endsWith('.hbs'));
  const messagePaths = paths.filter((p) => !p.startsWith(`${MESSAGES_DIR}/${PARTIALS_DIR}/`) && MESSAGE_EXTENSIONS.has(extname(p)));
  const files = await readFilesAt(rev, [...partialPaths, ...messagePaths, 'chirp.config.yaml']);
  const configText = files.get('chirp.config.yaml');
  const parsed = configText !== undefined ? loadConfigText(configText) : undefined;
  const { channels, platforms } = parsed?.channels !== undefined ? channelTable(parsed.channels) : { channels: catalog.config.channels, platforms: catalog.config.platforms };
  const partialFiles = new Map<string, PartialSource>();
  for (const p of partialPaths) {
    const text = files.get(p);
    if (text !== undefined) partialFiles.set(p.slice(`${MESSAGES_DIR}/${PARTIALS_DIR}/`.length, -'.hbs'.length), { source: text.replace(/\r?\n$/, ''), file: `${rev.ref}:${p}` });
  }
  const { ctx, diagnostics, partialSources } = buildContext(channels, partialFiles, { platforms, now: catalog.ctx.now });
  const messages = new Map<string, SideMessage>();
  for (const p of messagePaths.sort()) {
    const id = p.slice(`${MESSAGES_DIR}/`.length, -extname(p).length);
    if (ids && !ids.includes(id)) continue;
    const text = files.get(p) ?? '';
    const file = `${rev.ref}:${p}`;
    messages.set(id, lazyMessage(id, file, text, () => checkMessage({ id, path: p, displayPath: file, source: parseYamlText(file, text) }, ctx), ctx));
  }
  return { label: rev.ref, messages, partialSources, channels, platforms, diagnostics };
}
