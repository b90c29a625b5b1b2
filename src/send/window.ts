// WhatsApp's customer-care window: free-form messages reach only people who wrote in the last 24
// hours (or have a permanent session). Look each recipient's contact up once (ids cached in the
// journal folder, keyed by a hash, never the number) and ask Bird whether the window is open.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { shortKey } from '../util/index.js';
import { UserError } from '../errors.js';
import type { GetResult, SendOutcome, Transport } from '../transport/index.js';

export interface WindowVerdict {
  open: boolean;
  /** Why it is closed: no contact, no session, expired. */
  reason: string;
}

function unwrap(result: GetResult | SendOutcome, what: string): GetResult {
  if (!('kind' in result)) return result;
  if (result.kind === 'failed' && result.http === 404) return { http: 404, body: undefined };
  const detail = 'message' in result && result.message ? result.message : result.kind === 'unknown' ? result.reason : `HTTP ${'http' in result ? String(result.http) : '?'}`;
  throw new UserError(result.kind === 'fatal' && result.reason === 'auth' ? 'E_AUTH' : 'E_WINDOW_CHECK', `checking the customer-care window failed (${what}): ${detail}`);
}

/** The contact-id cache; a damaged one is only a cache: start afresh. */
function readCache(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  // A folder in its place is the user's mistake: said now, before anything is looked up or sent.
  if (statSync(path).isDirectory()) throw new UserError('E_JOURNAL', `${path} is a folder, but chirp keeps its contact cache in that file; move the folder away`);
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
  } catch {
    return {};
  }
}

export class WindowChecker {
  private readonly cache: Record<string, string>;
  private dirty = false;

  constructor(
    private readonly transport: Transport,
    private readonly channelId: string,
    private readonly cachePath: string,
    private readonly now: () => number,
  ) {
    this.cache = readCache(cachePath);
  }

  private async contactId(recipient: string): Promise<string | undefined> {
    const key = shortKey(recipient);
    const cached = this.cache[key];
    if (cached) return cached;
    const identifier = recipient.includes('@') ? { key: 'emailaddress', value: recipient } : { key: 'phonenumber', value: recipient };
    const { body } = unwrap(await this.transport.query('/contacts/search', { identifier }), 'contact search');
    const id = (body as { results?: { id?: string }[] } | undefined)?.results?.[0]?.id;
    if (id) {
      this.cache[key] = id;
      this.dirty = true;
    }
    return id;
  }

  async check(recipient: string): Promise<WindowVerdict> {
    const id = await this.contactId(recipient);
    if (!id) return { open: false, reason: 'no contact: they never wrote to this workspace' };
    const { http, body } = unwrap(await this.transport.get(`/channels/${encodeURIComponent(this.channelId)}/contacts/${encodeURIComponent(id)}`), 'window');
    if (http === 404) return { open: false, reason: 'no conversation on this channel' };
    const w = body as { serviceWindowExpireAt?: string | null; isPermanentSession?: boolean | null };
    if (w.isPermanentSession === true) return { open: true, reason: 'permanent session' };
    if (w.serviceWindowExpireAt && Date.parse(w.serviceWindowExpireAt) > this.now()) return { open: true, reason: `open until ${w.serviceWindowExpireAt}` };
    return { open: false, reason: w.serviceWindowExpireAt ? `closed since ${w.serviceWindowExpireAt}` : 'no open window' };
  }

  save(): void {
    if (!this.dirty) return;
    mkdirSync(dirname(this.cachePath), { recursive: true });
    // Written aside and renamed: a crash never leaves a cut file behind.
    const temp = `${this.cachePath}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(this.cache)}\n`, { mode: 0o600 });
      renameSync(temp, this.cachePath);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new UserError('E_JOURNAL', `cannot write the contact cache ${this.cachePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
    this.dirty = false;
  }
}
