// `npm run bench`: every benchmark of the project, figures printed as tables. Select sections with
// arguments (`npm run bench -- render`); sizes can be reduced with CHIRP_BENCH_QUICK=1.
import { benchRender } from './render-bench.js';
import { benchGoodput, benchSend } from './send-bench.js';
import { benchPlan } from './plan-bench.js';
import { benchTemplates } from './templates-bench.js';
import { benchConsent } from './consent-bench.js';

const sections: Record<string, () => Promise<string>> = {
  render: benchRender,
  send: benchSend,
  goodput: benchGoodput,
  plan: benchPlan,
  templates: benchTemplates,
  consent: benchConsent,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n## ${name}\n`);
  console.log(await run());
}
