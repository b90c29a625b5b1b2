// How many threads a render or a send's whole-list check takes: `--threads`, CHIRP_THREADS and the
// library's `threads` option all take the same whole numbers.
import { UserError } from '../errors.js';

/** Most threads a render or a send's check takes. */
export const MAX_THREADS = 16;

/** The CLI refuses other counts while parsing; a library caller gets the same answer, not a worker per unit. */
export function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new UserError('E_USAGE', `threads must be an integer from 1 to ${MAX_THREADS} (it is ${String(threads)})`);
  }
}
