// The fake's default request check: the structure Bird insists on, not the full OpenAPI schema
// (pass `validate` to startFakeBird for that). Cheap on purpose: it runs once per batch message.
import { isObject } from '../util/index.js';
import type { ValidationResult } from './types.js';

// CreateMessage has additionalProperties: false, and Bird rejects unknown top-level fields.
const TOP_LEVEL = new Set([
  'sender',
  'receiver',
  'reference',
  'template',
  'meta',
  'replyTo',
  'body',
  'notification',
  'capFrequency',
  'enableLinkTracking',
  'ignoreQuietHours',
  'ignoreGlobalHoldout',
  'tags',
  'shortLinks',
  'scheduledFor',
  'validity',
]);

export function validateStructure(request: unknown): ValidationResult {
  if (!isObject(request)) return { ok: false, details: { $: ['must be an object'] } };
  // A field named `__proto__` must not reach Object.prototype: no prototype, no crash.
  const details = Object.create(null) as Record<string, string[]>;
  const add = (path: string, problem: string): void => {
    (details[path] ??= []).push(problem);
  };
  for (const key of Object.keys(request)) if (!TOP_LEVEL.has(key)) add(key, 'unknown field');

  const receiver = request.receiver;
  const contacts = isObject(receiver) ? receiver.contacts : undefined;
  const first: unknown = Array.isArray(contacts) ? contacts[0] : undefined;
  if (receiver === undefined) add('receiver', 'is required');
  else if (!Array.isArray(contacts) || contacts.length === 0) {
    add('receiver.contacts', 'must hold at least one contact');
  } else if (!isObject(first)) add('receiver.contacts[0]', 'must be an object');
  else if (!nonEmptyString(first.identifierValue) && !nonEmptyString(first.id)) {
    add('receiver.contacts[0].identifierValue', 'identifierValue or id is required');
  }

  // Bird's schema marks `template` nullable; a null template counts as absent.
  const template = request.template ?? undefined;
  if (request.body === undefined && template === undefined) add('body', 'body or template is required');
  if (request.body !== undefined && !isObject(request.body)) add('body', 'must be an object');
  if (template !== undefined && !isObject(template)) add('template', 'must be an object');
  if (request.reference !== undefined && typeof request.reference !== 'string') add('reference', 'must be a string');

  return Object.keys(details).length === 0 ? { ok: true } : { ok: false, details };
}

export { isObject };

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
