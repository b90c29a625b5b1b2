// `chirp init [DIR]`: a new catalog that validates at once. Never overwrites a file: if any file it
// would write exists, it writes nothing (a .gitignore is the exception: `.chirp/` is appended).
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { PACKAGE_NAME, packageInfo } from '../package-info.js';
import { LOCK_FILE, LOCK_VERSION, projectFromBird, serializeLock, templateFromBird, type TemplateLock } from '../templates/index.js';
import {
  CONFIG,
  DRY_RUN,
  GITIGNORE,
  GITIGNORE_ENTRIES,
  MENU,
  NOTICE,
  SHIPPED,
  SIGNATURE,
  SUBSCRIBERS,
  WELCOME,
  WELCOME_BIRD,
  WORKSPACE,
} from './init-files.js';
import { write, type Io } from './io.js';
import { schemaNames, schemaText } from './schema.js';

interface PlannedFile {
  /** Relative to the catalog, with `/`. */
  path: string;
  text: string;
}

/**
 * The schemas folder of an installed chirp that the catalog's tools can see: node_modules/<pkg>/schemas
 * in the catalog folder or any parent (where Node and npx would find the package).
 */
export function installedSchemas(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, 'node_modules', PACKAGE_NAME, 'schemas');
    if (existsSync(join(candidate, 'message.schema.json'))) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** The two workflows of docs/ci.md, without the lines that only concern chirp's own repository. */
export function workflowText(name: 'pull-request' | 'release-notice'): string {
  const text = readFileSync(join(packageInfo().root, 'docs', 'examples', `${name}.yml`), 'utf8');
  const kept = text.split('\n').filter((line) => !/^\s*#.*chirp repository itself/.test(line));
  return [`# Written by \`chirp init\` (${PACKAGE_NAME} ${packageInfo().version}).`, ...kept].join('\n');
}

function posix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * templates.lock.json for the example template, as `chirp templates pull` would write it from Bird's
 * answers (WELCOME_BIRD), read with the same code.
 */
export function initLock(now: Date): string {
  const { project, channelTemplates } = WELCOME_BIRD;
  const templates = Object.fromEntries(channelTemplates.map((t, i) => [t.id, templateFromBird(t, `results[${i}]`)]));
  const lock: TemplateLock = {
    lockVersion: LOCK_VERSION,
    pulledAt: now.toISOString(),
    workspace: WORKSPACE,
    projects: { [project.id]: { ...projectFromBird(project, project.id), templates } },
  };
  return serializeLock(lock);
}

export function planInit(root: string, now = new Date()): { files: PlannedFile[]; schemas: string; installed: boolean } {
  const installed = installedSchemas(root);
  const schemaDir = installed ?? join(root, 'schemas');
  const withSchema = (path: string, text: string): PlannedFile => {
    const rel = posix(relative(dirname(join(root, path)), schemaDir)) || '.';
    return { path, text: text.replaceAll('$schema=SCHEMA/', `$schema=${rel}/`) };
  };
  const files: PlannedFile[] = [
    withSchema('chirp.config.yaml', CONFIG),
    { path: 'messages/_partials/signature.hbs', text: SIGNATURE },
    withSchema('messages/releases/notice.yaml', NOTICE),
    withSchema('messages/orders/shipped.yaml', SHIPPED),
    withSchema('messages/onboarding/welcome.yaml', WELCOME),
    withSchema('messages/support/menu.yaml', MENU),
    { path: LOCK_FILE, text: initLock(now) },
    { path: 'subscribers.csv', text: SUBSCRIBERS },
    { path: '.github/workflows/chirp-pull-request.yml', text: workflowText('pull-request') },
    { path: '.github/workflows/chirp-release-notice.yml', text: workflowText('release-notice') },
  ];
  // Not a dependency: a copy of the schemas, as `chirp schema --out schemas` writes it.
  if (!installed) for (const name of schemaNames()) files.push({ path: `schemas/${name}.schema.json`, text: schemaText(name) });
  return { files, schemas: schemaDir, installed: installed !== undefined };
}

/** The first symlink on the way from `root` to `path` (both included but root), or undefined: init writes through none. */
function linkOnTheWay(root: string, path: string): string | undefined {
  let at = root;
  for (const part of relative(root, path).split(/[\\/]/)) {
    at = join(at, part);
    try {
      if (lstatSync(at).isSymbolicLink()) return at;
    } catch {
      return undefined; // missing from here on: created as real folders and files
    }
  }
  return undefined;
}

export function registerInit(program: Command, io: Io): void {
  program
    .command('init')
    .description('create a new catalog: config, example messages, schemas for editors, .gitignore, CI workflows')
    .argument('[dir]', 'folder for the catalog (created if needed; default: the current folder)')
    .action(async (dirArg: string | undefined) => {
      const dir = dirArg ?? '.';
      const root = resolve(io.cwd, dir);
      const { files, schemas, installed } = planInit(root);
      // A symlinked messages/ or .gitignore would have init write outside the new catalog.
      const links = [
        ...new Set([...files.map((f) => join(root, f.path)), join(root, '.gitignore')].map((p) => linkOnTheWay(root, p))),
      ].filter((p): p is string => p !== undefined);
      if (links.length > 0)
        throw new UserError(
          'E_OUTPUT_PATH',
          `chirp init: ${links.map((p) => relative(io.cwd, p)).join(', ')} ${links.length === 1 ? 'is a symlink' : 'are symlinks'}; chirp init writes only real files and folders inside the catalog, so nothing was written`,
        );
      const existing = files.filter((f) => existsSync(join(root, f.path))).map((f) => f.path);
      if (existing.length > 0) {
        const shown = existing.slice(0, 5).join(', ') + (existing.length > 5 ? ` and ${existing.length - 5} more` : '');
        throw new UserError(
          'E_USAGE',
          `chirp init: ${relative(io.cwd, root) || '.'} already has ${shown}; nothing was written (chirp init never overwrites a file)`,
        );
      }
      for (const file of files) {
        const target = join(root, file.path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, file.text, { flag: 'wx' });
      }
      const gitignore = join(root, '.gitignore');
      const entries = GITIGNORE_ENTRIES.map((e) => e.entry).join(', ');
      let ignoreNote = `created .gitignore (${entries})`;
      if (!existsSync(gitignore)) writeFileSync(gitignore, GITIGNORE, { flag: 'wx' });
      else {
        const text = readFileSync(gitignore, 'utf8');
        const has = (entry: string): boolean => new RegExp(`^/?${entry.replace(/[.]/g, '\\.').replace(/\/$/, '')}/?\\s*$`, 'm').test(text);
        const missing = GITIGNORE_ENTRIES.filter((e) => !has(e.entry));
        if (missing.length > 0) {
          appendFileSync(gitignore, `${text.endsWith('\n') || text === '' ? '' : '\n'}\n${missing.map((e) => e.text).join('')}`);
          ignoreNote = `added ${missing.map((e) => e.entry).join(', ')} to .gitignore`;
        } else ignoreNote = `.gitignore already ignores ${entries}`;
      }
      const shownRoot = relative(io.cwd, root).startsWith('..') ? dir : relative(io.cwd, root) || '.';
      const lines = [
        `created a chirp catalog in ${shownRoot}:`,
        ...files
          .filter((f) => !f.path.startsWith('schemas/'))
          .map(
            (f) => `  ${f.path}${f.path === 'subscribers.csv' ? '   (who the release workflow sends to: example rows, replace them)' : ''}`,
          ),
        installed
          ? `  (editors: the $schema lines point at ${posix(relative(root, schemas))})`
          : `  schemas/ (copies for editors: \`chirp schema --out schemas\` refreshes them after an upgrade)`,
        `  ${ignoreNote}`,
        '',
        'next:',
        ...(shownRoot === '.' ? [] : [`  cd ${shownRoot}`]),
        '  chirp validate                      # every message, with its examples',
        '  chirp render releases/notice        # the exact requests, one JSON object per line',
        `  ${DRY_RUN}`,
        ...(installed ? [] : [`  npm install -D ${PACKAGE_NAME}            # the CI workflows use the action it ships, after \`npm ci\``]),
        '  then set your workspace and channel ids in chirp.config.yaml',
      ];
      await write(io.stdout, `${lines.join('\n')}\n`);
    });
}
