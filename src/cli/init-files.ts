// What `chirp init` writes: a small catalog that validates at once, one message of each common kind.
// `SCHEMA` in a file stands for the relative path to the schemas folder, filled in per file.

/** The placeholder workspace id of the config (the example lock names it too). */
export const WORKSPACE = '00000000-0000-4000-8000-000000000000';

export const CONFIG = `# yaml-language-server: $schema=SCHEMA/config.schema.json
# chirp's configuration. It is found by walking up from the current folder; messages live in
# messages/ next to it. Never put the access key here: chirp reads BIRD_ACCESS_KEY from the
# environment only (and refuses a config that looks like it holds a credential).

# The Bird workspace id (or set BIRD_WORKSPACE_ID in the environment, which wins).
workspace: ${WORKSPACE}

# Channel aliases: messages say \`channel: whatsapp\` instead of the channel id. Replace the id with
# your WhatsApp channel's id (Bird: Channels → your channel → the id in its URL).
channels:
  whatsapp: 00000000-0000-4000-8000-000000000001

# The API base URL (default https://api.bird.com); BIRD_API_URL wins. A local fake Bird:
#   chirp-fake-bird --port 8787 & BIRD_API_URL=http://127.0.0.1:8787 BIRD_ACCESS_KEY=test-key chirp send …
# apiUrl: https://api.bird.com
`;

export const SIGNATURE = `— The team
`;

export const NOTICE = `# yaml-language-server: $schema=SCHEMA/whatsapp-message.schema.json
# A text message with a link button (WhatsApp: one link button, label ≤ 20 characters, never mixed
# with reply buttons; or up to 3 reply buttons, titles ≤ 20 characters, and no link).
# Sent by .github/workflows/chirp-release-notice.yml on every version tag (version and notes_url per row).
description: Tell subscribers that a new release is out, with a link to its release notes
channel: whatsapp            # an alias from chirp.config.yaml (or a channel id)
to: "{{phone}}"              # normalised to E.164; anything else is a row error, never a guess
locale: '{{default lang "en"}}'  # the recipient's locale (nl_NL, NL-nl → nl-NL); picks the text below
defaultLocale: en            # the locale of \`body\`; who has no text of their own gets it (counted)
variables:                   # JSON Schema for every row; a missing value is an error, never a blank "Hi ,"
  phone: { type: string, minLength: 8 }
  lang: { type: string }     # optional: en unless given
  name: { type: string, minLength: 1 }
  version: { type: string, pattern: "^v\\\\d+\\\\.\\\\d+\\\\.\\\\d+$" }
  notes_url: { type: string, format: uri }
  highlight: { type: string, maxLength: 200 }   # optional
required: [phone, name, version, notes_url]
body:
  type: text
  text:
    text: |-
      Hi {{name}}, {{version}} is out.
      {{#if highlight}}
      New in this release: {{highlight}}
      {{/if}}

      {{> signature}}
    actions:
      - type: link
        link: { text: Release notes, url: "{{notes_url}}" }
# The same message per locale: each a whole body of the same type (buttons translated too), checked
# like \`body\`: the same variables, the same limits. \`localeFallback: language\` would refuse a
# recipient whose language has no text instead of sending them the default.
translations:
  nl:
    body:
      type: text
      text:
        text: |-
          Hoi {{name}}, {{version}} is uit.
          {{#if highlight}}
          Nieuw in deze versie: {{highlight}}
          {{/if}}

          {{> signature}}
        actions:
          - type: link
            link: { text: Release-opmerkingen, url: "{{notes_url}}" }
tags: [release]
# Rows used by \`chirp render\`, \`chirp plan\` and \`chirp validate\` when no --data is given.
examples:
  - phone: "+31612345678"
    lang: nl_NL
    name: Ada
    version: v1.2.0
    notes_url: "https://example.com/releases/v1.2.0"
    highlight: batch sending with per-recipient status
  - phone: "+442071838750"
    name: Grace
    version: v1.2.0
    notes_url: "https://example.com/releases/v1.2.0"
`;

export const SHIPPED = `# yaml-language-server: $schema=SCHEMA/whatsapp-message.schema.json
# An image message with a caption and a link button.
description: Tell a customer their order has shipped, with a product photo and a tracking link
channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string, pattern: "^\\\\+[1-9][0-9]{6,14}$" }
  name: { type: string, minLength: 1 }
  order_id: { type: string, pattern: "^[A-Z0-9-]+$" }
  product: { type: string, minLength: 1 }
  product_image: { type: string, format: uri }
  tracking_url: { type: string, format: uri }
required: [phone, name, order_id, product, product_image, tracking_url]
body:
  type: image
  image:
    images:
      - mediaUrl: "{{product_image}}"
        altText: "{{product}}"
    text: "Good news {{name}}: order {{order_id}} is on its way."
    actions:
      - type: link
        link: { text: Track parcel, url: "{{tracking_url}}" }
reference: "order-{{order_id}}-shipped"   # shown in Bird, and used by chirp to find the message again
examples:
  - phone: "+31612345678"
    name: Ada
    order_id: NL-10023
    product: Walnut desk lamp
    product_image: "https://shop.example.com/img/walnut-desk-lamp.jpg"
    tracking_url: "https://track.example.com/NL-10023"
`;

export const WELCOME = `# yaml-language-server: $schema=SCHEMA/whatsapp-message.schema.json
# A WhatsApp template (approved in Bird Studio): the only kind that may open a conversation outside
# the 24-hour customer-care window. Replace projectId with your template's project id, then run
# \`chirp templates pull\`: templates.lock.json (commit it) is what \`chirp validate\` checks templates
# against (chirp init wrote one for this example project).
description: Welcome a new customer with an approved template
channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string, pattern: "^\\\\+[1-9][0-9]{6,14}$" }
  first_name: { type: string, minLength: 1 }
  trial_days: { type: integer, minimum: 1, maximum: 90 }
required: [phone, first_name, trial_days]
template:
  projectId: 00000000-0000-4000-8000-00000000c0de
  version: latest
  locale: en
  parameters:
    - { type: string, key: first_name, value: "{{first_name}}" }
    - { type: string, key: trial_days, value: "{{trial_days}}" }
examples:
  - { phone: "+31612345678", first_name: Ada, trial_days: 14 }
`;

export const MENU = `# yaml-language-server: $schema=SCHEMA/whatsapp-message.schema.json
# A list message: a button that opens sections of rows (WhatsApp: ≤ 10 sections, ≤ 10 rows in total).
description: Offer the support menu
channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string, minLength: 8 }
  name: { type: string, minLength: 1 }
required: [phone, name]
body:
  type: list
  list:
    title: Support
    text: "Hi {{name}}, what can we help you with?"
    altText: Support menu
    items:
      - title: Orders
        actions:
          - type: postback
            postback: { text: Where is my order, payload: order-status }
          - type: postback
            postback: { text: Return an item, payload: order-return }
      - title: Account
        actions:
          - type: postback
            postback: { text: Change my address, payload: account-address }
examples:
  - { phone: "+31612345678", name: Ada }
`;

/** What a catalog's .gitignore needs: each entry with the comment that explains it. */
export const GITIGNORE_ENTRIES = [
  {
    entry: '.chirp/',
    text: `# chirp's run journals and locks: local state, rewritten by \`chirp send\` and \`chirp status\`.
# In CI the journal is kept in the Actions cache instead (see the release-notice workflow).
.chirp/
`,
  },
  { entry: 'node_modules/', text: `# npm's install folder (\`npm ci\` recreates it from package-lock.json).\nnode_modules/\n` },
] as const;

export const GITIGNORE = GITIGNORE_ENTRIES.map((e) => e.text).join('');

/**
 * Who the release workflow (.github/workflows/chirp-release-notice.yml) sends releases/notice to: one
 * row per subscriber, \`phone,name\` (the version and the notes link come from the tag). Example rows:
 * replace them with your subscribers. The workflow's \`--expect-count\` (variable RELEASE_RECIPIENTS)
 * is the number of distinct recipients in it.
 */
export const SUBSCRIBERS = `phone,name
+31612345678,Ada
+31612345679,Grace
`;

/** The dry run that init prints: what the release workflow would send, with a made-up version. */
export const DRY_RUN =
  'chirp send releases/notice --data subscribers.csv --var version=v1.0.0 --var notes_url=https://example.com/releases/v1.0.0 --dry-run';

/**
 * The Bird template project `onboarding/welcome` names, in Bird's shapes (what
 * `GET …/projects/{id}` and `…/channel-templates` answer). `chirp init` locks it in templates.lock.json
 * as `chirp templates pull` would, so the example template is checked offline like any other; a real
 * projectId is not in that lock (E_TEMPLATE_NOT_LOCKED: pull), and a send asks Bird first (preflight).
 */
export const WELCOME_BIRD = {
  project: {
    id: '00000000-0000-4000-8000-00000000c0de',
    name: 'welcome (example written by chirp init: replace it, then chirp templates pull)',
    type: 'channelTemplate',
    activeResourceId: '00000000-0000-4000-8000-00000000c001',
  },
  channelTemplates: [
    {
      id: '00000000-0000-4000-8000-00000000c001',
      projectId: '00000000-0000-4000-8000-00000000c0de',
      status: 'active',
      localeStatuses: { en: 'active' },
      defaultLocale: 'en',
      deployments: [
        { key: 'whatsappCategory', value: 'UTILITY', locale: null, platform: 'whatsapp' },
        { key: 'whatsappTemplateName', value: 'welcome', locale: null, platform: 'whatsapp' },
      ],
      variables: [
        { key: 'first_name', type: 'string', format: 'none', characterLimit: 30 },
        { key: 'trial_days', type: 'string', format: 'none', characterLimit: 2 },
      ],
      platformContent: [
        {
          locale: 'en',
          type: 'template',
          platform: 'whatsapp',
          blocks: [
            { type: 'text', role: 'header', text: { text: 'Welcome' } },
            { type: 'text', role: 'body', text: { text: 'Hi {{first_name}}, your free trial of {{trial_days}} days starts today.' } },
            { type: 'text', role: 'footer', text: { text: 'Reply STOP to opt out' } },
          ],
        },
      ],
      platformInfo: { 'whatsapp:example-account:en': { status: 'active', category: 'UTILITY' } },
    },
  ],
} as const;
