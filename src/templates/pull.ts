// `chirp templates pull`: fetch every project the catalog uses and build the lock. A project that
// cannot be read is a problem naming the files using it; the others still make it into the lock.
import type { Transport } from '../transport/index.js';
import { fetchProject, fetchTemplates, FetchFailure } from './fetch.js';
import { LOCK_VERSION, type LockedProject, type TemplateLock } from './lock.js';

export interface PullProblem {
  projectId: string;
  /** Message files using the project. */
  files: string[];
  message: string;
  /** The key was refused: nothing else can be read either. */
  auth: boolean;
  /** The transport halted (auth, unreachable, retries spent): the pull learned nothing reliable. */
  fatal: boolean;
}

export interface PullOptions {
  transport: Transport;
  workspace: string;
  /** projectId → the message files that use it. */
  projects: ReadonlyMap<string, readonly string[]>;
  now: () => Date;
}

export interface PullResult {
  lock: TemplateLock;
  problems: PullProblem[];
  /** False when the lock must not replace the one on disk: the transport halted, so it is incomplete for no reason of Bird's. */
  writable: boolean;
}

export async function pullTemplates(options: PullOptions): Promise<PullResult> {
  const projects: Record<string, LockedProject> = {};
  const problems: PullProblem[] = [];
  for (const projectId of [...options.projects.keys()].sort()) {
    const files = [...(options.projects.get(projectId) ?? [])].sort();
    try {
      const project = await fetchProject(options.transport, projectId);
      const templates: LockedProject['templates'] = {};
      for (const t of await fetchTemplates(options.transport, projectId)) templates[t.id] = t;
      projects[projectId] = { ...project, templates };
    } catch (error) {
      if (!(error instanceof FetchFailure)) throw error;
      const message = error.notFound
        ? `project ${projectId} does not exist in workspace ${options.workspace} or the access key may not read it (${error.message})`
        : error.message;
      problems.push({ projectId, files, message, auth: error.auth, fatal: error.fatal });
    }
  }
  const writable = !problems.some((p) => p.fatal);
  return {
    lock: { lockVersion: LOCK_VERSION, pulledAt: options.now().toISOString(), workspace: options.workspace, projects },
    problems,
    writable,
  };
}
