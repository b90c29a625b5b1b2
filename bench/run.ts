// `npm run bench`: every benchmark of the project, figures printed as tables. Select sections with
// arguments (`npm run bench -- goals render`; `cold`: only the goals' cold-start rows); `--quick` (or CHIRP_BENCH_QUICK=1) for smaller sizes.
import { benchCold, benchGoals } from './goals-bench.js';
import { benchRender } from './render-bench.js';
import { benchDispatch, benchGoodput, benchSend } from './send-bench.js';
import { benchPlan } from './plan-bench.js';
import { benchTemplates } from './templates-bench.js';
import { benchJournal } from './journal-bench.js';
import { benchConsent } from './consent-bench.js';

const args = process.argv.slice(2);
if (args.includes('--quick')) process.env.CHIRP_BENCH_QUICK = '1';

const sections: Record<string, () => Promise<string>> = {
  goals: () => benchGoals(),
  cold: benchCold,
  render: benchRender,
  send: benchSend,
  dispatch: benchDispatch,
  goodput: benchGoodput,
  plan: benchPlan,
  templates: benchTemplates,
  journal: benchJournal,
  consent: benchConsent,
};

const wanted = args.filter((a) => !a.startsWith('--'));
for (const name of wanted)
  if (!Object.hasOwn(sections, name)) throw new Error(`unknown section ${name}; one of ${Object.keys(sections).join(', ')}`);
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  // `cold` and `dispatch` are parts of `goals`: run on their own only when asked for.
  if (wanted.length === 0 && (name === 'cold' || name === 'dispatch')) continue;
  console.log(`\n## ${name}\n`);
  console.log(await run());
}
