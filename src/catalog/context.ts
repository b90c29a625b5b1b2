// Open a catalog once: its config, partials and template environment, shared by every command.
// `buildContext` also serves catalogs read from git objects (plan --base), which have no files on disk.
import { loadConfig, type ConfigOptions, type ResolvedConfig } from './config.js';
import { listCatalog, loadPartials, type CatalogListing } from './files.js';
import { wallDiagnostic } from './walls.js';
import {
  analyzeTemplate,
  createTemplateEnv,
  parseTemplate,
  TemplateSyntaxError,
  type TemplateEnv,
  type TemplateUse,
} from '../render/index.js';
import type { Diagnostic, Platform } from '../types.js';
import { relative } from 'node:path';
import { lockPath, readLockFile, type LoadedLock, type TemplateLock } from '../templates/index.js';

/** What checking a message needs from its catalog (check/ reads it; the loader builds it). */
export interface CatalogContext {
  channels: Record<string, string>;
  /** Alias → platform for channels that name one in chirp.config.yaml (the others are WhatsApp). */
  platforms?: Record<string, Platform>;
  /** The clock of the run (`scheduledFor` is checked against it); injected, never read here. */
  now: () => Date;
  env: TemplateEnv;
  /** What each partial uses, by partial name. */
  partials: Map<string, TemplateUse>;
  /** WhatsApp templates are checked against this lock (absent: not checked here, e.g. a git revision). */
  templates?: { lock: TemplateLock | undefined | 'refused' };
  /** `defaultCountry` of chirp.config.yaml, for messages without their own. */
  defaultCountry?: string;
}

export interface Catalog {
  config: ResolvedConfig;
  ctx: CatalogContext;
  /** Problems in messages/_partials. */
  diagnostics: Diagnostic[];
  /** Partial sources by name, part of every message's definition hash. */
  partialSources: Map<string, string>;
  /** Partial files by name, as shown to users. */
  partialFiles: Map<string, string>;
  /** Which files are messages and partials (the one listing rule, src/catalog/files.ts). */
  listing: CatalogListing;
  cwd: string;
  /** templates.lock.json beside the config (its problems are in `diagnostics`). */
  templateLock: LoadedLock;
}

export interface PartialSource {
  source: string;
  /** As shown in diagnostics. */
  file: string;
}

/** The template environment and checking context for a set of partials and channel aliases. */
export function buildContext(
  channels: Record<string, string>,
  partialFiles: ReadonlyMap<string, PartialSource>,
  extra: { platforms?: Record<string, Platform>; now?: () => Date; defaultCountry?: string | undefined; coverage?: boolean } = {},
): Pick<Catalog, 'ctx' | 'diagnostics' | 'partialSources'> & { partialFiles: Map<string, string> } {
  // Coverage (plan, validate --coverage) instruments branches; render and send never pay for it.
  const env = createTemplateEnv({ coverage: extra.coverage === true });
  const fileNames = new Map<string, string>();
  const partials = new Map<string, TemplateUse>();
  const diagnostics: Diagnostic[] = [];
  const partialSources = new Map<string, string>();
  for (const [name, { source, file }] of partialFiles) {
    partialSources.set(name, source);
    fileNames.set(name, file);
    try {
      partials.set(name, analyzeTemplate(parseTemplate(source)));
      env.registerPartial(name, source);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      diagnostics.push({
        code: error.code,
        severity: 'error',
        file,
        line: error.line,
        column: error.column,
        pointer: '',
        message: error.code === 'E_HBS_SYNTAX' ? `Handlebars: ${error.message}` : error.message,
      });
    }
  }
  // The default clock is the caller's to replace (ConfigOptions.now); nothing below reads the time itself.
  return {
    ctx: {
      channels,
      platforms: extra.platforms ?? {},
      now: extra.now ?? (() => new Date()),
      env,
      partials,
      ...(extra.defaultCountry ? { defaultCountry: extra.defaultCountry } : {}),
    },
    diagnostics,
    partialSources,
    partialFiles: fileNames,
  };
}

export async function openCatalog(options: ConfigOptions & { now?: () => Date; coverage?: boolean }): Promise<Catalog> {
  const config = loadConfig(options);
  const listing = listCatalog(config.root, options.cwd);
  const files = new Map<string, PartialSource>();
  const refused: { path: string; problem: string }[] = [];
  for (const [name, { source, path }] of loadPartials(config.root, listing, refused))
    files.set(name, { source, file: relative(options.cwd, path) });
  const built = buildContext(config.channels, files, {
    platforms: config.platforms,
    ...(options.now ? { now: options.now } : {}),
    defaultCountry: config.defaultCountry,
    ...(options.coverage ? { coverage: true } : {}),
  });
  built.diagnostics.push(...refused.map((r) => wallDiagnostic(relative(options.cwd, r.path), r.problem)));
  const templateLock = await readLockFile(config.root, relative(options.cwd, lockPath(config.root)) || 'templates.lock.json');
  built.ctx.templates = { lock: templateLock.lock ?? (templateLock.exists ? 'refused' : undefined) };
  return {
    config,
    ...built,
    diagnostics: [...listing.problems, ...listing.links.values(), ...built.diagnostics, ...templateLock.diagnostics],
    listing,
    cwd: options.cwd,
    templateLock,
  };
}
