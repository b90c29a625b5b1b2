// The chirp action's comment step: post the plan as one sticky pull-request comment, or update the
// one chirp posted before (found by a hidden marker). Uses the job's token; skipped on forks, whose
// token cannot write to the base repository.
import { readFileSync } from 'node:fs';

export const MARKER = '<!-- chirp-plan -->';
const LIMIT = 65_000; // GitHub refuses comment bodies over 65,536 characters.

export function commentBody(plan) {
  const text = plan.length > LIMIT ? `${plan.slice(0, LIMIT)}\n\n… the plan was cut here; the job summary has all of it.\n` : plan;
  return `${MARKER}\n${text}`;
}

/** Posts or updates the comment; returns what it did. Exported for the tests (fake GitHub). */
export async function upsertComment({ api, token, repository, number, body, fetchImpl = fetch }) {
  const headers = {
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'content-type': 'application/json',
    'user-agent': 'chirp-action',
  };
  let existing;
  for (let page = 1; page <= 20 && !existing; page++) {
    const res = await fetchImpl(`${api}/repos/${repository}/issues/${number}/comments?per_page=100&page=${page}`, { headers });
    if (!res.ok) throw new Error(`listing comments failed: HTTP ${res.status}`);
    const list = await res.json();
    if (!Array.isArray(list)) throw new Error('listing comments: the answer is not a list');
    existing = list.find((c) => typeof c?.body === 'string' && c.body.startsWith(MARKER) && c.user?.type === 'Bot');
    if (list.length < 100) break;
  }
  const url = existing
    ? `${api}/repos/${repository}/issues/comments/${existing.id}`
    : `${api}/repos/${repository}/issues/${number}/comments`;
  const res = await fetchImpl(url, { method: existing ? 'PATCH' : 'POST', headers, body: JSON.stringify({ body }) });
  if (!res.ok) throw new Error(`${existing ? 'updating' : 'posting'} the comment failed: HTTP ${res.status}`);
  return existing ? 'updated' : 'posted';
}

async function main() {
  const event = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'));
  const pr = event.pull_request;
  if (!pr) return console.log('chirp: not a pull request; no comment');
  if (pr.head?.repo?.full_name !== pr.base?.repo?.full_name)
    return console.log('chirp: a pull request from a fork; no comment (its token cannot write here)');
  const plan = readFileSync(process.env.CHIRP_PLAN_FILE, 'utf8');
  const done = await upsertComment({
    api: process.env.GITHUB_API_URL || 'https://api.github.com',
    token: process.env.GITHUB_TOKEN,
    repository: process.env.GITHUB_REPOSITORY,
    number: pr.number,
    body: commentBody(plan),
  });
  console.log(`chirp: plan comment ${done}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.log(`::warning title=chirp comment::${error.message}`);
  });
}
