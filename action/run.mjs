// The chirp action's main step (action.yml): builds the command line from the action's inputs (read
// from the environment, never interpolated into a shell), runs the catalog's own chirp, passes its
// GitHub outputs through, and decides success the way docs/cli.md documents the exit codes.
// Plain JavaScript on purpose: the runner's node runs it as is, so there is no bundle to keep in step.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const input = (name) => (process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();

/** The argv for chirp, from the inputs. Exported for the tests. */
export function chirpArgs(env = process.env) {
  const get = (name) => (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
  const command = get('command');
  const args = [];
  const add = (flag, value) => value && args.push(flag, value);
  switch (command) {
    case 'validate':
      args.push('validate', '--format', 'github');
      break;
    case 'plan': {
      args.push('plan');
      if (get('message')) args.push(...get('message').split(/\s+/));
      // A pull request compares with its base branch (merge-base semantics are chirp's own).
      const base = get('base') || (env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : '');
      add('--base', base);
      args.push('--format', 'markdown', '--detailed-exitcode');
      break;
    }
    case 'send':
      if (!get('message')) throw new Error('the send command needs the `message` input');
      args.push('send', get('message'), '--yes', '--format', 'text');
      break;
    case 'status':
      args.push('status');
      if (get('run-id')) args.push(get('run-id'));
      if (get('wait') === 'true') args.push('--wait');
      break;
    default:
      throw new Error(`the \`command\` input must be validate, plan, send or status, got "${command}"`);
  }
  if (command === 'plan' || command === 'send') {
    add('--data', get('data'));
    add('--vars', get('vars'));
    for (const line of get('var')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean))
      args.push('--var', line);
  }
  if (get('args')) args.push(...get('args').split(/\s+/).filter(Boolean));
  return { command, args };
}

/**
 * What chirp prints while the log ignores workflow commands: only `validate --format github` writes
 * annotations on purpose. Everything else (the plan echoed below, send's and status's reports, any
 * stderr) quotes ids, file names and Bird's answers, and a line of it must never act as `::error` or
 * `::add-mask::`. GitHub's `::stop-commands::TOKEN` turns them off until `::TOKEN::`.
 */
export function quietCommands(command, token = randomUUID()) {
  if (command === 'validate') return { before: '', after: '' };
  return { before: `::stop-commands::${token}\n`, after: `::${token}::\n` };
}

/** Success per command: plan's 2 means "changes present", which is a success. */
export function succeeded(command, code) {
  return code === 0 || (command === 'plan' && code === 2);
}

function output(name, value) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

function main() {
  const cwd = resolve(input('working-directory') || '.');
  let parsed;
  try {
    parsed = chirpArgs();
  } catch (error) {
    console.log(`::error title=chirp action::${error.message}`);
    output('exitcode', 2);
    output('success', 'false');
    return;
  }
  // The catalog's own chirp (a devDependency), so the version is the one its lock file pins.
  const bin = process.env.CHIRP_BIN || join(cwd, 'node_modules', '.bin', 'chirp');
  if (!existsSync(bin)) {
    console.log(
      '::error title=chirp action::chirp is not installed in the catalog: add the chirp package to devDependencies and run `npm ci` before this step',
    );
    output('exitcode', 2);
    output('success', 'false');
    return;
  }
  const planFile = join(process.env.RUNNER_TEMP || cwd, 'chirp-plan.md');
  // A .js bin (a checkout's dist/cli/bin.js) runs under this node; node_modules/.bin/chirp runs itself.
  const [file, argv] = bin.endsWith('.js') ? [process.execPath, [bin, ...parsed.args]] : [bin, parsed.args];
  const quiet = quietCommands(parsed.command);
  process.stdout.write(quiet.before);
  const result = spawnSync(file, argv, {
    cwd,
    stdio: ['ignore', parsed.command === 'plan' ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  const code = result.status ?? 1;
  if (parsed.command === 'plan' && result.stdout) {
    process.stdout.write(result.stdout.endsWith('\n') ? result.stdout : `${result.stdout}\n`);
    appendFileSync(planFile, result.stdout);
    output('plan-file', planFile);
  }
  process.stdout.write(quiet.after);
  output('exitcode', code);
  output('success', String(succeeded(parsed.command, code)));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
