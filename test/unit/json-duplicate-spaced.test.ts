// A key twice in one object was found by counting `":` against the keys read: a key written with a
// space before its colon (`"name" :`) hid one from that count, and the duplicate went through.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJson } from '../../src/sources/json.js';

describe('a key twice beside a key with a space before its colon', () => {
  it('is refused', () => {
    expect(parseJson('{"name" :"Ada","phone":"+31612345670","phone":"+31612345671"}').error?.message).toMatch(/"phone" appears twice/);
    expect(parseJson('{"a":{"b"\t:1},"c":{"x":1,"x":2}}').error?.message).toMatch(/"x" appears twice/);
  });

  it('property: with spaces before any colons, distinct keys are never refused and a key twice always is', () => {
    const key = fc.constantFrom('a', 'b', 'phone', 'name', 'x y');
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.oneof(fc.string(), fc.integer())),
        fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
        (object, spaced) => {
          let i = 0;
          const space = (text: string): string => text.replace(/":/g, () => (spaced[i++ % spaced.length] ? '" :' : '":'));
          expect(parseJson(space(JSON.stringify(object))).error).toBeUndefined();
          const keys = Object.keys(object);
          if (keys.length === 0) return;
          const twice = space(`${JSON.stringify(object).slice(0, -1)},${JSON.stringify(keys[0])}:0}`);
          expect(parseJson(twice).error?.message).toContain('appears twice');
        },
      ),
    );
  });
});
