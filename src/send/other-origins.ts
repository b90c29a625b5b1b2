// Runs of the same message and data that sent to another API origin (docs/cli.md, `otherOrigins`).
import { listRuns } from '../journal/index.js';
import type { SendPlan } from './decisions.js';

export interface OriginCheck {
  journalDir: string;
  messageId: string;
  dataHash: string;
  apiOrigin: string;
  warn: (message: string) => void;
}

/**
 * A run of the same message and data against another API origin (the fake restarted on another port,
 * a proxy URL): a different origin is a different destination, so this run sends to everyone again.
 * Right for staging → production, wrong when the same Bird is reached another way: say so before the
 * first request, naming both origins, whatever the format; the report records it.
 */
export async function otherOriginRuns(options: OriginCheck): Promise<NonNullable<SendPlan['otherOrigins']>> {
  const runs = await listRuns(options.journalDir);
  const found = runs
    .filter(
      ({ header: h }) =>
        h.messageId === options.messageId &&
        h.dataHash === options.dataHash &&
        h.apiOrigin !== undefined &&
        h.apiOrigin !== options.apiOrigin,
    )
    .map(({ header: h }) => ({ runId: h.runId, apiOrigin: h.apiOrigin!, startedAt: h.startedAt }));
  if (found.length > 0) {
    const origins = [...new Set(found.map((f) => f.apiOrigin))];
    options.warn(
      `the journal has ${found.length === 1 ? `run ${found[0]!.runId}` : `${found.length} runs`} of ${options.messageId} with the same data sent to ${origins.join(', ')}; this run sends to ${options.apiOrigin}, another destination, so everyone in the data gets it again. Right for staging → production; if ${options.apiOrigin} reaches the same Bird (a proxy, a moved test server), stop now (Ctrl-C) and send with the earlier origin`,
    );
  }
  return found;
}
