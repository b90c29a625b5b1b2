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
  E_VAR_CONFLICT: 'A variable is given both by the row and run-wide',
  E_VARS_FILE: 'The run-wide variables file cannot be used',
  E_RECEIVER_INVALID: 'The recipient is neither an E.164 phone number nor an e-mail address',
  W_DUPLICATE_RECIPIENT: 'The recipient appears more than once',
  E_REQUEST_INVALID: 'The rendered request is not valid for Bird',
  E_RENDER: 'The template failed to render',
  // runs, journals and saved plans
  E_CONFIRMATION: 'A real send needs confirmation',
  E_RUN_NOT_FOUND: 'No such run',
  E_RUN_ID: 'The run id is not valid',
  E_RUN_INPUTS_CHANGED: 'The run was started with different inputs',
  E_RUN_LOCKED: 'The run is in use by another process',
  E_JOURNAL: 'The journal cannot be read or written',
  E_JOURNAL_VERSION: 'The journal was written in a format this chirp does not read',
  E_PLAN_FILE: 'The saved plan cannot be sent',
  E_PLAN_WORKSPACE: 'The saved plan was made for another workspace',
  E_MESSAGE_INVALID: 'The message has errors',
  // Bird and the environment
  E_WORKSPACE: 'No Bird workspace is configured',
  E_ACCESS_KEY: 'The access key is missing or malformed',
  E_API_URL: 'The Bird API URL is not valid',
  E_AUTH: 'Bird refused the access key',
  E_BIRD: 'Bird refused a request',
  E_BIRD_UNREACHABLE: 'Bird did not answer',
  E_WINDOW_CHECK: 'The customer-care window could not be checked',
  E_GIT: 'git failed, or the revision is not in this repository',
  // usage
  E_USAGE: 'Invalid command-line usage',
} as const;

export type DiagnosticCode = keyof typeof CODES;

export interface UserErrorOptions extends ErrorOptions {
  /** The problems behind the error (each with its own code and position), printed after the message. */
  diagnostics?: Diagnostic[];
}

/**
 * Bad input from the user, as data: a stable code from CODES, a message that says what is wrong (and
 * names the file, line, row or field), and the diagnostics behind it. Which exit code it gives, and any
 * advice that names a flag, is the CLI's choice (src/cli/exit-codes.ts, src/cli/hints.ts).
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  readonly diagnostics: Diagnostic[];
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    options: UserErrorOptions = {},
  ) {
    const { diagnostics, ...errorOptions } = options;
    super(message, errorOptions);
    this.diagnostics = diagnostics ?? [];
  }
}

/** Something that should never happen: a bug in chirp. */
export class InternalError extends Error {
  override readonly name = 'InternalError';
}
