import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { startYamlLs } from '/work/wt/i14/test/helpers/yaml-ls.js';
it('try', async () => {
  const dir = '/work/wt/i14/messages/bird';
  const f = dir + '/zz-try.yaml';
  writeFileSync(f, `# yaml-language-server: $schema=../../schemas/message.schema.json
description: x
channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
body:
  type: image
  image:
    images:
      - mediaURL: "https://example.com/a.png"
examples:
  - { phone: "+31612345678" }
`);
  const ls = await startYamlLs('/work/wt/i14');
  console.log(JSON.stringify(await ls.open(f), null, 1));
  const items = await ls.complete(f, 7, 8);
  console.log(items.map(i => i.label));
  await ls.close();
});
