// Preloaded into measured processes (node --import): report peak RSS (KiB) and, on a second line, the
// CPU time (user + system, µs) at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.CHIRP_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, `${usage.maxRSS}\n${usage.userCPUTime + usage.systemCPUTime}`);
  });
}
