// The preview's core without a browser: escaping, WhatsApp formatting, changed words, where problems
// show, the template seam, routes, and the server's loopback-only, Host-checked, event-streaming face.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chatView,
  formatWhatsApp,
  html,
  markChangedWords,
  parseRoute,
  safeUrl,
  startPreviewServer,
  messagePath,
} from '../../src/preview/index.js';
import type { PreviewProblem } from '../../src/preview/index.js';
import { UserError } from '../../src/errors.js';
import type { JsonObject } from '../../src/types.js';
import { makeCatalog } from '../helpers/catalog.js';

const TAG = /<\/?(strong|em|s|code|a|mark)(\s[^>]*)?>/g;

describe('formatWhatsApp', () => {
  it('renders *bold*, _italic_, ~strike~, ```mono``` and `code`', () => {
    expect(formatWhatsApp('*Hi* _there_ ~old~ `x`').value).toBe(
      '<strong>Hi</strong> <em>there</em> <s>old</s> <code class="wa-code">x</code>',
    );
    expect(formatWhatsApp('```a *b*\nc```').value).toBe('<code class="wa-mono">a *b*\nc</code>');
    expect(formatWhatsApp('*bold _and italic_*').value).toBe('<strong>bold <em>and italic</em></strong>');
  });

  it('leaves markers inside words and across lines alone', () => {
    expect(formatWhatsApp('2*3*4 snake_case_name').value).toBe('2*3*4 snake_case_name');
    expect(formatWhatsApp('*not\nbold*').value).toBe('*not\nbold*');
    expect(formatWhatsApp('* spaced *').value).toBe('* spaced *');
  });

  it('makes http(s) links clickable, without trailing punctuation', () => {
    expect(formatWhatsApp('See https://example.com/a?b=1.').value).toBe(
      'See <a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow">https://example.com/a?b=1</a>.',
    );
    expect(formatWhatsApp('javascript:alert(1)').value).toBe('javascript:alert(1)');
  });

  it('escapes everything that is not its own tag (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('<', '>', '&', '"', "'", '*', '_', '~', '`', ' ', '\n', 'a', 'h', 't', 'p', 's', ':', '/', '.', 'x'),
          maxLength: 60,
        }),
        (text) => {
          const out = formatWhatsApp(text).value.replace(TAG, '');
          expect(out).not.toMatch(/[<>"]/);
          expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        },
      ),
    );
  });
});

describe('html and safeUrl', () => {
  it('escapes interpolated values and keeps Html', () => {
    expect(html`<p title="${'"><script>'}">${'<b>'}${html`<i>x</i>`}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;">&lt;b&gt;<i>x</i></p>',
    );
  });
  it('accepts http(s) only', () => {
    expect(safeUrl('https://bird.com/x.jpg')).toBe('https://bird.com/x.jpg');
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' data:text/html,x',
      'file:///etc/passwd',
      '//evil.example',
      '{{url}}',
    ])
      expect(safeUrl(bad)).toBeUndefined();
  });
});

describe('markChangedWords', () => {
  it('marks the words the other text does not have', () => {
    expect(markChangedWords('Hi Ada, it is out now', 'Hi Ada, it is out')).toBe('Hi Ada, it is out \uE000now\uE001');
    expect(formatWhatsApp(markChangedWords('a new b', 'a old b'), { marks: true }).value).toBe('a <mark>new</mark> b');
    expect(markChangedWords('same', 'same')).toBe('same');
    expect(markChangedWords('x y', undefined)).toBe('\uE000x y\uE001');
  });
  it('drops sentinels that come from the value itself', () => {
    expect(formatWhatsApp('a\uE000b\uE001c').value).toBe('abc');
  });
});

const problem = (code: string, pointer: string): PreviewProblem => ({
  code,
  severity: 'error',
  message: `${code} here`,
  pointer,
  where: 'x.yaml:1:1',
});

describe('chatView', () => {
  const text: JsonObject = {
    body: {
      type: 'text',
      text: {
        text: 'Hello',
        actions: [
          { type: 'reply', reply: { text: 'Yes' } },
          { type: 'link', link: { text: 'Go', url: 'javascript:alert(1)' } },
        ],
      },
    },
  };

  it('shows each problem at the part its pointer names, the rest as unplaced', () => {
    const view = chatView(text, {
      idPrefix: 't',
      problems: [
        problem('E_LIMIT', '/body/text/actions/0/reply/text'),
        problem('E_SCHEMA', '/body/text/text'),
        problem('E_REQUEST_INVALID', '/tags/0'),
      ],
    });
    const doc = view.html.value;
    expect(doc.indexOf('E_LIMIT')).toBeGreaterThan(doc.indexOf('Yes'));
    expect(doc.indexOf('E_SCHEMA')).toBeGreaterThan(doc.indexOf('Hello'));
    expect(doc.indexOf('E_SCHEMA')).toBeLessThan(doc.indexOf('Yes'));
    expect(view.unplaced.map((p) => p.code)).toEqual(['E_REQUEST_INVALID']);
  });

  it('never turns a javascript: URL into a link', () => {
    const doc = chatView(text, { idPrefix: 't' }).html.value;
    expect(doc).not.toMatch(/href="javascript/i);
    expect(doc).toContain('data-action="link"');
  });

  it('shows template parameters, and the template text once a provider knows it (the lock seam)', () => {
    const template: JsonObject = {
      template: { projectId: 'p1', version: 'latest', locale: 'en', parameters: [{ type: 'string', key: 'first_name', value: 'Ada' }] },
    };
    const bare = chatView(template, { idPrefix: 't' }).html.value;
    expect(bare).toContain('first_name');
    expect(bare).toContain('Ada');
    const known = chatView(template, {
      idPrefix: 't',
      templateText: (t) => (t.projectId === 'p1' ? { body: 'Welcome *Ada*!', footer: 'chirp', buttons: ['Start'] } : undefined),
    }).html.value;
    expect(known).toContain('Welcome <strong>Ada</strong>!');
    expect(known).toContain('Start');
    // A URL button is a call-to-action link inside the bubble, not a quick reply with its URL as text.
    const linked = chatView(template, {
      idPrefix: 't',
      templateText: () => ({ body: 'Hi', buttons: [{ text: 'Get started', url: 'https://chirp.example/start' }, 'Later'] }),
    }).html.value;
    expect(linked).toMatch(/<a class="wa-cta[^"]*" data-action="link" href="https:\/\/chirp\.example\/start"[^>]*>.*Get started<\/a>/);
    expect(linked).not.toContain('&lt;https://chirp.example/start&gt;');
    expect(linked).toMatch(/<span class="wa-reply[^"]*" data-action="reply">.*Later<\/span>/);
    const unknown = chatView(template, { idPrefix: 't', templateText: () => ({ reason: 'locale en is pending' }) }).html.value;
    expect(unknown).toContain('locale en is pending');
    expect(unknown).toContain('first_name');
  });

  it('highlights words that differ from the other side of a diff', () => {
    const after: JsonObject = { body: { type: 'text', text: { text: 'Version two is out' } } };
    const before: JsonObject = { body: { type: 'text', text: { text: 'Version one is out' } } };
    expect(chatView(after, { idPrefix: 'a', compare: before }).html.value).toContain('<mark>two</mark>');
  });
});

describe('routes', () => {
  it('maps message pages both ways, and nothing else', () => {
    expect(parseRoute(`/${messagePath('bird/carousel')}`)).toEqual({ kind: 'message', id: 'bird/carousel', page: 1 });
    expect(parseRoute(`/${messagePath('a b/ü', 3)}`)).toEqual({ kind: 'message', id: 'a b/ü', page: 3 });
    expect(parseRoute('/')).toEqual({ kind: 'index' });
    expect(parseRoute('/../etc/passwd')).toBeUndefined();
    expect(parseRoute('/m/%E0%A4%A.html')).toBeUndefined();
  });
});

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res
        .setEncoding('utf8')
        .on('data', (d: string) => (body += d))
        .on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('startPreviewServer', () => {
  const catalog = () =>
    makeCatalog({
      'messages/hello.yaml':
        'channel: whatsapp\nto: "{{phone}}"\nvariables:\n  phone: { type: string }\nbody:\n  type: text\n  text: { text: Hello there }\nexamples:\n  - { phone: "+31612345678" }\n',
    });

  it('refuses any address but loopback', async () => {
    await expect(startPreviewServer({ cwd: catalog(), env: {}, now: () => new Date(), host: '0.0.0.0', port: 0 })).rejects.toBeInstanceOf(
      UserError,
    );
  });

  it('serves pages on 127.0.0.1, refuses foreign Host headers, and streams a change event', async () => {
    let fire: ((path: string) => void) | undefined;
    const server = await startPreviewServer({
      cwd: catalog(),
      env: {},
      now: () => new Date(0),
      host: '127.0.0.1',
      port: 0,
      debounceMs: 5,
      watch: (onChange) => ((fire = onChange), () => (fire = undefined)),
    });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
      const index = await get(server.port, '/');
      expect(index.status).toBe(200);
      expect(index.body).toContain('hello');
      const page = await get(server.port, '/m/hello.html');
      expect(page.body).toContain('Hello there');
      expect((await get(server.port, '/m/nope.html')).status).toBe(404);
      expect((await get(server.port, '/', 'evil.example')).status).toBe(403);
      const events = await new Promise<string>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, path: '/events', headers: { host: `127.0.0.1:${server.port}` } },
          (res) => {
            let seen = '';
            res.setEncoding('utf8').on('data', (d: string) => {
              seen += d;
              if (seen.includes('event: hello')) fire?.('messages/hello.yaml');
              if (seen.includes('event: change')) {
                req.destroy();
                resolve(seen);
              }
            });
          },
        );
        req.on('error', reject).end();
      });
      expect(events).toContain('event: change\ndata: 1');
      expect(server.generation()).toBe(1);
    } finally {
      await server.close();
    }
    expect(fire).toBeUndefined();
  });
});
