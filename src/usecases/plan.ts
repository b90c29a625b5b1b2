import { headCommit, readFilesAt, resolveBase, selectIds, type Catalog } from '../catalog/index.js';
import {
  addTemplateLockDiff,
  compareSides,
  consentDiff,
  headSide,
  messageCoverage,
  revisionSide,
  type PlanDiff,
  type Side,
} from '../diff/index.js';
import { baseConsent, headConsent, listRecords } from './consent.js';
import { UserError } from '../errors.js';
import { sealPlan, type SavedPlan, type SavedRequest } from '../saved-plan/index.js';
import { buildReport, hashFile, sendMessage, type SendReport } from '../send/index.js';
import { readRows } from '../sources/index.js';
import { type Transport } from '../transport/index.js';
import type { Diagnostic } from '../types.js';
import { chirpVersion } from '../version.js';
import { LOCK_FILE, lockFromText, type PreflightUse, type TemplatePreflight } from '../templates/index.js';
import { mergeUses, sendTemplateUses } from '../template-uses.js';
import { allRowUses, rowTemplateUses } from './row-locales.js';
import type { LibraryOptions, DataInput, BirdClient } from './common.js';
import {
  catalogOf,
  clock,
  noWarn,
  resolveChannel,
  journalDir,
  platformFor,
  apiOrigin,
  birdClient,
  resolveData,
  SEND_DEFAULTS,
  windowChecker,
} from './common.js';
import type { PreparedMessage, RunVars } from './prepare.js';
import {
  fallbackRenderer,
  examplesHash,
  prepareMessage,
  withVars,
  withVarsHash,
  exampleRows,
  renderMessage,
  templatePreflight,
} from './prepare.js';

export interface PlanOptions extends LibraryOptions {
  /** Message ids (default: the whole catalog; exactly one with `save`). */
  messages?: string[];
  /** Recipients for both sides (default: each message's examples). Not stdin: it is read more than once. */
  data?: DataInput;
  /** Compare with the catalog at this git revision: at its merge base with HEAD, as a pull request shows it. */
  base?: string;
  /** false: compare with `base` itself (two dots), not its merge base with HEAD. */
  mergeBase?: boolean;
  /** Make the saved plan of one message (`plan --out`) instead of showing one. */
  save?: boolean;
  reveal?: boolean;
  journal?: string;
  batchSize?: number;
  rate?: number;
  /** Look up customer-care windows at Bird (read-only). */
  window?: 'check' | 'ignore';
  /** With window check: a window closing sooner than this counts as closed, and one that comes this close before its request leaves is checked again (default 300). */
  windowMarginSeconds?: number;
  /** Run-wide variables, given to every row of both sides. */
  vars?: RunVars;
  /** With `base`: a branch of a selected message that no row reaches fails the plan (config `requireCoverage` too). */
  requireCoverage?: boolean;
}

/** What the visual diff (`plan --format html`) renders again: both sides and the rows they were compared on. */
export interface PlanSides {
  head: Side;
  base: Side;
  rows: Parameters<typeof compareSides>[0]['rows'];
}

export type PlanResult =
  | { kind: 'diff'; diff: PlanDiff; sides: PlanSides }
  | { kind: 'send-plan'; reports: SendReport[]; problems: Diagnostic[]; templates?: TemplatePreflight }
  | { kind: 'saved'; plan: SavedPlan }
  | { kind: 'not-saved'; problems: Diagnostic[] };

/** What would be sent, never sending: a diff against a git revision, the send plan, or a saved plan. */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  if (options.data?.path === '-') throw new UserError('E_USAGE', 'plan reads the data more than once; give a file, not stdin');
  if (options.base !== undefined && options.base.trim() === '')
    throw new UserError(
      'E_USAGE',
      'the base revision is empty (e.g. --base origin/main); an empty value would silently plan without a base',
    );
  if (options.mergeBase === false && options.base === undefined)
    throw new UserError('E_USAGE', '--no-merge-base only applies with --base REF');
  if (options.window === 'check' && (options.base !== undefined || options.save))
    throw new UserError('E_USAGE', 'the window check belongs to the send plan (no --base, no --out)');
  if (options.base !== undefined && options.save)
    throw new UserError('E_USAGE', 'a saved plan (--out) does not combine with a base revision (--base)');
  // `send` never sends the examples; neither may a plan of them (it would message the example numbers).
  if (options.save && options.data === undefined)
    throw new UserError(
      'E_USAGE',
      'a saved plan (--out) is for sending: give --data FILE; without it the plan would hold the example rows, and send to their numbers',
    );
  if (options.requireCoverage && options.base === undefined)
    throw new UserError('E_USAGE', '--require-coverage goes with --base REF (without a base, use `chirp validate --require-coverage`)');
  // A plan against git records which branches its rows take (coverage); the other plans never pay for it.
  const catalog = await catalogOf(options, { coverage: options.base !== undefined });
  const ids = options.messages && options.messages.length > 0 ? options.messages : undefined;
  if (options.base !== undefined) return { kind: 'diff', ...(await diffAgainstBase(options, catalog, ids, options.base)) };
  if (options.save) return savePlan(options, catalog, options.messages ?? []);
  return sendPlans(options, catalog, ids);
}

/** Keep only the selected messages on a side. */
function only(side: Side, ids: readonly string[] | undefined): Side {
  return ids ? { ...side, messages: new Map([...side.messages].filter(([id]) => ids.includes(id))) } : side;
}

async function diffAgainstBase(
  options: PlanOptions,
  catalog: Catalog,
  selectors: string[] | undefined,
  base: string,
): Promise<{ diff: PlanDiff; sides: PlanSides }> {
  const rev = await resolveBase(catalog.config.root, base, { mergeBase: options.mergeBase ?? true });
  // A file the same on both sides is parsed once for what every message is asked (sides.ts, TextFacts).
  const facts = new Map<string, boolean>();
  const [allHead, allBase] = [await headSide(catalog, facts), await revisionSide(rev, catalog, facts)];
  // Selectors match on either side: a message removed since the base can be planned by its id.
  const known = [...new Set([...allHead.messages.keys(), ...allBase.messages.keys()])].sort();
  const ids = selectors ? selectIds(known, selectors, { root: catalog.config.root, cwd: options.cwd }) : undefined;
  const [head, baseSide] = [only(allHead, ids), only(allBase, ids)];
  const data = options.data ? resolveData(options, options.data) : undefined;
  const current = await headCommit(catalog.config.root);
  const rows: PlanSides['rows'] = (h, b) =>
    data
      ? { rows: withVars(readRows(data), options.vars, data.displayName), fromText: data.format === 'csv', label: data.displayName }
      : {
          rows: withVars(
            exampleRows(h?.checked.definition ?? b?.checked.definition ?? { examples: [] }),
            options.vars,
            (h ?? b)!.file,
            true,
          ),
          fromText: false,
          label: `${(h ?? b)!.file} examples`,
        };
  const diff = await compareSides({
    base: baseSide,
    head,
    baseRev: { ref: rev.ref, commit: rev.commit, tip: rev.tip ?? rev.commit, mergeBase: rev.mergeBase ?? false },
    reveal: options.reveal ?? false,
    ...(current ? { headCommit: current } : {}),
    rows,
    ...(data ? { unreachedReason: `no recipient in ${data.displayName} takes it` } : {}),
  });
  // templates.lock.json is compared like the messages: a lock change that breaks one is a problem introduced.
  const baseLockText = (await readFilesAt(rev, [LOCK_FILE])).get(LOCK_FILE);
  const baseLock = baseLockText === undefined ? undefined : lockFromText(baseLockText, `${rev.ref}:${LOCK_FILE}`).lock;
  addTemplateLockDiff(diff, head, { base: baseLock, head: catalog.templateLock.lock });
  // A change of the suppression lists (or of an opt-in column) changes who gets a message.
  const consent = await consentDiff(head, baseSide, await headConsent(catalog), await baseConsent(rev, catalog.config.configFile), rows);
  if (consent) diff.consent = consent;
  if (options.requireCoverage || catalog.config.requireCoverage) {
    const unreached: NonNullable<PlanDiff['coverage']>['unreached'] = [];
    const reason = data ? `no recipient in ${data.displayName} takes it` : 'no example reaches it';
    for (const m of head.messages.values()) {
      if (!m.checked.definition) continue;
      const source = rows(m, baseSide.messages.get(m.id));
      const coverage = await messageCoverage(m, head, source.rows, source.fromText);
      for (const b of coverage.branches)
        if (b.rows.length === 0) unreached.push({ message: m.id, where: b.where, branch: b.branch, reason });
    }
    diff.coverage = { required: true, unreached };
  }
  return { diff, sides: { head, base: baseSide, rows } };
}

async function savePlan(options: PlanOptions, catalog: Catalog, ids: string[]): Promise<PlanResult> {
  if (ids.length !== 1)
    throw new UserError('E_USAGE', 'a saved plan holds exactly one message: chirp plan MESSAGE --data FILE --out plan.json');
  const message = await prepareMessage(catalog, ids[0]!);
  const data = options.data ? resolveData(options, options.data) : undefined;
  const requests: SavedRequest[] = [];
  const problems: Diagnostic[] = [];
  let suppressed = 0;
  for await (const item of renderMessage(message, { ...(data ? { data } : {}), ...(options.vars ? { vars: options.vars } : {}) })) {
    if (item.kind === 'request')
      requests.push({
        row: item.row.index,
        recipient: item.recipient,
        body: item.request,
        ...(item.alias !== undefined ? { alias: item.alias } : {}),
      });
    else if (item.kind === 'invalid') problems.push(...item.diagnostics);
    else if (item.kind === 'suppressed') suppressed++;
  }
  if (problems.length > 0) return { kind: 'not-saved', problems };
  return {
    kind: 'saved',
    plan: sealPlan({
      kind: 'chirp-plan',
      version: 1,
      createdAt: clock(options)().toISOString(),
      chirpVersion: chirpVersion(),
      message: message.definition.id,
      channelId: resolveChannel(catalog, message.definition.channel),
      workspace: catalog.config.workspace ?? '',
      inputs: {
        definitionHash: message.definitionHash,
        dataHash: withVarsHash(data ? await hashFile(data.path, data.displayName) : examplesHash(message), options.vars),
        data: data?.displayName ?? 'examples',
      },
      git: (await headCommit(catalog.config.root)) ?? null,
      ...(message.consent ? { suppress: { lists: listRecords(message.suppressLists), suppressed } } : {}),
      sendAt: message.definition.sendAt ? { ifPast: message.definition.sendAt.ifPast } : null,
      defaultCountry: message.definition.defaultCountry ?? null,
      requests,
    }),
  };
}

/** Without a base: the send plan of each message, the same as `send --dry-run`. */
async function sendPlans(options: PlanOptions, catalog: Catalog, ids: string[] | undefined): Promise<PlanResult> {
  const known = [...new Set([...catalog.listing.messages.keys(), ...catalog.listing.twins.keys()])].sort();
  const all = ids ? selectIds(known, ids, { root: catalog.config.root, cwd: options.cwd }) : known;
  let client: BirdClient | undefined;
  if (options.window === 'check') {
    if (!catalog.config.accessKey) throw new UserError('E_ACCESS_KEY', 'the window check asks Bird: set BIRD_ACCESS_KEY');
    client = birdClient(options, catalog, {
      workspace: catalog.config.workspace ?? '',
      rate: options.rate ?? SEND_DEFAULTS.rate,
      concurrency: 2,
    });
  }
  try {
    return await sendPlansWith(options, catalog, all, client?.transport);
  } finally {
    await client?.close();
  }
}

async function sendPlansWith(options: PlanOptions, catalog: Catalog, all: string[], transport: Transport | undefined): Promise<PlanResult> {
  const now = clock(options);
  const journal = journalDir(options, catalog, options.journal);
  const data = options.data ? resolveData(options, options.data) : undefined;
  const reports: SendReport[] = [];
  const problems: Diagnostic[] = [];
  const templateUses: PreflightUse[] = [];
  const rowUses: Parameters<typeof allRowUses>[0][number][] = [];
  for (const id of all) {
    let message: PreparedMessage;
    try {
      message = await prepareMessage(catalog, id);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(...error.diagnostics);
      continue;
    }
    const channelId = resolveChannel(catalog, message.definition.channel);
    const uses = sendTemplateUses(message.definition, { fallback: true, lock: catalog.templateLock.lock });
    templateUses.push(...uses);
    // Bird differing from the lock in a locale no row gets (examples: any row may) does not stop the plan.
    rowUses.push({
      uses,
      rowUses: data ? rowTemplateUses(message, data, options.vars, { fallback: true, lock: catalog.templateLock.lock }) : undefined,
    });
    const window =
      transport && message.definition.body
        ? {
            checker: windowChecker(options, catalog, transport, channelId, catalog.config.workspace ?? '', journal, now),
            fallback: fallbackRenderer(catalog, message) ?? undefined,
          }
        : undefined;
    const result = await sendMessage({
      ...(window ? { window } : {}),
      apiOrigin: apiOrigin(catalog),
      platform: platformFor(catalog, message.definition.channel),
      messageId: message.definition.id,
      definitionHash: message.definitionHash,
      dataHash: withVarsHash(data ? await hashFile(data.path, data.displayName) : examplesHash(message), options.vars),
      items: () => renderMessage(message, { ...(data ? { data } : {}), ...(options.vars ? { vars: options.vars } : {}) }),
      channelId,
      workspace: catalog.config.workspace ?? '',
      journalDir: journal,
      batchSize: options.batchSize ?? SEND_DEFAULTS.batchSize,
      concurrency: 1,
      rate: options.rate ?? SEND_DEFAULTS.rate,
      retryUnknown: false,
      allowDuplicates: false,
      dryRun: true,
      newRun: false,
      force: false,
      reveal: options.reveal ?? false,
      chirpVersion: chirpVersion(),
      now,
      pid: 0,
      newRunId: () => 'unused',
      signal: new AbortController().signal,
      confirm: () => Promise.resolve(false),
      transport: () => {
        throw new Error('plan never opens a connection');
      },
      warn: options.warn ?? noWarn,
    });
    reports.push(buildReport(result, [], { dryRun: true, reveal: options.reveal ?? false, resumeCommand: null }));
  }
  // The window check reads Bird anyway: check the templates the plan would send against the lock too.
  const online = transport;
  const templates = online
    ? await templatePreflight(catalog, {
        uses: mergeUses(templateUses),
        rowUses: allRowUses(rowUses),
        mode: 'online',
        transport: () => online,
        warn: options.warn ?? noWarn,
      })
    : undefined;
  return { kind: 'send-plan', reports, problems, ...(templates ? { templates } : {}) };
}
