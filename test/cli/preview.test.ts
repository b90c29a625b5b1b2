// `chirp preview` and `plan --format html` as a user runs them (no browser): the static site's files,
// the server's URL on 127.0.0.1, usage errors (exit 2), the markdown link to the visual diff, and
// that no other command loads the preview code (start-up stays as it was).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { makeCatalog } from '../helpers/catalog.js';
import { hasStackTrace, REPO, runCli, spawnCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const TEXT = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
body:
  type: text
  text: { text: "Hi {{name}}" }
examples:
  - { phone: "+31612345678", name: Ada }
`;

describe('chirp preview --out', () => {
  it('writes index.html and one page per message, self-contained', async () => {
    const out = join(tempDir(), 'site');
    const result = await runCli(['preview', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    const pages = readdirSync(join(out, 'm'), { recursive: true }).filter((f) => String(f).endsWith('.html'));
    const messages = readdirSync(join(REPO, 'messages'), { recursive: true }).filter((f) => String(f).endsWith('.yaml'));
    expect(pages.length).toBe(messages.length);
    for (const page of [join(out, 'index.html'), join(out, 'm/bird/carousel.html')]) {
      const text = readFileSync(page, 'utf8');
      // No script, stylesheet, font or frame from anywhere: everything is inline.
      expect(text).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|@import|@font-face|<iframe/i);
      expect(text).toContain('Content-Security-Policy" content="default-src &#39;none&#39;');
    }
    const carousel = readFileSync(join(out, 'm/bird/carousel.html'), 'utf8');
    expect(carousel).toContain('src="https://bird.com/images/image1.jpg"');
    // Issue 29: the page fetches from its own media origins only (docs/preview.md), not any host.
    const csp = (page: string): string => /Content-Security-Policy" content="([^"]*)"/.exec(page)![1]!;
    expect(csp(carousel)).toContain('img-src https://bird.com;');
    expect(csp(carousel)).not.toMatch(/(img|media)-src[^;]*\bhttps?:(;| )/);
    expect(csp(readFileSync(join(out, 'index.html'), 'utf8'))).toContain('img-src &#39;none&#39;');
    expect(carousel).not.toContain('+31612345678');
  });

  it('pages data rows, masks recipients unless --reveal, and shows row problems with their codes', async () => {
    const root = makeCatalog({ 'messages/hi.yaml': TEXT });
    const rows = [
      'phone,name',
      ...Array.from({ length: 25 }, (_, i) => `+3161234${String(i).padStart(4, '0')},P${i}`),
      '+31612340000,Dup',
      'nonsense,Bad',
    ].join('\n');
    writeFileSync(join(root, 'people.csv'), `${rows}\n`);
    const out = join(root, 'site');
    const result = await runCli(['preview', 'hi', '--data', 'people.csv', '--rows', '10', '--out', out], { cwd: root });
    expect(result.code, result.stderr).toBe(0);
    const page1 = readFileSync(join(out, 'm/hi.html'), 'utf8');
    const page3 = readFileSync(join(out, 'm/hi.page-3.html'), 'utf8');
    expect(page1).toContain('Hi P0');
    expect(page1).not.toContain('+31612340000');
    expect(page1).toContain('+31 6•••• 000');
    expect(page1).toContain('href="hi.page-2.html"');
    expect(page3).toContain('Hi P20');
    expect(page3).toContain('data-code="W_DUPLICATE_RECIPIENT"');
    expect(page3).toContain('data-code="E_RECEIVER_INVALID"');
    const revealed = await runCli(['preview', 'hi', '--data', 'people.csv', '--reveal', '--out', join(root, 'open')], { cwd: root });
    expect(revealed.code).toBe(0);
    expect(readFileSync(join(root, 'open/m/hi.html'), 'utf8')).toContain('+31612340000');
  });

  // Several spawns: on a loaded machine (the whole suite on 2 cores) they get more time than one test.
  it('refuses bad usage with exit 2 and no stack trace', { timeout: 180_000 }, async () => {
    const cases = [
      ['preview', 'no/such'],
      ['preview', '--out', 'x', '--port', '0'],
      ['preview', '--data', '-'],
      ['preview', '--port', '70000'],
      ['preview', '--data', 'no-such.csv'],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args, { timeoutMs: 150_000 })));
    results.forEach((result, i) => {
      expect(result.code, `${cases[i]!.join(' ')}: ${result.stderr}`).toBe(2);
      expect(hasStackTrace(result.stderr)).toBe(false);
    });
  });
});

describe('chirp preview (served)', { timeout: 180_000 }, () => {
  it('prints its 127.0.0.1 URL, serves the catalog there, and stops cleanly on SIGTERM', async () => {
    const root = makeCatalog({ 'messages/hi.yaml': TEXT });
    const server = spawnCli(['preview', '--port', '0'], { cwd: root });
    const url = await new Promise<string>((resolvePromise, reject) => {
      let out = '';
      server.child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /^(http:\/\/127\.0\.0\.1:\d+\/)\n/m.exec(out);
        if (m) resolvePromise(m[1]!);
      });
      server.child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    try {
      const index = await fetch(url);
      expect(index.status).toBe(200);
      expect(index.headers.get('cache-control')).toBe('no-store');
      expect(await index.text()).toContain('href="m/hi.html"');
      expect(await (await fetch(`${url}m/hi.html`)).text()).toContain('Hi Ada');
    } finally {
      server.child.kill('SIGTERM');
    }
    const done = await server.done;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('127.0.0.1 only');
  });
});

function repo(files: Record<string, string>): string {
  const root = makeCatalog(files);
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' },
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'x');
  return root;
}

describe('chirp plan --format html', { timeout: 180_000 }, () => {
  it('writes the visual diff with both sides, masked; the markdown plan links it with --preview-url', async () => {
    const root = repo({ 'messages/hi.yaml': TEXT });
    writeFileSync(join(root, 'messages/hi.yaml'), TEXT.replace('Hi {{name}}', 'Hello {{name}}'));
    const html = await runCli(['plan', '--base', 'main', '--format', 'html', '--out', 'diff'], { cwd: root });
    expect(html.code, html.stderr).toBe(0);
    expect(html.stderr).toContain('diff/index.html');
    const page = readFileSync(join(root, 'diff/index.html'), 'utf8');
    expect(page).toContain('<mark>Hi</mark>');
    expect(page).toContain('<mark>Hello</mark>');
    expect(page).not.toContain('+31612345678');
    const md = await runCli(
      ['plan', '--base', 'main', '--format', 'markdown', '--preview-url', 'https://ci.example/run/1/diff/index.html'],
      { cwd: root },
    );
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[2]).toContain('](https://ci.example/run/1/diff/index.html)');
    const withDetailed = await runCli(['plan', '--base', 'main', '--format', 'html', '--out', 'diff2', '--detailed-exitcode'], {
      cwd: root,
    });
    expect(withDetailed.code).toBe(2);
  });

  it('refuses html without --base and --out, and --preview-url outside markdown', async () => {
    const root = repo({ 'messages/hi.yaml': TEXT });
    for (const args of [
      ['plan', '--format', 'html'],
      ['plan', '--base', 'main', '--format', 'html'],
      ['plan', '--base', 'main', '--preview-url', 'https://x.example/'],
      ['plan', '--base', 'main', '--format', 'markdown', '--preview-url', 'javascript:alert(1)'],
    ]) {
      const result = await runCli(args, { cwd: root });
      expect(result.code, args.join(' ')).toBe(2);
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
  });
});

/** Static imports of a built module, recursively (dynamic `import()` is not followed). */
function staticGraph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(entry, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm))
    staticGraph(resolve(dirname(entry), m[1]!), seen);
  for (const m of text.matchAll(/^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) staticGraph(resolve(dirname(entry), m[1]!), seen);
  return seen;
}

describe('start-up', () => {
  it('no command but preview (and plan --format html) loads the preview code: it is imported dynamically', () => {
    // bin.js loads main.js once Node's compile cache is on (an import() of its own); the rest is static.
    expect(readFileSync(join(REPO, 'dist/cli/bin.js'), 'utf8')).toContain("import('./main.js')");
    const graph = [...staticGraph(join(REPO, 'dist/cli/main.js'))].map((f) => f.slice(REPO.length));
    expect(graph).toContain('dist/cli/preview.js');
    expect(graph).toContain('dist/cli/validate.js');
    expect(graph.filter((f) => f.startsWith('dist/preview/'))).toEqual([]);
    expect(readFileSync(join(REPO, 'dist/cli/preview.js'), 'utf8')).toContain("import('../preview/index.js')");
  });
});
