// Bird's answers to status reads, checked rather than trusted: a 200 that is not Bird's `Message`
// or listing page (a proxy's HTML, a portal's login page, a cut body) proves nothing.

export const BIRD_STATUSES = [
  'accepted',
  'rejected',
  'processing',
  'scheduled',
  'sent',
  'sending_failed',
  'delivered',
  'delivery_failed',
  'deleted',
  'skipped',
] as const;
export type BirdStatus = (typeof BIRD_STATUSES)[number];
const KNOWN = new Set<string>(BIRD_STATUSES);

export interface BirdMessage {
  id: string;
  status: BirdStatus;
  createdAt: string;
  reference?: string;
  /** `receiver.contacts[0].identifierValue`. */
  to?: string;
  batchId?: string;
  reason?: string;
  scheduledFor?: string;
  failure?: { code?: string; description?: string; source?: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function describe(body: unknown): string {
  if (body === undefined) return 'an empty body';
  if (typeof body === 'string') return /^\s*</.test(body) ? 'an HTML page' : 'text that is not JSON';
  if (Array.isArray(body)) return 'a JSON array';
  return `JSON ${body === null ? 'null' : typeof body}`;
}

/** Bird's `Message` (id, status from Bird's enum, createdAt are required), or why the body is not one. */
export function parseMessage(body: unknown): BirdMessage | { error: string } {
  if (!isObject(body)) return { error: `not a Bird message: ${describe(body)}` };
  const id = str(body.id);
  const status = str(body.status);
  const createdAt = str(body.createdAt);
  if (!id) return { error: 'not a Bird message: no id' };
  if (!status || !KNOWN.has(status)) return { error: `not a Bird message: status ${JSON.stringify(body.status)} is none of Bird's` };
  if (!createdAt || Number.isNaN(Date.parse(createdAt))) return { error: 'not a Bird message: no createdAt date-time' };
  const m: BirdMessage = { id, status: status as BirdStatus, createdAt };
  const reference = str(body.reference);
  if (reference) m.reference = reference;
  const receiver = isObject(body.receiver) ? body.receiver : undefined;
  const first: unknown = Array.isArray(receiver?.contacts) ? (receiver.contacts as unknown[])[0] : undefined;
  const to = isObject(first) ? str(first.identifierValue) : undefined;
  if (to) m.to = to;
  const batchId = str(body.batchId);
  if (batchId) m.batchId = batchId;
  const reason = str(body.reason) ?? str(body.details);
  if (reason) m.reason = reason;
  const scheduledFor = str(body.scheduledFor);
  if (scheduledFor) m.scheduledFor = scheduledFor;
  if (isObject(body.failure)) {
    const f = body.failure;
    const code = typeof f.code === 'number' || typeof f.code === 'string' ? String(f.code) : undefined;
    const source = isObject(f.source) ? str(f.source.name) : undefined;
    m.failure = {
      ...(code ? { code } : {}),
      ...(str(f.description) ? { description: str(f.description)! } : {}),
      ...(source ? { source } : {}),
    };
  }
  return m;
}

export interface ListingPage {
  results: BirdMessage[];
  nextPageToken: string | undefined;
}

/** One page of GET .../messages: `{results: Message[], nextPageToken?}`, every result a Bird message. */
export function parseListingPage(body: unknown): ListingPage | { error: string } {
  if (!isObject(body)) return { error: `not Bird's message listing: ${describe(body)}` };
  if (!Array.isArray(body.results)) return { error: "not Bird's message listing: no results array" };
  const token = body.nextPageToken;
  if (token !== undefined && token !== null && typeof token !== 'string')
    return { error: "not Bird's message listing: nextPageToken is not a string" };
  const results: BirdMessage[] = [];
  for (const [i, item] of (body.results as unknown[]).entries()) {
    const m = parseMessage(item);
    if ('error' in m) return { error: `not Bird's message listing: result ${i + 1} is ${m.error}` };
    results.push(m);
  }
  return { results, nextPageToken: typeof token === 'string' && token !== '' ? token : undefined };
}

export interface InteractionCounts {
  read: number;
  clicked: number;
  other: number;
}

/** GET .../messages/{id}/interactions: `{results: [{type, ...}], nextPageToken?}` counted by type. */
export function parseInteractions(body: unknown): { counts: InteractionCounts; nextPageToken: string | undefined } | { error: string } {
  if (!isObject(body) || !Array.isArray(body.results))
    return { error: `not Bird's interaction listing: ${isObject(body) ? 'no results array' : describe(body)}` };
  const counts: InteractionCounts = { read: 0, clicked: 0, other: 0 };
  for (const item of body.results as unknown[]) {
    const type = isObject(item) ? str(item.type)?.toLowerCase() : undefined;
    if (type === undefined) return { error: "not Bird's interaction listing: an interaction without a type" };
    if (type === 'read' || type === 'opened') counts.read++;
    else if (type === 'clicked') counts.clicked++;
    else counts.other++;
  }
  const token = typeof body.nextPageToken === 'string' && body.nextPageToken !== '' ? body.nextPageToken : undefined;
  return { counts, nextPageToken: token };
}
