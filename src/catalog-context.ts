// Open a catalog once: its config, partials and template environment, shared by every command.
import { loadConfig, type ConfigOptions, type ResolvedConfig } from './config.js';
import { loadPartials } from './catalog.js';
import type { CatalogContext } from './check-message.js';
import { analyzeTemplate, createTemplateEnv, parseTemplate, TemplateSyntaxError, type TemplateUse } from './template.js';
import type { Diagnostic } from './types.js';
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

export async function openCatalog(options: ConfigOptions): Promise<Catalog> {
  const config = await loadConfig(options);
  const env = createTemplateEnv();
  const partials = new Map<string, TemplateUse>();
  const diagnostics: Diagnostic[] = [];
  const partialSources = new Map<string, string>();
  for (const [name, { source, path }] of await loadPartials(config.root)) {
    partialSources.set(name, source);
    try {
      partials.set(name, analyzeTemplate(parseTemplate(source)));
      env.registerPartial(name, source);
    } catch (error) {
      if (!(error instanceof TemplateSyntaxError)) throw error;
      diagnostics.push({ code: 'E_HBS_SYNTAX', severity: 'error', file: relative(options.cwd, path), line: error.line, column: error.column, pointer: '', message: `Handlebars: ${error.message}` });
    }
  }
  return { config, ctx: { channels: config.channels, env, partials }, diagnostics, partialSources, cwd: options.cwd };
}
