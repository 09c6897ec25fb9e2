// Which signals vigil forwards, and which it ignores, as tini does.
//
// tini forwards everything except the synchronous fault signals (it cannot
// sensibly catch SIGSEGV & co.) and SIGTTIN/SIGTTOU, which it ignores so that a
// background vigil is never stopped by the terminal. SIGCHLD is the reaper's.
// SIGPIPE is left to Node (ignored): vigil only sees it from its own writes.
// SIGPROF is left to V8's profiler.
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = [
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGTERM',
  'SIGALRM',
  'SIGWINCH',
  'SIGCONT',
  'SIGTSTP',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPWR',
  'SIGIO',
];

export const IGNORED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTTIN', 'SIGTTOU'];

// Sends `signal` to a pid or (negative) process group; false when it is gone.
export function sendSignal(target: number, signal: NodeJS.Signals | number): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch (error) {
    // ESRCH: the process (group) already exited; nothing to do.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}
