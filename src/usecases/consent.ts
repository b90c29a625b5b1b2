// Consent for the use cases: the catalog's suppression lists read once per catalog (fail-closed), the
// check each message's rows go through, a saved plan's requests checked again, and both sides' lists
// for `plan --base`.
import { basename } from 'node:path';
import {
  CONFIG_FILE,
  loadConfigText,
  loadMessage,
  readFilesAt,
  resolveInListing,
  type Catalog,
  type GitRevision,
} from '../catalog/index.js';
import {
  listEntries,
  listPath,
  loadSuppression,
  NationalEntries,
  optInCheck,
  readList,
  type ListEntry,
  type Suppression,
  type SuppressionCheck,
  type SuppressionList,
} from '../consent/index.js';
import type { ConsentSide } from '../diff/index.js';
import { UserError } from '../errors.js';
import { receiverIdentifiers, type ConsentCheck, type RenderItem } from '../render/index.js';
import type { MessageDefinition } from '../check/index.js';
import type { SavedPlan } from '../saved-plan/index.js';
import { isKnownCountry, isObject, sha256Hex } from '../util/index.js';

const suppressions = new WeakMap<Catalog, Promise<Suppression>>();

/** The catalog's suppression lists (`suppress:`), read once per catalog, fail-closed. */
export function suppressionOf(catalog: Catalog): Promise<Suppression> {
  let loaded = suppressions.get(catalog);
  if (!loaded) {
    loaded = loadSuppression({ root: catalog.config.root, files: catalog.config.suppress });
    suppressions.set(catalog, loaded);
  }
  return loaded;
}

/**
 * The consent check of one message: its opt-in column, and the lists (when any is configured), their
 * numbers without a country code read in the message's `defaultCountry` (its own, else the config's).
 * An entry that cannot be read there stops the message here (E_SUPPRESS_LIST naming file:line).
 */
export function consentCheck(suppression: Suppression, definition: MessageDefinition): ConsentCheck | undefined {
  if (suppression.lists.length === 0 && definition.consent === undefined) return undefined;
  return {
    ...(definition.consent !== undefined ? { optIn: optInCheck(definition.consent) } : {}),
    ...(suppression.lists.length > 0 ? { suppressed: suppression.forCountry(definition.defaultCountry, `message ${definition.id}`) } : {}),
  };
}

/**
 * A message's `defaultCountry` as the catalog holds it now (its own, else the config's), for what
 * reads numbers for a message without preparing it (a saved plan of an older chirp, replies).
 */
export function messageCountry(catalog: Catalog, id: string): string | undefined {
  const found = resolveInListing(catalog.listing, catalog.config.root, catalog.cwd, id);
  if (found.ok) {
    const value = loadMessage(found.file).source.value;
    // (Only a country chirp knows: the file is read here, not checked.)
    if (isObject(value) && typeof value.defaultCountry === 'string' && isKnownCountry(value.defaultCountry)) return value.defaultCountry;
  }
  return catalog.config.defaultCountry;
}

/** The lists a run or a plan was checked against, as recorded (journal header, saved plan): names and hashes. */
export function listRecords(lists: readonly SuppressionList[]): { file: string; sha256: string }[] {
  return lists.map((l) => ({ file: l.file, sha256: l.sha256 }));
}

/** How a saved plan's requests are checked again: the lists, read in the message's country. */
export interface PlanCheck {
  check: SuppressionCheck;
  country: string | undefined;
}

/**
 * The check of a saved plan at send time: the lists' numbers without a country code read in the
 * message's `defaultCountry` as the plan recorded it (a plan of an older chirp: the message's as the
 * catalog holds it now). One that cannot be read there stops the send here, before any request.
 */
export function savedPlanCheck(
  catalog: Catalog,
  saved: Pick<SavedPlan, 'message' | 'defaultCountry'>,
  suppression: Suppression,
): PlanCheck {
  const country = saved.defaultCountry === undefined ? messageCountry(catalog, saved.message) : (saved.defaultCountry ?? undefined);
  return { check: suppression.forCountry(country, `message ${saved.message}`), country };
}

/**
 * A saved plan's requests checked against the suppression lists as they are at send time, in the
 * message's country: the recipient, and every identifier of the receiver (cc, `identifiers`).
 */
export async function* consentRechecked(items: AsyncIterable<RenderItem>, { check, country }: PlanCheck): AsyncGenerator<RenderItem> {
  for await (const item of items) {
    if (item.kind !== 'request') {
      yield item;
      continue;
    }
    const hit = check(item.recipient, false)
      ? item.recipient
      : receiverIdentifiers(item.request.receiver, country).values.find((v) => check(v, false));
    if (hit !== undefined) yield { kind: 'suppressed', row: item.row, recipient: hit, reason: 'opted-out' };
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
  const { root, suppress } = catalog.config;
  const suppression = await suppressionOf(catalog);
  const keys = new Set<string>();
  for (const file of suppress)
    for (const e of await listEntries(await readList(listPath(root, file), file), file, file)) keys.add(entryKey(e));
  const checks = new Map<string, SuppressionCheck>();
  return {
    keys,
    lists: listRecords(suppression.lists),
    has: (country) => {
      let check = checks.get(country ?? '');
      if (!check) checks.set(country ?? '', (check = suppression.forCountry(country)));
      return check;
    },
  };
}

/** How a list entry is counted when two versions of the lists are compared: normalised, or its digits (no country code: no person yet). */
function entryKey(entry: ListEntry): string {
  return 'key' in entry ? entry.key : entry.national.replace(/\D/g, '');
}

/**
 * The lists of the base revision's config, read from git; one missing or unreadable there counts as
 * empty, and so do its numbers without a country code for a country they cannot be read in.
 */
export async function baseConsent(rev: GitRevision, configFile?: string): Promise<ConsentSide> {
  // `--config chirp.prod.yaml`: the base's config is read by the name this run uses.
  const name = configFile ? basename(configFile) : CONFIG_FILE;
  const config = loadConfigText((await readFilesAt(rev, [name])).get(name) ?? '');
  const files = config?.suppress ?? [];
  const texts = files.length > 0 ? await readFilesAt(rev, files) : new Map<string, string>();
  const keys = new Set<string>();
  const international = new Set<string>();
  const national = new NationalEntries();
  const lists: ConsentSide['lists'] = [];
  for (const file of files) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const bytes = Buffer.from(text, 'utf8');
    lists.push({ file, sha256: `sha256:${sha256Hex(bytes)}` });
    try {
      const entries = await listEntries(bytes, file, `${rev.ref}:${file}`);
      for (const e of entries) {
        keys.add(entryKey(e));
        if ('key' in e) international.add(e.key);
        else national.add(e.national, `${rev.ref}:${file}`, e.line);
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
    }
  }
  const checks = new Map<string, (key: string) => boolean>();
  return {
    keys,
    lists,
    has: (country) => {
      let check = checks.get(country ?? '');
      if (!check) {
        let read: { has: (key: string) => boolean } = new Set<string>();
        try {
          read = national.keysIn(country);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
        }
        check = (key) => international.has(key) || read.has(key);
        checks.set(country ?? '', check);
      }
      return check;
    },
  };
}
