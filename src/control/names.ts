// supervisorctl's process names: `web` (group web, process web), `web:web_00`,
// `web:*` or `web:` (the whole group) and `all`. Pure functions over
// api.processes(), shared by the server (resolution) and ctl (display).
import type { ProcessInfo } from './api.ts';

export interface Namespec {
  group: string;
  process: string | undefined; // undefined: every process of the group
}

// supervisor/options.py split_namespec.
export function splitNamespec(spec: string): Namespec {
  const colon = spec.indexOf(':');
  if (colon === -1) return { group: spec, process: spec };
  const group = spec.slice(0, colon);
  const process = spec.slice(colon + 1);
  return { group, process: process === '' || process === '*' ? undefined : process };
}

// supervisor/options.py make_namespec: a process alone in its same-named group
// is shown by its short name.
export function makeNamespec(group: string, name: string): string {
  return group === name ? name : `${group}:${name}`;
}

// Display name of a `group:name` full name.
export function displayName(fullName: string): string {
  const { group, process } = splitNamespec(fullName);
  return makeNamespec(group, process ?? group);
}

export function fullName(info: Pick<ProcessInfo, 'group' | 'name'>): string {
  return `${info.group}:${info.name}`;
}

// True for `group:*` / `group:`, which supervisorctl reports as "no such group".
export function isGroupSpec(spec: string): boolean {
  return splitNamespec(spec).process === undefined;
}

// The processes one name stands for, in start order; undefined when none.
// A bare `web` first means process web of group web (supervisord's rule); when
// there is no such process and a group `web` exists, it means the whole group
// (so `vigil ctl restart web` works for `numprocs` programs).
export function resolveName<T extends Pick<ProcessInfo, 'group' | 'name'>>(all: readonly T[], spec: string): T[] | undefined {
  if (spec === 'all') return [...all];
  const { group, process } = splitNamespec(spec);
  const inGroup = all.filter((info) => info.group === group);
  if (process === undefined) return inGroup.length > 0 ? inGroup : undefined;
  const exact = inGroup.filter((info) => info.name === process);
  if (exact.length > 0) return exact;
  if (!spec.includes(':') && inGroup.length > 0) return inGroup;
  return undefined;
}

export function unknownNameMessage(spec: string): string {
  return isGroupSpec(spec) ? `no such group: ${splitNamespec(spec).group}` : `no such process: ${spec}`;
}
