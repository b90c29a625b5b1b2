// (named progress.ts: lifecycle.ts holds the status mixes and listings tests set by hand)
// What Bird does after the 202: an accepted message moves on to `sent`, then to a final status.
// Off unless FakeBirdOptions.lifecycle is given (tests that set statuses by hand keep full control).
// Evaluated when a message is read, from its age on the fake's clock: no timers, deterministic for a
// seed, and a message's fate is drawn when it is created (so it does not depend on who asks when).
import { mulberry32 } from './faults.js';
import type { AcceptedMessage, MessageFailure, MessageStatus } from './types.js';

export interface LifecycleOptions {
  /** Age (ms since creation) at which `accepted` becomes `sent`. Default 500. */
  sentAfterMs?: number;
  /** Age at which the message reaches its final status. Default 1500 (at least sentAfterMs). */
  finalAfterMs?: number;
  /** Weights of the final statuses. Default { delivered: 0.9, delivery_failed: 0.07, sending_failed: 0.03 }. */
  mix?: Partial<Record<MessageStatus, number>>;
  /** Seed of the draw. Default 1. */
  seed?: number;
}

export const DEFAULT_LIFECYCLE_MIX: Partial<Record<MessageStatus, number>> = {
  delivered: 0.9,
  delivery_failed: 0.07,
  sending_failed: 0.03,
};

/** Bird-shaped failures for the final statuses that are failures (codes and texts are the fake's own). */
const FAILURES: Partial<Record<MessageStatus, MessageFailure>> = {
  delivery_failed: {
    code: 13001,
    description: 'fake Bird: the message was not delivered to the handset',
    source: { code: '131026', name: 'whatsapp' },
  },
  sending_failed: {
    code: 12001,
    description: 'fake Bird: the platform did not take the message',
    source: { code: '131000', name: 'whatsapp' },
  },
  rejected: { code: 11002, description: 'fake Bird: the platform rejected the message', source: { name: 'platform' } },
};

interface Fate {
  status: MessageStatus;
  failure?: MessageFailure;
}

export class Lifecycle {
  readonly sentAfterMs: number;
  readonly finalAfterMs: number;
  #random: () => number;
  #mix: [MessageStatus, number][];
  #total: number;
  #fates = new Map<string, Fate>();

  constructor(options: LifecycleOptions = {}) {
    this.sentAfterMs = options.sentAfterMs ?? 500;
    this.finalAfterMs = Math.max(options.finalAfterMs ?? 1500, this.sentAfterMs);
    if (!(this.sentAfterMs >= 0) || !Number.isFinite(this.finalAfterMs))
      throw new Error('fake Bird: lifecycle delays must be numbers >= 0');
    this.#mix = Object.entries(options.mix ?? DEFAULT_LIFECYCLE_MIX).filter(([, w]) => w !== undefined && w > 0) as [
      MessageStatus,
      number,
    ][];
    this.#total = this.#mix.reduce((sum, [, w]) => sum + w, 0);
    if (this.#mix.length === 0 || !Number.isFinite(this.#total))
      throw new Error('fake Bird: the lifecycle mix needs at least one status with a weight > 0');
    this.#random = mulberry32(options.seed ?? 1);
  }

  /** Draws the fate of a newly accepted message. */
  created(message: AcceptedMessage): void {
    let x = this.#random() * this.#total;
    let status = this.#mix[this.#mix.length - 1]![0];
    for (const [candidate, weight] of this.#mix) {
      if (x < weight) {
        status = candidate;
        break;
      }
      x -= weight;
    }
    const failure = FAILURES[status];
    this.#fates.set(message.id, failure === undefined ? { status } : { status, failure });
  }

  /** A status set by hand wins: the message stops moving on. */
  forget(id: string): void {
    this.#fates.delete(id);
  }

  /** Moves the message on to where its age says it is. */
  advance(message: AcceptedMessage, now: number): void {
    const fate = this.#fates.get(message.id);
    if (fate === undefined) return;
    const age = now - message.receivedAt;
    if (age >= this.finalAfterMs) {
      message.status = fate.status;
      if (fate.failure !== undefined) message.failure = fate.failure;
      message.updatedAt = new Date(message.receivedAt + this.finalAfterMs).toISOString();
      this.#fates.delete(message.id);
    } else if (age >= this.sentAfterMs && message.status === 'accepted') {
      message.status = 'sent';
      message.updatedAt = new Date(message.receivedAt + this.sentAfterMs).toISOString();
    }
  }
}
