// Open a catalog once: its config, partials and template environment, shared by every command.
// `buildContext` also serves catalogs read from git objects (plan --base), which have no files on disk.
import { loadConfig, type ConfigOptions, type ResolvedConfig } from './config.js';
import { loadPartials } from './files.js';
import { wallDiagnostic } from './walls.js';
import type { CatalogContext } from '../check/index.js';
import { analyzeTemplate, createTemplateEnv, parseTemplate, TemplateSyntaxError, type TemplateUse } from '../render/index.js';
import type { Diagnostic } from '../types.js';
import { relative } from 'node:path';

export interface Catalog {
  config: ResolvedConfig;
  ctx: CatalogContext;
  /** Problems in messages/_partials. */
  diagnostics: Diagnostic[];
  /** Partial sources by name, part of every message's definition hash. */
  partialSources: Map<string, string>;
  cwd: string;
}

export interface PartialSource {
  source: string;
  /** As shown in diagnostics. */
  file: string;
}

/** The template environment and checking context for a set of partials and channel aliases. */
export function buildContext(channels: Record<string, string>, partialFiles: ReadonlyMap<string, PartialSource>, defaultCountry?: string): Pick<Catalog, 'ctx' | 'diagnostics' | 'partialSources'> {
  const env = createTemplateEnv();
  const partials = new Map<string, TemplateUse>();
  const diagnostics: Diagnostic[] = [];
  const partialSources = new Map<string, string>();
  for (const [name, { source, file }] of partialFiles) {
    partialSources.set(name, source);
    try {
      partials.set(name, analyzeTemplate(parseTemplate(source)));
      env.registerPartial(name, source);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      diagnostics.push({ code: 'E_HBS_SYNTAX', severity: 'error', file, line: error.line, column: error.column, pointer: '', message: `Handlebars: ${error.message}` });
    }
  }
  return { ctx: { channels, env, partials, ...(defaultCountry ? { defaultCountry } : {}) }, diagnostics, partialSources };
}

export async function openCatalog(options: ConfigOptions): Promise<Catalog> {
  const config = await loadConfig(options);
  const files = new Map<string, PartialSource>();
  const refused: { path: string; problem: string }[] = [];
  for (const [name, { source, path }] of await loadPartials(config.root, refused)) files.set(name, { source, file: relative(options.cwd, path) });
  const built = buildContext(config.channels, files, config.defaultCountry);
  built.diagnostics.push(...refused.map((r) => wallDiagnostic(relative(options.cwd, r.path), r.problem)));
  return { config, ...built, cwd: options.cwd };
}
