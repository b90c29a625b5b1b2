// Issue #22, cold start: a command loads what it needs and nothing more. `chirp --help` and
// `chirp completion` see every option (commander's definitions are static) but load no use case;
// `chirp validate` loads the catalog, the checks and render, never the HTTP client (undici), the
// send stage, the journal, the data readers or the preview. These check WHAT is loaded (a preload
// records every module of a real process), never how long it takes (that is `npm run bench -- goals`).
import { describe, expect, it } from 'vitest';
import { loadedModules, under } from '../helpers/loaded-modules.js';

const NEVER_AT_START = [
  '/node_modules/undici/',
  '/dist/preview/',
  '/dist/send/',
  '/dist/transport/',
  '/dist/journal/',
  '/node_modules/csv-parse/',
  '/dist/sources/',
];
/** What only a command that reads messages or data needs. */
const LIBRARY = [
  '/dist/usecases/',
  '/dist/catalog/',
  '/dist/check/',
  '/dist/diff/',
  '/dist/saved-plan/',
  '/node_modules/yaml/',
  '/node_modules/ajv/',
  '/node_modules/handlebars/',
  '/node_modules/libphonenumber-js/',
];

const none = (files: string[], parts: string[]): Record<string, string[]> => {
  const hits: Record<string, string[]> = {};
  for (const part of parts) if (under(files, part).length > 0) hits[part] = under(files, part);
  return hits;
};

describe('cold start: what a command loads', { timeout: 120_000 }, () => {
  it('chirp --help loads commander and the CLI, no use case and no library dependency', () => {
    const r = loadedModules(['--help']);
    expect(r.code, r.stderr).toBe(0);
    // The recorder works: the entry and commander are seen.
    expect(under(r.files, '/dist/cli/main.js')).toHaveLength(1);
    expect(under(r.files, '/node_modules/commander/').length).toBeGreaterThan(0);
    expect(none(r.files, [...NEVER_AT_START, ...LIBRARY])).toEqual({});
  });

  it('chirp completion bash sees every command without loading them', () => {
    const r = loadedModules(['completion', 'bash']);
    expect(r.code, r.stderr).toBe(0);
    expect(under(r.files, '/dist/cli/completion.js')).toHaveLength(1);
    expect(none(r.files, [...NEVER_AT_START, ...LIBRARY])).toEqual({});
  });

  it('chirp validate loads the checks but not undici, the send stage, the journal, the data readers or the preview', () => {
    const r = loadedModules(['validate']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/message files? checked: 0 errors/);
    expect(under(r.files, '/dist/usecases/validate.js')).toHaveLength(1);
    expect(under(r.files, '/node_modules/yaml/').length).toBeGreaterThan(0);
    expect(none(r.files, [...NEVER_AT_START, '/dist/usecases/send.js', '/dist/usecases/plan.js', '/dist/usecases/prepare.js'])).toEqual({});
  });
});
