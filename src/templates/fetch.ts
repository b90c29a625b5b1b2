// Reading Touchpoints resources through chirp's Bird transport (its pacing, retries and redaction).
import type { GetResult, SendOutcome, Transport } from '../transport/index.js';
import { projectFromBird, pageFromBird, templateFromBird } from './bird.js';
import type { LockedProject, LockedTemplate } from './lock.js';
import { ShapeError } from './shape.js';

/** Why a read failed, as one sentence; `auth` when the key is refused (exit 2 material). */
export class FetchFailure extends Error {
  override readonly name = 'FetchFailure';
  constructor(
    message: string,
    readonly auth: boolean,
    readonly notFound: boolean,
    readonly fatal = false,
  ) {
    super(message);
  }
}

const MAX_PAGES = 1000;
const PAGE = 100;

function body(result: GetResult | SendOutcome, what: string): unknown {
  if (!('kind' in result)) return result.body;
  switch (result.kind) {
    case 'failed':
      throw new FetchFailure(
        `${what}: Bird answered HTTP ${result.http}${result.message ? ` (${result.message})` : ''}`,
        false,
        result.http === 404,
      );
    case 'fatal':
      // The transport halted (key refused, Bird unreachable, retries spent): no later read will work.
      throw new FetchFailure(`${what}: ${result.message}`, result.reason === 'auth', false, true);
    case 'unknown':
      throw new FetchFailure(`${what}: ${result.reason}`, false, false);
    case 'accepted':
      return result.body;
  }
}

function shaped<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ShapeError)
      throw new FetchFailure(
        `${what}: Bird's answer does not have the expected shape (${error.message}); chirp refuses to guess`,
        false,
        false,
      );
    throw error;
  }
}

const projectPath = (projectId: string): string => `/projects/${encodeURIComponent(projectId)}`;

export async function fetchProject(transport: Transport, projectId: string): Promise<Omit<LockedProject, 'templates'>> {
  const what = `project ${projectId}`;
  const answer = body(await transport.get(projectPath(projectId)), what);
  return shaped(what, () => projectFromBird(answer, projectId));
}

/** Every channel template of a project, following `nextPageToken` (sent back as `pageToken`). */
export async function fetchTemplates(transport: Transport, projectId: string): Promise<LockedTemplate[]> {
  const out: LockedTemplate[] = [];
  const seen = new Set<string>();
  let token: string | null = null;
  for (let page = 1; ; page++) {
    const what = `channel templates of project ${projectId} (page ${page})`;
    const query: string = `?limit=${PAGE}${token !== null ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
    const answer = body(await transport.get(`${projectPath(projectId)}/channel-templates${query}`), what);
    const { results, next } = shaped(what, () => pageFromBird(answer, 'page'));
    results.forEach((t, i) => out.push(shaped(what, () => templateFromBird(t, `results[${i}]`))));
    if (next === null) return out;
    // A server that ignores the token serves page 1 again: stop rather than loop or double entries.
    if (seen.has(next) || page >= MAX_PAGES)
      throw new FetchFailure(
        `${what}: Bird returned page token that was already used (or more than ${MAX_PAGES} pages); the listing does not advance`,
        false,
        false,
      );
    seen.add(next);
    token = next;
  }
}

/** One channel template (the preflight's read). */
export async function fetchTemplate(transport: Transport, projectId: string, templateId: string): Promise<LockedTemplate> {
  const what = `channel template ${templateId} of project ${projectId}`;
  const answer = body(await transport.get(`${projectPath(projectId)}/channel-templates/${encodeURIComponent(templateId)}`), what);
  return shaped(what, () => templateFromBird(answer, 'template'));
}
