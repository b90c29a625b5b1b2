// Garbage-collector settings for `chirp send` (and, further, `chirp status`), a long run that allocates fast but keeps little
// alive (≈25–35 MB, the same at 200,000 and 1,000,000 recipients: rows are rendered, journalled,
// sent and forgotten). With V8's defaults the heap grows to about four times that live set
// (a young generation of up to 2 × 16 MB, and an old generation allowed to double or more between
// full collections): over 200 MB of RSS. Two settings keep it near 130 MB, measured in
// docs/benchmarks.md, for more CPU (3–35% by run, much of it on the GC helper threads):
// - a young generation that stays at its first size (1 MB semi-spaces) instead of growing to 16 MB;
// - the old generation allowed to grow by 60% between full collections instead of up to 4×;
// and one more for what is not the heap: undici's HTTP parser is WebAssembly, and V8's optimising tier
// compiling it took ≈ 20 MB of RSS for the whole dispatch phase (`--liftoff-only` keeps the baseline
// code: the parser reads one short answer per batch; the same CPU in interleaved sends, 135 → 113 MB
// at 100,000 recipients, docs/benchmarks.md). It must be set before undici's first request, which the
// send does: undici is loaded when dispatch begins.
// None caps the heap: a live set that grows still gets the room it needs, so no run can fail
// for want of memory because of them. The two heap settings are read by V8 at each collection, so
// setting them once the process runs takes effect (unlike --max-semi-space-size, which only the
// command line sets).
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';

const FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=60', '--liftoff-only'];
/**
 * `chirp status` waits on Bird (50 GETs a second), so it trades speed for memory further: V8's
 * memory-saving heuristics (`--optimize-for-size`) keep the heap near its live set, and the old
 * generation may grow by 25% between full collections, not 60% (≈ 19 MB live while a million
 * answers are written as they come: full collections at ≈ 24 MB instead of ≈ 30; a collection of
 * that heap every few seconds costs a status that waits on Bird little). Set, as the others, before
 * undici's first request.
 */
const STATUS_FLAGS = ['--semi-space-growth-factor=1', '--heap-growing-percent=25', '--liftoff-only', '--optimize-for-size'];
// `chirp render` keeps even less alive, but its input's buffers (csv-parse's, held from one read to
// the next) reach the old generation and are only freed by a full collection: with V8's defaults
// they piled up to ~25 MB at a million rows. The old-generation setting alone brings the full
// collections sooner (peak RSS 151 → 139 MB at 1M rows, the same CPU; docs/benchmarks.md).
const RENDER_FLAGS = ['--heap-growing-percent=60'];

const applied = new Set<string>();

function tune(env: Record<string, string | undefined>, flags: readonly string[]): void {
  if (env.CHIRP_DEFAULT_GC === '1') return;
  for (const flag of flags) {
    if (applied.has(flag)) continue;
    applied.add(flag);
    // node:v8 on use: every command loads this file's importer for its options (issue #22, cold start).
    const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof V8;
    setFlagsFromString(flag);
  }
}

/** Idempotent; CHIRP_DEFAULT_GC=1 leaves V8's defaults (for comparing). */
export function tuneHeapForSend(env: Record<string, string | undefined>): void {
  tune(env, FLAGS);
}

/** As for send, plus the two memory-for-speed settings above. */
export function tuneHeapForStatus(env: Record<string, string | undefined>): void {
  tune(env, STATUS_FLAGS);
}

/** Data files up to this size render with V8's defaults: their buffers never add up to much. */
const RENDER_DEFAULT_GC_BYTES = 16 * 1024 * 1024;

/**
 * The old-generation setting only (the young one costs render CPU), for data of unknown size (stdin)
 * or over 16 MB (≈ 300,000 rows of six columns): below, it cost 2–3% CPU for no memory.
 * CHIRP_DEFAULT_GC=1 leaves V8's defaults.
 */
export function tuneHeapForRender(env: Record<string, string | undefined>, dataBytes: number | undefined): void {
  if (dataBytes !== undefined && dataBytes <= RENDER_DEFAULT_GC_BYTES) return;
  tune(env, RENDER_FLAGS);
}
