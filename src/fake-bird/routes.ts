// The Bird paths the fake answers, and which fault `Endpoint` each one is.
import type { Endpoint } from './faults.js';

export type Operation = 'send' | 'batch' | 'get-message' | 'list-messages' | 'search-contacts' | 'get-window' | 'get-interactions';

export interface Route {
  operation: Operation;
  endpoint: Endpoint;
  workspaceId: string;
  /** '' for the workspace-level contact search. */
  channelId: string;
  /** Message id or contact id; '' when the path has none. */
  id: string;
}

/** undefined for unknown paths and for known paths with the wrong method (both answer 404). */
export function matchRoute(method: string, path: string): Route | undefined {
  const s = path.split('/');
  const ws = s[2];
  if (s[0] !== '' || s[1] !== 'workspaces' || !ws) return undefined;
  const route = (operation: Operation, endpoint: Endpoint, channelId = '', id = ''): Route => ({
    operation,
    endpoint,
    workspaceId: ws,
    channelId,
    id,
  });
  if (s.length === 5 && s[3] === 'contacts' && s[4] === 'search') {
    return method === 'POST' ? route('search-contacts', 'search') : undefined;
  }
  const ch = s[4];
  const last = s[6];
  if (s[3] !== 'channels' || !ch) return undefined;
  if (s.length === 6 && s[5] === 'messages') {
    if (method === 'POST') return route('send', 'single', ch);
    if (method === 'GET') return route('list-messages', 'get', ch);
    return undefined;
  }
  if (s.length === 8 && s[5] === 'messages' && last && s[7] === 'interactions') {
    return method === 'GET' ? route('get-interactions', 'get', ch, last) : undefined;
  }
  if (s.length !== 7 || !last) return undefined;
  if (s[5] === 'batch' && last === 'messages') return method === 'POST' ? route('batch', 'batch', ch) : undefined;
  if (method !== 'GET') return undefined;
  if (s[5] === 'messages') return route('get-message', 'get', ch, last);
  if (s[5] === 'contacts') return route('get-window', 'get', ch, last);
  return undefined;
}
