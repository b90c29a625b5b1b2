// WhatsApp's customer-care window: free-form messages reach only people who wrote in the last 24
// hours (or have a permanent session). Look each recipient's contact up (ids cached in the journal
// folder per Bird, workspace and channel, keyed by a hash, never the number, and forgotten after a
// week or when Bird answers 404 for one) and ask Bird whether the window is open with a margin: a
// window closing within the margin counts as closed, since the message must arrive before it does.
// A lookup Bird does not answer is an error, never "no contact".
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { shortKey, UUID } from '../util/index.js';
import { UserError } from '../errors.js';
import type { GetResult, SendOutcome, Transport } from '../transport/index.js';

/** A window that closes sooner than this after the check counts as closed (delivery, queueing, retries). */
export const DEFAULT_WINDOW_MARGIN_MS = 5 * 60_000;
/** Contact ids older than this are looked up again. */
export const DEFAULT_CONTACT_TTL_MS = 7 * 86_400_000;

export interface WindowVerdict {
  open: boolean;
  /** Why it is open or closed: no contact, no session, expired, closes within the margin. */
  reason: string;
  /** When an open window closes (epoch ms); undefined for a permanent session or a closed window. */
  expiresAt?: number;
}

/** Who a request goes to, as far as the window is concerned: an identifier, or a contact id. */
export type WindowReceiver = string | { id?: string; identifierKey?: string; identifierValue?: string };

export interface WindowOptions {
  /** What the cache is keyed by besides the identifier: the API origin, workspace and channel. */
  scope?: string;
  marginMs?: number;
  ttlMs?: number;
}

interface CachedContact {
  id: string;
  at: number;
}
interface CacheFile {
  v: 2;
  contacts: Record<string, CachedContact>;
}

function describe(body: unknown): string {
  if (body === undefined) return 'an empty body';
  if (typeof body === 'string') return /^\s*</.test(body) ? 'an HTML page' : 'text that is not JSON';
  return Array.isArray(body) ? 'a JSON array' : `JSON ${typeof body}`;
}

/** The result of a read, or a UserError that says what failed and that nothing was sent. */
function answer(result: GetResult | SendOutcome, what: string): GetResult {
  if (!('kind' in result)) return result;
  if (result.kind === 'failed') return { http: result.http, body: { code: result.code, message: result.message } };
  const detail = 'message' in result && result.message ? result.message : result.kind === 'unknown' ? result.reason : result.kind;
  throw new UserError(
    result.kind === 'fatal' && result.reason === 'auth' ? 'E_AUTH' : 'E_WINDOW_CHECK',
    `checking the customer-care window failed (${what}): ${detail}; stopped before sending (try again, or --window ignore)`,
  );
}

function fail(what: string, why: string): never {
  throw new UserError(
    'E_WINDOW_CHECK',
    `checking the customer-care window failed (${what}): ${why}; stopped before sending (try again, or --window ignore)`,
  );
}

/** The contact-id cache; a damaged or older one is only a cache: start afresh. */
function readCache(path: string): CacheFile {
  const empty: CacheFile = { v: 2, contacts: {} };
  if (!existsSync(path)) return empty;
  // A folder in its place is the user's mistake: said now, before anything is looked up or sent.
  if (statSync(path).isDirectory())
    throw new UserError('E_JOURNAL', `${path} is a folder, but chirp keeps its contact cache in that file; move the folder away`);
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheFile> | null;
    // Version 1 kept ids by the number's hash alone, whatever the workspace: not reusable.
    if (value?.v !== 2 || typeof value.contacts !== 'object' || value.contacts === null) return empty;
    return { v: 2, contacts: value.contacts };
  } catch {
    return empty;
  }
}

export class WindowChecker {
  private readonly cache: CacheFile;
  private dirty = false;
  /** Whether the last contactId() came from the cache. */
  private fromCache = false;
  readonly marginMs: number;
  private readonly ttlMs: number;
  private readonly scope: string;

  constructor(
    private readonly transport: Transport,
    private readonly channelId: string,
    private readonly cachePath: string,
    private readonly now: () => number,
    options: WindowOptions = {},
  ) {
    this.cache = readCache(cachePath);
    this.marginMs = options.marginMs ?? DEFAULT_WINDOW_MARGIN_MS;
    this.ttlMs = options.ttlMs ?? DEFAULT_CONTACT_TTL_MS;
    this.scope = `${options.scope ?? ''}\0${channelId}`;
  }

  private cacheKey(key: string, value: string): string {
    return shortKey(`${this.scope}\0${key}\0${value}`);
  }

  /** The contact id for an identifier: cached unless expired or `fresh`; undefined when Bird has no such contact. */
  private async contactId(key: string, value: string, fresh: boolean): Promise<string | undefined> {
    const cacheKey = this.cacheKey(key, value);
    const cached = this.cache.contacts[cacheKey];
    this.fromCache = false;
    if (!fresh && cached && typeof cached.id === 'string' && this.now() - cached.at < this.ttlMs) {
      this.fromCache = true;
      return cached.id;
    }
    const { http, body } = answer(await this.transport.query('/contacts/search', { identifier: { key, value } }), 'contact search');
    if (http !== 200) fail('contact search', `Bird answered HTTP ${http}${messageOf(body)}`);
    const results = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { results?: unknown }).results : undefined;
    if (!Array.isArray(results))
      fail(
        'contact search',
        `Bird's answer is ${Array.isArray(body) || typeof body !== 'object' ? describe(body) : 'not a search result (no results array)'}`,
      );
    const first = results[0] as { id?: unknown } | undefined;
    const id = typeof first?.id === 'string' && first.id !== '' ? first.id : undefined;
    if (id) this.cache.contacts[cacheKey] = { id, at: this.now() };
    else delete this.cache.contacts[cacheKey];
    this.dirty = true;
    return id;
  }

  /** The contact's window on this channel; 404 (no conversation) as undefined. */
  private async windowOf(id: string): Promise<{ serviceWindowExpireAt?: string | null; isPermanentSession?: boolean | null } | undefined> {
    const { http, body } = answer(
      await this.transport.get(`/channels/${encodeURIComponent(this.channelId)}/contacts/${encodeURIComponent(id)}`),
      'window',
    );
    if (http === 404) return undefined;
    if (http !== 200) fail('window', `Bird answered HTTP ${http}${messageOf(body)}`);
    if (typeof body !== 'object' || body === null || Array.isArray(body) || !('serviceWindowExpireAt' in body))
      fail(
        'window',
        `Bird's answer is ${typeof body === 'object' && body !== null && !Array.isArray(body) ? 'not a window (no serviceWindowExpireAt)' : describe(body)}`,
      );
    return body as { serviceWindowExpireAt?: string | null; isPermanentSession?: boolean | null };
  }

  /**
   * Whether a free-form message to `receiver` would arrive inside the window. `fresh` skips the
   * contact cache (a re-check right before sending asks Bird again anyway for the window itself).
   */
  async check(receiver: WindowReceiver, options: { fresh?: boolean } = {}): Promise<WindowVerdict> {
    const r = typeof receiver === 'string' ? identifierOf(receiver) : receiver;
    let window: Awaited<ReturnType<WindowChecker['windowOf']>>;
    if (r.id !== undefined && r.identifierValue === undefined) {
      // A receiver that names a contact id is looked up directly: there is nothing to search.
      window = await this.windowOf(r.id);
      if (!window) return { open: false, reason: 'no conversation on this channel' };
    } else {
      const key = r.identifierKey ?? (r.identifierValue?.includes('@') ? 'emailaddress' : 'phonenumber');
      const value = r.identifierValue ?? '';
      let id = await this.contactId(key, value, options.fresh ?? false);
      if (!id) return { open: false, reason: 'no contact: they never wrote to this workspace' };
      const cached = this.fromCache;
      window = await this.windowOf(id);
      if (!window && cached) {
        // A cached id Bird no longer knows here: look the contact up again before calling it closed.
        const again = await this.contactId(key, value, true);
        if (again && again !== id) {
          id = again;
          window = await this.windowOf(id);
        } else if (!again) return { open: false, reason: 'no contact: they never wrote to this workspace' };
      }
      if (!window) return { open: false, reason: 'no conversation on this channel' };
    }
    if (window.isPermanentSession === true) return { open: true, reason: 'permanent session' };
    const expires = window.serviceWindowExpireAt ? Date.parse(window.serviceWindowExpireAt) : NaN;
    if (Number.isNaN(expires)) return { open: false, reason: 'no open window' };
    const left = expires - this.now();
    if (left <= 0) return { open: false, reason: `closed since ${window.serviceWindowExpireAt}` };
    if (left <= this.marginMs)
      return { open: false, reason: `closes at ${window.serviceWindowExpireAt}, within the ${Math.round(this.marginMs / 1000)} s margin` };
    return { open: true, reason: `open until ${window.serviceWindowExpireAt}`, expiresAt: expires };
  }

  /** An open window that may close before a request leaves now: check it again first. */
  needsRecheck(verdict: WindowVerdict): boolean {
    return verdict.open && verdict.expiresAt !== undefined && verdict.expiresAt - this.now() <= this.marginMs;
  }

  save(): void {
    if (!this.dirty) return;
    // Written aside and renamed: a crash never leaves a cut file behind; a failure leaves no temp file.
    const temp = `${this.cachePath}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dirname(this.cachePath), { recursive: true });
      writeFileSync(temp, `${JSON.stringify(this.cache)}\n`, { mode: 0o600 });
      renameSync(temp, this.cachePath);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new UserError(
        'E_JOURNAL',
        `cannot write the contact cache ${this.cachePath}: ${(error as NodeJS.ErrnoException).code ?? String(error)} (it must be a writable file; delete it or fix --journal)`,
        { cause: error },
      );
    }
    this.dirty = false;
  }
}

function identifierOf(recipient: string): { id?: string; identifierKey?: string; identifierValue?: string } {
  if (UUID.test(recipient)) return { id: recipient };
  return { identifierValue: recipient };
}

function messageOf(body: unknown): string {
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message !== '' ? ` (${message})` : '';
}

/** The first receiver contact of a rendered request. */
export function receiverOf(request: unknown): WindowReceiver | undefined {
  const receiver =
    typeof request === 'object' && request !== null ? (request as { receiver?: { contacts?: unknown[] } }).receiver : undefined;
  const first = receiver?.contacts?.[0] as { id?: unknown; identifierKey?: unknown; identifierValue?: unknown } | undefined;
  if (!first) return undefined;
  return {
    ...(typeof first.id === 'string' ? { id: first.id } : {}),
    ...(typeof first.identifierKey === 'string' ? { identifierKey: first.identifierKey } : {}),
    ...(typeof first.identifierValue === 'string' ? { identifierValue: first.identifierValue } : {}),
  };
}
