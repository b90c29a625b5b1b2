// Consent for the use cases: the catalog's suppression lists read once per catalog (fail-closed), the
// check each message's rows go through, a saved plan's requests checked again, and both sides' lists
// for `plan --base`.
import { basename } from 'node:path';
import { loadConfigText, readFilesAt, type Catalog, type GitRevision } from '../catalog/index.js';
import { listKeys, listPath, loadSuppression, optInCheck, readList, type Suppression, type SuppressionList } from '../consent/index.js';
import type { ConsentSide } from '../diff/index.js';
import { UserError } from '../errors.js';
import type { ConsentCheck, RenderItem } from '../render/index.js';
import type { MessageDefinition } from '../check/index.js';
import { sha256Hex } from '../util/index.js';

const suppressions = new WeakMap<Catalog, Promise<Suppression>>();

/** The catalog's suppression lists (`suppress:`), read once per catalog, fail-closed. */
export function suppressionOf(catalog: Catalog): Promise<Suppression> {
  let loaded = suppressions.get(catalog);
  if (!loaded) {
    loaded = loadSuppression({ root: catalog.config.root, files: catalog.config.suppress, defaultCountry: catalog.config.defaultCountry });
    suppressions.set(catalog, loaded);
  }
  return loaded;
}

/** The consent check of one message: its opt-in column, and the lists (when any is configured). */
export function consentCheck(suppression: Suppression, definition: MessageDefinition): ConsentCheck | undefined {
  if (suppression.lists.length === 0 && definition.consent === undefined) return undefined;
  return {
    ...(definition.consent !== undefined ? { optIn: optInCheck(definition.consent) } : {}),
    ...(suppression.lists.length > 0 ? { suppressed: suppression.has } : {}),
  };
}

/** The lists a run or a plan was checked against, as recorded (journal header, saved plan): names and hashes. */
export function listRecords(lists: readonly SuppressionList[]): { file: string; sha256: string }[] {
  return lists.map((l) => ({ file: l.file, sha256: l.sha256 }));
}

/** A saved plan's requests checked against the suppression lists as they are at send time. */
export async function* consentRechecked(items: AsyncIterable<RenderItem>, suppression: Suppression): AsyncGenerator<RenderItem> {
  for await (const item of items) {
    if (item.kind === 'request' && suppression.has(item.recipient, false))
      yield { kind: 'suppressed', row: item.row, recipient: item.recipient, reason: 'opted-out' };
    else yield item;
  }
}

/** How the lists differ from those a plan recorded: added, removed, edited, by name. */
export function changedLists(recorded: readonly { file: string; sha256: string }[], now: readonly SuppressionList[]): string[] {
  const out: string[] = [];
  for (const l of now) {
    const before = recorded.find((r) => r.file === l.file);
    if (!before) out.push(`${l.file} added`);
    else if (before.sha256 !== l.sha256) out.push(`${l.file} edited`);
  }
  for (const r of recorded) if (!now.some((l) => l.file === r.file)) out.push(`${r.file} removed`);
  return out;
}

/** The working tree's lists, as a send would read them (a broken one stops the plan, as it would the send). */
export async function headConsent(catalog: Catalog): Promise<ConsentSide> {
  const { root, suppress, defaultCountry } = catalog.config;
  const keys = new Set<string>();
  const lists = listRecords((await suppressionOf(catalog)).lists);
  for (const file of suppress)
    for (const k of await listKeys(await readList(listPath(root, file), file), file, file, defaultCountry)) keys.add(k);
  return { keys, lists };
}

/** The lists of the base revision's config, read from git; one missing or unreadable there counts as empty. */
export async function baseConsent(rev: GitRevision, catalog: Catalog): Promise<ConsentSide> {
  const name = basename(catalog.config.configFile); // `--config chirp.prod.yaml` too, as the base side reads it
  const config = loadConfigText((await readFilesAt(rev, [name])).get(name) ?? '');
  const files = config?.suppress ?? [];
  const texts = files.length > 0 ? await readFilesAt(rev, files) : new Map<string, string>();
  const keys = new Set<string>();
  const lists: ConsentSide['lists'] = [];
  for (const file of files) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const bytes = Buffer.from(text, 'utf8');
    lists.push({ file, sha256: `sha256:${sha256Hex(bytes)}` });
    try {
      for (const k of await listKeys(bytes, file, `${rev.ref}:${file}`, config?.defaultCountry ?? catalog.config.defaultCountry))
        keys.add(k);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  return { keys, lists };
}
