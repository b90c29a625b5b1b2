// The typed view of a message file once its shape has been checked (check/ builds it, render/ compiles it).
// Its plain fields take their types from schemas/message.schema.json (the generated `ChirpMessage`), so
// a schema change reaches them; the content fields stay JSON, because before rendering they hold
// Handlebars text where the schema describes the rendered value (`value: "{{trial_days}}"` for a number).
import type { JsonObject } from '../types.js';
import type { ChirpMessage } from './generated-types.js';

/** The type message.schema.json gives a top-level field of a message file. */
type Field<K extends keyof ChirpMessage> = NonNullable<ChirpMessage[K]>;

export interface MessageDefinition {
  id: string;
  /** As shown to users (relative path). */
  file: string;
  description?: Field<'description'>;
  channel: Field<'channel'>;
  to?: Field<'to'> & string;
  /** ISO 3166-1 alpha-2 country of numbers without a country code: the message's, else the config's. */
  defaultCountry?: Field<'defaultCountry'>;
  receiver?: JsonObject;
  /** JSON Schema `properties` for one recipient row. */
  variables?: Record<keyof Field<'variables'>, JsonObject>;
  required?: Field<'required'>;
  body?: JsonObject;
  template?: JsonObject;
  fallback?: { template: JsonObject };
  /** The recipient's locale: a template rendered per row (`"{{lang}}"`), normalised to BCP-47. */
  locale?: Field<'locale'>;
  /** Canonical BCP-47 locale of `body`; set whenever `locale` is. */
  defaultLocale?: Field<'defaultLocale'>;
  /** How far a recipient's locale may fall back (`default` unless the file says otherwise; util/locale.ts). */
  localeFallback?: Field<'localeFallback'>;
  /** Canonical locale → the whole body in that locale (never merged with `body`). */
  translations?: Record<string, { body: JsonObject }>;
  /** A wall-clock time in each recipient's zone (templates), which becomes `scheduledFor`. */
  sendAt?: Omit<Field<'sendAt'>, 'ifPast'> & { ifPast: NonNullable<Field<'sendAt'>['ifPast']> };
  examples: JsonObject[];
  /** Bird request fields passed through (reference, replyTo, meta, tags, ...), in file order. */
  passthrough: JsonObject;
}
