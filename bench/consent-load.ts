// Child of the consent benchmark: load one suppression list with chirp's loader (from dist/) and print
// the time and the memory it holds (RSS, heap and off-heap growth after a GC) as JSON.
import { dirname, basename } from 'node:path';

interface Consent {
  loadSuppression(options: { root: string; files: string[] }): Promise<{
    size: number;
    forCountry: (country: string | undefined) => (recipient: string, normalised?: boolean) => boolean;
  }>;
}

const list = process.argv[2]!;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const consent = (await import(new URL('../../dist/consent/index.js', import.meta.url).href)) as Consent;
// The phone library and chirp's modules are loaded before the baseline: the list's cost only.
await consent.loadSuppression({ root: dirname(list), files: [] });
gc();
const before = process.memoryUsage();
const started = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
const loaded = await consent.loadSuppression({ root: dirname(list), files: [basename(list)] });
// The numbers written without a country code are read in a message's country on first use: part of the load here.
const has = loaded.forCountry('NL');
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// Twice, a tick apart: the file's text (an external string) is freed on the second collection.
gc();
await new Promise((resolve) => setTimeout(resolve, 50));
gc();
const after = process.memoryUsage();
// One lookup per row, as render does: a million of them, half hits.
const probes: string[] = [];
for (let i = 0; i < 1_000_000; i++) probes.push(`+3162${String(i * 2).padStart(7, '0')}`);
let hits = 0;
const lookupCpu = process.cpuUsage();
for (const p of probes) if (has(p)) hits++;
const lookupUsage = process.cpuUsage(lookupCpu);
const lookupSeconds = (lookupUsage.user + lookupUsage.system) / 1e6;
const mb = (n: number): number => n / 1024 / 1024;
process.stdout.write(
  JSON.stringify({
    entries: loaded.size,
    seconds,
    cpuSeconds,
    rssMb: mb(after.rss - before.rss),
    // `external` includes the typed arrays (arrayBuffers).
    heldMb: mb(after.heapUsed - before.heapUsed + after.external - before.external),
    lookupNs: (lookupSeconds * 1e9) / probes.length,
    hits,
  }),
);
