// The last step of a shutdown as PID 1: whatever is still alive in the
// container (daemonized grandchildren nobody supervises) gets SIGTERM, a short
// grace period, then SIGKILL, and everything is reaped before vigil exits —
// otherwise the kernel SIGKILLs them all at once when PID 1 exits.
// Only as PID 1: kill(-1) from a subreaper on a host would hit the host.
import type { Logger } from '../log/logger.ts';
import { listChildPids } from '../process/children.ts';
import type { Reaper } from '../process/reaper.ts';

export const LEFTOVER_GRACE_MS = 2000;

export async function terminateLeftovers(reaper: Reaper, logger: Logger, graceMs = LEFTOVER_GRACE_MS): Promise<void> {
  if (process.pid !== 1) return;
  reaper.reapNow();
  if (listChildPids().length === 0) return;
  logger.info(`terminating ${listChildPids().length} leftover process(es)`);
  signalAll('SIGTERM', logger);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    reaper.reapNow();
    if (listChildPids().length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  logger.warn(`killing ${listChildPids().length} leftover process(es) with SIGKILL`);
  signalAll('SIGKILL', logger);
  const killDeadline = Date.now() + 1000;
  while (Date.now() < killDeadline && listChildPids().length > 0) {
    reaper.reapNow();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function signalAll(signal: NodeJS.Signals, logger: Logger): void {
  try {
    process.kill(-1, signal);
  } catch (error) {
    // ESRCH: nobody left to signal.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') logger.error({ err: error }, `kill(-1, ${signal}) failed`);
  }
}
