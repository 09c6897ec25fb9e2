// supervisorctl's process names: `web` (group web, process web; if there is
// no such process, the whole group web), `web:web_00`, `web:*` or `web:` (the
// whole group) and `all`. Pure, over anything with a group and a name: the
// control server resolves request names with it, the supervisor resolves
// depends_on targets, the config checks them.

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

// The processes one name stands for, in the order given; undefined when none.
// A bare `web` first means process web of group web (supervisord's rule); when
// there is no such process and a group `web` exists, it means the whole group
// (so `vigil ctl restart web` works for `numprocs` programs).
export function resolveName<T extends { readonly group: string; readonly name: string }>(all: readonly T[], spec: string): T[] | undefined {
  if (spec === 'all') return [...all];
  const { group, process } = splitNamespec(spec);
  const inGroup = all.filter((info) => info.group === group);
  if (process === undefined) return inGroup.length > 0 ? inGroup : undefined;
  const exact = inGroup.filter((info) => info.name === process);
  if (exact.length > 0) return exact;
  if (!spec.includes(':') && inGroup.length > 0) return inGroup;
  return undefined;
}
