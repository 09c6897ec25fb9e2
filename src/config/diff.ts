// What a reload changes, by supervisord's rules (Supervisor.diff_to_active): groups
// only in the new config are added, only in the old removed, and in both changed
// when the group's settings or any of its process configs differ.
import { isDeepStrictEqual } from 'node:util';
import type { ProcessGroupConfig, ResolvedConfig } from './types.ts';

export interface ConfigDiff {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

// A group without its source locations: moving a section within the file is no change.
function comparable(group: ProcessGroupConfig): unknown {
  return {
    name: group.name,
    priority: group.priority,
    eventlistener: group.eventlistener,
    processes: group.processes.map(({ source: _source, locations: _locations, ...process }) => process),
  };
}

// Group names in new-config order (removed: old-config order). Unlike supervisord,
// an AUTO logfile is compared like any other value: supervisord skips it only because
// create_autochildlogs rewrites its running copy, and vigil's config is immutable.
export function diffConfigs(old: ResolvedConfig, next: ResolvedConfig): ConfigDiff {
  const oldByName = new Map(old.groups.map((group) => [group.name, group]));
  const nextByName = new Map(next.groups.map((group) => [group.name, group]));
  const added = next.groups.filter((group) => !oldByName.has(group.name)).map((group) => group.name);
  const removed = old.groups.filter((group) => !nextByName.has(group.name)).map((group) => group.name);
  const changed = next.groups
    .filter((group) => {
      const before = oldByName.get(group.name);
      return before !== undefined && !isDeepStrictEqual(comparable(before), comparable(group));
    })
    .map((group) => group.name);
  return { added, changed, removed };
}
