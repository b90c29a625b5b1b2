// Generated from schemas/*.schema.json by `npm run generate:types`. Do not edit by hand:
// change the schema and regenerate (test/schema-types.test.ts fails on drift).
/* eslint-disable */

/**
 * A chirp message file (YAML): the channel, the recipient (`to` or `receiver`), the variables of one recipient row, and a `body` or a `template`. String values may use Handlebars (`{{name}}`); the schema describes the rendered values.
 */
export type ChirpMessage = (
  | {
      /**
       * The recipient given as `to`.
       */
      to: {
        [k: string]: unknown;
      };
    }
  | {
      /**
       * The recipient given as `receiver`.
       */
      receiver: {
        [k: string]: unknown;
      };
    }
) &
  (
    | {
        /**
         * The content given as `body`.
         */
        body: {};
      }
    | {
        /**
         * The content given as `template` (`template: null` counts as none).
         */
        template: {};
      }
  ) & {
    [k: string]: unknown;
  } & {
    /**
     * What the message is for (for people; not sent).
     */
    description?: string;
    /**
     * The channel to send through: an alias from `chirp.config.yaml` `channels`, or a Bird channel ID.
     */
    channel: string;
    /**
     * The recipient, rendered per row: an E.164 phone number (`+31612345678`) or an e-mail address, e.g. `"{{phone}}"`. Use `receiver` instead for a full receiver object.
     */
    to?: string;
    receiver?: Receiver;
    /**
     * ISO 3166-1 alpha-2 country (e.g. `NL`) of phone numbers written without a country code, for this message; overrides `defaultCountry` in `chirp.config.yaml`.
     */
    defaultCountry?: string;
    /**
     * The recipient's locale, rendered per row and normalised to BCP-47 (`nl_NL`, `NL-nl` → `nl-NL`), e.g. `"{{lang}}"`. It picks the text from `translations` (or `defaultLocale`'s `body`) and the locale of a `template` that names none. Needs `defaultLocale`.
     */
    locale?: string;
    /**
     * The locale of `body` (for a `template` without its own `locale`: the locale recipients fall back to), e.g. `en`.
     */
    defaultLocale?: string;
    /**
     * When a recipient's locale has no text (or no approved template locale): `default` (the default) tries shorter tags (`pt-BR` → `pt`), then `defaultLocale`; `language` tries shorter tags only; `none` the exact locale only. A recipient who cannot fall back is a row error.
     */
    localeFallback?: 'default' | 'language' | 'none';
    /**
     * Texts per locale: a canonical BCP-47 tag (`nl`, `de`, `pt-BR`) → the whole message body in that locale, checked like `body` (the same variables, the same limits). Only with `body`.
     */
    translations?: {
      /**
       * The message in one locale.
       */
      [k: string]: {
        body: MessageBody;
      };
    };
    /**
     * Send at a wall-clock time in each recipient's time zone: becomes the request's `scheduledFor`. Strings may use variables (`timeZone: "{{tz}}"`). A time in a spring-forward gap moves forward by the gap (02:30 → 03:30); a time a fall-back repeats is its first occurrence. Not with `scheduledFor`.
     */
    sendAt?: {
      /**
       * The local date, YYYY-MM-DD (e.g. `2026-03-10` or `"{{day}}"`).
       */
      date: string;
      /**
       * The local time, HH:MM or HH:MM:SS, 24-hour (e.g. `09:00`).
       */
      time: string;
      /**
       * An IANA time zone (`Europe/Amsterdam`, `America/New_York`), usually from a column: `"{{tz}}"`.
       */
      timeZone: string;
      /**
       * When the time has passed for a recipient at render: `error` (the default: a row error, so nothing is sent) or `now` (sent at once, without `scheduledFor`).
       */
      ifPast?: 'error' | 'now';
    };
    /**
     * Opt-in: the data column (or field) that records each recipient's consent, e.g. `optin`. A row is sent only when it holds `true`, `yes`, `y`, `1`, `optin`, `opt-in`, `opted-in` or a date (`2026-01-31`, when consent was given); any other value, or none, skips the row and counts it as suppressed.
     */
    consent?: string;
    /**
     * The variables of one recipient row: variable name → JSON Schema of its value (like JSON Schema `properties`).
     */
    variables?: {
      /**
       * JSON Schema of the variable's value.
       */
      [k: string]: {};
    };
    /**
     * Names of the variables every row must have.
     */
    required?: string[];
    body?: MessageBody;
    template?: Template;
    /**
     * What to send instead of `body` when the customer-care window is closed.
     */
    fallback?: {
      template: Template;
    };
    /**
     * Sample recipient rows (variable name → value), checked against `variables` and rendered by `chirp validate`.
     */
    examples?: {}[];
    reference?: Reference;
    meta?: Meta;
    replyTo?: ReplyTo;
    sender?: Sender;
    tags?: Tags;
    scheduledFor?: ScheduledFor;
    validity?: Validity;
    capFrequency?: CapFrequency;
    notification?: Notification;
    shortLinks?: ShortLinks;
    enableLinkTracking?: EnableLinkTracking;
    ignoreQuietHours?: IgnoreQuietHours;
    ignoreGlobalHoldout?: IgnoreGlobalHoldout;
  };
/**
 * A Bird message body: `type` names the kind and the content sits under the key of the same name, e.g. `{type: text, text: {text: Hello}}`. WhatsApp supports text, image, file, location, list and carousel.
 */
export type MessageBody = (
  | TextBody
  | HTMLBody
  | ImageBody
  | FileBody
  | GIFBody
  | LocationBody
  | CarouselBody
  | ListBody
  | SectionBody
  | AuthenticationBody
) &
  (
    | (
        | TextBody
        | HTMLBody
        | ImageBody
        | FileBody
        | GIFBody
        | LocationBody
        | CarouselBody
        | ListBody
        | SectionBody
        | AuthenticationBody
      )
    | (null &
        (
          | TextBody
          | HTMLBody
          | ImageBody
          | FileBody
          | GIFBody
          | LocationBody
          | CarouselBody
          | ListBody
          | SectionBody
          | AuthenticationBody
        ))
  );
/**
 * A list of actions (Bird: `null` is the same as none).
 */
export type Actions = Action[] | null;
/**
 * One action, tagged by `type`: `link`, `reply`, `postback`, `locationRequest` or `buy`.
 */
export type Action = LinkAction | ReplyAction | PostbackAction | LocationRequestAction | BuyAction;
/**
 * Public URL of the media file, fetched by Bird.
 */
export type MediaURL = string;
/**
 * One part of a section body, tagged by `type`.
 */
export type SectionPart =
  TextBody | ImageBody | FileBody | GIFBody | LocationBody | CarouselBody | ListBody | NestedSectionBody;
/**
 * One part of a nested section, tagged by `type`.
 */
export type NestedSectionPart = TextBody | ImageBody | FileBody | GIFBody | LocationBody | CarouselBody | ListBody;
/**
 * A Bird Studio template to send (WhatsApp: the only way to open a conversation outside the 24-hour customer-care window). For WhatsApp `projectId`, `version` and `locale` are required: a request always names `locale` (request.schema.json); a message file may leave it out when the message has its own `locale`, and the template then follows each recipient's (message.schema.json).
 */
export type Template = {
  /**
   * The platform name of the template.
   */
  name?: string;
  /**
   * ID of the template's project in Bird Studio (a UUID).
   */
  projectId: string;
  /**
   * Template version: `latest` or a version UUID.
   */
  version: string;
  /**
   * BCP 47 language tag of the template translation, e.g. `en`, `en-US`, `pt-BR`.
   */
  locale?: string;
  /**
   * Files attached to the message (e-mail templates).
   */
  attachments?:
    | {
        /**
         * Public URL of the attachment.
         */
        mediaUrl: string;
        /**
         * File name shown to the receiver.
         */
        filename: string;
        /**
         * Show the attachment inline.
         */
        inline?: boolean;
      }[]
    | null;
  /**
   * SMS link shortening options for this template.
   */
  shortLinks?: {
    /**
     * Enables link shortening for SMS messages.
     */
    enabled?: boolean;
    /**
     * Domain used for short links; `default` uses the workspace's default domain.
     */
    domain?: string;
  } | null;
  /**
   * Legacy string variables (name → value); use `parameters` instead.
   */
  variables?: {
    /**
     * A variable named `default`.
     */
    default?: string;
    [k: string]: string | undefined;
  } | null;
  /**
   * UTM parameters appended to links (1 to 8).
   *
   * @minItems 1
   * @maxItems 8
   */
  utmParameters?:
    | [
        | {
            /**
             * Name of the query-string parameter (1 to 20 characters).
             */
            key: string;
            /**
             * Static value (1 to 100 characters); not together with `reference`.
             */
            value: string;
          }
        | {
            /**
             * Name of the query-string parameter (1 to 20 characters).
             */
            key: string;
            /**
             * Dynamic value; not together with `value`.
             */
            reference: 'platform_name' | 'channel_name';
          }
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | [
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        ),
        (
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Static value (1 to 100 characters); not together with `reference`.
               */
              value: string;
            }
          | {
              /**
               * Name of the query-string parameter (1 to 20 characters).
               */
              key: string;
              /**
               * Dynamic value; not together with `value`.
               */
              reference: 'platform_name' | 'channel_name';
            }
        )
      ]
    | null;
  /**
   * Values for the template's variables, by the variable names used in Bird Studio (not Meta's positional `{{1}}`). A missing variable makes Bird answer 422.
   *
   * @minItems 1
   */
  parameters?: [TemplateParameter, ...TemplateParameter[]] | null;
  /**
   * Template send settings.
   */
  settings?: {
    /**
     * WhatsApp marketing templates: do not send through MM Lite (requires MM Lite to be disabled for the WABA).
     */
    disallowMmLite?: boolean | null;
  } | null;
} | null;
/**
 * One template variable value, tagged by `type`.
 */
export type TemplateParameter =
  | StringParameter
  | NumberParameter
  | BooleanParameter
  | ObjectParameter
  | SectionListParameter
  | TimeslotListParameter
  | ProductSectionsParameter
  | ProductListParameter
  | ShippingMethodListParameter
  | LineItemListParameter
  | WhatsAppProductSectionsParameter
  | WhatsAppProductItemsParameter;
/**
 * Your correlation ID for the message, returned in status updates and webhooks. Bird does not de-duplicate on it.
 */
export type Reference = string;
/**
 * Tags for the message (at most 10). Tags are lower-cased; unknown tags are created.
 *
 * @maxItems 10
 */
export type Tags =
  | []
  | [Tag]
  | [Tag, Tag]
  | [Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag, Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag, Tag, Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag, Tag, Tag, Tag, Tag, Tag]
  | [Tag, Tag, Tag, Tag, Tag, Tag, Tag, Tag, Tag, Tag];
/**
 * Tag name: 1 to 50 letters, digits, hyphens, underscores and spaces.
 */
export type Tag = string;
/**
 * When to send, as an RFC 3339 date-time. Times in the past or within 10 minutes may be sent at once; more than 35 days ahead is rejected.
 */
export type ScheduledFor = string;
/**
 * For how many seconds the message is valid (default by channel type: 36 hours for conversational messages, 10 minutes for 2FA).
 */
export type Validity = number;
/**
 * If true, the platform's frequency capping may reject the message. Only with `meta.extraInformation.useCase: marketing`.
 */
export type CapFrequency = boolean;
/**
 * SMS link shortening options (for templates use the template's `shortLinks`).
 */
export type ShortLinks = {
  /**
   * Domain for short links; `default` uses the workspace's default domain.
   */
  domain: string;
} | null;
/**
 * If true, web-tracking (UTM) parameters are appended to links in the message.
 */
export type EnableLinkTracking = boolean;
/**
 * If true, quiet-hours settings are ignored and the message is sent as soon as possible.
 */
export type IgnoreQuietHours = boolean;
/**
 * If true, the global-holdout check is skipped (transactional messages).
 */
export type IgnoreGlobalHoldout = boolean;
/**
 * The JSON body of `POST /workspaces/{workspaceId}/channels/{channelId}/messages` (Bird's `CreateMessage`): a `receiver` plus a `body` or a `template` (for WhatsApp templates send only `template`).
 */
export type SendMessageRequest = (
  | {
      /**
       * A request with a body.
       */
      body: {};
    }
  | {
      /**
       * A request with a template (not `null`).
       */
      template: {};
    }
) & {
  sender?: Sender;
  receiver: Receiver;
  reference?: Reference;
  /**
   * A Bird Studio template to send instead of a body.
   */
  template?: Template &
    ({
      /**
       * The template's locale.
       */
      locale: string;
    } | null);
  meta?: Meta;
  replyTo?: ReplyTo;
  body?: MessageBody;
  notification?: Notification;
  capFrequency?: CapFrequency;
  enableLinkTracking?: EnableLinkTracking;
  ignoreQuietHours?: IgnoreQuietHours;
  ignoreGlobalHoldout?: IgnoreGlobalHoldout;
  tags?: Tags;
  shortLinks?: ShortLinks;
  scheduledFor?: ScheduledFor;
  validity?: Validity;
};
/**
 * One line of what `chirp render` prints on stdout (NDJSON: one JSON object per line, one line per recipient, in input order): the exact Bird send-message request body chirp would send for that recipient. Validate each line on its own.
 */
export type ChirpRenderOutputLine = SendMessageRequest;

export interface ChirpSchemas {
  message?: ChirpMessage;
  config?: ChirpConfiguration;
  request?: SendMessageRequest;
  batch?: BatchSendRequest;
  journalCheckOutput?: ChirpJournalCheckOutput;
  planOutput?: ChirpPlanBaseFormatJson;
  renderOutput?: ChirpRenderOutputLine;
  sendOutput?: ChirpSendOutput;
  statusOutput?: ChirpStatusOutput;
  templatesPullOutput?: ChirpTemplatesPullOutput;
  validateOutput?: ChirpValidateOutput;
}
/**
 * Who gets the message: `{contacts: [{identifierValue: "+31612345678"}]}`, or a contact by `id`. WhatsApp takes one contact per message.
 */
export interface Receiver {
  /**
   * The receiving contacts (at least one; one for WhatsApp).
   *
   * @minItems 1
   */
  contacts: [ReceivingContact, ...ReceivingContact[]];
}
/**
 * A contact, by `id` or by identifier. Sending to an unknown identifier creates the contact.
 */
export interface ReceivingContact {
  /**
   * ID of an existing Bird contact.
   */
  id?: string;
  /**
   * Identifier kind used to find the contact, e.g. `phonenumber` or `emailaddress`.
   */
  identifierKey?: string;
  /**
   * Identifier value, e.g. an E.164 phone number with leading `+` (`+31612345678`).
   */
  identifierValue?: string;
  /**
   * Receiver kind (e-mail): `to`, `cc` or `bcc`.
   */
  type?: 'cc' | 'bcc' | 'to';
  /**
   * Several identifiers to find the contact by.
   */
  identifiers?: {
    /**
     * Identifier kind, e.g. `phonenumber`.
     */
    identifierKey: string;
    /**
     * Identifier value.
     */
    identifierValue: string;
  }[];
  /**
   * Address used on the platform (overrides the contact's identifiers).
   */
  platformAddress?: string;
  /**
   * Expression that picks the platform address (phone number, e-mail address) from the contact; overrides the default (first identifier for the platform).
   */
  platformAddressSelector?: string | null;
}
/**
 * A text message, optionally with up to 3 buttons (WhatsApp quick replies) or a location request.
 */
export interface TextBody {
  /**
   * Body type `text`.
   */
  type: 'text';
  /**
   * The text message.
   */
  text: {
    /**
     * Message text (at least 1 character; WhatsApp: at most 4096, 1024 with buttons).
     */
    text: string;
    /**
     * Files attached to the message (e-mail only).
     */
    attachments?:
      | {
          /**
           * Public URL of the attachment.
           */
          mediaUrl: string;
          /**
           * File name shown to the receiver.
           */
          filename: string;
          /**
           * Show the attachment inline (e-mail).
           */
          inline?: boolean;
          /**
           * Content-ID for inline references (e-mail).
           */
          contentId?: string;
        }[]
      | null;
    actions?: Actions;
    /**
     * Platform-specific settings.
     */
    metadata?: {
      /**
       * E-mail subject.
       */
      subject?: string;
      /**
       * Extra e-mail headers (name → value).
       */
      headers?: {
        [k: string]: string;
      };
      /**
       * WhatsApp settings.
       */
      whatsapp?: {
        /**
         * When true, WhatsApp shows a preview of the first URL in the text.
         */
        previewUrl?: boolean;
      };
      /**
       * LINE settings (emoji placement); see Bird's API reference.
       */
      line?: {};
      telegram?: TelegramMetadata;
      apple?: AppleMetadata;
    };
  };
}
/**
 * A button that opens a URL (WhatsApp: a call-to-action URL button, or the button of a carousel card).
 */
export interface LinkAction {
  /**
   * Action type `link`.
   */
  type: 'link';
  /**
   * The link button.
   */
  link: {
    /**
     * Button text.
     */
    text: string;
    /**
     * The URL to open: an absolute URI, or a string with a Bird-side placeholder `{{name}}` (escape it from chirp's Handlebars as `\{{name}}`).
     */
    url: {
      [k: string]: unknown;
    } & string;
  };
}
/**
 * A quick-reply button: tapping it sends its text back as the customer's reply.
 */
export interface ReplyAction {
  /**
   * Action type `reply`.
   */
  type: 'reply';
  /**
   * The reply button.
   */
  reply: {
    /**
     * Button text, sent back when tapped.
     */
    text: string;
    /**
     * Image shown on the button (platforms that support it).
     */
    imageUrl?: string;
    metadata?: ActionMetadata;
  };
}
/**
 * Extra settings of a reply/postback action (Bird's ActionReplyMetadata / ActionPostbackMetadata; open, as in Bird's schema).
 */
export interface ActionMetadata {
  description?: RowDescription;
  [k: string]: unknown;
}
/**
 * Sets the description in the row objects of WhatsApp list messages (WhatsApp only).
 */
export interface RowDescription {
  /**
   * Row description (WhatsApp: at most 72 characters).
   */
  label?: string;
}
/**
 * A button whose tap reports a `payload` to your webhook.
 */
export interface PostbackAction {
  /**
   * Action type `postback`.
   */
  type: 'postback';
  /**
   * The postback button.
   */
  postback: {
    /**
     * Button text.
     */
    text: string;
    /**
     * Value reported in the interaction when the button is tapped.
     */
    payload?: string;
    /**
     * Image shown on the button (platforms that support it).
     */
    imageUrl?: string;
    metadata?: ActionMetadata;
  };
}
/**
 * Asks the customer to share their location (WhatsApp: a location request message; text bodies only).
 */
export interface LocationRequestAction {
  /**
   * Action type `locationRequest`.
   */
  type: 'locationRequest';
  /**
   * Optional settings of the location request.
   */
  locationRequest?: {
    /**
     * Button text (default `Send location`).
     */
    text?: string;
  } | null;
}
/**
 * A payment button (platforms that support it; not WhatsApp).
 */
export interface BuyAction {
  /**
   * Action type `buy`.
   */
  type: 'buy';
  /**
   * The buy button.
   */
  buy: {
    /**
     * Button text.
     */
    text: string;
    /**
     * Amount in cents.
     */
    amountCents: number;
    /**
     * ISO 4217 currency code, e.g. `EUR`.
     */
    currency: string;
  };
}
/**
 * Telegram only: the markup type used to format the message.
 */
export interface TelegramMetadata {
  /**
   * Telegram parse mode.
   */
  parseMode?: 'Markdown' | 'MarkdownV2';
}
/**
 * Apple Messages for Business only.
 */
export interface AppleMetadata {
  /**
   * Summary text for Apple Messages for Business.
   */
  summaryText?: string;
}
/**
 * An HTML (e-mail) message with a plain-text and/or HTML part (not a WhatsApp message type).
 */
export interface HTMLBody {
  /**
   * Body type `html`.
   */
  type: 'html';
  /**
   * The HTML message: `text`, `html` or both.
   */
  html: (
    | {
        /**
         * A message with a plain-text part.
         */
        text: {
          [k: string]: unknown;
        };
      }
    | {
        /**
         * A message with an HTML part.
         */
        html: {
          [k: string]: unknown;
        };
      }
  ) & {
    /**
     * Plain-text part.
     */
    text?: string;
    /**
     * HTML part.
     */
    html?: string;
    /**
     * Attachments: by URL (`mediaUrl` + `filename`) or inline content (`content` + `contentType` + `filename`).
     */
    attachments?:
      | ((
          | {
              /**
               * Attachment by URL.
               */
              mediaUrl: {
                [k: string]: unknown;
              };
              /**
               * File name of the attachment.
               */
              filename: {
                [k: string]: unknown;
              };
            }
          | {
              /**
               * Attachment by content.
               */
              content: {
                [k: string]: unknown;
              };
              /**
               * MIME type of the content.
               */
              contentType: {
                [k: string]: unknown;
              };
              /**
               * File name of the attachment.
               */
              filename: {
                [k: string]: unknown;
              };
            }
        ) & {
          /**
           * Public URL of the attachment.
           */
          mediaUrl?: string;
          /**
           * File name shown to the receiver.
           */
          filename?: string;
          /**
           * Show the attachment inline.
           */
          inline?: boolean;
          /**
           * Attachment content (base64).
           */
          content?: string;
          /**
           * MIME type of `content`.
           */
          contentType?: string;
          /**
           * Content-ID for inline references (`cid:`).
           */
          contentId?: string;
        })[]
      | null;
    actions?: Actions;
    /**
     * E-mail settings.
     */
    metadata?: {
      /**
       * E-mail subject.
       */
      subject?: string;
      /**
       * Overrides the sender address.
       */
      emailFrom?: {
        /**
         * Local part of the sender address.
         */
        username?: string;
        /**
         * Sender display name.
         */
        displayName?: string;
      };
      /**
       * Extra e-mail headers (name → value).
       */
      headers?: {
        [k: string]: string;
      };
      /**
       * Track the first open.
       */
      initialOpenTracking?: boolean;
      /**
       * Track link clicks.
       */
      clickTracking?: boolean;
      /**
       * Track opens.
       */
      openTracking?: boolean;
    };
  };
}
/**
 * One or more images (WhatsApp: also stickers), with optional text and up to 3 buttons.
 */
export interface ImageBody {
  /**
   * Body type `image`.
   */
  type: 'image';
  /**
   * The image message.
   */
  image: {
    /**
     * Text sent with the image(s) (caption).
     */
    text?: string;
    /**
     * The images (at least one).
     *
     * @minItems 1
     */
    images: [
      {
        mediaUrl: MediaURL;
        /**
         * Label of the image.
         */
        altText?: string;
      },
      ...{
        mediaUrl: MediaURL;
        /**
         * Label of the image.
         */
        altText?: string;
      }[]
    ];
    metadata?: MediaMetadata;
    actions?: Actions;
  };
}
/**
 * Platform-specific settings of an image or file message (MMS, Instagram, Telegram; open, as in Bird's schema).
 */
export interface MediaMetadata {
  /**
   * MMS only: subject of the MMS.
   */
  subject?: string;
  /**
   * MMS only: text shown when MMS is not supported.
   */
  fallbackText?: string;
  /**
   * Instagram only: the story type.
   */
  storyType?: string;
  telegram?: TelegramMetadata;
  [k: string]: unknown;
}
/**
 * One or more files: audio, video or documents, with optional text and up to 3 buttons.
 */
export interface FileBody {
  /**
   * Body type `file`.
   */
  type: 'file';
  /**
   * The file message.
   */
  file: {
    /**
     * Text sent with the file(s) (caption).
     */
    text?: string;
    /**
     * The files (at least one).
     *
     * @minItems 1
     */
    files: [
      {
        mediaUrl: MediaURL;
        /**
         * MIME type, e.g. `application/pdf`, `video/mp4`, `audio/ogg`.
         */
        contentType: string;
        /**
         * File name shown to the receiver (documents).
         */
        filename?: string;
        /**
         * Label of the file.
         */
        altText?: string;
        /**
         * File settings.
         */
        metadata?: {
          /**
           * Stickers only: whether the sticker is animated.
           */
          isAnimated?: boolean;
          [k: string]: unknown;
        };
      },
      ...{
        mediaUrl: MediaURL;
        /**
         * MIME type, e.g. `application/pdf`, `video/mp4`, `audio/ogg`.
         */
        contentType: string;
        /**
         * File name shown to the receiver (documents).
         */
        filename?: string;
        /**
         * Label of the file.
         */
        altText?: string;
        /**
         * File settings.
         */
        metadata?: {
          /**
           * Stickers only: whether the sticker is animated.
           */
          isAnimated?: boolean;
          [k: string]: unknown;
        };
      }[]
    ];
    metadata?: MediaMetadata;
    actions?: Actions;
  };
}
/**
 * An animated GIF (not a WhatsApp message type; send a video `file` instead).
 */
export interface GIFBody {
  /**
   * Body type `gif`.
   */
  type: 'gif';
  /**
   * The GIF message.
   */
  gif: {
    /**
     * Text sent with the GIF.
     */
    text?: string;
    mediaUrl: MediaURL;
    /**
     * Label of the GIF.
     */
    altText?: string;
    actions?: Actions;
    /**
     * Platform-specific settings.
     */
    metadata?: {
      telegram?: TelegramMetadata;
    };
  };
}
/**
 * A map pin: coordinates plus an optional address and label.
 */
export interface LocationBody {
  /**
   * Body type `location`.
   */
  type: 'location';
  /**
   * The location message.
   */
  location: {
    /**
     * Position of the pin (WhatsApp needs both latitude and longitude).
     */
    coordinates: {
      /**
       * Latitude in degrees, -90 to 90.
       */
      latitude?: number;
      /**
       * Longitude in degrees, -180 to 180.
       */
      longitude?: number;
    };
    /**
     * Address and name of the place.
     */
    location?: {
      /**
       * Street address of the place.
       */
      address?: string;
      /**
       * Name of the place.
       */
      label?: string;
    };
  };
}
/**
 * A media carousel of cards, each with a title, an image or video and a link button (WhatsApp: 2 to 10 cards, all of the same media kind, with a text above them).
 */
export interface CarouselBody {
  /**
   * Body type `carousel`.
   */
  type: 'carousel';
  /**
   * The carousel message.
   */
  carousel: {
    /**
     * Text shown above the cards (WhatsApp: at most 1024 characters).
     */
    text?: string;
    /**
     * The cards (WhatsApp: 2 to 10).
     */
    items: CarouselCard[] | null;
  };
}
/**
 * One card of a carousel (Bird's `Items` entry). WhatsApp needs a title, a media URL and one link button.
 */
export interface CarouselCard {
  /**
   * Card title.
   */
  title?: string;
  /**
   * Public URL of the card's image or video (the same kind on every card).
   */
  mediaUrl?: (null | {
    [k: string]: unknown;
  }) &
    (
      | ((null | {
          [k: string]: unknown;
        }) &
          string)
      | ((null | {
          [k: string]: unknown;
        }) &
          null)
    );
  /**
   * Card description.
   */
  description?: string;
  /**
   * Alternative text of the media.
   */
  altText?: string;
  actions?: Actions;
}
/**
 * A WhatsApp list message: a text with a button that opens a list of rows, optionally grouped in titled sections (at most 10 sections and 10 rows in total).
 */
export interface ListBody {
  /**
   * Body type `list`.
   */
  type: 'list';
  /**
   * The list message.
   */
  list: {
    /**
     * Title shown above the text (WhatsApp: the header).
     */
    title?: string;
    /**
     * Message text (WhatsApp: the body).
     */
    text: string;
    /**
     * Alternative text for platforms that cannot show lists.
     */
    altText?: string;
    /**
     * The sections of the list; without sections, one item without a title holding all rows (WhatsApp: 1 to 10 sections, at most 10 rows in total).
     */
    items?: ListSection[] | null;
    actions?: Actions;
    /**
     * Platform-specific settings.
     */
    metadata?: {
      /**
       * The button that opens the list (WhatsApp only).
       */
      button?: {
        /**
         * Text of the button that opens the list (WhatsApp: at most 20 characters).
         */
        label?: string;
      };
      /**
       * Reply message used when a row is picked (Apple Messages for Business).
       */
      replyMessage?: {
        /**
         * Title of the reply message (at most 512 characters).
         */
        title?: string;
        /**
         * Text of the reply message (at most 512 characters).
         */
        text?: string;
      };
      [k: string]: unknown;
    };
  };
}
/**
 * A section of a list: a title and its rows (Bird's `Items` entry).
 */
export interface ListSection {
  /**
   * Section title (WhatsApp: needed when there is more than one section).
   */
  title?: string;
  /**
   * Image of the section (platforms that support it; not WhatsApp).
   */
  mediaUrl?: (null | {
    [k: string]: unknown;
  }) &
    (
      | ((null | {
          [k: string]: unknown;
        }) &
          string)
      | ((null | {
          [k: string]: unknown;
        }) &
          null)
    );
  /**
   * Section description (platforms that support it; not WhatsApp).
   */
  description?: string;
  /**
   * Alternative text of the section.
   */
  altText?: string;
  actions?: Actions;
}
/**
 * A message made of several bodies shown together (not a WhatsApp message type). Sections may nest one level.
 */
export interface SectionBody {
  /**
   * Body type `section`.
   */
  type: 'section';
  /**
   * The section message.
   */
  section: {
    /**
     * The parts: text, image, file, gif, location, carousel, list or (one level of) section bodies.
     */
    items?: SectionPart[];
    /**
     * Platform-specific configuration (name → value).
     */
    configurations?: {
      [k: string]: string;
    };
  };
}
/**
 * A section inside a section; its parts cannot be sections.
 */
export interface NestedSectionBody {
  /**
   * Body type `section`.
   */
  type: 'section';
  /**
   * The nested section.
   */
  section: {
    /**
     * The parts: text, image, file, gif, location, carousel or list bodies.
     */
    items?: NestedSectionPart[];
    /**
     * Platform-specific configuration (name → value).
     */
    configurations?: {
      [k: string]: string;
    };
  };
}
/**
 * A one-time-password (authentication) message.
 */
export interface AuthenticationBody {
  /**
   * Body type `authentication`.
   */
  type: 'authentication';
  /**
   * The authentication message.
   */
  authentication: {
    /**
     * One-time-password settings.
     */
    otp?: {
      /**
       * Whether to add a security disclaimer.
       */
      disclaimer: boolean;
      /**
       * Adds an expiry notice: the code expires after this time (1 to 90; Bird's reference says seconds, WhatsApp counts minutes). Omit for no notice.
       */
      expirationTime?: number | null;
      actions?: Actions;
    };
  };
}
/**
 * A text value.
 */
export interface StringParameter {
  /**
   * Parameter type `string`.
   */
  type: 'string';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The text.
   */
  value?: string;
}
/**
 * A number value.
 */
export interface NumberParameter {
  /**
   * Parameter type `number`.
   */
  type: 'number';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The number.
   */
  value?: number;
}
/**
 * A true/false value.
 */
export interface BooleanParameter {
  /**
   * Parameter type `boolean`.
   */
  type: 'boolean';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The boolean.
   */
  value?: boolean;
}
/**
 * A structured value.
 */
export interface ObjectParameter {
  /**
   * Parameter type `object`.
   */
  type: 'object';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The object.
   */
  value?: {
    [k: string]: unknown;
  };
}
/**
 * Sections of reply actions (list messages).
 */
export interface SectionListParameter {
  /**
   * Parameter type `sectionList`.
   */
  type: 'sectionList';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The sections.
   */
  value?: {
    /**
     * The sections.
     */
    sections:
      | {
          /**
           * Section ID.
           */
          id?: string | null;
          /**
           * Whether several items may be picked.
           */
          multipleSelection?: boolean;
          /**
           * Section title.
           */
          title: string;
          /**
           * The section's reply actions.
           */
          items: ReplyActionItem[];
        }[]
      | null;
  };
}
/**
 * A reply action of a section list parameter.
 */
export interface ReplyActionItem {
  /**
   * Item ID.
   */
  id?: string;
  /**
   * Item type `reply-action`.
   */
  type: 'reply-action';
  /**
   * Your reference for the item.
   */
  reference?: string;
  /**
   * Role of the item.
   */
  role?: string;
  /**
   * Hide the item.
   */
  hidden?: boolean;
  /**
   * The reply action.
   */
  replyAction: {
    /**
     * Text of the option.
     */
    text: string;
    /**
     * Image of the option.
     */
    imageUrl?: string;
    /**
     * Value reported when picked.
     */
    payload?: string;
    /**
     * Subtitle of the option.
     */
    subTitle?: string;
  };
}
/**
 * Time slots to pick from.
 */
export interface TimeslotListParameter {
  /**
   * Parameter type `timeslotList`.
   */
  type: 'timeslotList';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The time slots.
   */
  value?: {
    /**
     * The time slots.
     */
    timeslots: {
      /**
       * Time slot ID.
       */
      id?: string | null;
      /**
       * Start of the slot (RFC 3339).
       */
      startTime: string;
      /**
       * Length of the slot.
       */
      duration: number;
    }[];
  };
}
/**
 * Products grouped in sections.
 */
export interface ProductSectionsParameter {
  /**
   * Parameter type `productSections`.
   */
  type: 'productSections';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The product sections.
   */
  value?: {
    /**
     * The product sections.
     */
    productSections: {
      /**
       * Section title (1 to 24 characters).
       */
      title: string;
      /**
       * The section's products.
       */
      products: Product[];
    }[];
  };
}
/**
 * A catalog product.
 */
export interface Product {
  /**
   * Product ID in the catalog.
   */
  externalProductId: string;
  /**
   * Price.
   */
  amount?: string;
  /**
   * Product text.
   */
  text?: string;
}
/**
 * A list of products.
 */
export interface ProductListParameter {
  /**
   * Parameter type `productList`.
   */
  type: 'productList';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The products.
   */
  value?: {
    /**
     * The products.
     */
    products: {
      /**
       * Item type `product`.
       */
      type: 'product';
      product: Product;
    }[];
  };
}
/**
 * Shipping methods (Apple Pay).
 */
export interface ShippingMethodListParameter {
  /**
   * Parameter type `shippingMethodList`.
   */
  type: 'shippingMethodList';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The shipping methods.
   */
  value?: {
    /**
     * The shipping methods.
     */
    shippingMethods:
      | {
          /**
           * Cost of the method.
           */
          amount: string;
          /**
           * Name of the method.
           */
          label: string;
          /**
           * ID of the method.
           */
          identifier: string;
          /**
           * Description of the method.
           */
          detail: string;
        }[]
      | null;
  };
}
/**
 * Payment line items (Apple Pay).
 */
export interface LineItemListParameter {
  /**
   * Parameter type `lineItemList`.
   */
  type: 'lineItemList';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The line items.
   */
  value?: {
    /**
     * The line items.
     */
    lineItems:
      | {
          /**
           * Amount of the line.
           */
          amount: string;
          /**
           * Text of the line.
           */
          text: string;
          /**
           * Whether the amount is `pending` or `final`.
           */
          type?: 'pending' | 'final';
        }[]
      | null;
  };
}
/**
 * Catalog products in sections (WhatsApp multi-product message).
 */
export interface WhatsAppProductSectionsParameter {
  /**
   * Parameter type `whatsappProductSections`.
   */
  type: 'whatsappProductSections';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The product sections.
   */
  value?: {
    /**
     * The product sections.
     */
    sections: WhatsAppProductSection[];
  };
}
/**
 * A section of a WhatsApp multi-product message.
 */
export interface WhatsAppProductSection {
  /**
   * Section ID.
   */
  id?: string;
  /**
   * Item type `whatsapp-product-section`.
   */
  type: 'whatsapp-product-section';
  /**
   * Your reference for the section.
   */
  reference?: string;
  /**
   * Role of the section.
   */
  role?: string;
  /**
   * Hide the section.
   */
  hidden?: boolean;
  /**
   * The section.
   */
  whatsappProductSection: {
    /**
     * Section title (WhatsApp: 1 to 24 characters).
     */
    title: string;
    /**
     * The section's products.
     */
    products: WhatsAppProductItem[];
  };
}
/**
 * A catalog product of a WhatsApp product message.
 */
export interface WhatsAppProductItem {
  /**
   * Item ID.
   */
  id?: string;
  /**
   * Item type `whatsapp-product-item`.
   */
  type: 'whatsapp-product-item';
  /**
   * Your reference for the item.
   */
  reference?: string;
  /**
   * Role of the item.
   */
  role?: string;
  /**
   * Hide the item.
   */
  hidden?: boolean;
  /**
   * The product.
   */
  whatsappProductItem: {
    /**
     * Product ID (retailer ID) in the WhatsApp catalog.
     */
    externalProductId: string;
  };
}
/**
 * Catalog products (WhatsApp product message).
 */
export interface WhatsAppProductItemsParameter {
  /**
   * Parameter type `whatsappProductItems`.
   */
  type: 'whatsappProductItems';
  /**
   * Variable name in the template.
   */
  key: string;
  /**
   * The products.
   */
  value?: {
    /**
     * The products.
     */
    products: WhatsAppProductItem[];
  };
}
/**
 * Extra information about the message.
 */
export interface Meta {
  /**
   * Free-form extra information, e.g. `useCase: marketing` (needed for `capFrequency`).
   */
  extraInformation?: {
    [k: string]: unknown;
  };
  /**
   * Referral (ad click) information; see Bird's API reference.
   */
  referral?: {};
  /**
   * Purchase order information; see Bird's API reference.
   */
  order?: {};
  /**
   * Referred catalog product; see Bird's API reference.
   */
  referredProduct?: {} | null;
  /**
   * E-mail settings (subject, headers, from); see Bird's API reference.
   */
  email?: {};
  /**
   * Push-notification settings.
   */
  pushNotifications?: {
    /**
     * Push gateway to use.
     */
    gatewayTypeOverride?: 'apns' | 'firebase' | 'web';
  };
  /**
   * ID of the navigator that sends the message.
   */
  navigatorId?: string;
  /**
   * ID of the navigator message.
   */
  navigatorMessageId?: string;
  flow?: FlowReference;
  journey?: FlowReference;
  /**
   * The campaign that sends the message.
   */
  campaign?: {
    /**
     * Campaign ID.
     */
    id?: string | null;
    /**
     * Campaign name.
     */
    name?: string | null;
  };
}
/**
 * A flow or journey run that sends the message.
 */
export interface FlowReference {
  /**
   * Flow ID.
   */
  id?: string | null;
  /**
   * Flow name.
   */
  name?: string | null;
  /**
   * Step ID within the flow.
   */
  stepId?: string | null;
  /**
   * Run ID.
   */
  runId?: string | null;
}
/**
 * The message this one replies to (`type: message` with the ID of a received message).
 */
export interface ReplyTo {
  /**
   * ID of the message replied to.
   */
  id: string;
  /**
   * Order of the message in the conversation.
   */
  order?: number;
  /**
   * What is replied to; `message` for a received message.
   */
  type: 'message' | 'click' | 'referrals';
}
/**
 * Overrides the sender of the message (e-mail: the sender username).
 */
export interface Sender {
  /**
   * The sending connector identity.
   */
  connector: {
    /**
     * Identifier value of the sender.
     */
    identifierValue: string;
    /**
     * Extra information about the sender, e.g. an e-mail sender name.
     */
    annotations?: {
      /**
       * Sender name.
       */
      name?: string;
    };
  };
}
/**
 * Where to send status events for this message.
 */
export interface Notification {
  /**
   * A custom webhook URL for this message's events (needs an existing webhook subscription).
   */
  url?: string;
}
/**
 * `chirp.config.yaml`. Never put an access key here: chirp reads it from the environment.
 */
export interface ChirpConfiguration {
  /**
   * Bird workspace ID (a UUID).
   */
  workspace?: string;
  /**
   * Channel aliases: alias → Bird channel ID (a UUID; a WhatsApp channel) or `{ id, platform }`. Messages name a channel by alias or by ID.
   */
  channels?: {
    /**
     * A channel ID (a WhatsApp channel), or `{ id, platform }` for a channel of another platform.
     */
    [k: string]:
      | string
      | {
          /**
           * Bird channel ID (a UUID).
           */
          id: string;
          /**
           * The channel's platform (default `whatsapp`): chirp applies that platform's rules (it knows WhatsApp's; every other platform gets Bird's generic rules only).
           */
          platform?:
            | 'whatsapp'
            | 'sms'
            | 'email'
            | 'telegram'
            | 'line'
            | 'instagram'
            | 'facebook'
            | 'apple'
            | 'rcs'
            | 'viber'
            | 'linkedin'
            | 'push';
        };
  };
  /**
   * Base URL of the Bird API (default `https://api.bird.com`).
   */
  apiUrl?: string;
  /**
   * WhatsApp templates: how `templates.lock.json` (beside this file) is used.
   */
  templates?: {
    /**
     * `chirp validate` warns when the lock was pulled longer ago than this many days (default 30; 0: never).
     */
    lockMaxAgeDays?: number;
  };
  /**
   * Suppression lists: files of recipients who opted out (paths relative to this file). Text (one receiver a line, `#` comments), CSV with a `receiver`, `phone` or `email` column, or NDJSON. Nobody on a list is ever sent to; a missing or unreadable list stops the run.
   */
  suppress?: string[];
  /**
   * Replies that ask to stop, for `chirp status --replies` (default `[STOP, UNSUBSCRIBE]`; this list replaces it, so name those too to keep them). Compared case-insensitively, Unicode-normalised, with spaces collapsed and what is neither letter nor digit trimmed from the reply's ends: `Stop.` is `STOP`; a stop word inside a longer reply (`STOP please`) is listed apart as a mention.
   *
   * @minItems 1
   */
  stopWords?: [string, ...string[]];
  /**
   * `chirp validate` and `chirp plan` fail (exit 1) when a template branch of a selected message is reached by no example (or `--data` row), as with `--require-coverage`.
   */
  requireCoverage?: boolean;
  /**
   * ISO 3166-1 alpha-2 country (e.g. `NL`) of phone numbers written without a country code (`0612345678`). Without it such numbers are refused. A message's own `defaultCountry` overrides it.
   */
  defaultCountry?: string;
}
/**
 * The JSON body of `POST /workspaces/{workspaceId}/channels/{channelId}/batch/messages`: 1 to 100 send-message requests.
 */
export interface BatchSendRequest {
  /**
   * The messages to send (1 to 100), each a send-message request.
   *
   * @minItems 1
   * @maxItems 100
   */
  messageRequests: [SendMessageRequest, ...SendMessageRequest[]];
}
/**
 * What `chirp journal check --format json` prints on stdout.
 */
export interface ChirpJournalCheckOutput {
  /**
   * The output format's version; a breaking change raises it.
   */
  version: 1;
  /**
   * The journal folder that was read.
   */
  dir: string;
  /**
   * Every journal file (`*.ndjson`) in the folder, by name.
   */
  files: {
    /**
     * The journal file.
     */
    path: string;
    /**
     * The run the file journals; absent when its header cannot be read.
     */
    runId?: string;
    /**
     * The message the run sent.
     */
    messageId?: string;
    /**
     * The journal format (1 or 2).
     */
    format?: number;
    /**
     * Recipient keys the file names.
     */
    recipients?: number;
    /**
     * Torn (unterminated) last lines left by a crash: harmless.
     */
    torn?: number;
    /**
     * What chirp cannot read or verify in the file; empty when the file is sound.
     */
    damage: {
      /**
       * The damaged line, when the damage is one line.
       */
      line?: number;
      /**
       * What is wrong with it.
       */
      reason: string;
      /**
       * Recipient keys the damaged part may cover.
       */
      keys?: number;
    }[];
  }[];
  /**
   * Files with damage (exit 1 when any; `chirp send` refuses while they are there, unless `--damaged-as-unknown`).
   */
  damaged: number;
}
/**
 * The one shape of `chirp plan --base REF --format json` (version 1). Fields may be added; none is removed or changes meaning within a version.
 */
export interface ChirpPlanBaseFormatJson {
  /**
   * Version of this shape: 1.
   */
  version: 1;
  /**
   * The revision compared with: `commit` is the merge base of `ref` and HEAD unless `mergeBase` is false; `tip` is REF's own commit.
   */
  base: {
    /**
     * REF as given to --base.
     */
    ref: string;
    /**
     * The commit compared with.
     */
    commit: string;
    /**
     * REF's own commit.
     */
    tip?: string;
    /**
     * Whether `commit` is the merge base of REF and HEAD (false with --no-merge-base).
     */
    mergeBase?: boolean;
  };
  /**
   * `working tree`.
   */
  head: string;
  /**
   * HEAD's commit, and whether the working tree differs from it.
   */
  headCommit?: {
    /**
     * The commit compared with.
     */
    commit: string;
    /**
     * The working tree differs from HEAD.
     */
    dirty: boolean;
  };
  /**
   * Every selected message on either side, those whose destination changes first.
   */
  messages: Message[];
  /**
   * Counts over all messages.
   */
  summary: {
    added: number;
    removed: number;
    renamed: number;
    changed: number;
    unchanged: number;
    problemsIntroduced: number;
    problemsFixed: number;
    invalidRows: number;
    unreached: number;
  };
  /**
   * With `--require-coverage` (or the config's `requireCoverage`): every branch of a selected message that no row reaches (any makes the exit 1).
   */
  coverage?: {
    /**
     * Coverage was required.
     */
    required: true;
    /**
     * Changed parts no row renders.
     */
    unreached: {
      /**
       * The message id.
       */
      message: string;
      /**
       * file:line.
       */
      where: string;
      /**
       * The branch, as Handlebars reads it.
       */
      branch: string;
      /**
       * Why no row renders it.
       */
      reason: string;
    }[];
  };
  /**
   * Changes of templates.lock.json, when the catalog has a lock on either side.
   */
  templates?: {
    /**
     * The base revision.
     */
    base: boolean;
    /**
     * The working tree side.
     */
    head: boolean;
    /**
     * Each change of the lock.
     */
    changes: {
      /**
       * The template project.
       */
      projectId: string;
      /**
       * The project name, when known.
       */
      name: string | null;
      /**
       * What changed.
       */
      kind:
        | 'project-added'
        | 'project-removed'
        | 'active-version'
        | 'status'
        | 'locale'
        | 'variable-added'
        | 'variable-removed'
        | 'variable-changed';
      /**
       * The change, in words.
       */
      detail: string;
      /**
       * Messages (working tree) that use the project.
       */
      messages: string[];
    }[];
  };
  /**
   * Suppression lists and opt-in columns compared (when either side has any): counts only, never who.
   */
  consent?: {
    /**
     * Lists added, removed or edited (by their content hash) since the base.
     */
    lists: {
      /**
       * The list as `suppress:` names it.
       */
      file: string;
      /**
       * How it differs from the base.
       */
      change: 'added' | 'removed' | 'edited';
    }[];
    /**
     * Distinct normalised entries on the head's lists and not the base's.
     */
    entriesAdded: number;
    /**
     * Distinct normalised entries on the base's lists and not the head's.
     */
    entriesRemoved: number;
    /**
     * Messages whose rows a send would skip differently.
     */
    messages: {
      /**
       * The message id.
       */
      id: string;
      /**
       * Rows a send would now skip (opted out, or no opt-in).
       */
      newlySkipped: number;
      /**
       * Rows a send would no longer skip: they would be sent.
       */
      noLongerSkipped: number;
    }[];
  };
  /**
   * Problems of the catalog itself (not of one message) that the change introduces: a refused file name, a symlink, twins.
   */
  catalogIntroduced?: Problem[];
}
export interface Message {
  /**
   * The message id (its path inside messages/).
   */
  id: string;
  /**
   * What happened to the message.
   */
  status: 'added' | 'removed' | 'renamed' | 'changed' | 'unchanged';
  /**
   * The old id of a renamed message.
   */
  renamedFrom?: string;
  /**
   * A renamed message is a new message: every recipient gets it again.
   */
  resendsToAll?: boolean;
  /**
   * The message file, as shown to users.
   */
  file: string;
  /**
   * The message's description.
   */
  description?: string;
  rows: number;
  distinct: number;
  invalid: number;
  /**
   * A sample of why rows do not render.
   */
  invalidRows: Problem[];
  duplicates: number;
  recipients: number;
  /**
   * Changes of where the message goes.
   */
  destination: Entry[];
  /**
   * Recipients grouped by identical change.
   */
  groups: {
    count: number;
    /**
     * The first recipient of the group (masked unless --reveal) and its row.
     */
    sample: {
      /**
       * The row number.
       */
      row: number;
      /**
       * The recipient (masked unless --reveal).
       */
      recipient: string;
    };
    /**
     * Variables each recipient of the group gets with their own value.
     */
    personal: string[];
    /**
     * The sample's change.
     */
    entries: Entry[];
  }[];
  recipientsNotShown: number;
  /**
   * For an added message: its first rendered request, whole.
   */
  firstRequest?: {
    /**
     * The row number.
     */
    row: number;
    /**
     * The request as compared.
     */
    request: {};
  };
  /**
   * The definition diff: every change of what the message can send or accept, rendered by a row or not. Any entry makes the message changed.
   */
  definition: DefinitionEntry[];
  /**
   * Changed branches (or a changed message) that no row renders.
   */
  unreached: {
    /**
     * file:line of the branch.
     */
    where: string;
    /**
     * `the {{else}} of {{#if vip}}`, `the message`.
     */
    branch: string;
    /**
     * `no example reaches it`, `no recipient in FILE takes it`.
     */
    reason: string;
  }[];
  /**
   * Problems the change brings.
   */
  introduced: Problem[];
  /**
   * Problems the change fixes.
   */
  fixed: Problem[];
}
export interface Problem {
  /**
   * A diagnostic code (docs/cli.md).
   */
  code: string;
  /**
   * The message id.
   */
  message: string;
  /**
   * file:line:col for definitions, `FILE row N` for data rows.
   */
  where: string;
}
/**
 * One difference: `path` in dotted form (`body.text.text`, `body.text.actions[1]`), values whole (never cut).
 */
export interface Entry {
  /**
   * Where, in dotted form.
   */
  path: string;
  /**
   * What changed.
   */
  kind: 'added' | 'removed' | 'changed' | 'text';
  /**
   * The old value (JSON, or a description of an item).
   */
  before?: string;
  /**
   * The new value (JSON, or a description of an item).
   */
  after?: string;
  /**
   * For `text`: a line diff.
   */
  lines?: {
    /**
     * ` ` kept, `-` removed, `+` added.
     */
    op: ' ' | '-' | '+';
    /**
     * The line.
     */
    text: string;
  }[];
}
/**
 * A change of the definition (what it can send or accept), with where it is: `file:line` (the base's `REF:path:line` for what was removed; `chirp.config.yaml` for where it goes).
 */
export interface DefinitionEntry {
  /**
   * Where, in dotted form.
   */
  path: string;
  /**
   * What changed.
   */
  kind: 'added' | 'removed' | 'changed' | 'text';
  /**
   * The old value (JSON, or a description of an item).
   */
  before?: string;
  /**
   * The new value (JSON, or a description of an item).
   */
  after?: string;
  /**
   * For `text`: a line diff.
   */
  lines?: {
    /**
     * ` ` kept, `-` removed, `+` added.
     */
    op: ' ' | '-' | '+';
    /**
     * The line.
     */
    text: string;
  }[];
  /**
   * file:line of the change (`REF:path:line` for what was removed; `chirp.config.yaml` for where it goes).
   */
  where: string;
}
/**
 * What `chirp send --format json` prints on stdout, and what `--report FILE` writes: the run's report (also for `--dry-run`, a refusal and an interrupted run). Recipients are masked unless `--reveal`.
 */
export interface ChirpSendOutput {
  /**
   * The output format's version; a breaking change raises it.
   */
  version: 1;
  /**
   * How the run ended (docs/sending.md); only `complete` means everyone meant to be reached was sent to.
   */
  status: 'complete' | 'incomplete' | 'interrupted' | 'stopped' | 'refused' | 'dry-run' | 'nothing-to-send';
  /**
   * The message id.
   */
  message: string;
  /**
   * The Bird channel id sent through.
   */
  channelId: string;
  /**
   * The Bird workspace id.
   */
  workspace: string;
  /**
   * The run's id (`chirp status RUN`); null when no run was started.
   */
  runId: string | null;
  /**
   * The run's journal file; null when nothing was journalled.
   */
  journal: string | null;
  /**
   * Whether this run resumed an earlier one.
   */
  resumed: boolean;
  /**
   * Valid, distinct recipients in the input (after `--limit`).
   */
  recipients: number;
  /**
   * Rows that failed to render or validate.
   */
  invalid: number;
  /**
   * Rows naming a recipient already seen (not sent again).
   */
  duplicates: number;
  /**
   * Rows never sent for consent: the recipient is on a suppression list, or the row records no opt-in (counts only, never who).
   */
  suppressed: number;
  /**
   * Of `suppressed`, the rows without opt-in (the message's `consent:` column).
   */
  noConsent: number;
  /**
   * Recipients an earlier run already sent to (skipped).
   */
  alreadySent: number;
  /**
   * Recipients whose earlier outcome is unknown, held back (no `--retry-unknown`).
   */
  unknownSkipped: number;
  /**
   * Recipients that failed in an earlier run (skipped).
   */
  failedBefore: number;
  /**
   * Recipients this run means to send to.
   */
  toSend: number;
  /**
   * `--window check`: recipients sent the fallback template.
   */
  fallback: number;
  /**
   * `--window check`: recipients skipped because their window is closed.
   */
  windowClosed: number;
  /**
   * Recipients per locale they are sent in (messages with `locale`), with how many of them fell back to it.
   */
  locales: {
    /**
     * The BCP-47 locale the text or template is sent in.
     */
    locale: string;
    /**
     * Recipients sent in it.
     */
    recipients: number;
    /**
     * Of those, recipients whose own locale had no text or approved template (fallback chain).
     */
    fallback: number;
  }[];
  /**
   * Recipients reached by an earlier version of the message and left alone (`--only-unreached`).
   */
  reachedEarlier: number;
  /**
   * Recipients reached by an earlier version, blocking the send (status `refused`).
   */
  reachedWithEarlierVersion: number;
  /**
   * The Bird API origin the run sends to; null when not known.
   */
  apiOrigin: string | null;
  /**
   * Runs of the same message and data the journal holds against another API origin: this run is a new destination and sends to everyone again (a warning said so before the first request).
   */
  otherOrigins: {
    /**
     * The earlier run of the same message and data.
     */
    runId: string;
    /**
     * The API origin that run sent to (another than this run's).
     */
    apiOrigin: string;
    /**
     * When that run started (ISO 8601).
     */
    startedAt: string;
  }[];
  /**
   * Requests Bird accepted in this run.
   */
  accepted: number;
  /**
   * Requests Bird refused in this run.
   */
  failed: number;
  /**
   * Requests whose outcome is unknown (run `chirp status --reconcile`).
   */
  unknown: number;
  /**
   * Requests this run meant to send and did not (stopped or interrupted).
   */
  notSent: number;
  /**
   * Batches (requests to Bird) the plan has for `toSend`.
   */
  batches: number;
  /**
   * Batches this process sent (fewer than `batches` when the run was interrupted or stopped).
   */
  batchesSent: number;
  /**
   * Recipients per batch.
   */
  batchSize: number;
  /**
   * The pacing, requests per second.
   */
  rate: number;
  /**
   * The estimated duration of the sending, in seconds.
   */
  estimatedSeconds: number;
  /**
   * How long the sending took, in seconds; null when nothing was sent.
   */
  seconds: number | null;
  /**
   * Why the run stopped or was refused; null when it was not.
   */
  stop: {
    /**
     * Why (a refusal reason, `fatal`, `interrupted`...).
     */
    reason: string;
    /**
     * What happened and the way out.
     */
    message: string;
    /**
     * The HTTP status that stopped the run, when one did.
     */
    http?: number;
  } | null;
  /**
   * Failures of this run grouped by status and code, most frequent first.
   */
  failureGroups: {
    /**
     * The failure's kind (as in the failures file).
     */
    status: 'failed' | 'unknown' | 'not_sent' | 'window_closed' | 'failed_before';
    /**
     * Bird's or chirp's code for it.
     */
    code: string;
    /**
     * The first failure's message, as an example.
     */
    message: string;
    /**
     * Failures in the group.
     */
    count: number;
  }[];
  /**
   * Failures of this run, one per recipient (capped; see `samplesOmitted.failures`).
   */
  failures: {
    /**
     * The data row (1-based, header excluded).
     */
    row: number;
    /**
     * The recipient, masked unless `--reveal`.
     */
    recipient: string;
    /**
     * The failure's kind (as in the failures file).
     */
    status: string;
    /**
     * Bird's or chirp's code for it.
     */
    code: string;
    /**
     * What happened.
     */
    message: string;
  }[];
  /**
   * Examples of each decision, capped.
   */
  samples: {
    /**
     * Invalid rows. (capped; see `samplesOmitted`)
     */
    invalid: ChirpDiagnostic[];
    /**
     * Duplicate recipients. (capped; see `samplesOmitted`)
     */
    duplicates: ChirpDiagnostic[];
    /**
     * Recipients sent by an earlier run. (capped; see `samplesOmitted`)
     */
    alreadySent: SendSample[];
    /**
     * Recipients whose earlier outcome is unknown. (capped; see `samplesOmitted`)
     */
    unknown: SendSample[];
    /**
     * Recipients that failed in an earlier run. (capped; see `samplesOmitted`)
     */
    failedBefore: SendSample[];
    /**
     * Recipients sent the fallback template (`--window check`). (capped; see `samplesOmitted`)
     */
    fallback: SendSample[];
    /**
     * Recipients skipped because their 24-hour window is closed. (capped; see `samplesOmitted`)
     */
    windowClosed: SendSample[];
    /**
     * Recipients reached by an earlier version of the message. (capped; see `samplesOmitted`)
     */
    reachedEarlier: SendSample[];
    /**
     * Recipients reached by an earlier version that block the send. (capped; see `samplesOmitted`)
     */
    conflicts: SendSample[];
    /**
     * Recipients sent in a fallback locale. (capped; see `samplesOmitted`)
     */
    localeFallback: SendSample[];
  };
  /**
   * How many more there are than each list of samples shows.
   */
  samplesOmitted: {
    /**
     * How many more `invalid` there are than shown.
     */
    invalid: number;
    /**
     * How many more `duplicates` there are than shown.
     */
    duplicates: number;
    /**
     * How many more `alreadySent` there are than shown.
     */
    alreadySent: number;
    /**
     * How many more `unknown` there are than shown.
     */
    unknown: number;
    /**
     * How many more `failedBefore` there are than shown.
     */
    failedBefore: number;
    /**
     * How many more `fallback` there are than shown.
     */
    fallback: number;
    /**
     * How many more `windowClosed` there are than shown.
     */
    windowClosed: number;
    /**
     * How many more `reachedEarlier` there are than shown.
     */
    reachedEarlier: number;
    /**
     * How many more `conflicts` there are than shown.
     */
    conflicts: number;
    /**
     * How many more `failures` there are than shown.
     */
    failures: number;
    /**
     * Locale fallbacks not listed in `samples`.
     */
    localeFallback: number;
  };
  /**
   * The command that resumes this run; null when there is nothing to resume.
   */
  resumeCommand: string | null;
  /**
   * The template preflight (docs/templates-whatsapp.md); absent when the run sends no template.
   */
  templates?: {
    /**
     * `online`: checked at Bird; `offline`: the lock trusted; `skipped`: a dry run opens no connection; `no-lock`: there is no templates.lock.json.
     */
    mode: 'online' | 'offline' | 'skipped' | 'no-lock';
    /**
     * True when nothing stands in the way of sending.
     */
    ok: boolean;
    /**
     * Each template version and locale the run uses.
     */
    templates: {
      /**
       * The template project.
       */
      projectId: string;
      /**
       * The version the message names (`latest` or an id).
       */
      version: string;
      /**
       * The locale.
       */
      locale: string;
      /**
       * The channel template the lock resolves the version to; null when it resolves to none.
       */
      templateId: string | null;
      /**
       * The messages that use it.
       */
      messages: string[];
      /**
       * `ok`: Bird agrees with the lock; `changed` / `failed`: the run was stopped; `unused`: Bird differs from the lock (or could not be read) in a locale no row of the run gets, which did not stop it; `trusted`: `--offline-templates`; `unlocked`: not in the lock.
       */
      status: 'ok' | 'changed' | 'failed' | 'unused' | 'trusted' | 'unlocked';
      /**
       * What differs, or why the check failed, one sentence each.
       */
      changes: string[];
    }[];
  };
}
/**
 * One problem chirp found, with where it is and the way out. The same shape in every command's JSON output.
 */
export interface ChirpDiagnostic {
  /**
   * The problem's code (`E_…`), one of the table in docs/cli.md#codes.
   */
  code: string;
  /**
   * `error` stops the command; `warning` does not.
   */
  severity: 'error' | 'warning';
  /**
   * The file as the user named it (relative to the working directory where possible), or a pseudo-name such as `<stdin>`.
   */
  file: string;
  /**
   * 1-based line in the file; 0 when the problem has no line.
   */
  line: number;
  /**
   * 1-based column in the line; 0 when the problem has no column.
   */
  column: number;
  /**
   * JSON pointer into the document (`/body/text/text`), `""` for the whole document.
   */
  pointer: string;
  /**
   * What is wrong, in one sentence.
   */
  message: string;
  /**
   * The way out, when chirp knows one.
   */
  hint?: string;
  /**
   * The data-file row (1-based, header excluded) when the problem belongs to a recipient row.
   */
  row?: number;
  /**
   * The column or field name in the data row, when known.
   */
  field?: string;
}
/**
 * One recipient a decision applied to.
 */
export interface SendSample {
  /**
   * The data row (1-based, header excluded).
   */
  row: number;
  /**
   * The recipient, masked unless `--reveal`.
   */
  recipient: string;
  /**
   * The earlier run that decided it, when there is one.
   */
  runId?: string;
  /**
   * When that happened (ISO 8601).
   */
  at?: string;
  /**
   * The code of the earlier outcome or of the decision.
   */
  code?: string;
  /**
   * Why, in one sentence.
   */
  message?: string;
}
/**
 * What `chirp status --format json` prints on stdout: one run's delivery summary.
 */
export interface ChirpStatusOutput {
  /**
   * The output format's version; a breaking change raises it.
   */
  version: 1;
  /**
   * The run.
   */
  runId: string;
  /**
   * The message id the run sent.
   */
  message: string;
  /**
   * The Bird channel id it sent through.
   */
  channelId: string;
  /**
   * Recipients the run's journal names.
   */
  recipients: number;
  /**
   * Every recipient of the run's data it set out to reach; null when the journal cannot tell (an older run whose send never ended).
   */
  total: number | null;
  /**
   * Recipients of the run's data no request went to (the send was interrupted or stopped first); `resumeCommand` sends them.
   */
  notSent: number;
  /**
   * Recipients chirp skipped because their customer-care window was closed.
   */
  windowClosed: number;
  /**
   * How the run's last send ended; null if it did not (killed, crashed, or still running).
   */
  ended: 'complete' | 'interrupted' | 'stopped' | null;
  /**
   * Someone of the run's data was never sent to or was skipped: the run is not complete, however final its messages are.
   */
  unfinished: boolean;
  /**
   * The command that finishes an unfinished run (the one the send printed); null otherwise.
   */
  resumeCommand: string | null;
  /**
   * Accepted by Bird, no delivery news yet (accepted, processing).
   */
  accepted: number;
  /**
   * Sent by the platform, not yet delivered.
   */
  sent: number;
  /**
   * Delivered.
   */
  delivered: number;
  /**
   * rejected + sending_failed + delivery_failed.
   */
  failed: number;
  /**
   * Not sent by Bird on purpose (suppressed: frequency cap, quiet hours, holdout...).
   */
  skipped: number;
  /**
   * Deleted.
   */
  deleted: number;
  /**
   * Waiting for their `scheduledFor`.
   */
  scheduled: number;
  /**
   * Scheduled messages by time, earliest first.
   */
  scheduledTimes: {
    /**
     * The scheduled time (ISO 8601).
     */
    at: string;
    /**
     * Messages scheduled for it.
     */
    count: number;
  }[];
  /**
   * Every Bird status seen, counted.
   */
  byStatus: {
    [k: string]: number;
  };
  /**
   * Refused by Bird at send time (4xx).
   */
  sendFailed: number;
  /**
   * Send outcome unknown (run `chirp status --reconcile`).
   */
  unknown: number;
  /**
   * Proven absent by reconciliation: `chirp send` will resend them.
   */
  resendable: number;
  /**
   * Intents of a send still running, not answered yet.
   */
  inFlight: number;
  /**
   * Messages whose status could not be fetched this time (the last known one is counted above).
   */
  lookupFailed: number;
  /**
   * Why lookups failed, grouped.
   */
  lookupFailures: {
    /**
     * Why.
     */
    reason: string;
    /**
     * Lookups that failed so.
     */
    count: number;
  }[];
  /**
   * Every accepted message reached a final state.
   */
  final: boolean;
  /**
   * Final, or scheduled for later: nothing more will happen until the scheduled time.
   */
  settled: boolean;
  /**
   * Failed messages grouped by status and code, most frequent first.
   */
  failures: {
    /**
     * Bird's status (or `send_failed`).
     */
    status: string;
    /**
     * Bird's failure code.
     */
    code: string;
    /**
     * Bird's description of the failure.
     */
    description: string;
    /**
     * Messages in the group.
     */
    count: number;
  }[];
  /**
   * With `--wait`: seconds waited; null otherwise.
   */
  waited: number | null;
  /**
   * A send of this run that is still running; null when none is.
   */
  sending: {
    /**
     * The sending process, when its lock names it.
     */
    pid?: number;
    /**
     * The host it runs on, when its lock names it.
     */
    host?: string;
    /**
     * Since when (ISO 8601), when known.
     */
    since?: string;
    /**
     * How it was seen: the run's lock held by a live process, or the journal growing.
     */
    evidence: 'lock' | 'growing';
  } | null;
  /**
   * With `--interactions`: reads and clicks over the run's messages; null otherwise.
   */
  interactions: {
    /**
     * Reads (and opens).
     */
    read: number;
    /**
     * Clicks.
     */
    clicked: number;
    /**
     * Other interactions.
     */
    other: number;
    /**
     * Messages whose interactions were read.
     */
    messages: number;
    /**
     * Messages whose interactions could not be read.
     */
    errors: number;
  } | null;
  /**
   * With `--reconcile` (or batch sends): how the listing went; null otherwise.
   */
  listing: {
    /**
     * Whether the listing was read to its end over the whole window (required to prove an absence).
     */
    complete: boolean;
    /**
     * Why it is not, or why absence was not declared.
     */
    reason?: string;
    /**
     * The window's start on Bird's clock (ISO 8601).
     */
    startAt?: string;
    /**
     * The window's end on Bird's clock (ISO 8601).
     */
    endAt?: string;
    /**
     * Listing pages read.
     */
    pages: number;
  } | null;
  /**
   * Rows the run never sent for consent (suppression lists, opt-in), as its journal records them; null for runs of a chirp without consent.
   */
  suppressed: number | null;
  /**
   * With `--replies`: replies of the run's recipients that ask to stop (or mention a stop word), from the channel's message listing and the journal; null when not asked.
   */
  replies: {
    /**
     * The stop words compared with (the config's `stopWords`, or STOP and UNSUBSCRIBE).
     */
    stopWords: string[];
    /**
     * The channel's listing was read to its end over the run's window and every message checked (incoming, of this channel, with a sender); false: replies may be missing.
     */
    complete: boolean;
    /**
     * Why the listing is not complete, and anything else to know (lists unreadable, replies whose sender cannot be named); null when nothing.
     */
    reason: string | null;
    /**
     * The window read, on Bird's clock (ISO 8601): from the run's start.
     */
    startAt: string;
    /**
     * The window's end, on Bird's clock (ISO 8601): now.
     */
    endAt: string;
    /**
     * Listing pages read.
     */
    pages: number;
    /**
     * Every reply of the run's recipients known: listed now, or recorded in the journal by an earlier status.
     */
    replies: number;
    /**
     * Incoming messages in the window from people who are not recipients of the run (not listed).
     */
    fromOthers: number;
    /**
     * Replies that are a stop word, whole (case, spaces and surrounding punctuation aside): their senders ask to stop. Oldest first.
     */
    stop: {
      /**
       * The sender, normalised; masked (`+31 6•••• 678`) unless `--reveal`; null when only the journal knew the reply and the run's data no longer names them.
       */
      receiver: string | null;
      /**
       * Bird's createdAt of the reply (ISO 8601).
       */
      at: string;
      /**
       * The stop word the reply is, or mentions (as configured).
       */
      word: string;
      /**
       * The sender is on a configured suppression list already; null when the lists could not be read or the sender is unknown.
       */
      onList: boolean | null;
      /**
       * The `chirp suppress add` command that adds the sender; null when on a list already, when the sender is unknown, and always without `--reveal` (a masked number is no command).
       */
      command: string | null;
      /**
       * Bird's id of the reply.
       */
      messageId: string;
    }[];
    /**
     * Replies with a stop word as a whole word inside a longer text (`STOP please`, but also `don't stop`): read them before adding anyone. Oldest first.
     */
    mentions: {
      /**
       * The sender, normalised; masked (`+31 6•••• 678`) unless `--reveal`; null when only the journal knew the reply and the run's data no longer names them.
       */
      receiver: string | null;
      /**
       * Bird's createdAt of the reply (ISO 8601).
       */
      at: string;
      /**
       * The stop word the reply is, or mentions (as configured).
       */
      word: string;
      /**
       * The sender is on a configured suppression list already; null when the lists could not be read or the sender is unknown.
       */
      onList: boolean | null;
      /**
       * The `chirp suppress add` command that adds the sender; null when on a list already, when the sender is unknown, and always without `--reveal` (a masked number is no command).
       */
      command: string | null;
      /**
       * Bird's id of the reply.
       */
      messageId: string;
    }[];
    /**
     * Senders of `stop` and `mentions` not known to be on a suppression list.
     */
    notOnList: number;
  } | null;
  /**
   * Bird's clock minus this machine's, in ms, when measured; null otherwise.
   */
  clockOffsetMs: number | null;
}
/**
 * What `chirp templates pull --format json` prints on stdout once it wrote the lock.
 */
export interface ChirpTemplatesPullOutput {
  /**
   * The output format's version; a breaking change raises it.
   */
  version: 1;
  /**
   * The lock file written (`templates.lock.json`, relative to the working directory).
   */
  lock: string;
  /**
   * Template projects in the lock.
   */
  projects: number;
  /**
   * Channel templates in the lock, over all projects.
   */
  templates: number;
  /**
   * Projects that could not be read (`E_TEMPLATE_PULL`), missing from the lock.
   */
  problems: ChirpDiagnostic[];
}
/**
 * What `chirp validate --format json` prints on stdout.
 */
export interface ChirpValidateOutput {
  /**
   * The output format's version; a breaking change raises it.
   */
  version: 1;
  /**
   * Message files checked.
   */
  files: number;
  /**
   * Diagnostics of severity `error` (any makes the exit code 1).
   */
  errors: number;
  /**
   * Diagnostics of severity `warning`.
   */
  warnings: number;
  /**
   * Every problem, sorted by file, line and column.
   */
  diagnostics: ChirpDiagnostic[];
  /**
   * With --coverage or --require-coverage: per valid message, its template branches and which examples reach each.
   */
  coverage?: {
    /**
     * The message id.
     */
    id: string;
    /**
     * The message file, as shown to users.
     */
    file: string;
    /**
     * Examples rendered.
     */
    rows: number;
    /**
     * Every branch of the message's templates (both arms of #if/#unless/#with/#each, default's value and fallback, each partial).
     */
    branches: {
      /**
       * file:line of the branch.
       */
      where: string;
      /**
       * What the branch is, e.g. the {{else}} of {{#if vip}}.
       */
      branch: string;
      /**
       * The examples (1-based) that reach it; empty when none does.
       */
      rows: number[];
    }[];
  }[];
}
