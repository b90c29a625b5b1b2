// The few error classes chirp has, and the table of stable diagnostic codes.
// Tests assert on codes, never on wording.

export const CODES = {
  // files and YAML
  E_FILE_READ: 'The file cannot be read',
  E_FILE_TOO_LARGE: 'The file is larger than chirp accepts',
  E_YAML: 'YAML syntax error',
  E_YAML_ALIAS: 'Too many YAML aliases (possible alias bomb)',
  E_YAML_DUPLICATE_KEY: 'A key appears twice in one mapping',
  E_YAML_TAG: 'A YAML tag chirp does not know (`!foo`, `!!js/function`): the value would be read as plain text',
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
  E_LIMIT: "A limit of Bird's API is exceeded (WhatsApp's have E_WA_* codes)",
  E_CHANNEL_ALIAS: 'Unknown channel alias',
  E_HBS_SYNTAX: 'Handlebars syntax error',
  E_HBS_HELPER: 'Unknown Handlebars helper',
  E_HBS_ARGUMENT: 'A helper is given a literal argument that makes it print nothing useful (`{{default x ""}}`, `{{truncate x 1}}`)',
  E_HBS_PARTIAL: 'Unknown Handlebars partial',
  E_HBS_PARTIAL_FORM:
    'A partial chirp cannot check: a name that is not written out (`{{> (lookup . "p")}}`), a partial block (`{{#> x}}`) or an inline partial (`{{#*inline}}`)',
  E_HBS_DATA: 'An `@data` variable Handlebars does not set here (`@foo`, or `@index` outside `#each`): it would print nothing',
  E_VAR_UNDECLARED: 'A variable is used but not declared in `variables`',
  E_LOCALE_INVALID: 'A locale is not a BCP-47 language tag',
  E_LOCALE_UNAVAILABLE: "The recipient's locale has no text or approved template, and the message allows no fallback to one",
  E_TRANSLATION: 'A translation does not fit the message (its type, its locale, or a template message)',
  E_TRANSLATION_VARIABLE: 'A translation drops a variable the default text uses',
  W_LOCALE_NOT_COVERED: "No example reaches one of the message's texts",
  E_TIME_ZONE_INVALID: 'A time zone is not an IANA time zone',
  E_SEND_AT_INVALID: '`sendAt` has no valid local date or time',
  E_SEND_AT_PAST: "The recipient's local send time has passed",
  W_VAR_UNUSED: 'A declared variable is never used',
  E_EXAMPLE_INVALID: 'An example row breaks `variables`',
  E_EXAMPLE_RENDER: 'An example row does not render to a valid request',
  E_BRANCH_UNREACHED: 'A template branch is reached by no example (or data row) while coverage is required',
  E_MESSAGE_NOT_FOUND: 'No such message',
  // what a platform accepts (Bird's prose rules; WhatsApp's limits: schemas/whatsapp.schema.json, src/check/rules/)
  E_PLATFORM_BODY_TYPE: "The channel's platform does not support this body type",
  E_CAP_FREQUENCY_USE_CASE: '`capFrequency: true` needs `meta.extraInformation.useCase: marketing`',
  E_SCHEDULED_TOO_FAR: '`scheduledFor` is more than 35 days ahead (Bird rejects it)',
  E_WA_ONE_RECEIVER: 'A WhatsApp message has exactly one receiver contact',
  E_WA_TEXT_LENGTH: 'WhatsApp: a text message is at most 4096 characters',
  E_WA_INTERACTIVE_TEXT_LENGTH: 'WhatsApp: the text of a message with buttons, a link or a location request is at most 1024 characters',
  E_WA_BUTTONS_COUNT: 'WhatsApp: at most 3 buttons',
  E_WA_BUTTON_TYPE: 'WhatsApp: a button is a reply, postback, link or location request',
  E_WA_BUTTON_TITLE_LENGTH: 'WhatsApp: a button title is 1 to 20 characters',
  E_WA_BUTTON_TITLE_DUPLICATE: 'WhatsApp: button titles must be unique',
  E_WA_BUTTON_PAYLOAD_LENGTH: 'WhatsApp: a button payload (id) is at most 256 characters',
  E_WA_LINK_COUNT: 'WhatsApp: one link (call-to-action URL) button at most',
  E_WA_LINK_WITH_REPLIES: 'WhatsApp: a link button cannot be combined with reply buttons',
  E_WA_LINK_LABEL_LENGTH: 'WhatsApp: a link button label is at most 20 characters',
  E_WA_LOCATION_REQUEST_ALONE: 'WhatsApp: a location request goes alone, without other buttons',
  E_WA_LOCATION_REQUEST_MEDIA: 'WhatsApp: a location request goes on a text body only, not on media',
  E_WA_LIST_HEADER_LENGTH: 'WhatsApp: a list header (`title`) is at most 60 characters',
  E_WA_LIST_BODY_LENGTH: 'WhatsApp: a list text is at most 4096 characters',
  E_WA_LIST_BUTTON_LENGTH: 'WhatsApp: a list button label is at most 20 characters',
  E_WA_LIST_SECTIONS_COUNT: 'WhatsApp: a list has 1 to 10 sections',
  E_WA_LIST_SECTION_TITLE_LENGTH: 'WhatsApp: a list section title is at most 24 characters',
  E_WA_LIST_SECTION_TITLE_MISSING: 'WhatsApp: every section needs a title when a list has more than one',
  E_WA_LIST_ROWS_EMPTY: 'WhatsApp: every list section needs at least one row',
  E_WA_LIST_ROWS_COUNT: 'WhatsApp: a list has at most 10 rows in total',
  E_WA_LIST_ROW_TYPE: 'WhatsApp: a list row is a reply or a postback',
  E_WA_LIST_ROW_TITLE_LENGTH: 'WhatsApp: a list row title is 1 to 24 characters',
  E_WA_LIST_ROW_DESCRIPTION_LENGTH: 'WhatsApp: a list row description is at most 72 characters',
  E_WA_LIST_ROW_ID_LENGTH: 'WhatsApp: a list row id is at most 200 characters',
  E_WA_LIST_ROW_ID_DUPLICATE: 'WhatsApp: list row ids must be unique across the list',
  E_WA_CAPTION_LENGTH: 'WhatsApp: a media caption is at most 1024 characters',
  E_WA_MEDIA_TYPE: 'WhatsApp does not take this media type',
  E_WA_AUDIO_CAPTION: 'WhatsApp: audio has no caption',
  E_WA_CAROUSEL_TEXT_MISSING: 'A carousel needs `text`',
  E_WA_CAROUSEL_TEXT_LENGTH: 'WhatsApp: a carousel text is at most 1024 characters',
  E_WA_CAROUSEL_CARDS_COUNT: 'WhatsApp: a carousel has 2 to 10 cards',
  E_WA_CARD_INCOMPLETE: 'WhatsApp: a carousel card needs a title, a media URL and a button',
  E_WA_CARD_BODY_LENGTH: 'WhatsApp: a carousel card body is at most 160 characters',
  E_WA_CARD_BUTTONS: 'WhatsApp: every carousel card has exactly one link button',
  E_WA_CAROUSEL_MIXED_MEDIA: 'WhatsApp: carousel cards are all images or all videos',
  E_WA_LOCATION_COORDINATES: 'WhatsApp: a location needs latitude and longitude',
  E_WA_TEMPLATE_PARAM_FORMAT: 'WhatsApp: a template value has no newlines, tabs or more than 4 spaces in a row',
  E_MESSAGE_TWIN: 'Two files give one message id (x.yaml and x.yml)',
  E_CATALOG_SYMLINK: 'A symlink in messages/ is not read',
  E_MESSAGE_NAME: 'A file name under messages/ contains a control character (a newline, ESC, a bidi override, …)',
  // recipient rows and rendering
  E_DATA: 'The data file cannot be parsed',
  E_ROW_INVALID: 'A row breaks the message `variables`',
  E_VAR_MISSING: 'A variable is absent, null or empty for this row',
  E_COLUMN_NAME: 'A data column (or JSON key) is no declared variable but reads as one (`Title` or `vipp` for `vip`)',
  E_CONDITION_TEXT:
    'A condition (`{{#if x}}`, `{{#unless x}}`) is given text that reads as false ("false", "0", "no"), which Handlebars takes as true',
  E_CONDITION_VALUE:
    '`eq` is given two values that are not equal but read the same (`pro ` and `pro`, `Pro` and `pro`, the number 1 and the text "1")',
  E_RENDERED_BLANK: 'A field a template renders is empty or shows nothing for this row (a `{{#if}}` that printed nothing)',
  E_VAR_CONFLICT: 'A variable is given both by the row and run-wide',
  E_VARS_FILE: 'The run-wide variables file cannot be used',
  E_RECEIVER_INVALID: 'The recipient is neither a valid phone number nor an e-mail address',
  E_PHONE_AMBIGUOUS:
    'A phone number written without + or 00 is two valid numbers: a national one and an international one written without its +',
  W_DUPLICATE_RECIPIENT: 'The recipient appears more than once',
  E_REQUEST_INVALID: 'The rendered request is not valid for Bird',
  E_RENDER: 'The template failed to render',
  E_RENDER_WORKER: "A worker thread of `--threads` (send's whole-list check, render) died or failed; nothing was sent",
  E_RENDER_TOO_LARGE: 'A template renders more text than any message field holds (partials that repeat each other); rendering stopped',
  E_VALUE_NOT_TEXT: 'An object or a list is printed as text',
  E_EACH_NOT_LIST: '`#each` is given something that is not a list',
  E_CONTROL_CHAR: 'A printed value contains a control character (NUL, ESC, …)',
  W_BIDI_CONTROL: 'A literal text contains a bidi control (U+202A–U+202E, U+2066–U+2069) that reorders what a reader sees',
  E_DATA_ENCODING: 'The data file is not valid UTF-8',
  // consent (suppression lists, opt-in)
  E_SUPPRESS_LIST: 'A suppression list is missing, unreadable, or holds a line chirp cannot read',
  W_SUPPRESSED: 'The recipient opted out (a suppression list) or gave no opt-in: skipped, never sent',
  E_LIST_LOCKED: 'A suppression list is being changed by another process (its `.lock` file is held)',
  // catalog boundaries
  E_OUTSIDE_CATALOG: 'A file chirp would read resolves outside the catalog folder (a symlink or a path with ..)',
  // runs, journals and saved plans
  E_CONFIRMATION: 'A real send needs confirmation',
  E_RUN_NOT_FOUND: 'No such run',
  E_RUN_ID: 'The run id is not valid',
  E_RUN_INPUTS_CHANGED: 'The run was started with different inputs',
  E_RUN_LOCKED: 'The run is in use by another process',
  E_JOURNAL: 'The journal cannot be read or written',
  E_JOURNAL_VERSION: 'The journal was written in a format this chirp does not read',
  E_JOURNAL_PLACE: 'The journal folder .chirp is a symlink or resolves outside the catalog (give --journal to use it)',
  E_JOURNAL_DAMAGED: 'The journal folder holds records chirp cannot read or verify',
  E_RUN_DESTINATION: 'The run sent to another workspace, channel or Bird',
  E_RUN_OTHER_ORIGIN:
    'Runs of the same message and data sent to another API origin: sending here would reach everyone again (`--new-origin` if it is another Bird)',
  E_OUTPUT_PATH: 'A file chirp was asked to write cannot be written',
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
  // WhatsApp templates (templates.lock.json, docs/templates-whatsapp.md)
  E_TEMPLATE_LOCK: 'templates.lock.json cannot be read or is damaged',
  W_TEMPLATE_LOCK_STALE: 'templates.lock.json is older than the configured age',
  W_TEMPLATE_NO_LOCK: 'A template message is not checked: the catalog has no templates.lock.json',
  E_TEMPLATE_NOT_LOCKED: 'The template project is not in templates.lock.json',
  E_TEMPLATE_VERSION: 'The template version is not active (or not known)',
  E_TEMPLATE_LOCALE: 'The template locale is not approved',
  E_TEMPLATE_PARAM_MISSING: 'A template variable gets no parameter',
  E_TEMPLATE_PARAM_UNKNOWN: 'A parameter names no variable of the template',
  E_TEMPLATE_PARAM_DUPLICATE: 'A template variable gets more than one parameter',
  E_TEMPLATE_PARAM_TYPE: "A parameter's type differs from the template variable's",
  E_TEMPLATE_PARAM_LIMIT: "A parameter value is longer than the variable's characterLimit",
  E_TEMPLATE_PARAM_TEXT: 'A parameter value breaks WhatsApp rules (line break, tab, > 4 spaces)',
  E_TEMPLATE_CATEGORY: "capFrequency / useCase contradict the template's WhatsApp category",
  E_TEMPLATE_PULL: 'A template project cannot be read from Bird',
  E_TEMPLATE_CHANGED: "Bird's template differs from templates.lock.json (send preflight)",
  E_TEMPLATE_PREFLIGHT: 'A template could not be read from Bird in the send preflight',
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

export type Severity = 'error' | 'warning';

/** One problem, as data. `line`/`column` are 1-based; 0 when unknown. */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** Path as given by the user (relative to cwd where possible), or a pseudo-name such as `<stdin>`. */
  file: string;
  line: number;
  column: number;
  /** JSON pointer into the document (`/body/text/text`), '' for the whole document. */
  pointer: string;
  message: string;
  hint?: string;
  /** Data-file row (1-based, header excluded) when the problem belongs to a recipient row. */
  row?: number;
  /** Column / field name in the data row, when known. */
  field?: string;
}
