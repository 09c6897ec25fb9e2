// supervisorctl's process names: `web` (group web, process web), `web:web_00`,
// `web:*` or `web:` (the whole group) and `all`. Pure functions over
// api.processes(), shared by the server (resolution) and ctl (display); the
// resolution itself lives in the model (src/model/namespec.ts).
import type { ProcessInfo } from './api.ts';
import { makeNamespec, splitNamespec } from '../model/namespec.ts';

export { makeNamespec, resolveName, splitNamespec } from '../model/namespec.ts';
export type { Namespec } from '../model/namespec.ts';

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

export function unknownNameMessage(spec: string): string {
  return isGroupSpec(spec) ? `no such group: ${splitNamespec(spec).group}` : `no such process: ${spec}`;
}
