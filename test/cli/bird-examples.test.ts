// The example catalog reproduces every example of Bird's WhatsApp page exactly, and every request
// chirp renders for the catalog is accepted by Bird's own OpenAPI CreateMessage schema (vendored in
// test/fixtures/bird). Rendering goes through the library in-process; two spawns check the CLI.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openCatalog, prepareMessage, renderMessage as render, type Catalog } from '../../src/index.js';
import { birdCreateMessage, EXAMPLES_DIR, readJson } from '../helpers/bird-openapi.js';
import { REPO, runCli } from '../helpers/cli.js';

interface Mapping {
  example: string;
  kind: 'body' | 'template' | 'text-inner';
  replyTo?: boolean;
}

const mappings = readJson<Record<string, Mapping>>(join(REPO, 'test/fixtures/bird-examples.json'));

let catalog: Catalog | undefined;

/** Every request the message renders from its examples; any invalid row fails the test. */
async function renderRequests(id: string): Promise<Record<string, unknown>[]> {
  catalog ??= await openCatalog({ cwd: REPO, env: {} });
  const message = await prepareMessage(catalog, id);
  const out: Record<string, unknown>[] = [];
  for await (const item of render(message)) {
    expect(item.kind === 'request' ? [] : item.kind === 'suppressed' ? [item.reason] : item.diagnostics).toEqual([]);
    if (item.kind === 'request') out.push(JSON.parse(item.json) as Record<string, unknown>);
  }
  expect(out.length).toBeGreaterThan(0);
  return out;
}

describe("Bird's WhatsApp page examples", () => {
  it('covers every body and template example of the page', () => {
    const covered = new Set(Object.values(mappings).map((m) => m.example.slice(0, 2)));
    const expected = [...Array.from({ length: 24 }, (_, i) => i + 4), 29, 30, 31, 33, 34, 35].map((n) => String(n).padStart(2, '0'));
    expect(expected.filter((n) => !covered.has(n))).toEqual([]);
  });

  it.each(Object.entries(mappings))('%s renders exactly like the page', async (id, mapping) => {
    const [first] = await renderRequests(id);
    const example = readJson(join(EXAMPLES_DIR, mapping.example));
    expect(first?.receiver).toEqual({ contacts: [{ identifierValue: '+31612345678' }] });
    if (mapping.kind === 'template') {
      expect(first?.template).toEqual(example);
      expect(first).not.toHaveProperty('body');
    } else if (mapping.kind === 'text-inner') {
      expect(first?.body).toEqual({ type: 'text', text: example });
    } else {
      const { replyTo, ...body } = example;
      expect(first?.body).toEqual(mapping.replyTo ? body : example);
      if (mapping.replyTo) expect(first?.replyTo).toEqual(replyTo);
    }
  });

  it('spawned: `chirp render` prints the same request for one example', async () => {
    const result = await runCli(['render', 'bird/text']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [line] = result.stdout.trim().split('\n');
    expect(JSON.parse(line!)).toEqual((await renderRequests('bird/text'))[0]);
  });
});

describe("every rendered request of the example catalog passes Bird's OpenAPI CreateMessage", () => {
  const ids = Object.keys(mappings).concat(['releases/notice', 'orders/shipped', 'onboarding/welcome-template']);

  it('spawned: the catalog validates', async () => {
    const list = await runCli(['validate', '--format', 'json']);
    expect(list.code).toBe(0);
  });

  it.each(ids)('%s', async (id) => {
    const validate = birdCreateMessage();
    for (const request of await renderRequests(id)) {
      expect(validate(request) ? [] : validate.errors).toEqual([]);
    }
  });
});
