// Read-only endpoints: version, status, pid, avail.
import { fullName, resolveName, unknownNameMessage } from '../names.ts';
import type { ProcessInfo } from '../api.ts';
import type { UnknownName } from '../protocol.ts';
import { noneResolved } from './context.ts';
import type { Route } from './context.ts';

function unknown(name: string): UnknownName {
  return { name, fault: 'BAD_NAME', message: unknownNameMessage(name) };
}

// When vigil started (the page shows its uptime), from node's own clock.
const STARTED = Math.floor(Date.now() / 1000 - process.uptime());

export const version: Route = {
  method: 'GET',
  handle: ({ api }) => ({ status: 200, body: { ok: true, version: api.version(), pid: process.pid, started: STARTED } }),
};

// supervisord's getAllProcessInfo order (rpcinterface._getAllProcesses(lexical=True)):
// by group name, then process name. api.processes() is in start (priority)
// order, which differs once `update` adds a group or priorities are set.
export function lexical(infos: ProcessInfo[]): ProcessInfo[] {
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...infos].sort((a, b) => byName(a.group, b.group) || byName(a.name, b.name));
}

// GET /status[?name=a&name=b]: like supervisorctl status, matches in the order
// asked (duplicates included) and lists the names that matched nothing.
export const status: Route = {
  method: 'GET',
  handle: ({ api, query }) => {
    const all = lexical(api.processes());
    const names = query.getAll('name');
    if (names.length === 0 || names.includes('all')) {
      return { status: 200, body: { ok: true, processes: all, unknown: [] } };
    }
    const processes: ProcessInfo[] = [];
    const missing: UnknownName[] = [];
    for (const name of names) {
      const matched = resolveName(all, name);
      if (matched) processes.push(...matched);
      else missing.push(unknown(name));
    }
    if (processes.length === 0) return noneResolved(missing);
    return { status: 200, body: { ok: true, processes, unknown: missing } };
  },
};

// GET /pid: vigil's pid; ?name=all or ?name=x: the processes' pids (0 when not running).
export const pid: Route = {
  method: 'GET',
  handle: ({ api, query }) => {
    const names = query.getAll('name');
    if (names.length === 0) return { status: 200, body: { ok: true, pid: process.pid } };
    const all = lexical(api.processes());
    const pids: { name: string; pid: number }[] = [];
    const missing: UnknownName[] = [];
    for (const name of names.includes('all') ? ['all'] : names) {
      const matched = resolveName(all, name);
      if (matched) pids.push(...matched.map((info) => ({ name: fullName(info), pid: info.pid })));
      else missing.push(unknown(name));
    }
    if (pids.length === 0) return noneResolved(missing);
    return { status: 200, body: { ok: true, pids, unknown: missing } };
  },
};

export const avail: Route = {
  method: 'GET',
  handle: ({ api }) => ({ status: 200, body: { ok: true, processes: api.avail() } }),
};
