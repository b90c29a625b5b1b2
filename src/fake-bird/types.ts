// Public types of the fake Bird server (see server.ts for startFakeBird).
import type { Fault, FaultQueue } from './faults.js';
import type { PublishOptions } from './templates.js';
import type { FakeInteraction, InteractionType, ListingBehaviour, StatusMix } from './lifecycle.js';

export type { FakeInteraction, InteractionType, ListingBehaviour, StatusMix } from './lifecycle.js';
import type { LifecycleOptions } from './progress.js';

export type MessageStatus =
  | 'accepted'
  | 'rejected'
  | 'processing'
  | 'scheduled'
  | 'sent'
  | 'sending_failed'
  | 'delivered'
  | 'delivery_failed'
  | 'deleted'
  | 'skipped';

/** Bird's `Failure` object on a message. */
export interface MessageFailure {
  code?: number;
  description?: string;
  source?: { code?: string; name?: string };
}

/** `details` maps a JSON path (`receiver.contacts[0].identifierValue`, `$` for the root) to problems. */
export type ValidationResult = { ok: true } | { ok: false; details: Record<string, string[]> };

export interface FakeBirdOptions {
  /** Requests need `Authorization: AccessKey <key>`. Default 'test-key'. */
  accessKey?: string;
  /** When set, other workspaces get 404. Default: any workspace. */
  workspaceId?: string;
  /**
   * When set, the channels that exist: a request naming any other channel gets 404 `channel not found`
   * (Bird's send endpoint documents a 404). Default: any channel.
   */
  channels?: readonly string[];
  /** Checks each CreateMessage. Default: validateStructure (receiver, body|template, no unknown fields). */
  validate?: (body: unknown) => ValidationResult;
  /** Default 0 (any free port). */
  port?: number;
  /** Must be a loopback address; default 127.0.0.1. */
  host?: string;
  /** Epoch ms for createdAt/updatedAt. Default Date.now. The request log always uses real time. */
  clock?: () => number;
  /** Per-workspace limits over 1-second windows; off unless given. Over it: 429 with Retry-After: 1. */
  rateLimit?: { postPerSecond?: number; getPerSecond?: number };
  /**
   * false: keep only `stats` (for benchmarks). `accepted`, `requests` and contacts stay empty, and
   * created messages cannot be fetched. Default true.
   */
  record?: boolean;
  /**
   * A folder of template projects (one JSON file each: `{ "project": {...}, "channelTemplates": [...] }`)
   * to serve under /workspaces/{ws}/projects; a template send is then checked against them.
   */
  templates?: string;
  /** Channel templates per page at most (default 100), to exercise paging with few templates. */
  templatePageSize?: number;
  /** How the message listing behaves (order, HTML, time window); changeable later with setListing. */
  listing?: Partial<ListingBehaviour>;
  /**
   * Accepted messages move on by themselves (`sent`, then delivered or failed by a seeded mix), as
   * Bird's do after the 202. Off unless given (then statuses change only through setStatus).
   */
  lifecycle?: LifecycleOptions;
}

/** A message Bird "created" (also a batch message rejected by later validation). */
export interface AcceptedMessage {
  id: string;
  batchId?: string;
  channelId: string;
  workspaceId: string;
  /** The parsed CreateMessage exactly as received (one element of `messageRequests` for a batch). */
  request: unknown;
  /** `receiver.contacts[0].identifierValue`, when present. */
  recipient?: string;
  reference?: string;
  contactId?: string;
  /** clock() at creation, epoch ms. */
  receivedAt: number;
  createdAt: string;
  updatedAt: string;
  status: MessageStatus;
  failure?: MessageFailure;
  /** Bird's `reason` (why a message was skipped or deleted). */
  reason?: string;
  /** 'incoming': a message a contact sent to the channel (see addInbound); absent: one the channel sent. */
  direction?: 'incoming';
  /** An incoming message's sender (`sender.contact.identifierValue`). */
  sender?: string;
}

/** A message from a contact to the channel (a reply), as a test injects it. */
export interface InboundMessage {
  /** The sender's identifier (a phone number as Bird spells it: `+31612345678`). */
  from: string;
  /** A text reply; or give `body` (Bird's body object) for another kind. */
  text?: string;
  body?: unknown;
  channelId: string;
  /** Default: the server's `workspaceId`, else the workspace of the channel's last sent message. */
  workspaceId?: string;
  /** Epoch ms of createdAt; default the fake's clock. */
  at?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query string without `?`; '' when none. */
  query: string;
  /** Real time (Date.now()) when the request body had been read. */
  at: number;
  /** HTTP status answered; 0 while unanswered or when the fault was a reset or hang. */
  status: number;
  authorized: boolean;
  bodyBytes: number;
  fault?: Fault;
}

export interface FakeBirdStats {
  requests: number;
  /** Messages created with status accepted. */
  accepted: number;
  /** Batch messages rejected by validation after the batch was taken. */
  rejected: number;
}

export type ContactWindow = { serviceWindowExpireAt: string | null; isPermanentSession: boolean | null };

export interface FakeBird {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  accessKey: string;
  accepted: AcceptedMessage[];
  requests: RequestLogEntry[];
  stats: FakeBirdStats;
  faults: FaultQueue;
  /** Move a message on (sent, delivered, ...), as Bird would after the 202. Throws if unknown. */
  setStatus(messageId: string, status: MessageStatus, failure?: MessageFailure): void;
  /** Publish a new version of a template project (the old active one becomes inactive); returns its id. */
  publishTemplate(projectId: string, options?: PublishOptions): string;
  /** Set `localeStatuses[locale]` of a template (default: the project's active one). */
  setTemplateLocaleStatus(projectId: string, locale: string, status: string, templateId?: string): void;
  /** Moves accepted messages, in creation order, to the statuses of the mix (with Bird-like failures and reasons). */
  applyStatusMix(mix: StatusMix): Map<string, MessageStatus>;
  /** Sets Bird's `reason` on a message (skipped, deleted). */
  setReason(messageId: string, reason: string | undefined): void;
  /**
   * A message from a contact to a channel (a reply such as STOP): listed by GET .../messages as Bird lists
   * one (`direction: incoming`, status `delivered`, `sender.contact`, `receiver.connector`), never in `accepted`.
   */
  addInbound(message: InboundMessage): AcceptedMessage;
  /** A read or click on a message, served by GET .../messages/{id}/interactions. */
  addInteraction(messageId: string, type: InteractionType): FakeInteraction;
  setListing(behaviour: Partial<ListingBehaviour>): void;
  /** The contact id of a phone number (the contact is created if needed), for receivers that name an id. */
  contactId(phone: string): string;
  /** Creates the contact if needed. 'unknown' = the contact exists but the channel has no window for it (404). */
  setContactWindow(phone: string, window: ContactWindow | 'unknown'): void;
  /** Stops listening and destroys every socket, keep-alive and hanging ones included. */
  close(): Promise<void>;
}
