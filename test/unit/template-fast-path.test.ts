// Plain `{{path}}` templates skip the Handlebars runtime: they must render exactly as Handlebars does.
import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { createTemplateEnv } from '../../src/render/template.js';
import { RenderFailure } from '../../src/render/helpers.js';

const values: unknown[] = ['Ada', "O'Brien & <Co>", '😀 שלום', '{{x}}', 0, 42.5, -1, true, false, 'a\nb', ' padded '];

describe('the plain-template fast path', () => {
  const env = createTemplateEnv();
  // Handlebars itself adds adjacent numbers ({{a}}{{b}} → 3 with noEscape); those cases are below.
  const sources = [
    'Hi {{name}}!',
    '{{name}} {{other}}',
    'x {{a.b}} y {{name}} z',
    '{{!-- note --}}Hello {{ name }}',
    'A \\{{literal}} {{name}}',
    '  {{~name~}}  !',
    '{{name}}',
  ];

  it('renders every value exactly like Handlebars with noEscape', () => {
    for (const source of sources) {
      const ours = env.compile(source);
      const theirs = Handlebars.compile(source, { noEscape: true });
      for (const name of values) {
        for (const other of values) {
          const data = { name, other, a: { b: other } };
          expect(ours(data), `${source} with ${JSON.stringify(data)}`).toBe(theirs(data));
        }
      }
    }
  });

  it('prints adjacent numbers and booleans as text, not as their sum (a noEscape quirk of Handlebars)', () => {
    const data = { a: 1, b: 2, t: true, n: 5 };
    expect(env.compile('{{a}}{{b}}')(data)).toBe('12');
    expect(env.compile('{{#if t}}{{a}}{{b}}{{/if}}')(data)).toBe('12');
    expect(env.compile('{{#if t}}{{t}}{{t}}{{default n 0}}{{a}}{{/if}}')(data)).toBe('truetrue51');
  });

  it('still refuses blanks, naming the variable', () => {
    const render = env.compile('Hi {{name}} from {{address.city}}');
    for (const [data, label] of [
      [{ address: { city: 'Ede' } }, 'name'],
      [{ name: '  ', address: { city: 'Ede' } }, 'name'],
      [{ name: 'Ada', address: {} }, 'address.city'],
      [{ name: 'Ada', address: null }, 'address.city'],
    ] as const) {
      let error: unknown;
      try {
        render(data);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RenderFailure);
      expect((error as RenderFailure).variable).toBe(label);
    }
  });
});
