// What the user can do about an error: the CLI's advice, keyed by the error's code. Stages say what is
// wrong; only the CLI names flags and commands.
import type { DiagnosticCode } from '../errors.js';

export const HINTS: Partial<Record<DiagnosticCode, string>> = {
  E_CONFIG_NOT_FOUND:
    'chirp.config.yaml (beside messages/) marks a catalog: create one with `chirp init` (see `chirp help init`), or run chirp inside one',
  E_MESSAGE_INVALID: 'run `chirp validate` on it to see every problem',
  E_RUN_INPUTS_CHANGED: 'use --force to resume it anyway, or --new-run to start over',
  E_PLAN_FILE: 'write a new plan with `chirp plan MESSAGE --data FILE --out plan.json`',
  E_ACCESS_KEY: 'set BIRD_ACCESS_KEY in the environment (never in a file)',
  E_AUTH: "check BIRD_ACCESS_KEY and the key's access policy for this workspace",
  E_JOURNAL_DAMAGED:
    'run `chirp journal check` to see what each file covered; restore or move the damaged file, or send with --damaged-as-unknown to hold back every recipient it may cover as unknown',
  E_JOURNAL_PLACE:
    'make .chirp a real folder inside the catalog (move the journal files into it), or name the folder on purpose with --journal DIR',
  E_RUN_OTHER_ORIGIN:
    'the same Bird (localhost for 127.0.0.1, a proxy, a moved test server): set BIRD_API_URL (or apiUrl in chirp.config.yaml) to the earlier origin, and the journal skips everyone already sent; another Bird (staging → production): send again with --new-origin',
  E_RUN_DESTINATION: 'start a run for this destination without --resume',
  E_RUN_NOT_FOUND: 'chirp journal list shows the runs (--journal DIR, default .chirp/journal)',
};
