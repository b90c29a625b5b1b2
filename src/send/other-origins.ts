// Runs of the same message and data that sent to another API origin (docs/cli.md, `otherOrigins`).
import { UserError } from '../errors.js';
import { listRuns, readJournal, type RunSummary } from '../journal/index.js';
import { sameOrigin } from '../util/index.js';
import type { SendPlan } from './decisions.js';

export interface OriginCheck {
  journalDir: string;
  messageId: string;
  dataHash: string;
  apiOrigin: string;
  /** The user said this origin is another Bird (`--new-origin`, or yes at the interactive prompt): warn only. */
  newOrigin?: boolean;
  /** Nothing is sent: warn only. */
  dryRun: boolean;
  warn: (message: string) => void;
}

/** Host names of this machine: `localhost` and `127.0.0.1` are one server to a person, two origins to a URL. */
function loopback(origin: string): boolean {
  try {
    const host = new URL(origin).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]';
  } catch {
    return false;
  }
}

/**
 * A run of the same message and data against another API origin (the fake restarted on another port,
 * a proxy URL, `localhost` for `127.0.0.1`): a different origin is a different destination, so this run
 * would send to everyone again. Right for staging → production, wrong when the same Bird is reached
 * another way; chirp cannot tell which, so a send nobody confirms (`--yes`, a library call) is refused
 * before the first request unless the user said it is another Bird (`newOrigin`). Otherwise (a dry run,
 * the interactive prompt, `--new-origin`) it is said before the first request, naming both origins; the
 * report records it. Origins compare as URLs (case, default port: `sameOrigin`).
 */
export async function otherOriginRuns(options: OriginCheck): Promise<NonNullable<SendPlan['otherOrigins']>> {
  const runs = await listRuns(options.journalDir);
  const candidates = runs.filter(
    ({ header: h }) =>
      h.messageId === options.messageId &&
      h.dataHash === options.dataHash &&
      h.apiOrigin !== undefined &&
      !sameOrigin(h.apiOrigin, options.apiOrigin),
  );
  const found = [];
  for (const run of candidates)
    if (await mayHaveReached(run)) found.push({ runId: run.runId, apiOrigin: run.header.apiOrigin!, startedAt: run.header.startedAt });
  if (found.length === 0) return found;
  const origins = [...new Set(found.map((f) => f.apiOrigin))];
  const runs1 = found.length === 1 ? `run ${found[0]!.runId}` : `${found.length} runs`;
  const here = options.apiOrigin;
  if (!options.newOrigin && !options.dryRun) {
    const local = loopback(here) && origins.some(loopback) ? ` Both name this machine: most likely the same server.` : '';
    throw new UserError(
      'E_RUN_OTHER_ORIGIN',
      `the journal has ${runs1} of ${options.messageId} with the same data sent to ${origins.join(', ')}; this send goes to ${here}, another API origin, so everyone in the data would get it again. Nothing was sent.${local} If ${here} reaches the same Bird, send to the earlier origin, ${origins[0]!}`,
    );
  }
  options.warn(
    `the journal has ${runs1} of ${options.messageId} with the same data sent to ${origins.join(', ')}; this run sends to ${here}, another destination, so everyone in the data gets it again. Right for staging → production; if ${here} reaches the same Bird (a proxy, a moved test server), stop now (Ctrl-C) and send with the earlier origin${options.newOrigin ? '' : ' (a send nobody confirms is refused unless told it is another Bird)'}`,
  );
  return found;
}

/**
 * Whether a run may have put a message in anyone's hands: a request it recorded as accepted, unknown or
 * still pending. A run that reached nobody (Bird unreachable, every request refused, stopped before the
 * first) sends nobody anything twice, so another origin after it is no repeat. A journal that cannot be
 * read whole counts as having reached everyone (fail closed).
 */
async function mayHaveReached(run: RunSummary): Promise<boolean> {
  try {
    const state = await readJournal(run.path);
    const { accepted, unknown, pending } = state.counts;
    return state.damage.length > 0 || accepted + unknown + pending > 0;
  } catch {
    return true;
  }
}
