// supervisord's description column (rpcinterface.py _interpretProcessInfo),
// for the supervisor to fill ProcessInfo.description with.
import type { ProcessInfo } from './api.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function describeProcess(info: Omit<ProcessInfo, 'description'>): string {
  switch (info.statename) {
    case 'RUNNING': {
      const running = `pid ${info.pid}, uptime ${formatUptime(info.now - info.start)}`;
      if (info.health === null || info.health === undefined) return running;
      return `${running}, ${info.health === 'starting' ? 'health starting' : info.health}`;
    }
    case 'BACKOFF':
    case 'FATAL':
      return info.spawnerr || `unknown error (try "tail ${info.name}")`;
    case 'STOPPED':
    case 'EXITED':
      return info.start ? formatStopTime(info.stop) : 'Not started';
    default:
      return '';
  }
}

// Python's str(timedelta): `0:01:02`, `1 day, 2:03:04`, `3 days, 0:00:05`.
// A negative uptime (clock set back) shows as 0:00:00, as supervisord does.
export function formatUptime(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const clock = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return days > 0 ? `${days} day${days === 1 ? '' : 's'}, ${clock}` : clock;
}

// strftime('%b %d %I:%M %p') in local time, e.g. `Nov 25 01:40 PM`.
export function formatStopTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  const ampm = d.getHours() < 12 ? 'AM' : 'PM';
  return `${MONTHS[d.getMonth()]} ${pad(d.getDate())} ${pad(hour12)}:${pad(d.getMinutes())} ${ampm}`;
}
