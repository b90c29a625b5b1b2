// Issue #22, cold start: a command loads what it needs and nothing more. `chirp --help` and
// `chirp completion` see every option (commander's definitions are static) but load no use case;
// `chirp validate` loads the catalog, the checks and render, never the HTTP client (undici), the
// send stage, the journal, the data readers or the preview; Handlebars as its one-file build, only the
// core precompiled validators, and ajv's compiler and libphonenumber-js only when a message's variables
// or a phone number need them. These check WHAT is loaded (a preload
// records every module of a real process), never how long it takes (that is `npm run bench -- goals`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../helpers/cli.js';
import { makeCatalog } from '../helpers/catalog.js';
import { loadedModules, under, type LoadedModules } from '../helpers/loaded-modules.js';

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

/** `chirp validate` of the example catalog, recorded once for the cases that read it (whichever runs first). */
let validateRun: LoadedModules | undefined;
const validateExamples = (): LoadedModules => (validateRun ??= loadedModules(['validate']));

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
    const r = validateExamples();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/message files? checked: 0 errors/);
    expect(under(r.files, '/dist/usecases/validate.js')).toHaveLength(1);
    expect(under(r.files, '/node_modules/yaml/').length).toBeGreaterThan(0);
    expect(none(r.files, [...NEVER_AT_START, '/dist/usecases/send.js', '/dist/usecases/plan.js', '/dist/usecases/prepare.js'])).toEqual({});
  });

  it('chirp validate loads Handlebars as one file, the core validators only, and ajv only for the examples', () => {
    const r = validateExamples();
    expect(r.code, r.stderr).toBe(0);
    // Handlebars' one-file build, not its CommonJS tree (33 files) nor source-map (11).
    expect(under(r.files, '/node_modules/handlebars/')).toEqual([
      expect.stringMatching(/\/node_modules\/handlebars\/dist\/handlebars\.js$/),
    ]);
    expect(under(r.files, '/node_modules/source-map/')).toEqual([]);
    // config, message, request, whatsapp: validators-core.cjs; the 1.2 MB module of every schema stays unread.
    expect(under(r.files, '/dist/schema/validators-core.cjs')).toHaveLength(1);
    expect(under(r.files, '/dist/schema/validators.cjs')).toEqual([]);
    // The example catalog declares variables: ajv compiles them, with the precompiled meta-schema.
    expect(under(r.files, '/dist/schema/row-meta.cjs')).toHaveLength(1);
    expect(under(r.files, '/node_modules/ajv/dist/compile/').length).toBeGreaterThan(0);
  });

  it("chirp validate loads neither node:readline/promises nor node:v8 (send's prompt and GC settings load them on use)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'chirp-cold-'));
    try {
      const log = join(dir, 'builtins.txt');
      const preload = `import { writeFileSync } from 'node:fs'; process.on('exit', () => writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.join('\\n')));`;
      const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(preload)}`, CLI, 'validate'], {
        cwd: REPO,
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      const builtins = readFileSync(log, 'utf8').split('\n');
      // The recorder works: the catalog's reads are seen.
      expect(builtins).toContain('NativeModule fs');
      expect(builtins.filter((m) => /^NativeModule (v8|readline\/promises)$/.test(m))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("chirp validate of a plain E.164 number loads libphonenumber's metadata, not its code; the variables compile with ajv", () => {
    const dir = makeCatalog({
      'messages/hello.yaml':
        'channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\n  tags: { type: array, items: { type: string } }\n' +
        'body:\n  type: text\n  text:\n    text: Hello\nexamples:\n  - { phone: "+31612345678", tags: [a] }\n',
    });
    const r = loadedModules(['validate'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 message file checked: 0 errors/);
    expect(under(r.files, '/dist/schema/row-meta.cjs')).toHaveLength(1);
    expect(under(r.files, '/node_modules/ajv/dist/compile/').length).toBeGreaterThan(0);
    // A plain E.164 number is checked by the fast path on libphonenumber's metadata, without its code.
    expect(under(r.files, '/node_modules/libphonenumber-js/')).toEqual([expect.stringMatching(/\/metadata\.min\.json$/)]);
  });

  it('chirp validate of messages without variables or phone numbers to check loads neither the ajv compiler nor libphonenumber-js', () => {
    const dir = makeCatalog({
      'messages/hello.yaml': 'channel: whatsapp\nto: "+31612345678"\nbody:\n  type: text\n  text:\n    text: Hello\n',
    });
    const r = loadedModules(['validate'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/1 message file checked: 0 errors/);
    // The precompiled validators ran (they need only ajv's runtime helpers and ajv-formats' formats).
    expect(under(r.files, '/dist/schema/validators-core.cjs')).toHaveLength(1);
    expect(
      none(r.files, [
        '/node_modules/ajv/dist/compile/',
        '/node_modules/ajv/dist/core.js',
        '/dist/schema/row-meta.cjs',
        '/node_modules/libphonenumber-js/',
        ...NEVER_AT_START,
      ]),
    ).toEqual({});
  });
});
