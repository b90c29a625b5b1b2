// The few error classes chirp has, and the table of stable diagnostic codes.
// Tests assert on codes, never on wording.
import type { Diagnostic } from './types.js';

export const CODES = {
  // files and YAML
  E_FILE_READ: 'The file cannot be read',
  E_FILE_TOO_LARGE: 'The file is larger than chirp accepts',
  E_YAML: 'YAML syntax error',
  E_YAML_ALIAS: 'Too many YAML aliases (possible alias bomb)',
  E_YAML_DUPLICATE_KEY: 'A key appears twice in one mapping',
  E_PROTO_KEY: 'A reserved key (__proto__, constructor, prototype) is not allowed',
  // config
  E_CONFIG: 'The configuration is invalid',
  E_CONFIG_NOT_FOUND: 'No chirp.config.yaml found',
  E_CONFIG_SECRET: 'The configuration contains a secret',
  // message definitions
  E_SCHEMA: 'The definition does not match the schema',
  E_UNKNOWN_PROPERTY: 'Unknown property',
  E_BODY_AND_TEMPLATE: 'A message has both `body` and `template`',
  E_NO_CONTENT: 'A message has neither `body` nor `template`',
  E_LIMIT: 'A WhatsApp limit is exceeded',
  E_CHANNEL_ALIAS: 'Unknown channel alias',
  E_HBS_SYNTAX: 'Handlebars syntax error',
  E_HBS_HELPER: 'Unknown Handlebars helper',
  E_HBS_PARTIAL: 'Unknown Handlebars partial',
  E_VAR_UNDECLARED: 'A variable is used but not declared in `variables`',
  W_VAR_UNUSED: 'A declared variable is never used',
  E_EXAMPLE_INVALID: 'An example row breaks `variables`',
  E_EXAMPLE_RENDER: 'An example row does not render to a valid request',
  E_MESSAGE_NOT_FOUND: 'No such message',
  // recipient rows and rendering
  E_DATA: 'The data file cannot be parsed',
  E_ROW_INVALID: 'A row breaks the message `variables`',
  E_VAR_MISSING: 'A variable is absent, null or empty for this row',
  E_RECEIVER_INVALID: 'The recipient is neither a valid phone number nor an e-mail address',
  W_DUPLICATE_RECIPIENT: 'The recipient appears more than once',
  E_REQUEST_INVALID: 'The rendered request is not valid for Bird',
  E_RENDER: 'The template failed to render',
  E_VALUE_NOT_TEXT: 'An object or a list is printed as text',
  E_EACH_NOT_LIST: '`#each` is given something that is not a list',
  E_CONTROL_CHAR: 'A printed value contains a control character (NUL, ESC, …)',
  E_DATA_ENCODING: 'The data file is not valid UTF-8',
  // catalog boundaries
  E_OUTSIDE_CATALOG: 'A file chirp would read resolves outside the catalog folder (a symlink or a path with ..)',
  // usage
  E_USAGE: 'Invalid command-line usage',
} as const;

export type DiagnosticCode = keyof typeof CODES;

/** Bad input from the user. Carries diagnostics; the CLI prints them and exits non-zero. */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
    readonly exitCode = 2,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A failure delivering one request; recorded per message, never thrown past dispatch. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly kind: 'permanent' | 'retryable' | 'unknown' | 'fatal',
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Something that should never happen: a bug in chirp. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}
