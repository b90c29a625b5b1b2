// The typed view of a message file once its shape has been checked.
import type { MessageDefinition } from '../schema/index.js';
import type { JsonObject } from '../types.js';
import { normalizeLocale, UUID, type LocaleFallback } from '../util/index.js';

export type { MessageDefinition };

/** A channel (or other Bird) id, as opposed to a config alias. */
export { UUID };

/** Top-level message-file fields that are chirp's own; every other field is a Bird request field. */
export const CHIRP_FIELDS = new Set([
  'description',
  'channel',
  'to',
  'defaultCountry',
  'consent',
  'variables',
  'required',
  'examples',
  'fallback',
  'locale',
  'defaultLocale',
  'localeFallback',
  'translations',
  'sendAt',
  '$schema',
]);

/** Build the definition from data already checked against message.schema.json. */
export function toDefinition(id: string, file: string, raw: JsonObject, defaultCountry?: string): MessageDefinition {
  const defaultLocale = typeof raw.defaultLocale === 'string' ? normalizeLocale(raw.defaultLocale) : undefined;
  const country = typeof raw.defaultCountry === 'string' ? raw.defaultCountry : defaultCountry;
  const passthrough: JsonObject = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!CHIRP_FIELDS.has(key) && key !== 'body' && key !== 'template' && key !== 'receiver') passthrough[key] = value;
  }
  return {
    id,
    file,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    channel: typeof raw.channel === 'string' ? raw.channel : '',
    ...(typeof raw.to === 'string' ? { to: raw.to } : {}),
    ...(country ? { defaultCountry: country } : {}),
    ...(typeof raw.consent === 'string' ? { consent: raw.consent } : {}),
    ...(raw.receiver ? { receiver: raw.receiver as JsonObject } : {}),
    ...(raw.variables ? { variables: raw.variables as Record<string, JsonObject> } : {}),
    ...(Array.isArray(raw.required) ? { required: raw.required as string[] } : {}),
    ...(raw.body ? { body: raw.body as JsonObject } : {}),
    ...(raw.template ? { template: raw.template as JsonObject } : {}),
    ...(raw.fallback ? { fallback: raw.fallback as { template: JsonObject } } : {}),
    ...(typeof raw.locale === 'string'
      ? { locale: raw.locale, localeFallback: (raw.localeFallback as LocaleFallback | undefined) ?? 'default' }
      : {}),
    ...(defaultLocale?.ok ? { defaultLocale: defaultLocale.locale } : {}),
    ...(raw.sendAt ? { sendAt: { ifPast: 'error' as const, ...(raw.sendAt as { date: string; time: string; timeZone: string }) } } : {}),
    ...(raw.translations ? { translations: raw.translations as Record<string, { body: JsonObject }> } : {}),
    examples: Array.isArray(raw.examples) ? (raw.examples as JsonObject[]) : [],
    passthrough,
  };
}
