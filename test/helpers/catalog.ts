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
