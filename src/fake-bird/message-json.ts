// A stored message as Bird's `Message` JSON (what the 202 and GET .../messages/{id} answer).
import type { AcceptedMessage } from './types.js';
import { isObject } from './validate.js';

export function toMessage(message: AcceptedMessage): Record<string, unknown> {
  if (message.direction === 'incoming') return toInbound(message);
  const request = isObject(message.request) ? message.request : {};
  return {
    id: message.id,
    channelId: message.channelId,
    // Bird names the channel's connector here; the fake has none, so the channel stands in.
    sender: { connector: { id: message.channelId } },
    receiver: receiverEcho(request.receiver, message.contactId),
    reference: message.reference,
    parts: [],
    status: message.status,
    direction: 'outgoing',
    meta: request.meta,
    body: request.body,
    template: request.template ?? undefined,
    tags: request.tags,
    replyTo: request.replyTo,
    scheduledFor: request.scheduledFor,
    batchId: message.batchId,
    failure: message.failure,
    reason: message.reason,
    lastStatusAt: message.updatedAt,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}

/** The request's receiver with the resolved contact id filled in, as Bird answers it. */
function receiverEcho(receiver: unknown, contactId: string | undefined): unknown {
  if (!isObject(receiver) || !Array.isArray(receiver.contacts)) return receiver;
  const [first, ...rest] = receiver.contacts as unknown[];
  if (!isObject(first)) return receiver;
  return { ...receiver, contacts: [{ ...first, id: contactId ?? first.id }, ...rest] };
}

/** A contact's message to the channel: Bird's `Message` with the contact as sender and the channel's connector as receiver. */
function toInbound(message: AcceptedMessage): Record<string, unknown> {
  const request = isObject(message.request) ? message.request : {};
  return {
    id: message.id,
    channelId: message.channelId,
    sender: { contact: { id: message.contactId, identifierKey: 'phonenumber', identifierValue: message.sender } },
    receiver: { connector: { id: message.channelId } },
    parts: [],
    status: message.status,
    direction: 'incoming',
    body: request.body,
    lastStatusAt: message.updatedAt,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}
