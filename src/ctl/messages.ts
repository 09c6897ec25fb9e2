// supervisorctl's per-process result lines (_startresult, _signalresult,
// _stopresult, _clearresult) and its status table (_show_statuses).
import type { ActionResult, ProcessInfo } from '../control/api.ts';
import { displayName, isGroupSpec, makeNamespec, splitNamespec } from '../control/names.ts';

// The name a result is shown under: `group:*` errors name the group,
// other unknown names are shown as typed, real processes by namespec.
function shownName(result: ActionResult): string {
  if (!result.ok && result.fault === 'BAD_NAME' && isGroupSpec(result.name)) return splitNamespec(result.name).group;
  return displayName(result.name);
}

const START_ERRORS: Partial<Record<string, string>> = {
  BAD_NAME: 'no such process',
  NO_FILE: 'no such file',
  NOT_EXECUTABLE: 'file is not executable',
  ALREADY_STARTED: 'already started',
  SPAWN_ERROR: 'spawn error',
  ABNORMAL_TERMINATION: 'abnormal termination',
};

const SIGNAL_ERRORS: Partial<Record<string, string>> = {
  BAD_NAME: 'no such process',
  BAD_SIGNAL: 'bad signal name',
  NOT_RUNNING: 'not running',
};

function groupError(result: ActionResult): string | undefined {
  if (!result.ok && result.fault === 'BAD_NAME' && isGroupSpec(result.name)) return `${shownName(result)}: ERROR (no such group)`;
  return undefined;
}

export function startMessage(result: ActionResult): string {
  const name = shownName(result);
  if (result.ok) return `${name}: started`;
  return groupError(result) ?? `${name}: ERROR (${START_ERRORS[result.fault] ?? result.message})`;
}

export function signalMessage(result: ActionResult, success = 'signalled'): string {
  const name = shownName(result);
  if (result.ok) return `${name}: ${success}`;
  // supervisorctl prints a FAILED fault's own text alone.
  if (result.fault === 'FAILED') return result.message;
  return groupError(result) ?? `${name}: ERROR (${SIGNAL_ERRORS[result.fault] ?? result.message})`;
}

export function stopMessage(result: ActionResult): string {
  return signalMessage(result, 'stopped');
}

export function clearMessage(result: ActionResult): string {
  const name = shownName(result);
  if (result.ok) return `${name}: cleared`;
  if (result.fault === 'BAD_NAME') return groupError(result) ?? `${name}: ERROR (no such process)`;
  return `${name}: ERROR (${result.fault === 'FAILED' ? 'failed' : result.message})`;
}

// '%(namespec)-Ns%(state)-10s%(desc)s' with N = max(30, longest name) + 3.
export function statusLines(infos: readonly ProcessInfo[]): string[] {
  const names = infos.map((info) => makeNamespec(info.group, info.name));
  const width = Math.max(30, ...names.map((name) => name.length)) + 3;
  return infos.map((info, i) => `${(names[i] as string).padEnd(width)}${info.statename.padEnd(10)}${info.description}`);
}

// supervisorctl avail: '%(name)-32s %(inuse)-9s %(autostart)-9s %(priority)s'.
// vigil reports one priority; for [program:x] sections it is both supervisord's
// group and process priority, hence `p:p`.
export function availLine(entry: { name: string; inUse: boolean; autostart: boolean; priority: number }): string {
  const name = displayName(entry.name).padEnd(32);
  return `${name} ${(entry.inUse ? 'in use' : 'avail').padEnd(9)} ${(entry.autostart ? 'auto' : 'manual').padEnd(9)} ${entry.priority}:${entry.priority}`;
}
