// The send report: one value built from the result, shown as text or as versioned JSON, and the
// exit code computed from it.
import type { Diagnostic } from '../types.js';
import { maskRecipient, maskText } from '../util/index.js';
import type { FailureRecord } from './failures.js';
import type { LocaleCount, PlanSample, SendPlan } from './decisions.js';
import type { SendResult } from './run.js';
import type { TemplatePreflight } from '../templates/index.js';

export type SendStatus = 'complete' | 'incomplete' | 'interrupted' | 'stopped' | 'refused' | 'dry-run' | 'nothing-to-send';

export interface FailureGroup {
  status: FailureRecord['status'];
  code: string;
  message: string;
  count: number;
}

export interface SendReport {
  version: 1;
  status: SendStatus;
  message: string;
  channelId: string;
  workspace: string;
  runId: string | null;
  journal: string | null;
  resumed: boolean;
  recipients: number;
  invalid: number;
  duplicates: number;
  /** Never sent for consent: on a suppression list, or without opt-in (`noConsent` of them). Counts only. */
  suppressed: number;
  noConsent: number;
  alreadySent: number;
  /** Unknown in an earlier attempt and not resent (no --retry-unknown). */
  unknownSkipped: number;
  failedBefore: number;
  toSend: number;
  /** `--window check` only: recipients sent the fallback template, and recipients skipped (window closed). */
  fallback: number;
  windowClosed: number;
  /** A message with `locale`: recipients per locale they get, and how many of them fell back to it (else []). */
  locales: LocaleCount[];
  /** Reached by an earlier version of the message and left alone (--only-unreached). */
  reachedEarlier: number;
  /** Reached by an earlier version, blocking the send (status refused, reason edited). */
  reachedWithEarlierVersion: number;
  /** Where the run sends (run identity). */
  apiOrigin: string | null;
  /** Runs of this message and data the journal holds against another API origin: this run sent to everyone again. */
  otherOrigins: { runId: string; apiOrigin: string; startedAt: string }[];
  accepted: number;
  failed: number;
  unknown: number;
  notSent: number;
  /** Batches the plan makes of `toSend`. */
  batches: number;
  /** Batches this process sent (fewer than `batches` when interrupted or stopped). */
  batchesSent: number;
  batchSize: number;
  rate: number;
  estimatedSeconds: number;
  seconds: number | null;
  stop: { reason: string; message: string; http?: number } | null;
  failureGroups: FailureGroup[];
  failures: { row: number; recipient: string; status: string; code: string; message: string }[];
  samples: {
    invalid: Diagnostic[];
    duplicates: Diagnostic[];
    alreadySent: PlanSample[];
    unknown: PlanSample[];
    failedBefore: PlanSample[];
    fallback: PlanSample[];
    windowClosed: PlanSample[];
    reachedEarlier: PlanSample[];
    conflicts: PlanSample[];
    /** Recipients whose locale fell back: `message` is `requested → used`. */
    localeFallback: PlanSample[];
  };
  /** How many more there are than each list of samples shows (samples are capped). */
  samplesOmitted: Record<
    | 'invalid'
    | 'duplicates'
    | 'alreadySent'
    | 'unknown'
    | 'failedBefore'
    | 'fallback'
    | 'windowClosed'
    | 'reachedEarlier'
    | 'conflicts'
    | 'localeFallback'
    | 'failures',
    number
  >;
  resumeCommand: string | null;
  /** The template preflight (docs/templates-whatsapp.md); absent when the run sends no template. */
  templates?: TemplatePreflight;
}

const FAILURE_SAMPLES = 100;

export function groupFailures(records: readonly FailureRecord[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const r of records) {
    const key = `${r.status}|${r.code}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { status: r.status, code: r.code, message: r.message, count: 1 });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function maskDiagnostics(list: readonly Diagnostic[], reveal: boolean): Diagnostic[] {
  return reveal
    ? [...list]
    : list.map((d) => {
        // The diagnostic's own row, line and column print anyway: `row 1000000: …` stays readable.
        const keep = { keep: [d.row, d.line, d.column] };
        return { ...d, message: maskText(d.message, keep), ...(d.hint ? { hint: maskText(d.hint, keep) } : {}) };
      });
}

export function buildReport(
  result: SendResult,
  failures: readonly FailureRecord[],
  extra: { dryRun: boolean; reveal: boolean; resumeCommand: string | null },
): SendReport {
  const plan: SendPlan = result.plan;
  const sent = result.kind === 'sent' ? result : undefined;
  const d = sent?.dispatch;
  let status: SendStatus;
  let stop: SendReport['stop'] = null;
  if (result.kind === 'refused') {
    status = 'refused';
    stop = { reason: result.reason, message: result.message };
  } else if (result.kind === 'planned') {
    // Nothing to send is not "done" while someone is held back (unknown), skipped (window) or failed before.
    const open = plan.windowClosed + plan.unknown + plan.failedBefore;
    status = extra.dryRun ? 'dry-run' : open > 0 ? 'incomplete' : 'nothing-to-send';
  } else if (d?.stop?.reason === 'interrupted') status = 'interrupted';
  else if (d?.stop?.reason === 'fatal') {
    status = 'stopped';
    stop = {
      reason: d.stop.outcome.reason,
      message: d.stop.outcome.message,
      ...(d.stop.outcome.http ? { http: d.stop.outcome.http } : {}),
    };
  }
  // Nobody left out may hide behind "complete": skipped for a closed window, held back as unknown, failed before.
  else
    status = d && d.failed + d.unknown + d.notSent + plan.windowClosed + plan.unknown + plan.failedBefore > 0 ? 'incomplete' : 'complete';
  return {
    version: 1,
    status,
    message: plan.messageId,
    channelId: plan.channelId,
    workspace: plan.workspace,
    runId: sent?.runId ?? plan.resumeRunId ?? null,
    journal: sent?.journalPath ?? null,
    resumed: sent?.resumed ?? false,
    recipients: plan.recipients,
    invalid: plan.invalid,
    duplicates: plan.duplicates,
    suppressed: plan.suppressed,
    noConsent: plan.noConsent,
    alreadySent: plan.alreadySent,
    unknownSkipped: plan.unknown,
    failedBefore: plan.failedBefore,
    toSend: plan.toSend,
    fallback: plan.fallback,
    windowClosed: plan.windowClosed,
    locales: plan.locales,
    reachedEarlier: plan.reachedEarlier,
    reachedWithEarlierVersion: plan.conflicts,
    apiOrigin: plan.apiOrigin ?? null,
    otherOrigins: plan.otherOrigins ?? [],
    accepted: d?.accepted ?? 0,
    failed: d?.failed ?? 0,
    unknown: d?.unknown ?? 0,
    notSent: d?.notSent ?? (result.kind === 'sent' ? 0 : plan.toSend),
    batches: plan.batches,
    batchesSent: d?.batches ?? 0,
    batchSize: plan.batchSize,
    rate: plan.rate,
    estimatedSeconds: plan.estimatedSeconds,
    seconds: sent?.seconds ?? null,
    stop,
    failureGroups: groupFailures(failures),
    failures: failures.slice(0, FAILURE_SAMPLES).map((f) => ({
      row: f.row,
      recipient: extra.reveal ? f.recipient : maskRecipient(f.recipient),
      status: f.status,
      code: f.code,
      message: extra.reveal ? f.message : maskText(f.message),
    })),
    // Problem messages quote the rendered recipient (`recipient "+31…" is not valid`): masked like every recipient.
    samples: {
      invalid: maskDiagnostics(plan.invalidSamples, extra.reveal),
      duplicates: maskDiagnostics(plan.duplicateSamples, extra.reveal),
      alreadySent: plan.alreadySentSamples,
      unknown: plan.unknownSamples,
      failedBefore: plan.failedBeforeSamples,
      fallback: plan.fallbackSamples,
      windowClosed: plan.windowClosedSamples,
      reachedEarlier: plan.reachedEarlierSamples,
      conflicts: plan.conflictSamples,
      localeFallback: plan.localeFallbackSamples,
    },
    samplesOmitted: {
      // Invalid and duplicate samples are diagnostics (several per row): counted by row.
      invalid: Math.max(0, plan.invalid - new Set(plan.invalidSamples.map((d) => d.row)).size),
      duplicates: Math.max(0, plan.duplicates - plan.duplicateSamples.length),
      alreadySent: plan.alreadySent - plan.alreadySentSamples.length,
      unknown: plan.unknown - plan.unknownSamples.length,
      failedBefore: plan.failedBefore - plan.failedBeforeSamples.length,
      fallback: plan.fallback - plan.fallbackSamples.length,
      windowClosed: plan.windowClosed - plan.windowClosedSamples.length,
      reachedEarlier: plan.reachedEarlier - plan.reachedEarlierSamples.length,
      conflicts: plan.conflicts - plan.conflictSamples.length,
      localeFallback: plan.locales.reduce((sum, l) => sum + l.fallback, 0) - plan.localeFallbackSamples.length,
      failures: Math.max(0, failures.length - FAILURE_SAMPLES),
    },
    resumeCommand: extra.resumeCommand,
  };
}
