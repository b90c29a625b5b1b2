// Preloaded into measured processes (node --import): report peak RSS (KiB) at exit.
import { writeFileSync } from 'node:fs';

const file = process.env.CHIRP_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
