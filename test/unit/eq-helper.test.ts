// `eq` fails closed: two values that are not equal but read the same (`pro ` and `pro`, `Pro` and
// `pro`, the number 1 and the text "1") refuse the row instead of silently taking the other branch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eqRefusal, HELPERS, RenderFailure } from '../../src/render/helpers.js';
import { createTemplateEnv } from '../../src/render/index.js';

const options = { hash: {} };
const eq = (a: unknown, b: unknown): unknown => HELPERS.eq(a, b, options);

function failure(run: () => unknown): RenderFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof RenderFailure) return error;
    throw error;
  }
  throw new Error('no RenderFailure');
}

describe('eq', () => {
  it('is true for equal values and false for values that really differ', () => {
    expect(eq('pro', 'pro')).toBe(true);
    expect(eq(1, 1)).toBe(true);
    expect(eq('pro', 'basic')).toBe(false);
    expect(eq('pro', 'pros')).toBe(false);
    expect(eq('pro plan', 'pro  plan')).toBe(false);
    expect(eq(1, 2)).toBe(false);
    expect(eq(true, 'yes')).toBe(false);
    expect(eq(undefined, 'pro')).toBe(false);
    expect(eq({ a: 1 }, '[object Object]')).toBe(false);
  });

  it.each([
    ['pro ', 'pro', 'spaces'],
    [' pro', 'pro', 'spaces'],
    ['pro\u00a0', 'pro', 'spaces'],
    ['pro\u200b', 'pro', 'spaces'],
    ['p\u200bro', 'pro', 'spaces'],
    ['\ufeffpro', 'pro', 'spaces'],
    ['cafe\u0301', 'caf\u00e9', 'spaces'],
    ['Pro', 'pro', 'case'],
    ['PRO ', 'pro', 'case'],
    ['ÉTÉ', 'été', 'case'],
    [1, '1', 'type'],
    ['1 ', 1, 'type'],
    [1, '1.0', 'type'],
    [1, '01', 'type'],
    [true, 'true', 'type'],
    ['TRUE', true, 'type'],
  ] as const)('refuses %j against %j (%s)', (a, b, problem) => {
    expect(eqRefusal(a, b)).toBe(problem);
    expect(eqRefusal(b, a)).toBe(problem);
    expect(failure(() => eq(a, b)).code).toBe('E_CONDITION_VALUE');
  });

  it('names the call, the field and both values (invisible characters written out), with the way out', () => {
    const env = createTemplateEnv();
    const render = env.compile('Hi{{#if (eq plan "pro")}} pro{{else}} basic{{/if}}');
    expect(render({ plan: 'pro' })).toBe('Hi pro');
    expect(render({ plan: 'basic' })).toBe('Hi basic');
    const spaces = failure(() => render({ plan: 'pro ' }));
    expect(spaces.code).toBe('E_CONDITION_VALUE');
    expect(spaces.variable).toBe('plan');
    expect(spaces.message).toBe(
      '(eq plan "pro") compares "pro " with "pro": they differ only in spaces or invisible characters, so the row would silently take the other branch; clean the data, or compare (trim plan) when the spaces are at its edges',
    );
    expect(failure(() => render({ plan: 'pro\u200b' })).message).toContain('compares "pro\\u200b" with "pro"');
    expect(failure(() => render({ plan: 'Pro' })).message).toContain(
      'differ only in upper and lower case, so the row would silently take the other branch; clean the data, or compare (lower plan)',
    );
    const typed = failure(() => env.compile('{{#if (eq n 1)}}one{{else}}other{{/if}}')({ n: '1' }));
    expect(typed.message).toMatch(/^\(eq n 1\) compares "1" with the number 1: they differ only in type/);
  });

  it('names the field inside #each and through a helper; (trim plan) is a way out for edge spaces', () => {
    const env = createTemplateEnv();
    const each = failure(() => env.compile('{{#each items}}{{#if (eq kind "pro")}}p{{/if}}{{/each}}')({ items: [{ kind: 'pro ' }] }));
    expect(each.variable).toBe('items[].kind');
    expect(each.message).toContain('compare (trim kind)');
    const lower = failure(() => env.compile('{{#if (eq (lower plan) "pro")}}p{{/if}}')({ plan: 'PRO ' }));
    expect(lower.variable).toBe('plan');
    expect(lower.message).toMatch(/^\(eq \(lower plan\) "pro"\) compares "pro " with "pro"/);
    expect(env.compile('{{#if (eq (trim plan) "pro")}}p{{else}}b{{/if}}')({ plan: 'pro ' })).toBe('p');
    expect(env.compile('{{#if (eq (lower (trim plan)) "pro")}}p{{else}}b{{/if}}')({ plan: ' Pro ' })).toBe('p');
  });

  it('never refuses equal values', () => {
    const value = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.integer(), fc.double({ noNaN: true }), fc.boolean());
    fc.assert(
      fc.property(value, (v) => {
        expect(eq(v, v)).toBe(true);
      }),
    );
  });

  it('never refuses texts whose trimmed, lower-cased forms differ (without invisible characters)', () => {
    // Printable ASCII and white space: nothing invisible, so "reads the same" is exactly trim + case.
    const text = fc.string({
      unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), fc.constantFrom(' ', '\t', '\n', '\u00a0', 'P', 'p')),
      maxLength: 8,
    });
    fc.assert(
      fc.property(text, text, (a, b) => {
        fc.pre(a.trim().toLowerCase() !== b.trim().toLowerCase());
        expect(eq(a, b)).toBe(false);
      }),
    );
  });

  it('refuses exactly the texts that differ but read the same', () => {
    const pad = fc.string({ unit: fc.constantFrom(' ', '\u200b', '\u00a0', '\ufeff', '\t'), maxLength: 3 });
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'P', 'p', '1'), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(pad, word, pad, word, (left, a, right, b) => {
        const padded = `${left}${a}${right}`;
        if (padded === b) expect(eq(padded, b)).toBe(true);
        else if (a.toLowerCase() === b.toLowerCase()) expect(failure(() => eq(padded, b)).code).toBe('E_CONDITION_VALUE');
        else expect(eq(padded, b)).toBe(false);
      }),
    );
  });

  it('never refuses a number and a text that is another number', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        fc.pre(a !== b);
        expect(eq(a, String(b))).toBe(false);
        expect(eq(String(a), b)).toBe(false);
      }),
    );
  });
});
