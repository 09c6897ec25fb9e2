// What changed between two status snapshots, for the web page's event stream:
// the processes whose state (not just their clock) changed, and the ones that
// are gone. Pure: the stream decides when to take snapshots.
import type { ProcessInfo } from '../api.ts';
import { fullName } from '../names.ts';

export interface StatusDiff {
  changed: ProcessInfo[]; // new or different, in the snapshot's order
  removed: string[]; // full names (group:name)
}

// The fields that make a row look different. `now` and `description` move
// every second for a running process; the page ticks uptimes itself.
function stateKey(info: ProcessInfo): string {
  return [info.statename, info.pid, info.start, info.stop, info.exitstatus, info.spawnerr, info.stdout_logfile, info.stderr_logfile].join('\u0000');
}

export function keyedSnapshot(processes: readonly ProcessInfo[]): Map<string, string> {
  return new Map(processes.map((info) => [fullName(info), stateKey(info)]));
}

export function diffStatus(before: ReadonlyMap<string, string>, after: readonly ProcessInfo[]): StatusDiff {
  const seen = new Set<string>();
  const changed: ProcessInfo[] = [];
  for (const info of after) {
    const name = fullName(info);
    seen.add(name);
    if (before.get(name) !== stateKey(info)) changed.push(info);
  }
  const removed = [...before.keys()].filter((name) => !seen.has(name));
  return { changed, removed };
}
