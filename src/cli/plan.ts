import { birdTransport, journalDir } from './bird.js';
import { writeFile } from 'node:fs/promises';
import { relative, resolve, join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { headCommit, resolveRevision } from '../catalog/index.js';
import { exampleRows, openCatalog, prepareMessage, render, type Catalog, type PreparedMessage } from '../index.js';
import { compareSides, hasChanges } from '../diff/index.js';
import { sealPlan, serializePlan, type SavedRequest } from '../saved-plan/index.js';
import { headSide, revisionSide } from '../diff/index.js';
import { MARKDOWN_LIMIT, planJson, planMarkdown, planText, previewLinkLine, withPreviewLink } from '../report/index.js';
import { sendPlanMarkdown, sendPlanText } from '../report/index.js';
import { diagnosticsText } from '../report/index.js';
import { listMessages } from '../catalog/index.js';
import { hashFile, hashTexts } from '../send/index.js';
import { buildReport, type SendReport } from '../send/index.js';
import { sendMessage } from '../send/index.js';
import { readRows, detectFormat } from '../sources/index.js';
import type { DataFormat, Diagnostic, Row } from '../types.js';
import { EXIT } from './exit-codes.js';
import { write, type Io } from './io.js';
import { oneOf, positiveInt, type GlobalOptions } from './options.js';
import { DATA_FORMATS } from './render.js';
import { fallbackRenderer, resolveChannel, SEND_DEFAULTS } from './send.js';
import { WindowChecker } from '../send/index.js';
import type { Transport } from '../transport/index.js';
import { chirpVersion } from './version.js';

interface PlanFlags {
  data?: string;
  dataFormat?: DataFormat;
  base?: string;
  format: 'text' | 'markdown' | 'json' | 'html';
  previewUrl?: string;
  out?: string;
  detailedExitcode?: boolean;
  reveal?: boolean;
  journal?: string;
  batchSize: number;
  rate: number;
  window: 'check' | 'ignore';
}

function dataOptions(io: Io, flags: PlanFlags): { path: string; displayName: string; format?: DataFormat } | undefined {
  if (!flags.data) return undefined;
  if (flags.data === '-') throw new UserError('chirp: plan reads --data more than once; give a file, not stdin', [], 2);
  const format = flags.dataFormat ?? detectFormat(flags.data);
  return { path: resolve(io.cwd, flags.data), displayName: flags.data, ...(format ? { format } : {}) };
}

/** Phone-like digit runs in texts meant for a pull request, unless --reveal. */
function maskDigits(text: string): string {
  return text.replace(/\+?\d[\d\s().-]{6,}\d/g, (m) => `${m.slice(0, 3)}••••${m.slice(-3)}`);
}

async function planAgainstBase(io: Io, catalog: Catalog, ids: string[] | undefined, flags: PlanFlags): Promise<number> {
  const rev = await resolveRevision(catalog.config.root, flags.base!);
  const [head, base] = [await headSide(catalog, ids), await revisionSide(rev, catalog, ids)];
  const data = dataOptions(io, flags);
  type M = typeof head.messages extends Map<string, infer V> ? V : never;
  const rows = (h: M | undefined, b: M | undefined): { rows: AsyncIterable<Row>; fromText: boolean; label: string } => data
    ? { rows: readRows(data), fromText: data.format === 'csv', label: data.displayName }
    : { rows: exampleRows((h?.checked.definition ?? b?.checked.definition) ?? { examples: [] }), fromText: false, label: `${(h ?? b)!.file} examples` };
  const diff = await compareSides({ base, head, baseRev: { ref: rev.ref, commit: rev.commit }, reveal: flags.reveal ?? false, rows });
  if (!flags.reveal) for (const m of diff.messages) for (const p of [...m.introduced, ...m.fixed]) p.message = maskDigits(p.message);
  if (flags.format === 'html') {
    // The visual diff: loaded only here, like `chirp preview`.
    const { writeVisualDiff } = await import('../preview/index.js');
    const file = await writeVisualDiff({ diff, head, base, rows, reveal: flags.reveal ?? false, now: () => new Date(), outDir: resolve(io.cwd, flags.out!) });
    await write(io.stderr, `chirp plan: wrote ${relative(io.cwd, file) || file}: before/after of ${diff.messages.filter((m) => m.status !== 'unchanged').length} changed message(s)\n`);
  } else {
    const text = flags.format === 'json' ? planJson(diff) : flags.format === 'markdown' ? planMarkdown(diff, ...markdownLimit(flags.previewUrl)) : planText(diff, { color: io.color });
    await write(io.stdout, flags.format === 'markdown' && flags.previewUrl ? withPreviewLink(text, flags.previewUrl) : text);
  }
  if (diff.summary.problemsIntroduced > 0) return EXIT.PROBLEMS;
  return flags.detailedExitcode && hasChanges(diff) ? 2 : EXIT.OK;
}

async function savePlan(io: Io, catalog: Catalog, ids: string[], flags: PlanFlags): Promise<number> {
  if (ids.length !== 1) throw new UserError('chirp: --out saves the plan of exactly one message: chirp plan MESSAGE --data FILE --out plan.json', [], 2);
  const message = await prepareMessage(catalog, ids[0]!);
  const data = dataOptions(io, flags);
  const requests: SavedRequest[] = [];
  const problems: Diagnostic[] = [];
  for await (const item of render(message, data ? { data } : {})) {
    if (item.kind === 'request') requests.push({ row: item.row.index, recipient: item.recipient, body: item.request });
    else if (item.kind === 'invalid') problems.push(...item.diagnostics);
  }
  if (problems.length > 0) {
    await write(io.stderr, `${diagnosticsText(problems)}\nchirp: ${problems.length} problem(s); no plan was written\n`);
    return EXIT.PROBLEMS;
  }
  const plan = sealPlan({
    kind: 'chirp-plan', version: 1, createdAt: new Date().toISOString(), chirpVersion: chirpVersion(),
    message: message.definition.id, channelId: resolveChannel(catalog, message.definition.channel), workspace: catalog.config.workspace ?? '',
    inputs: { definitionHash: message.definitionHash, dataHash: data ? await hashFile(data.path, data.displayName) : examplesHash(message), data: data?.displayName ?? 'examples' },
    git: (await headCommit(catalog.config.root)) ?? null,
    requests,
  });
  await writeFile(resolve(io.cwd, flags.out!), serializePlan(plan));
  await write(io.stderr, `wrote ${flags.out}: ${requests.length} request${requests.length === 1 ? '' : 's'} of ${plan.message} (${plan.hash.slice(0, 19)}…); send it with \`chirp send ${flags.out}\`\n`);
  return EXIT.OK;
}

/** Room for the preview link within GitHub's limit. */
function markdownLimit(url: string | undefined): [number] | [] {
  return url ? [MARKDOWN_LIMIT - previewLinkLine(url).length - 1] : [];
}

function examplesHash(message: PreparedMessage): string {
  return hashTexts([JSON.stringify(message.definition.examples)]);
}

/** Without --base: the send plan of each message, the same as `send --dry-run`. */
async function sendPlans(io: Io, catalog: Catalog, ids: string[] | undefined, flags: PlanFlags): Promise<number> {
  const all = ids ?? (await listMessages(catalog.config.root, catalog.cwd)).map((f) => f.id);
  let transport: Transport | undefined;
  if (flags.window === 'check') {
    if (!catalog.config.accessKey) throw new UserError('chirp: --window check asks Bird: set BIRD_ACCESS_KEY', [], 2);
    await write(io.stderr, 'chirp: --window check: looking up customer-care windows at Bird (read-only requests)\n');
    transport = birdTransport(catalog, { workspace: catalog.config.workspace ?? '', rate: flags.rate, concurrency: 2 });
  }
  const journal = journalDir(io, catalog, flags.journal);
  const data = dataOptions(io, flags);
  const reports: SendReport[] = [];
  const problems: Diagnostic[] = [];
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
    const window = transport && message.definition.body
      ? { checker: new WindowChecker(transport, channelId, join(journal, 'contacts.json'), () => Date.now()), fallback: fallbackRenderer(catalog, message) ?? undefined }
      : undefined;
    const result = await sendMessage({
      ...(window ? { window } : {}),
      messageId: message.definition.id, definitionHash: message.definitionHash,
      dataHash: data ? await hashFile(data.path, data.displayName) : examplesHash(message),
      items: () => render(message, data ? { data } : {}),
      channelId, workspace: catalog.config.workspace ?? '', journalDir: journal,
      batchSize: flags.batchSize, concurrency: 1, rate: flags.rate, retryUnknown: false, allowDuplicates: false, dryRun: true, newRun: false, force: false,
      reveal: flags.reveal ?? false, chirpVersion: chirpVersion(), now: () => new Date(), pid: process.pid, newRunId: () => 'unused',
      signal: new AbortController().signal, confirm: () => Promise.resolve(false),
      transport: () => { throw new Error('plan never opens a connection'); },
      warn: (text) => void io.stderr.write(`chirp: warning: ${text}\n`),
    });
    const report = buildReport(result, [], { dryRun: true, reveal: flags.reveal ?? false, resumeCommand: null });
    if (!flags.reveal) for (const d of report.samples.invalid) d.message = maskDigits(d.message);
    reports.push(report);
  }
  if (!flags.reveal) for (const d of problems) d.message = maskDigits(d.message);
  const text = flags.format === 'json'
    ? `${JSON.stringify({ version: 1, kind: 'send-plan', messages: reports, problems }, null, 2)}\n`
    : flags.format === 'markdown' ? sendPlanMarkdown(reports, problems) : sendPlanText(reports, problems);
  await write(io.stdout, text);
  const invalid = problems.length > 0 || reports.some((r) => r.invalid > 0);
  if (invalid) return EXIT.PROBLEMS;
  return flags.detailedExitcode && reports.some((r) => r.toSend > 0) ? 2 : EXIT.OK;
}

export function registerPlan(program: Command, io: Io): void {
  program
    .command('plan')
    .description('show what would be sent (never sends): a diff against a git revision, or the send plan')
    .argument('[messages...]', 'message ids (default: the whole catalog)')
    .option('--data <file>', "recipients for both sides (default: each message's examples)")
    .option('--data-format <format>', 'csv, json or ndjson (default: from the file extension)', oneOf('--data-format', DATA_FORMATS))
    .option('--base <ref>', 'compare with the catalog at this git revision (e.g. origin/main)')
    .option('--format <format>', 'text, markdown, json, or html (with --base and --out DIR: before/after bubbles)', oneOf('--format', ['text', 'markdown', 'json', 'html'] as const), 'text')
    .option('--out <file>', 'save the exact requests of one message as a plan file that `chirp send` can send (with --format html: the folder of the visual diff)')
    .option('--preview-url <url>', 'with --format markdown: link the visual diff (`--format html`) published at this URL')
    .option('--detailed-exitcode', 'exit 2 when there are changes (Terraform convention)')
    .option('--reveal', 'show full recipient numbers')
    .option('--journal <dir>', 'journal folder for "already sent" (default: .chirp/journal in the catalog)')
    .option('--batch-size <n>', 'for the estimate', positiveInt('--batch-size', 1, 100), SEND_DEFAULTS.batchSize)
    .option('--rate <n>', 'for the estimate', positiveInt('--rate', 1, 10_000), SEND_DEFAULTS.rate)
    .option('--window <mode>', 'check: look up customer-care windows (the one plan mode that contacts Bird, read-only)', oneOf('--window', ['check', 'ignore'] as const), 'ignore')
    .action(async (messages: string[], flags: PlanFlags, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const catalog = await openCatalog({ cwd: io.cwd, env: io.env, ...(globals.config ? { configPath: globals.config } : {}) });
      const ids = messages.length > 0 ? messages : undefined;
      if (flags.window === 'check' && (flags.base || flags.out)) throw new UserError('chirp: --window check belongs to the send plan (no --base, no --out)', [], 2);
      if (flags.format === 'html' && !(flags.base && flags.out)) throw new UserError('chirp: --format html writes the visual diff of a plan against git: give --base REF and --out DIR', [], 2);
      if (flags.base && flags.out && flags.format !== 'html') throw new UserError('chirp: --out saves a send plan; it does not combine with --base (except --format html --out DIR, the visual diff)', [], 2);
      if (flags.previewUrl !== undefined && (flags.format !== 'markdown' || !flags.base)) throw new UserError('chirp: --preview-url goes with --base REF --format markdown (it links the visual diff from the pull-request comment)', [], 2);
      if (flags.previewUrl !== undefined && !/^https?:\/\/\S+$/i.test(flags.previewUrl)) throw new UserError(`chirp: --preview-url must be an http(s) URL, not "${flags.previewUrl}"`, [], 2);
      if (flags.base) process.exitCode = await planAgainstBase(io, catalog, ids, flags);
      else if (flags.out) process.exitCode = await savePlan(io, catalog, messages, flags);
      else process.exitCode = await sendPlans(io, catalog, ids, flags);
    });
}
