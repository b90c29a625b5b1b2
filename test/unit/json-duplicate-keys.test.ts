// A JSON row that names a key twice (`{"phone": "+31…70", …, "phone": "+31…71"}`) was read as
// JSON.parse reads it: the last one wins, silently, so the message went to the second number.
// A CSV header with a column twice and a YAML mapping with a key twice are refused; so is this.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseJson } from '../../src/sources/json.js';
import { readNdjson } from '../../src/sources/ndjson.js';
import { readJson } from '../../src/sources/json.js';

async function* chunks(text: string): AsyncGenerator<string> {
  yield await Promise.resolve(text);
}

async function rows(read: typeof readNdjson, text: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const row of read(chunks(text), 'rows')) out.push({ ...row.values });
  return out;
}

describe('a key twice in one JSON object', () => {
  it('is refused in NDJSON and JSON rows, naming the key and the line', async () => {
    await expect(
      rows(readNdjson, '{"phone":"+31612345670","name":"A"}\n{"phone":"+31612345670","name":"A","phone":"+31612345671"}\n'),
    ).rejects.toThrow(/line 2 .*"phone" appears twice/);
    await expect(rows(readJson, '[{"name":"A","address":{"city":"Ede","city":"Delft"}}]')).rejects.toThrow(/"city" appears twice/);
    // Spelled differently, the same key: JSON.parse reads both as "phone".
    expect(parseJson('{"phone":1,"ph\\u006fne":2}').error?.message).toMatch(/"phone" appears twice/);
  });

  it('keys that only look alike, or repeat in other objects, are fine', async () => {
    expect(await rows(readNdjson, '{"a":{"x":1},"b":{"x":2},"c":[{"x":1},{"x":2}],"d":"\\":","e":"x\\"y\\":z"}\n')).toHaveLength(1);
    expect(parseJson('{"k":"\\"k\\":1","K":2}').error).toBeUndefined();
  });

  it('property: a parsed object with distinct keys is never refused; one with a key twice always is', () => {
    const key = fc.constantFrom('a', 'b', 'phone', '"', ':', '\\', 'a"b', 'x:y');
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.dictionary(key, fc.string()));
    fc.assert(
      fc.property(fc.dictionary(key, value), (object) => {
        expect(parseJson(JSON.stringify(object)).error).toBeUndefined();
        const keys = Object.keys(object);
        if (keys.length === 0) return;
        const twice = `${JSON.stringify(object).slice(0, -1)},${JSON.stringify(keys[0])}:0}`;
        expect(parseJson(twice).error?.message).toContain('appears twice');
      }),
    );
  });
});
