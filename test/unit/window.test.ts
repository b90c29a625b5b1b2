// The customer-care window check against the fake Bird (issue 18 #5–#7, issue 12 contact ids), with
// an injected clock: the cache's scope and expiry, a 404 for a cached id, a failing search, the margin.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeBird, type FakeBird } from '../../src/fake-bird/index.js';
import { createDispatcher, createTransport, type Transport } from '../../src/transport/index.js';
import { WindowChecker } from '../../src/send/window.js';
import { UserError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp.js';

const CHANNEL = '0b9d2a44-5c29-4b1e-9f3a-0c1e2d3f4a5b';
const PHONE = '+31612345678';
let fake: FakeBird;
let now: number;
const dispatcher = createDispatcher({ connections: 2 });

function transport(workspace = 'ws-1'): Transport {
  return createTransport({
    dispatcher,
    baseUrl: fake.url,
    accessKey: fake.accessKey,
    workspace,
    rate: 100,
    concurrency: 2,
    backoffBaseMs: 1,
    backoffCapMs: 2,
  });
}
const searches = (): number => fake.requests.filter((r) => r.path.endsWith('/contacts/search')).length;

beforeEach(async () => {
  fake = await startFakeBird();
  now = Date.parse('2026-12-01T09:00:00Z');
});
afterEach(async () => {
  await fake.close();
});

describe('the contact cache', () => {
  it('is keyed by workspace (and channel): another workspace looks the contact up again', async () => {
    const cache = join(tempDir(), 'contacts.json');
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: '2026-12-01T12:00:00Z', isPermanentSession: null });
    const first = new WindowChecker(transport('ws-1'), CHANNEL, cache, () => now, { scope: 'api|ws-1' });
    expect((await first.check(PHONE)).open).toBe(true);
    first.save();
    expect(searches()).toBe(1);
    const same = new WindowChecker(transport('ws-1'), CHANNEL, cache, () => now, { scope: 'api|ws-1' });
    await same.check(PHONE);
    expect(searches()).toBe(1);
    const other = new WindowChecker(transport('ws-2'), CHANNEL, cache, () => now, { scope: 'api|ws-2' });
    await other.check(PHONE);
    expect(searches()).toBe(2);
    expect(readFileSync(cache, 'utf8')).not.toContain('612345678');
  });

  it('expires: a week later the contact is looked up again', async () => {
    const cache = join(tempDir(), 'contacts.json');
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: null, isPermanentSession: true });
    const a = new WindowChecker(transport(), CHANNEL, cache, () => now);
    await a.check(PHONE);
    a.save();
    now += 8 * 86_400_000;
    const b = new WindowChecker(transport(), CHANNEL, cache, () => now);
    expect((await b.check(PHONE)).open).toBe(true);
    expect(searches()).toBe(2);
  });

  it('a cached id that Bird answers 404 for is refreshed by a new search, not taken as "no window"', async () => {
    const cache = join(tempDir(), 'contacts.json');
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: '2026-12-01T12:00:00Z', isPermanentSession: null });
    const a = new WindowChecker(transport(), CHANNEL, cache, () => now);
    await a.check(PHONE);
    a.save();
    // The contact was merged or recreated at Bird: the cached id is gone.
    const stale = readFileSync(cache, 'utf8').replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
      '11111111-2222-4333-8444-555555555555',
    );
    expect(stale).toContain('11111111-2222-4333-8444-555555555555');
    writeFileSync(cache, stale);
    const b = new WindowChecker(transport(), CHANNEL, cache, () => now);
    const verdict = await b.check(PHONE);
    expect(verdict).toMatchObject({ open: true });
    expect(searches()).toBe(2);
  });

  it('a contacts.json that is a folder is a user error (exit 2) and leaves no temp file', async () => {
    const dir = tempDir();
    const cache = join(dir, 'contacts.json');
    mkdirSync(cache);
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: null, isPermanentSession: true });
    // Refused when the checker opens the cache: before anything is looked up or sent.
    let error: unknown;
    try {
      const a = new WindowChecker(transport(), CHANNEL, cache, () => now);
      await a.check(PHONE);
      a.save();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('E_JOURNAL');
    expect(readdirSync(dir)).toEqual(['contacts.json']);
  });
});

describe('a failing lookup is an error, never "no contact"', () => {
  it('a 404 from the contact search stops with a clear message', async () => {
    fake.faults.set('search', { kind: 'status', status: 404 });
    const checker = new WindowChecker(transport(), CHANNEL, join(tempDir(), 'c.json'), () => now);
    await expect(checker.check(PHONE)).rejects.toThrow(/contact search.*HTTP 404.*stopped before sending/);
  });

  it('a search that keeps answering 503 is retried, then stops', async () => {
    fake.faults.set('search', { kind: 'status', status: 503, retryAfter: 0 });
    const checker = new WindowChecker(transport(), CHANNEL, join(tempDir(), 'c.json'), () => now);
    await expect(checker.check(PHONE)).rejects.toThrow(/contact search.*gave up after 6 attempts/);
    expect(searches()).toBe(6);
  });

  it('an HTML 200 from the search is not an empty result', async () => {
    fake.faults.set('search', { kind: 'status', status: 200 as never, body: '<html>login</html>' });
    const checker = new WindowChecker(transport(), CHANNEL, join(tempDir(), 'c.json'), () => now);
    await expect(checker.check(PHONE)).rejects.toThrow(/HTML page/);
  });

  it('a contact the search does not find is "no contact" (a closed window, not an error)', async () => {
    const checker = new WindowChecker(transport(), CHANNEL, join(tempDir(), 'c.json'), () => now);
    const verdict = await checker.check('+31699999999');
    expect(verdict.open).toBe(false);
    expect(verdict.reason).toMatch(/no contact/);
  });
});

describe('the margin', () => {
  it('a window closing within the margin counts as closed; further out it is open and due a re-check near its end', async () => {
    const checker = new WindowChecker(transport(), CHANNEL, join(tempDir(), 'c.json'), () => now, { marginMs: 300_000 });
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: new Date(now + 3_000).toISOString(), isPermanentSession: null });
    const closing = await checker.check(PHONE);
    expect(closing.open).toBe(false);
    expect(closing.reason).toMatch(/within the 300 s margin/);
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: new Date(now + 400_000).toISOString(), isPermanentSession: null });
    const verdict = await checker.check(PHONE);
    expect(verdict).toMatchObject({ open: true, expiresAt: now + 400_000 });
    expect(checker.needsRecheck(verdict)).toBe(false);
    now += 150_000;
    expect(checker.needsRecheck(verdict)).toBe(true);
  });
});

describe('contact-id receivers (issue 12)', () => {
  it('are looked up directly by id, without a search', async () => {
    fake.setContactWindow(PHONE, { serviceWindowExpireAt: null, isPermanentSession: true });
    const id = fake.contactId(PHONE);
    const checker = new WindowChecker(transport(), CHANNEL, join(tempDir(), 'c.json'), () => now);
    expect(await checker.check({ id })).toMatchObject({ open: true });
    expect(await checker.check(id)).toMatchObject({ open: true });
    expect(searches()).toBe(0);
  });
});
