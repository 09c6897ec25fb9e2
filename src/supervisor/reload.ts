// What changed between the running processes and a freshly read config, by
// group, with supervisord's rule (a group changed when any of its process
// configs differs). Pure: the adapter applies it.
import type { ConfigChanges } from '../model/index.ts';
import type { ProcessSpec } from './spec.ts';

export function diffGroups(
  running: ReadonlyMap<string, readonly ProcessSpec[]>,
  next: ReadonlyMap<string, readonly ProcessSpec[]>,
): ConfigChanges {
  const changes: ConfigChanges = { added: [], changed: [], removed: [] };
  for (const [group, specs] of next) {
    const old = running.get(group);
    if (!old) changes.added.push(group);
    else if (fingerprints(old) !== fingerprints(specs)) changes.changed.push(group);
  }
  for (const group of running.keys()) if (!next.has(group)) changes.removed.push(group);
  return changes;
}

function fingerprints(specs: readonly ProcessSpec[]): string {
  return JSON.stringify(specs.map((spec) => spec.fingerprint));
}
