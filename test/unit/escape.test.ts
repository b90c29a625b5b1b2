// report/escape.ts: what data can do to a terminal, a markdown comment or HTML (issue 11, case 6).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { htmlText, markdownCode, markdownFence, markdownText, terminalLine, terminalText } from '../../src/report/escape.js';
import { createTemplateEnv } from '../../src/render/template.js';
import { RenderFailure } from '../../src/render/helpers.js';

describe('escaping', () => {
  it('shows control characters instead of sending them to the terminal', () => {
    expect(terminalText('a\u001b[2Jb\u0000c\u009bd')).toBe('a\\x1b[2Jb\\x00c\\x9bd');
    expect(terminalText('tab\tnew\nline')).toBe('tab\tnew\nline');
    expect(terminalLine('two\nlines')).toBe('two\\nlines');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // eslint-disable-next-line no-control-regex -- the point of the test
        expect(terminalLine(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
    );
  });

  it('leaves no HTML and no markdown syntax from data outside code', () => {
    const evil = '</details><img src=x onerror=alert(1)> [x](http://evil) **b** | `c`';
    const md = markdownText(evil);
    expect(md).not.toMatch(/<|>|\]\(/);
    expect(md).toContain('&lt;/details&gt;');
    expect(htmlText('<b a="1">')).toBe('&lt;b a=&quot;1&quot;&gt;');
  });

  it('makes code spans and fences that no backtick run inside can close', () => {
    expect(markdownCode('a ``` b')).toBe('````a ``` b````');
    const fence = markdownFence(['+ x ````` y'], 'diff');
    expect(fence.split('\n')[0]).toBe('``````diff');
    expect(fence.split('\n').at(-1)).toBe('``````');
  });
});

describe('printed values in templates', () => {
  const env = createTemplateEnv();
  const failure = (source: string, data: object): RenderFailure => {
    try {
      env.compile(source)(data);
    } catch (error) {
      if (error instanceof RenderFailure) return error;
      throw error;
    }
    throw new Error(`${source} rendered`);
  };

  it('refuses objects and lists in both the plain path and Handlebars, naming the variable', () => {
    for (const source of ['Hi {{big}}', 'Hi {{big}}{{#if x}}!{{/if}}']) {
      for (const big of [{ a: 1 }, [1, 2], [{ a: 1 }]]) {
        const error = failure(source, { big, x: true });
        expect(error.code).toBe('E_VALUE_NOT_TEXT');
        expect(error.variable).toBe('big');
      }
    }
    expect(failure('{{default big "x"}}', { big: { a: 1 } }).code).toBe('E_VALUE_NOT_TEXT');
  });

  it('refuses #each over anything but a list; absent or empty renders the else branch', () => {
    for (const tags of ['abc', 42, true, { a: 1 }])
      expect(failure('{{#each tags}}{{this}}{{/each}}', { tags }).code).toBe('E_EACH_NOT_LIST');
    expect(env.compile('{{#each tags}}{{this}},{{else}}none{{/each}}')({ tags: [] })).toBe('none');
    expect(env.compile('{{#each tags}}{{this}},{{else}}none{{/each}}')({})).toBe('none');
    expect(env.compile('{{#each tags}}{{this}},{{/each}}')({ tags: ['a', 1] })).toBe('a,1,');
  });

  it('refuses control characters in printed values but keeps tab and line breaks', () => {
    expect(failure('Hi {{name}}', { name: 'A\u0000' }).code).toBe('E_CONTROL_CHAR');
    expect(failure('Hi {{upper name}}', { name: 'A\u001b[2J' }).code).toBe('E_CONTROL_CHAR');
    expect(env.compile('{{name}}')({ name: 'a\tb\r\nc\nd' })).toBe('a\tb\r\nc\nd');
  });
});
