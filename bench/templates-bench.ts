// Cold `chirp validate` of a catalog whose 200 template messages are checked against a lock of 200
// template projects (two channel templates each, two locales): the lock must not make validate slow.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCatalog } from './fixtures.js';
import { fmt, measureNode, table } from './measure.js';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const PROJECTS = 200;

const uuid = (kind: number, i: number): string => `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`;

function lockedTemplate(id: string, status: string): object {
  const variables = Object.fromEntries(
    ['name', 'version', 'code'].map((key) => [key, { key, type: 'string', format: 'none', characterLimit: 60 }]),
  );
  const locale = (body: string) => ({
    status: 'active',
    platformStatuses: ['active'],
    header: 'chirp',
    body,
    footer: 'Reply STOP to opt out',
    buttons: [{ type: 'link-action', text: 'Open', url: 'https://chirp.example/{{code}}' }],
  });
  return {
    id,
    status,
    defaultLocale: 'en',
    category: 'UTILITY',
    whatsappName: `notice_${id.slice(-4)}`,
    variables,
    locales: {
      en: locale('Hi {{name}}, chirp {{version}} is out. Code {{code}}.'),
      de: locale('Hallo {{name}}, chirp {{version}} ist da. Code {{code}}.'),
    },
  };
}

function lock(): string {
  const projects: Record<string, object> = {};
  for (let i = 0; i < PROJECTS; i++) {
    const [old, active] = [uuid(2, i), uuid(3, i)];
    projects[uuid(1, i)] = {
      id: uuid(1, i),
      name: `notice ${i}`,
      activeTemplateId: active,
      templates: { [old]: lockedTemplate(old, 'inactive'), [active]: lockedTemplate(active, 'active') },
    };
  }
  return `${JSON.stringify({ lockVersion: 1, pulledAt: new Date().toISOString(), workspace: '2f1c3a4e-0000-4000-8000-000000000001', projects }, null, 2)}\n`;
}

function message(i: number): string {
  return `channel: whatsapp
to: "{{phone}}"
variables:
  phone: { type: string }
  name: { type: string, minLength: 1 }
  version: { type: string }
required: [phone, name, version]
template:
  projectId: ${uuid(1, i)}
  version: ${i % 2 === 0 ? 'latest' : uuid(3, i)}
  locale: ${i % 3 === 0 ? 'de' : 'en'}
  parameters:
    - { type: string, key: name, value: "{{name}}" }
    - { type: string, key: version, value: "{{version}}" }
    - { type: string, key: code, value: "C${i}" }
examples:
  - { phone: "+3162${String(i).padStart(7, '0')}", name: Ada, version: v2 }
`;
}

export async function benchTemplates(): Promise<string> {
  const root = benchCatalog();
  mkdirSync(join(root, 'messages', 'templates'), { recursive: true });
  for (let i = 0; i < PROJECTS; i++) writeFileSync(join(root, 'messages', 'templates', `t${i}.yaml`), message(i));
  writeFileSync(join(root, 'templates.lock.json'), lock());
  const result = await measureNode([CLI, 'validate'], { cwd: root, discardStdout: true });
  if (result.code !== 0) throw new Error(`templates bench failed: ${result.stderr.slice(0, 500)}`);
  return table(
    ['case', 'wall s', 'peak RSS MB', 'goal'],
    [
      [
        `cold validate, ${PROJECTS + 1} messages, lock of ${PROJECTS} projects × 2 templates`,
        fmt(result.seconds, 2),
        fmt(result.peakRssMb),
        '< 1 s',
      ],
    ],
  );
}
