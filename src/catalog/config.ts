// Find and read chirp.config.yaml, then resolve settings once: defaults < file < env < flags.
// The access key comes only from the environment and is never stored in the resolved config's output.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { validatorFor } from '../schema/index.js';
import { isKnownCountry, UUID } from '../util/index.js';
import { schemaDiagnostics } from '../schema/index.js';
import { parseYamlSource, readYamlSource } from './yaml-source.js';
import { assertInside } from './walls.js';
import type { Diagnostic, Platform } from '../types.js';
import type { ChirpConfiguration } from '../schema/index.js';

export const CONFIG_FILE = 'chirp.config.yaml';
export const DEFAULT_API_URL = 'https://api.bird.com';

export interface ResolvedConfig {
  /** The catalog folder: where chirp.config.yaml lives; messages/ is below it. */
  root: string;
  configFile: string;
  workspace: string | undefined;
  /** The workspace came from BIRD_WORKSPACE_ID (which then applies to a plan's base side too). */
  workspaceFromEnv?: boolean;
  /** Alias → channel id. */
  channels: Record<string, string>;
  /** Alias → platform, for channels given as `{ id, platform }` (a plain id is WhatsApp). */
  platforms: Record<string, Platform>;
  /** ISO 3166-1 alpha-2 country of phone numbers written without a country code. */
  defaultCountry: string | undefined;
  apiUrl: string;
  /** The API URL came from BIRD_API_URL (which then applies to a plan's base side too, like the workspace). */
  apiUrlFromEnv?: boolean;
  /** From BIRD_ACCESS_KEY only. Never print, log or journal it. */
  accessKey: string | undefined;
  /** `suppress:` — suppression lists as named (relative to the config's folder); none: []. */
  suppress: string[];
  /** `stopWords:` — replies that ask to stop (`chirp status --replies`); undefined: the default (STOP, UNSUBSCRIBE). */
  stopWords?: string[];
  /** `templates.lockMaxAgeDays`: validate warns about an older templates.lock.json; undefined: the default. */
  lockMaxAgeDays?: number;
  /** `requireCoverage`: validate and plan fail when a branch is reached by no example (or data row). */
  requireCoverage?: boolean;
}

export interface ConfigOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** `--config FILE`. */
  configPath?: string;
}

/** Walk up from `cwd` to the first folder holding chirp.config.yaml. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const SECRET_KEY = /(access[-_]?key|api[-_]?key|secret|token|password|authorization)/i;
const SECRET_VALUE = /^\s*(AccessKey|Bearer)\s+\S/i;

/** Pointers of config entries that look like credentials. Values are never read into messages. */
function secretPointers(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? [path] : [];
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const pointer = `${path}/${key}`;
    if (SECRET_KEY.test(key)) found.push(pointer);
    else found.push(...secretPointers(child, pointer));
  }
  return found;
}

/** Channels and settings of a config text (a revision's), without the checks; undefined if unparsable. */
export function loadConfigText(text: string): ChirpConfiguration | undefined {
  const source = parseYamlSource('chirp.config.yaml', text);
  const value = source.value;
  return source.diagnostics.length === 0 && value !== null && typeof value === 'object' ? value : undefined;
}

/** `channels:` of a config as alias → id and alias → platform (a plain id is a WhatsApp channel). */
export function channelTable(channels: ChirpConfiguration['channels'] | undefined): {
  channels: Record<string, string>;
  platforms: Record<string, Platform>;
} {
  const ids: Record<string, string> = {};
  const platforms: Record<string, Platform> = {};
  for (const [alias, entry] of Object.entries(channels ?? {})) {
    if (typeof entry === 'string') ids[alias] = entry;
    else if (entry && typeof entry === 'object' && typeof entry.id === 'string') {
      ids[alias] = entry.id;
      platforms[alias] = entry.platform ?? 'whatsapp';
    }
  }
  return { channels: ids, platforms };
}

export function loadConfig(options: ConfigOptions): ResolvedConfig {
  const configFile = options.configPath ? resolve(options.cwd, options.configPath) : findConfig(options.cwd);
  if (!configFile || !existsSync(configFile)) {
    // The way out names what is in the package: `chirp init` and its help (the docs folder is not shipped).
    const message = options.configPath
      ? `${options.configPath} (given with --config) does not exist; check the path`
      : `no ${CONFIG_FILE} in ${options.cwd} or any parent folder (a config elsewhere: --config FILE)`;
    throw new UserError('E_CONFIG_NOT_FOUND', message);
  }
  // The config defines the catalog folder; a symlinked config that leads elsewhere is refused too.
  assertInside(dirname(configFile), configFile, options.configPath ?? configFile);
  const env = options.env;
  const source = readYamlSource(configFile, options.configPath ?? configFile);
  const diagnostics: Diagnostic[] = [...source.diagnostics];
  if (diagnostics.length === 0) {
    for (const pointer of secretPointers(source.value)) {
      const pos = source.locate(pointer, { key: true });
      diagnostics.push({
        code: 'E_CONFIG_SECRET',
        severity: 'error',
        file: source.file,
        ...pos,
        pointer,
        message: 'the config file contains what looks like a credential; remove it and set BIRD_ACCESS_KEY in the environment instead',
      });
    }
  }
  if (diagnostics.length === 0) {
    const validate = validatorFor('config');
    if (!validate(source.value)) diagnostics.push(...schemaDiagnostics(validate.errors ?? [], source, source.value));
  }
  const file = (source.value ?? {}) as ChirpConfiguration;
  // Every problem of the file at once, each at its line and column.
  if (
    source.diagnostics.length === 0 &&
    typeof file.defaultCountry === 'string' &&
    /^[A-Z]{2}$/.test(file.defaultCountry) &&
    !isKnownCountry(file.defaultCountry)
  ) {
    diagnostics.push({
      code: 'E_CONFIG',
      severity: 'error',
      file: source.file,
      ...source.locate('/defaultCountry'),
      pointer: '/defaultCountry',
      message: `defaultCountry "${file.defaultCountry}" is not a country chirp knows phone numbers of`,
      hint: 'use an ISO 3166-1 alpha-2 code such as NL, GB or US',
    });
  }
  if (diagnostics.length > 0) {
    throw new UserError('E_CONFIG', `invalid configuration in ${source.file}`, {
      diagnostics: diagnostics
        .map((d) => (d.code === 'E_SCHEMA' ? { ...d, code: 'E_CONFIG' as const } : d))
        .sort((a, b) => a.line - b.line || a.column - b.column),
    });
  }
  const workspaceEnv = env.BIRD_WORKSPACE_ID;
  if (workspaceEnv && !UUID.test(workspaceEnv))
    throw new UserError(
      'E_CONFIG',
      `BIRD_WORKSPACE_ID ${JSON.stringify(workspaceEnv)} is not a Bird workspace id (a UUID); check how it is set`,
    );
  const apiUrl = env.BIRD_API_URL || file.apiUrl || DEFAULT_API_URL;
  const where = env.BIRD_API_URL ? 'BIRD_API_URL' : 'apiUrl in the config';
  if (!/^https?:\/\/[^/\s]+/i.test(apiUrl)) {
    throw new UserError('E_API_URL', `the Bird API URL must start with https:// (or http:// for a local test server); check ${where}`);
  }
  // A port past 65535, an unclosed [IPv6 bracket: not a URL at all. Said here, not as a bug later.
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new UserError(
      'E_API_URL',
      `the Bird API URL ${JSON.stringify(apiUrl)} is not a valid URL (check the host and port); check ${where}`,
    );
  }
  if (parsed.username !== '' || parsed.password !== '')
    throw new UserError('E_API_URL', `the Bird API URL must not carry a user name or password; check ${where}`);
  // Secrets pasted into CI settings or .env files often carry a trailing newline or space.
  const accessKey = env.BIRD_ACCESS_KEY?.trim() || undefined;
  if (accessKey && /\s/.test(accessKey))
    throw new UserError('E_ACCESS_KEY', 'BIRD_ACCESS_KEY contains whitespace; check how the secret is set');
  // It goes into an HTTP header: printable ASCII only. The key itself is never quoted.
  if (accessKey && !/^[\x21-\x7e]+$/.test(accessKey))
    throw new UserError('E_ACCESS_KEY', 'BIRD_ACCESS_KEY contains a control or non-ASCII character; check how the secret is set');
  return {
    root: dirname(configFile),
    configFile,
    workspace: env.BIRD_WORKSPACE_ID || file.workspace,
    workspaceFromEnv: Boolean(env.BIRD_WORKSPACE_ID),
    ...channelTable(file.channels),
    defaultCountry: file.defaultCountry,
    suppress: file.suppress ?? [],
    ...(file.stopWords !== undefined ? { stopWords: file.stopWords } : {}),
    apiUrl,
    apiUrlFromEnv: Boolean(env.BIRD_API_URL),
    accessKey,
    ...(file.templates?.lockMaxAgeDays !== undefined ? { lockMaxAgeDays: file.templates.lockMaxAgeDays } : {}),
    ...(file.requireCoverage === true ? { requireCoverage: true } : {}),
  };
}
