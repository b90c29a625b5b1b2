// Build a small catalog in a temp folder for a test.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './temp.js';

export const TEST_CONFIG = `workspace: 2f1c3a4e-0000-4000-8000-000000000001
channels:
  whatsapp: 9b8c7d6e-0000-4000-8000-000000000002
`;

/** Files by path relative to the catalog root; chirp.config.yaml is added unless given. */
export function makeCatalog(files: Record<string, string>): string {
  const root = tempDir('chirp-test-');
  const all = { 'chirp.config.yaml': TEST_CONFIG, ...files };
  for (const [path, text] of Object.entries(all)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return root;
}

/** A template without parameters that follows the recipient's locale (one nl example): its rows must each get their own. */
export const LOCALE_FOLLOWING_TEMPLATE = `channel: whatsapp
to: "{{phone}}"
locale: "{{lang}}"
defaultLocale: en
variables:
  phone: { type: string }
  lang: { type: string }
template:
  projectId: ce6a2fd6-b2fa-4f5a-a2cd-f3bd15883318
  version: latest
examples:
  - { phone: "+31612345678", lang: nl }
`;

/** A `receiver:` message whose phone number is normalised with the message's defaultCountry (NL). */
export const RECEIVER = `channel: whatsapp
defaultCountry: NL
receiver:
  contacts:
    - identifierKey: phonenumber
      identifierValue: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string }
required: [phone, name]
body:
  type: text
  text:
    text: "Hi {{name}}"
examples:
  - { phone: "+31612345678", name: Ada }
`;
