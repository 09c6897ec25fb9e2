// vigil's explanations beside supervisorctl's terse lines: which socket was
// tried and why it did not answer, which permission is missing, and which
// name was probably meant. Written to stderr (Session.hint), so stdout stays
// byte for byte what supervisorctl prints.
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ProcessInfo } from '../control/api.ts';
import { makeNamespec } from '../control/names.ts';
import type { Session } from './session.ts';

// For each name the server did not know, the processes it probably meant:
// the same process name (or group name) in another group, any case.
export async function suggestNames(session: Session, names: readonly string[]): Promise<void> {
  if (session.json || names.length === 0) return;
  let infos: ProcessInfo[];
  try {
    const reply = await session.call('GET', '/status');
    infos = reply.status === 200 ? (reply.body['processes'] as ProcessInfo[]) : [];
  } catch {
    return; // a hint is not worth an error of its own
  }
  for (const name of names) {
    const wanted = (name.endsWith(':*') ? name.slice(0, -2) : name.includes(':') ? name.slice(name.indexOf(':') + 1) : name).toLowerCase();
    const candidates = infos
      .filter((info) => info.name.toLowerCase() === wanted || info.group.toLowerCase() === wanted)
      .map((info) => makeNamespec(info.group, info.name))
      .filter((candidate) => candidate !== name);
    const unique = [...new Set(candidates)].slice(0, 5);
    if (unique.length > 0) session.hint(`'${name}' is not a process name; did you mean ${unique.join(' or ')}?`);
  }
}

// Why the socket (or address) did not answer, and how to point ctl elsewhere.
export function explainUnreachable(session: Session, code: string): void {
  const { url, source } = session.target;
  const where = source !== undefined ? ` (${source})` : '';
  const fix = 'give the config vigil runs with (-c FILE) or its socket (-s unix:///path/to/vigil.sock)';
  const path = url.startsWith('unix://') ? url.slice('unix://'.length) : undefined;
  if (code === 'ENOENT') {
    session.hint(`no socket at ${path ?? url}${where}: vigil does not appear to be running there; ${fix}`);
  } else if (code === 'ECONNREFUSED') {
    session.hint(
      path !== undefined
        ? `nothing listens on ${path}${where}: the socket is left over from a vigil that is no longer running; ${fix}`
        : `nothing listens on ${url}${where}: vigil does not appear to be running there; ${fix}`,
    );
  } else if (code === 'EACCES' || code === 'EPERM') {
    session.hint(`${permissionProblem(path ?? url)}${where}`);
  } else {
    session.hint(`cannot connect to ${url}${where}: ${code}; ${fix}`);
  }
}

// Connecting to a unix socket needs search (x) permission on every directory
// above it and write permission on the socket itself (unix(7)).
function permissionProblem(path: string): string {
  const uid = process.getuid?.() ?? -1;
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return `permission denied reaching ${path}: no search (x) permission on ${dirname(path)} or a directory above it for uid ${uid}`;
  }
  const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
  return (
    `permission denied on ${path}: connecting needs write permission on the socket, which is mode ${mode}, ` +
    `owner uid ${stat.uid}, group gid ${stat.gid}, and you are uid ${uid}; run as that user (or root), ` +
    'or widen it with [unix_http_server] chmod= / chown= in vigil\'s config'
  );
}
