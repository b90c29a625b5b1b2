// Generated benchmark inputs: a catalog with one text message (5 variables, 2 reply buttons) and a
// 6-column CSV of N recipients.
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

export const BENCH_TEXT = 'Hi {{name}}, chirp {{version}} is out for {{plan}} customers in {{city}}. Your code: {{code}}';

export const BENCH_MESSAGE = `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string, minLength: 1 }
  version: { type: string }
  city: { type: string }
  plan: { type: string }
  code: { type: string }
body:
  type: text
  text:
    text: "${BENCH_TEXT}"
    actions:
      - { type: reply, reply: { text: Upgrade now } }
      - { type: reply, reply: { text: Later } }
`;

export function benchCatalog(): string {
  const root = mkdtempSync(join(tmpdir(), 'chirp-bench-catalog-'));
  mkdirSync(join(root, 'messages'), { recursive: true });
  writeFileSync(
    join(root, 'chirp.config.yaml'),
    'workspace: 2f1c3a4e-0000-4000-8000-000000000001\nchannels:\n  whatsapp: 9b8c7d6e-0000-4000-8000-000000000002\n',
  );
  writeFileSync(join(root, 'messages', 'bench.yaml'), BENCH_MESSAGE);
  // Gone when the bench ends, with the journals the sends wrote into it (the CSVs are kept: they are reused).
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  return root;
}

const CITIES = ['Amsterdam', 'Zürich', 'São Paulo', 'Berlin', 'Delft'];
const PLANS = ['free', 'pro', 'team'];

/** A CSV of `rows` recipients with distinct phone numbers; cached by size under the temp dir. */
export async function benchCsv(rows: number): Promise<string> {
  const path = join(tmpdir(), `chirp-bench-${rows}.csv`);
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.tmp`);
  out.write('phone,name,version,city,plan,code\n');
  for (let i = 0; i < rows; i++) {
    const line = `+3161${String(i).padStart(7, '0')},Name ${i},v1.${i % 10}.0,${CITIES[i % 5]},${PLANS[i % 3]},C${(i * 7919) % 100000}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const { renameSync } = await import('node:fs');
  renameSync(`${path}.tmp`, path);
  return path;
}
