// vigil's own log file: `[supervisord] logfile=` (with logfile_maxbytes and
// logfile_backups), written in addition to stderr. supervisord defaults it to
// $CWD/supervisord.log; in a container that is a file nobody reads, so vigil
// writes it only when the key is set. `syslog` is not supported (warned).
import { createLogger } from '../log/logger.ts';
import type { LogSink, Logger } from '../log/logger.ts';
import type { ResolvedConfig } from '../config/types.ts';
import { RotatingFile } from '../output/rotating-file.ts';

export interface OwnLogFile extends LogSink {
  reopen(): Promise<void>;
  idle(): Promise<void>;
}

export function openLogfile(config: ResolvedConfig, logger: Logger): OwnLogFile | null {
  const { supervisord } = config;
  if (!supervisord.explicit_keys.includes('logfile')) return null;
  const path = supervisord.logfile;
  if (path === 'syslog') {
    logger.warn('logfile=syslog is not supported; vigil logs to stderr');
    return null;
  }
  if (path === '/dev/stdout' || path === '/dev/stderr') return null; // stderr already has it
  // The file reports its own write errors to stderr only: through `logger`
  // they would be written back into the failing file.
  const file = new RotatingFile({
    path,
    maxBytes: supervisord.logfile_maxbytes,
    backups: supervisord.logfile_backups,
    logger: createLogger({ level: 'warn' }),
  });
  return {
    write: (line) => void file.write(Buffer.from(line)),
    reopen: () => file.reopen(),
    idle: () => file.idle(),
  };
}
