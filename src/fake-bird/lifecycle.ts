// What happens to messages after the 202, as far as `chirp status` can see it: every status Bird
// documents in a mix the test chooses, read and click interactions, and a listing served in either
// order, bounded by a time window, or broken (an HTML page where JSON should be).
import type { MessageStore } from './store.js';
import type { AcceptedMessage, MessageFailure, MessageStatus } from './types.js';

export interface ListingBehaviour {
  /** Bird does not document the order: the fake serves either. Default 'newest-first'. */
  order: 'newest-first' | 'oldest-first';
  /** Answer every listing with a 200 HTML page (a proxy's or a portal's), as a misrouted request gets. */
  html: boolean;
  /** Refuse a listing without `startAt` and `endAt` (third-party evidence says Bird requires them). Default false. */
  requireTimeRange: boolean;
  /** Longest `endAt - startAt` accepted; longer is 400 "Invalid time range to filter". Default 7 days. */
  maxRangeMs: number;
  /**
   * `direction=incoming|outgoing` is third-party evidence only: 'honour' filters on it (default),
   * 'ignore' lists every direction whatever is asked, 'refuse' answers 400 to it (a Bird without the filter).
   */
  direction: 'honour' | 'ignore' | 'refuse';
}

export const DEFAULT_LISTING: ListingBehaviour = {
  order: 'newest-first',
  html: false,
  requireTimeRange: false,
  maxRangeMs: 7 * 86_400_000,
  direction: 'honour',
};

export type InteractionType = 'read' | 'clicked' | 'opened' | 'reported-as-spam' | 'unsubscribe-request';

export interface FakeInteraction {
  id: string;
  messageId: string;
  type: InteractionType;
  createdAt: string;
}

/** The failure Bird attaches to each failing status (codes from Bird's failure-code ranges). */
export const DEFAULT_FAILURES: Partial<Record<MessageStatus, MessageFailure>> = {
  rejected: { code: 11001, description: 'invalid payload', source: { name: 'validation' } },
  sending_failed: { code: 12002, description: 'unsupported type', source: { name: 'touchpoint' } },
  delivery_failed: { code: 13001, description: 'recipient is not on WhatsApp', source: { code: '131026', name: 'whatsapp' } },
};

/** Why a message was skipped or deleted, in Bird's `reason` field. */
export const DEFAULT_REASONS: Partial<Record<MessageStatus, string>> = {
  skipped: 'frequency capping',
  deleted: 'deleted by the workspace',
};

export type StatusMix = Partial<Record<MessageStatus, number>>;

/**
 * Moves messages to the statuses of `mix`, in creation order: the first `mix[first]` messages get the
 * first status named, and so on; messages past the mix's total keep theirs. Returns what each got.
 */
export function applyMix(messages: readonly AcceptedMessage[], mix: StatusMix, now: string): Map<string, MessageStatus> {
  const plan: MessageStatus[] = [];
  for (const [status, count] of Object.entries(mix) as [MessageStatus, number][]) for (let i = 0; i < count; i++) plan.push(status);
  const assigned = new Map<string, MessageStatus>();
  let i = 0;
  for (const message of messages) {
    if (message.status === 'rejected') continue;
    const status = plan[i++];
    if (status === undefined) break;
    setMessageStatus(message, status, DEFAULT_FAILURES[status], DEFAULT_REASONS[status], now);
    assigned.set(message.id, status);
  }
  return assigned;
}

export function setMessageStatus(
  message: AcceptedMessage,
  status: MessageStatus,
  failure: MessageFailure | undefined,
  reason: string | undefined,
  now: string,
): void {
  message.status = status;
  message.updatedAt = now;
  if (failure === undefined) delete message.failure;
  else message.failure = failure;
  if (reason === undefined) delete message.reason;
  else message.reason = reason;
}

export class Interactions {
  readonly #byMessage = new Map<string, FakeInteraction[]>();

  add(messageId: string, type: InteractionType, id: string, at: string): FakeInteraction {
    const interaction = { id, messageId, type, createdAt: at };
    const list = this.#byMessage.get(messageId);
    if (list === undefined) this.#byMessage.set(messageId, [interaction]);
    else list.push(interaction);
    return interaction;
  }

  of(messageId: string): FakeInteraction[] {
    return this.#byMessage.get(messageId) ?? [];
  }
}

/** `startAt`/`endAt` of a listing: undefined when absent, NaN when not a date. */
export function parseRange(params: URLSearchParams): { startAt: number | undefined; endAt: number | undefined } {
  const at = (name: string): number | undefined => {
    const text = params.get(name);
    return text === null || text === '' ? undefined : Date.parse(text);
  };
  return { startAt: at('startAt'), endAt: at('endAt') };
}

export function inRange(message: AcceptedMessage, range: { startAt: number | undefined; endAt: number | undefined }): boolean {
  return (
    (range.startAt === undefined || message.receivedAt >= range.startAt) && (range.endAt === undefined || message.receivedAt <= range.endAt)
  );
}

export type { MessageStore };
