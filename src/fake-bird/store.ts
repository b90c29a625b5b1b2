// Created messages, by id and per channel in creation order (listing walks a channel backwards).
import type { AcceptedMessage } from './types.js';

export interface ListQuery {
  limit: number;
  /** Index in the channel's list to start from, walking towards older messages; undefined = newest. */
  start?: number;
  batchId?: string;
  /** Default 'newest-first'. */
  order?: 'newest-first' | 'oldest-first';
  /** Only messages it accepts (the listing's time window). */
  filter?: (message: AcceptedMessage) => boolean;
}

export interface ListPage {
  results: AcceptedMessage[];
  /** Index of the next older match, or undefined when there is none. */
  next?: number;
}

export class MessageStore {
  readonly accepted: AcceptedMessage[] = [];
  #byId = new Map<string, AcceptedMessage>();
  #byChannel = new Map<string, AcceptedMessage[]>();

  add(message: AcceptedMessage): void {
    this.accepted.push(message);
    this.#index(message);
  }

  /** A message a contact sent: listed and fetchable, but not among `accepted` (the channel's own messages). */
  addInbound(message: AcceptedMessage): void {
    this.#index(message);
  }

  #index(message: AcceptedMessage): void {
    this.#byId.set(message.id, message);
    const key = channelKey(message.workspaceId, message.channelId);
    const list = this.#byChannel.get(key);
    if (list === undefined) this.#byChannel.set(key, [message]);
    else list.push(message);
  }

  byId(id: string): AcceptedMessage | undefined {
    return this.#byId.get(id);
  }

  channelSize(workspaceId: string, channelId: string): number {
    return this.#byChannel.get(channelKey(workspaceId, channelId))?.length ?? 0;
  }

  /** Newest first unless asked otherwise. Indices only grow, so a page token stays valid while new messages arrive. */
  list(workspaceId: string, channelId: string, query: ListQuery): ListPage {
    const list = this.#byChannel.get(channelKey(workspaceId, channelId)) ?? [];
    const results: AcceptedMessage[] = [];
    const forward = query.order === 'oldest-first';
    let i = forward ? (query.start ?? 0) : Math.min(query.start ?? list.length - 1, list.length - 1);
    for (; forward ? i < list.length : i >= 0; forward ? i++ : i--) {
      const message = list[i]!;
      if (query.batchId !== undefined && message.batchId !== query.batchId) continue;
      if (query.filter !== undefined && !query.filter(message)) continue;
      if (results.length === query.limit) return { results, next: i };
      results.push(message);
    }
    return { results };
  }
}

function channelKey(workspaceId: string, channelId: string): string {
  return `${workspaceId}/${channelId}`;
}
