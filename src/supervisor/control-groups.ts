// supervisord's group-level control (rpcinterface.py addProcessGroup,
// removeProcessGroup, getAllConfigInfo) over vigil's Supervisor: the pieces
// `supervisorctl add/remove/update/avail` need. The "loaded" config is the one
// read last (at start or by reloadConfig), as supervisord's
// options.process_group_configs; the active groups are the supervisor's.
import type { ProcessConfig, ResolvedConfig } from '../config/types.ts';
import type { ActionResult, ConfigInfo } from '../control/api.ts';
import type { Logger } from '../log/logger.ts';
import { specsFromConfig } from './from-config.ts';
import { isStoppedState, parseSignal } from '../model/index.ts';
import type { Supervisor } from './supervisor.ts';

const fault = (name: string, code: 'BAD_NAME' | 'ALREADY_ADDED' | 'STILL_RUNNING', message: string): ActionResult => ({
  name,
  ok: false,
  fault: code,
  message,
});

function activeMembers(supervisor: Supervisor, group: string): ReturnType<Supervisor['ordered']> {
  return supervisor.ordered().filter((p) => p.spec.group === group && p.spec.kind !== 'main');
}

// Activates `group` from the loaded config and starts its autostart processes
// without waiting for them, as supervisord's add_process_group does.
export function addGroup(supervisor: Supervisor, loaded: ResolvedConfig, group: string, logger: Logger): ActionResult {
  const specs = specsFromConfig(loaded).get(group);
  if (!specs) return fault(group, 'BAD_NAME', group);
  if (activeMembers(supervisor, group).length > 0) return fault(group, 'ALREADY_ADDED', group);
  const added = supervisor.add(specs);
  logger.info(`added process group ${group}`);
  void supervisor.startAutostart(added).catch((error: unknown) => logger.error({ err: error }, `starting group ${group} failed`));
  return { name: group, ok: true };
}

// Removes an active group; refused while any of its processes is not stopped.
export function removeGroup(supervisor: Supervisor, group: string, logger: Logger): ActionResult {
  const members = activeMembers(supervisor, group);
  if (members.length === 0) return fault(group, 'BAD_NAME', group);
  if (members.some((p) => !isStoppedState(p.state.name))) return fault(group, 'STILL_RUNNING', group);
  for (const process of members) supervisor.remove(process);
  logger.info(`removed process group ${group}`);
  return { name: group, ok: true };
}

function logfileField(process: ProcessConfig, channel: 'stdout' | 'stderr'): string {
  const target = process[`${channel}_logfile`];
  // Not set: vigil forwards to its own stdout/stderr (supervisord would say 'auto').
  if (!process.explicit_keys.includes(`${channel}_logfile`)) return `/dev/${channel}`;
  if (target.kind === 'path') return target.path;
  return target.kind;
}

// getAllConfigInfo: one struct per process of the loaded config, sorted by
// process name (a stable sort, as Python's), `none`/`auto` for missing values.
export function configInfo(supervisor: Supervisor, loaded: ResolvedConfig): ConfigInfo[] {
  const active = new Set(supervisor.ordered().map((p) => p.spec.group));
  const list: ConfigInfo[] = [];
  for (const group of loaded.groups) {
    for (const p of group.processes) {
      list.push({
        autostart: p.autostart,
        directory: p.directory ?? 'none',
        uid: p.user ? p.user.uid : 'none',
        command: p.command,
        exitcodes: [...p.exitcodes],
        group: group.name,
        group_prio: group.priority,
        inuse: active.has(group.name),
        killasgroup: p.killasgroup,
        name: p.name,
        process_prio: p.priority,
        redirect_stderr: p.redirect_stderr,
        startretries: p.startretries,
        startsecs: p.startsecs,
        stdout_capture_maxbytes: p.stdout_capture_maxbytes,
        stdout_events_enabled: p.stdout_events_enabled,
        stdout_logfile: logfileField(p, 'stdout'),
        stdout_logfile_backups: p.stdout_logfile_backups,
        stdout_logfile_maxbytes: p.stdout_logfile_maxbytes,
        stdout_syslog: p.stdout_syslog,
        stopsignal: parseSignal(p.stopsignal) ?? 15,
        stopwaitsecs: p.stopwaitsecs,
        stderr_capture_maxbytes: p.stderr_capture_maxbytes,
        stderr_events_enabled: p.stderr_events_enabled,
        stderr_logfile: logfileField(p, 'stderr'),
        stderr_logfile_backups: p.stderr_logfile_backups,
        stderr_logfile_maxbytes: p.stderr_logfile_maxbytes,
        stderr_syslog: p.stderr_syslog,
        serverurl: p.serverurl ?? 'auto',
      });
    }
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
