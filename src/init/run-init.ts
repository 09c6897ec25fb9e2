// Init mode, `vigil [options] -- CMD [ARGS...]`: tini's job. Read it like a
// checklist: become the reaper, spawn CMD in its own process group (with the
// terminal's foreground when there is one), forward signals, exit with CMD's code.
import type { Logger } from '../log/logger.ts';
import { native } from '../native/addon.ts';
import type { NativeSpawnError } from '../native/addon.ts';
import { ExecutableError, execErrnoExitCode, resolveExecutable } from '../process/executable.ts';
import { exitCodeOf } from '../model/index.ts';
import type { ExitStatus } from '../model/index.ts';
import { Reaper } from '../process/reaper.ts';
import { registerSubreaper } from '../process/subreaper.ts';
import { FORWARDED_SIGNALS, IGNORED_SIGNALS, sendSignal } from './signals.ts';

export interface InitOptions {
  command: string[];
  killProcessGroup: boolean; // -g: signal CMD's whole process group
  successCodes: ReadonlySet<number>; // -e CODE: exit codes mapped to 0
  logger: Logger;
}

// Runs CMD and resolves with the code vigil must exit with.
export function runInit(options: InitOptions): Promise<number> {
  const { logger } = options;
  const addon = native();
  registerSubreaper(addon, logger);

  const reaper = new Reaper({ native: addon, logger });
  let childPid = 0;
  const pending: NodeJS.Signals[] = [];
  const forward = (signal: NodeJS.Signals): void => {
    if (childPid === 0) {
      pending.push(signal); // arrived before the spawn: deliver right after
      return;
    }
    const target = options.killProcessGroup ? -childPid : childPid;
    logger.debug({ signal, target }, 'forwarding signal');
    try {
      sendSignal(target, signal);
    } catch (error) {
      logger.error({ err: error, signal, target }, 'cannot forward signal');
    }
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  for (const signal of IGNORED_SIGNALS) process.on(signal, () => undefined);

  const [command, ...args] = options.command;
  let file: string;
  try {
    file = resolveExecutable(command ?? '', process.env.PATH);
  } catch (error) {
    if (error instanceof ExecutableError) {
      logger.error(error.message);
      return Promise.resolve(error.exitCode);
    }
    throw error;
  }

  return new Promise<number>((resolveExit) => {
    try {
      const child = addon.spawn({
        file,
        argv: [command ?? file, ...args],
        env: Object.entries(process.env).map(([key, value]) => `${key}=${value ?? ''}`),
        newProcessGroup: true,
        // With a terminal (docker run -it) CMD gets the foreground process
        // group, handed over in the child before exec (see native/vigil_native.c).
        foreground: addon.isatty(0),
        stdio: ['inherit', 'inherit', 'inherit'],
      });
      childPid = child.pid;
    } catch (error) {
      const spawnError = error as NativeSpawnError;
      logger.error(`cannot run '${command}': ${spawnError.syscall} failed: ${spawnError.message.replace(/^.*?: /, '')}`);
      resolveExit(spawnError.syscall === 'execve' ? execErrnoExitCode(spawnError.code) : 126);
      return;
    }
    logger.debug({ pid: childPid, command: options.command }, 'spawned child');
    reaper.watch(childPid, (status: ExitStatus) => {
      // Reap whatever else already died, as tini does before exiting.
      reaper.reapNow();
      const code = exitCodeOf(status);
      logger.debug({ pid: childPid, ...status, code }, 'child exited');
      resolveExit(options.successCodes.has(code) ? 0 : code);
    });
    reaper.start();
    for (const signal of pending.splice(0)) forward(signal);
  });
}
