// Shared domain types. Stages import these and errors.ts, never each other.

export type { Diagnostic, Severity } from './errors.js';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One recipient row from a data file (or a message's `examples`). */
export interface Row {
  /** 1-based position among the data rows (header not counted). */
  index: number;
  /** 1-based line in the source file where the row starts (CSV/NDJSON/JSON), when known. */
  line?: number;
  /** The row's values; objects have a null prototype, dotted CSV headers are nested. */
  values: Record<string, unknown>;
  /** CSV: the header's names, in column order (one array shared by every row): a problem names its column. */
  columns?: readonly string[];
  /** JSON: the 1-based column where the row's object starts. */
  column?: number;
}

export type DataFormat = 'csv' | 'json' | 'ndjson';

/** Most threads a render or a send's check takes (`--threads`, CHIRP_THREADS, the library's `threads`). */
export const MAX_THREADS = 16;

/** A Bird channel's platform (config.schema.json `channels.*.platform`); a plain channel id is WhatsApp. */
export const PLATFORMS = [
  'whatsapp',
  'sms',
  'email',
  'telegram',
  'line',
  'instagram',
  'facebook',
  'apple',
  'rcs',
  'viber',
  'linkedin',
  'push',
] as const;
export type Platform = (typeof PLATFORMS)[number];

// MessageDefinition, the typed view of a checked message file, is in schema/ (message-definition.ts):
// its fields take their types from the schema's generated types.
