// supervisord's getAllConfigInfo (what `supervisorctl avail` shows) over the
// config as last read (at start or by reread, as supervisord's
// options.process_group_configs) and the supervisor's active groups.
import type { ProcessConfig, ResolvedConfig } from '../../config/types.ts';
import type { ConfigInfo } from '../api.ts';
import { parseSignal } from '../../model/index.ts';
import type { Supervisor } from '../../supervisor/supervisor.ts';

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
