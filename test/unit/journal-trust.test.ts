// Issue 10 case 2/3 and issue 18 cases 1/3: a journal chirp can trust or refuse. Checksums on every
// record, damage listed by line, newer formats refused, BOM/CRLF tolerated, and the folder index that
// makes idempotency hold across runs and keeps destinations apart.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkFolder, createJournal, indexFolder, readJournal, type HeaderFields } from '../../src/journal/index.js';
import { tempDir } from '../helpers/temp.js';

const AT = '2025-03-01T10:00:00.000Z';
const DEST = { apiOrigin: 'https://api.bird.com', workspace: 'ws', channelId: 'chan', platform: 'whatsapp' };
const header = (runId: string, fields: Partial<HeaderFields> = {}): HeaderFields => ({
  runId,
  messageId: 'welcome',
  definitionHash: 'def1',
  dataHash: 'data1',
  chirpVersion: '0.1.0',
  startedAt: AT,
  channelId: 'chan',
  workspace: 'ws',
  apiOrigin: 'https://api.bird.com',
  platform: 'whatsapp',
  options: {},
  ...fields,
});

async function run(
  dir: string,
  runId: string,
  keys: string[],
  fields: Partial<HeaderFields> = {},
  status: 'accepted' | 'unknown' = 'accepted',
): Promise<string> {
  const journal = await createJournal(dir, header(runId, fields), { pid: process.pid });
  await journal.appendDurable([{ t: 'intent', b: 0, keys, at: AT, h: keys.map(() => 'hash1') }]);
  if (status === 'accepted') journal.append({ t: 'outcome', b: 0, status: 'accepted', at: AT, http: 202, batchId: 'b1' });
  journal.append({ t: 'end', at: AT, reason: 'complete', summary: {} });
  await journal.close();
  return journal.path;
}

describe('checksums', () => {
  it('one changed character in a key is damage, named by line, with the keys it names', async () => {
    const dir = tempDir();
    const path = await run(dir, 'r1', ['keyAAAAAAAAAAAAAAAAAAA', 'keyBBBBBBBBBBBBBBBBBBB']);
    writeFileSync(path, readFileSync(path, 'utf8').replace('keyBBBB', 'keyBBBC'));
    const state = await readJournal(path);
    expect(state.damage[0]).toEqual({
      line: 2,
      reason: expect.stringMatching(/checksum/) as unknown,
      keys: ['keyAAAAAAAAAAAAAAAAAAA', 'keyBBBCBBBBBBBBBBBBBBB'],
    });
    // and the batch's outcome now has no intent: listed too
    expect(state.damage[1]).toMatchObject({ line: 3, reason: expect.stringMatching(/intent is missing/) as unknown });
    expect(state.recipients.has('keyBBBBBBBBBBBBBBBBBBB')).toBe(false);
    const index = await indexFolder(dir, { messageId: 'welcome', destination: DEST });
    expect(index.damage).toHaveLength(2);
  });

  it('a damaged line that no longer parses makes any recipient suspect', async () => {
    const dir = tempDir();
    const path = await run(dir, 'r1', ['a', 'b']);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 20);
    writeFileSync(path, lines.join('\n'));
    const index = await indexFolder(dir, { messageId: 'welcome', destination: DEST });
    expect(index.damage[0]).toMatchObject({ path, line: 2 });
    expect(index.anyRecipient).toBe(true);
  });

  it('a torn last line (no newline: a crash) is tolerated; a terminated one that does not verify is not', async () => {
    const dir = tempDir();
    const path = await run(dir, 'r1', ['a']);
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"t":"outcome","b":1,"sta`);
    expect(await readJournal(path)).toMatchObject({ tornLines: 1, damage: [] });
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n`);
    expect((await readJournal(path)).damage).toHaveLength(1);
  });
});

describe('formats', () => {
  it('a header of a newer format is refused with a clear message, never skipped', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'future.ndjson'),
      `${JSON.stringify({ t: 'header', v: 3, runId: 'future', messageId: 'welcome' })}\n{"t":"intent"}\n`,
    );
    const error = await readJournal(join(dir, 'future.ndjson')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/newer chirp \(journal format 3; this chirp reads formats 1 to 2\)/);
    const index = await indexFolder(dir, { messageId: 'welcome', destination: DEST });
    expect(index).toMatchObject({ anyRecipient: true, damage: [{ path: join(dir, 'future.ndjson') }] });
  });

  it('a format-1 journal with a byte order mark and CRLF line ends is read (no checksums then)', async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const h = {
      t: 'header',
      v: 1,
      runId: 'old',
      messageId: 'welcome',
      definitionHash: 'd',
      dataHash: 'x',
      chirpVersion: '0.1.0',
      startedAt: AT,
      channelId: 'chan',
      workspace: 'ws',
      options: {},
    };
    const text =
      [
        '\uFEFF' + JSON.stringify(h),
        JSON.stringify({ t: 'intent', b: 0, keys: ['k1'], at: AT }),
        JSON.stringify({ t: 'outcome', b: 0, status: 'accepted', at: AT }),
      ].join('\r\n') + '\r\n';
    writeFileSync(join(dir, 'old.ndjson'), text);
    const state = await readJournal(join(dir, 'old.ndjson'));
    expect(state.recipients.get('k1')?.status).toBe('accepted');
    expect(state.damage).toEqual([]);
    // A format-1 header has no API origin: it counts for any origin (skipping is the safe direction).
    const index = await indexFolder(dir, { messageId: 'welcome', destination: { ...DEST, apiOrigin: 'http://127.0.0.1:9' } });
    expect(index.recipients.get('k1')?.status).toBe('accepted');
  });

  it('a format-2 journal loses nothing to a CRLF conversion', async () => {
    const dir = tempDir();
    const path = await run(dir, 'r1', ['a']);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    expect(await readJournal(path)).toMatchObject({ damage: [], counts: { accepted: 1 } });
  });
});

describe('the folder index', () => {
  it('merges every run of the message to this destination, and nothing else', async () => {
    const dir = tempDir();
    await run(dir, 'r1', ['a', 'b']);
    await run(dir, 'r2', ['c'], { dataHash: 'other-data' }, 'unknown');
    await run(dir, 'r3', ['d'], { workspace: 'staging' });
    await run(dir, 'r4', ['e'], { channelId: 'other-channel' });
    await run(dir, 'r5', ['f'], { apiOrigin: 'http://127.0.0.1:8787' });
    await run(dir, 'r6', ['g'], { messageId: 'another' });
    const index = await indexFolder(dir, { messageId: 'welcome', destination: DEST });
    expect([...index.recipients.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(index.recipients.get('c')?.status).toBe('unknown');
    expect(index.runs.map((r) => r.runId).sort()).toEqual(['r1', 'r2']);
  });

  it('accepted in any run wins over unknown in another', async () => {
    const dir = tempDir();
    await run(dir, 'r1', ['a'], {}, 'unknown');
    await run(dir, 'r2', ['a'], { dataHash: 'd2', startedAt: '2025-03-02T10:00:00.000Z' });
    expect((await indexFolder(dir, { messageId: 'welcome', destination: DEST })).recipients.get('a')?.status).toBe('accepted');
  });

  it('an empty journal (a run that died while being created) is no damage; `journal check` lists each file', async () => {
    const dir = tempDir();
    await run(dir, 'r1', ['a']);
    writeFileSync(join(dir, 'born.ndjson'), '');
    expect((await indexFolder(dir, { messageId: 'welcome', destination: DEST })).damage).toEqual([]);
    const checked = await checkFolder(dir);
    expect(checked).toHaveLength(2);
    expect(checked.every((f) => f.damage.length === 0)).toBe(true);
  });
});
