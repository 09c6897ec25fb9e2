// supervisord-dependent-startup (the Python plugin every SONiC container
// uses) is an [eventlistener:x] that starts `dependent_startup=true` programs
// once their `dependent_startup_wait_for` states hold. vigil honours those
// keys itself, so the listener is recognised by its command and not started:
// the image needs no Python for it.
import { basename } from 'node:path';
import type { ProcessGroupConfig } from '../../config/types.ts';

const MODULE = 'supervisord_dependent_startup';

// `python -m supervisord_dependent_startup`, `python3.11 -m ...`, or the
// console script the package installs.
export function isPluginCommand(argv: readonly string[]): boolean {
  const program = basename(argv[0] ?? '');
  if (program === MODULE || program === 'supervisord-dependent-startup') return true;
  if (!/^python[0-9.]*$/.test(program)) return false;
  const module = argv.indexOf('-m');
  return module > 0 && argv[module + 1] === MODULE;
}

export function isDependentStartupPlugin(group: ProcessGroupConfig): boolean {
  return group.eventlistener !== null && group.processes.length > 0 && group.processes.every((p) => isPluginCommand(p.argv));
}

// The one notice line per plugin listener the config names.
export function pluginNotices(groups: readonly ProcessGroupConfig[]): string[] {
  return groups
    .filter(isDependentStartupPlugin)
    .map((group) => `[eventlistener:${group.name}] runs supervisord-dependent-startup: not started, vigil honours dependent_startup* itself`);
}
