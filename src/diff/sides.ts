// The two sides of a plan: the catalog in the working tree, and the catalog at a git revision. Both
// list their files with the catalog's one listing rule (src/catalog/files.ts), read text with
// newlines normalised, and resolve where each message goes (workspace, channel) from their own config.
import { readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import {
  buildContext,
  buildListing,
  channelTable,
  DEFAULT_API_URL,
  listEntriesAt,
  wallDiagnostic,
  wallProblem,
  loadConfigText,
  MESSAGES_DIR,
  normaliseNewlines,
  parseYamlText,
  partialText,
  readFilesAt,
  twinProblem,
  type Catalog,
  type CatalogListing,
  type GitRevision,
  type ListedEntry,
  type PartialSource,
  type YamlSource,
} from '../catalog/index.js';
import {
  checkMessage,
  messageRequestChecker,
  templateLocaleOption,
  type CatalogContext,
  type CheckedMessage,
  type MessageDefinition,
} from '../check/index.js';
import { compileMessage, type CompiledMessage } from '../render/index.js';
import type { Diagnostic, Platform } from '../types.js';

export interface SideMessage {
  id: string;
  /** As shown to users. */
  file: string;
  text: string;
  /** Checked and compiled on first use: an unchanged message never needs it. */
  readonly checked: CheckedMessage;
  readonly compiled: CompiledMessage | undefined;
  /** The template environment of its side (for the fallback template). */
  readonly ctx: CatalogContext;
  /**
   * `checked.definition?.consent`, without checking a message that provably has none (see
   * `mayHaveConsent`), so a plan asks every message of both sides without checking them all.
   */
  readonly consent: string | undefined;
  /** `parseYamlText(file, text)`: the check's own while it lives (held weakly), else parsed again. */
  readonly source: YamlSource;
}

/**
 * What the two sides of one plan share, by a message file's whole text: whether its parsed value has
 * a `consent` string. Parsing is a function of the text alone, so a file the same on both sides (every
 * unchanged message) is parsed at most once for both; one that has it is checked on its own side.
 */
export type TextFacts = Map<string, boolean>;

/**
 * Whether a file's text can hold a `consent` key at all. YAML takes a key's characters from the text
 * itself (folding only adds spaces or newlines; aliases and merge keys copy other keys of the text),
 * except through escapes (`"\x63onsent"`: a backslash) and tags (`? !!binary Y29uc2VudA==` is the key
 * `consent`: a `!`). Without all three, the file is not parsed for it. test/unit/plan-fast-path.test.ts
 */
export function mayHaveConsent(text: string): boolean {
  return text.includes('consent') || text.includes('\\') || text.includes('!');
}

/** What the definition's `consent` is built from (toDefinition: `typeof raw.consent === 'string'`). */
function hasConsentString(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as { consent?: unknown }).consent === 'string'
  );
}

/**
 * A message whose check reads its parsed file. `fixed`: a file never read (a wall, twins, a link),
 * whose check is only the problem found without reading it.
 */
function lazyMessage(
  id: string,
  file: string,
  text: string,
  ctx: CatalogContext,
  check: (source: YamlSource) => CheckedMessage,
  facts?: TextFacts,
  fixed?: () => CheckedMessage,
): SideMessage {
  let checked: CheckedMessage | undefined;
  let compiled: CompiledMessage | undefined;
  let held: WeakRef<YamlSource> | undefined;
  const parse = (): YamlSource => {
    let source = held?.deref();
    if (!source) held = new WeakRef((source = parseYamlText(file, text)));
    return source;
  };
  const checkNow = (): CheckedMessage => (checked ??= fixed ? fixed() : check(parse()));
  return {
    id,
    file,
    text,
    ctx,
    get checked() {
      return checkNow();
    },
    get consent() {
      if (checked || fixed || !facts) return checkNow().definition?.consent;
      if (!mayHaveConsent(text)) return undefined;
      let has = facts.get(text);
      if (has === undefined) facts.set(text, (has = hasConsentString(parse().value)));
      return has ? checkNow().definition?.consent : undefined;
    },
    get source() {
      return parse();
    },
    get compiled() {
      compiled ??= compile(checkNow(), ctx);
      return compiled;
    },
  };
}

export interface Side {
  label: string;
  messages: Map<string, SideMessage>;
  partialSources: Map<string, string>;
  /** Partial files by name, as shown to users (file:line of a partial's changes and branches). */
  partialFiles?: Map<string, string>;
  channels: Record<string, string>;
  /** Alias → platform: a channel that changes platform changes which rules its messages meet. */
  platforms?: Record<string, Platform>;
  /** The Bird workspace a send from this side goes to (BIRD_WORKSPACE_ID wins on both sides, as at send time). */
  workspace: string | undefined;
  /**
   * The Bird API URL a send from this side goes to, with the access key (BIRD_API_URL wins on both
   * sides, as at send time): part of where every message goes.
   */
  apiUrl?: string;
  /** `defaultCountry` of the side's config: it decides the number a local `0612345678` becomes. */
  defaultCountry?: string;
  diagnostics: Diagnostic[];
  /**
   * Seam for the template lock (issue 13, src/diff/template-lock.ts): `surroundings` is anything
   * every message of the side depends on (e.g. the lock's hash), so that a change re-compares every
   * message; `destinationOf` adds what decides where or how one message goes (e.g. the lock entry of
   * its template), compared per recipient and shown first like the channel.
   */
  surroundings?: unknown;
  destinationOf?: (definition: MessageDefinition) => Record<string, unknown>;
}

function compile(checked: CheckedMessage, ctx: CatalogContext): CompiledMessage | undefined {
  return checked.definition
    ? compileMessage(checked.definition, ctx.env, {
        check: messageRequestChecker(checked.definition, ctx),
        now: ctx.now,
        ...templateLocaleOption(checked.definition, ctx.templates?.lock === 'refused' ? undefined : ctx.templates?.lock),
      })
    : undefined;
}

const unread = (): CheckedMessage => ({ diagnostics: [] });

/** A message whose file became a symlink: never read, an error on this side. */
function linkMessage(id: string, problem: Diagnostic, ctx: CatalogContext): SideMessage {
  return lazyMessage(id, problem.file, `\0link\0${id}`, ctx, unread, undefined, () => ({ diagnostics: [problem] }));
}

function twinMessage(id: string, rels: readonly string[], display: (rel: string) => string, ctx: CatalogContext): SideMessage {
  const problem = twinProblem(id, rels, display);
  return lazyMessage(id, display(rels[0]!), `\0twins\0${rels.join('\0')}`, ctx, unread, undefined, () => ({ diagnostics: [problem] }));
}

/** The working tree's catalog (every message: selectors are applied to both sides afterwards). */
export async function headSide(catalog: Catalog, facts?: TextFacts): Promise<Side> {
  const { root } = catalog.config;
  const listing = catalog.listing;
  const display = (rel: string): string => relative(catalog.cwd, join(root, MESSAGES_DIR, ...rel.split('/')));
  const messages = new Map<string, SideMessage>();
  for (const [id, rel] of listing.messages) {
    const path = join(root, MESSAGES_DIR, ...rel.split('/'));
    const file = display(rel);
    // Only the text is read now: parsing waits until the message turns out to differ from the base.
    const wall = wallProblem(catalog.config.root, path);
    const text = wall ? '' : normaliseNewlines(await readFile(path, 'utf8').catch(() => ''));
    messages.set(
      id,
      lazyMessage(
        id,
        file,
        text,
        catalog.ctx,
        (source) => checkMessage({ id, path, displayPath: file, source }, catalog.ctx),
        facts,
        wall ? () => ({ diagnostics: [wallDiagnostic(file, wall)] }) : undefined,
      ),
    );
  }
  for (const [id, rels] of listing.twins) messages.set(id, twinMessage(id, rels, display, catalog.ctx));
  for (const [id, problem] of listing.links) if (!messages.has(id)) messages.set(id, linkMessage(id, problem, catalog.ctx));
  return {
    label: 'working tree',
    messages: sorted(messages),
    partialSources: catalog.partialSources,
    partialFiles: catalog.partialFiles,
    channels: catalog.config.channels,
    platforms: catalog.config.platforms,
    workspace: catalog.config.workspace,
    apiUrl: catalog.config.apiUrl,
    ...(catalog.config.defaultCountry ? { defaultCountry: catalog.config.defaultCountry } : {}),
    diagnostics: catalog.diagnostics,
  };
}

function sorted<T>(map: Map<string, T>): Map<string, T> {
  return new Map([...map].sort(([a], [b]) => a.localeCompare(b)));
}

export interface TextSideOptions {
  label: string;
  /** What the listing found under messages/ (paths relative to messages/). */
  entries: readonly ListedEntry[];
  /** Texts by path relative to messages/ (messages and partials; symlinks are never read). */
  texts: ReadonlyMap<string, string>;
  channels: Record<string, string>;
  platforms?: Record<string, Platform>;
  /** The clock Bird's time rules are checked against. */
  now?: () => Date;
  /** `defaultCountry` of the side's chirp.config.yaml. */
  defaultCountry?: string | undefined;
  workspace: string | undefined;
  /** The Bird API URL of the side's config (or the default; BIRD_API_URL on both sides). */
  apiUrl?: string;
  /** How a path relative to messages/ is shown. */
  display: (rel: string) => string;
  /** Shared with the plan's other side (TextFacts). */
  facts?: TextFacts;
}

/** A side from texts in memory (a git revision's blobs; tests): the same listing rule and checks. */
export function textSide(options: TextSideOptions): Side {
  const listing: CatalogListing = buildListing(options.entries, options.display);
  const partialFiles = new Map<string, PartialSource>();
  for (const [name, rel] of listing.partials) {
    const text = options.texts.get(rel);
    if (text !== undefined) partialFiles.set(name, { source: partialText(text), file: options.display(rel) });
  }
  // A revision side exists only for plans: its templates record which branches each row takes.
  const {
    ctx,
    diagnostics,
    partialSources,
    partialFiles: partialNames,
  } = buildContext(options.channels, partialFiles, {
    coverage: true,
    ...(options.platforms ? { platforms: options.platforms } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
  });
  const messages = new Map<string, SideMessage>();
  for (const [id, rel] of listing.messages) {
    const text = normaliseNewlines(options.texts.get(rel) ?? '');
    const file = options.display(rel);
    messages.set(
      id,
      lazyMessage(id, file, text, ctx, (source) => checkMessage({ id, path: rel, displayPath: file, source }, ctx), options.facts),
    );
  }
  for (const [id, rels] of listing.twins) messages.set(id, twinMessage(id, rels, options.display, ctx));
  for (const [id, problem] of listing.links) if (!messages.has(id)) messages.set(id, linkMessage(id, problem, ctx));
  return {
    label: options.label,
    messages: sorted(messages),
    partialSources,
    partialFiles: partialNames,
    channels: options.channels,
    ...(options.platforms ? { platforms: options.platforms } : {}),
    workspace: options.workspace,
    ...(options.apiUrl !== undefined ? { apiUrl: options.apiUrl } : {}),
    ...(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}),
    diagnostics: [...listing.problems, ...listing.links.values(), ...diagnostics],
  };
}

/** The catalog at a revision, read from git objects. Without a config there, the current one's channels. */
export async function revisionSide(rev: GitRevision, catalog: Catalog, facts?: TextFacts): Promise<Side> {
  const prefix = `${MESSAGES_DIR}/`;
  const entries = (await listEntriesAt(rev, prefix)).map((e) => ({ rel: e.path.slice(prefix.length), link: e.link }));
  const listing = buildListing(entries, (rel) => rel);
  const wanted = [...listing.messages.values(), ...listing.partials.values()];
  // Issue 13 seam: read templates.lock.json here too, and set the side's surroundings/destinationOf.
  // The config by the name this run reads (`--config chirp.prod.yaml`), not always chirp.config.yaml.
  const configName = basename(catalog.config.configFile);
  const files = await readFilesAt(rev, [...wanted.map((rel) => `${prefix}${rel}`), configName]);
  const configText = files.get(configName);
  const config = configText !== undefined ? loadConfigText(configText) : undefined;
  const texts = new Map<string, string>();
  for (const rel of wanted) {
    const text = files.get(`${prefix}${rel}`);
    if (text !== undefined) texts.set(rel, text);
  }
  const workspace = catalog.config.workspaceFromEnv || !config ? catalog.config.workspace : config.workspace;
  const apiUrl = catalog.config.apiUrlFromEnv || !config ? catalog.config.apiUrl : (config.apiUrl ?? DEFAULT_API_URL);
  return textSide({
    label: rev.ref,
    entries,
    texts,
    ...(config?.channels !== undefined
      ? channelTable(config.channels)
      : { channels: catalog.config.channels, platforms: catalog.config.platforms }),
    now: catalog.ctx.now,
    defaultCountry: config ? config.defaultCountry : catalog.config.defaultCountry,
    workspace,
    apiUrl,
    display: (rel) => `${rev.ref}:${prefix}${rel}`,
    ...(facts ? { facts } : {}),
  });
}
