// Supervisor mode, `vigil [-c FILE] [-- CMD]`: load the config, become the
// reaper, start the programs, serve the control socket, and turn signals into
// shutdown (TERM INT QUIT), reload (HUP) and log reopening (USR2).
import { unlinkSync, writeFileSync } from 'node:fs';
import { levelForVerbosity } from '../cli/args.ts';
import type { DaemonArgs } from '../cli/args.ts';
import { formatProblem, loadConfig } from '../config/index.ts';
import { exitCodeOf } from '../model/index.ts';
import { findConfigPath } from '../config/lookup.ts';
import type { ResolvedConfig } from '../config/types.ts';
import type { ControlServer } from '../control/server.ts';
import { VigilError } from '../errors.ts';
import { createLogger, fdSink } from '../log/logger.ts';
import type { LogLevelName, LogSink, Logger } from '../log/logger.ts';
import { native } from '../native/addon.ts';
import { createConsoleSinks } from '../output/index.ts';
import { RingBuffer } from '../output/ring-buffer.ts';
import { Reaper } from '../process/reaper.ts';
import { registerSubreaper } from '../process/subreaper.ts';
import { ControlAdapter } from '../control/adapter/control-adapter.ts';
import { mainSpec, specsFromConfig } from '../supervisor/from-config.ts';
import { EventDispatcher } from '../supervisor/listeners.ts';
import { openLogfile } from '../supervisor/own-log.ts';
import type { OwnLogFile } from '../supervisor/own-log.ts';
import { applyRlimits } from '../supervisor/rlimits.ts';
import { ConfigReloader } from '../supervisor/config-reload.ts';
import { startControl } from './start-control.ts';
import { terminateLeftovers } from '../supervisor/shutdown.ts';
import { Supervisor } from '../supervisor/supervisor.ts';
import { Readiness } from '../supervisor/readiness/coordinator.ts';
import { pluginNotices } from '../supervisor/readiness/plugin.ts';

// Switchable destination of vigil's own log: sync to stderr until the shared
// ordered stderr writer exists, then through it (never blocking PID 1).
class OwnLogSink implements LogSink {
  target: LogSink = fdSink(2);
  // [supervisord] logfile=, when set: written too, reopened on USR2.
  file: OwnLogFile | null = null;
  // The last 64 KiB, for `vigil ctl maintail` wherever the log goes.
  readonly recent = new RingBuffer();
  // [supervisord] silent=true: vigil's own log goes to the logfile only, as
  // supervisord -n -s keeps its log off stdout (program output is unaffected).
  silent = false;
  write(line: string): void {
    if (!this.silent) this.target.write(line);
    this.file?.write(line);
    this.recent.append(Buffer.from(line));
  }
}

export async function runDaemon(args: DaemonArgs, containCrashes: (logger: Logger) => void): Promise<number> {
  const ownSink = new OwnLogSink();
  let configPath: string;
  let loaded;
  try {
    configPath = args.configPath ?? findConfigPath(process.env);
    loaded = loadConfig(configPath, process.env);
  } catch (error) {
    if (error instanceof VigilError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { config } = loaded;
  const level: LogLevelName = levelForVerbosity(args.verbosity, config.supervisord.loglevel);
  const logger = createLogger({ level, format: args.logFormat ?? config.supervisord.logformat, sink: ownSink });
  containCrashes(logger);
  // `file:line: [section] key: message`, as `vigil check` prints them.
  for (const warning of loaded.warnings) logger.warn(formatProblem(warning));
  for (const notice of loaded.notices) logger.info(formatProblem(notice));
  ownSink.file = openLogfile(config, logger);
  ownSink.silent = config.supervisord.silent;
  warnUnusableUser(config, logger);

  writePidfile(config, logger);

  const addon = native();
  applyRlimits(addon, config, logger);
  registerSubreaper(addon, logger);
  const reaper = new Reaper({ native: addon, logger });
  reaper.start();
  const sinks = createConsoleSinks(logger);
  ownSink.target = { write: (line) => void sinks.stderr.write(Buffer.from(line)) };

  let exitCode = 0;
  let shuttingDown: Promise<void> | null = null;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const supervisor = new Supervisor({
    logger,
    deps: { native: addon, reaper, sinks, logger, baseEnv: process.env },
    onCritical: (proc, code) => {
      logger.info(`critical program ${proc.fullName} ended for good (exit code ${code}): shutting down`);
      exitCode = code;
      void shutdown();
    },
  });
  const readiness = new Readiness(supervisor, logger, { native: addon, reaper, baseEnv: process.env });
  supervisor.readiness = readiness;
  for (const notice of pluginNotices(config.groups)) logger.info(notice);
  const events = new EventDispatcher(supervisor, logger);
  const reloader = new ConfigReloader({ supervisor, logger, configPath, config });
  const adapter = new ControlAdapter({
    supervisor,
    logger,
    reloader,
    shutdown: () => void shutdown(),
    mainLog: ownSink.recent,
    remoteCommunication: (type, data) => events.remoteCommunication(type, data),
    readiness,
    mainStopped: (proc) => {
      const last = proc.state.lastExit;
      exitCode = last ? exitCodeOf(last) : 0;
      logger.info(`${proc.fullName} was stopped by request: shutting down with its exit code ${exitCode}`);
      void shutdown();
    },
  });
  // Set once the control server listens; shutdown closes it last.
  let control: ControlServer | null = null;

  const shutdown = (): Promise<void> => {
    shuttingDown ??= (async () => {
      logger.info('shutting down');
      events.supervisorStopping();
      await supervisor.shutdown();
      await terminateLeftovers(reaper, logger);
      await control?.close();
      finish();
    })();
    return shuttingDown;
  };
  // Installed before the first await: as PID 1 a signal without a handler is
  // dropped by the kernel, so a SIGTERM while the socket opens would be lost.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) {
    process.on(signal, () => {
      logger.warn(`received ${signal} indicating exit request`);
      void shutdown();
    });
  }
  process.on('SIGHUP', () => {
    logger.warn('received SIGHUP indicating restart request: applying config changes');
    void reloader.update().catch((error: unknown) => {
      logger.error(error instanceof VigilError ? error.message : `reload failed: ${String(error)}`);
    });
  });
  process.on('SIGUSR2', () => {
    logger.info('received SIGUSR2 indicating log reopen request');
    void sinks.reopenFiles();
    void ownSink.file?.reopen();
  });
  for (const signal of ['SIGTTIN', 'SIGTTOU'] as const) process.on(signal, () => undefined);

  control = await startControl(config, adapter, logger).catch((error: unknown) => {
    logger.fatal(error instanceof Error ? error.message : String(error));
    return null;
  });
  if (control === null) {
    await Promise.all([sinks.idle(), ownSink.file?.idle()]);
    return 2;
  }
  if (shuttingDown !== null) {
    // A signal came while the socket opened: nothing was started; finish it.
    await shuttingDown;
    await control.close();
    return finishDaemon();
  }

  // One add() for everything, so the output prefixes are padded to the
  // longest name of the whole config.
  const specs = [...specsFromConfig(config).values()].flat();
  if (args.command.length > 0) specs.push(mainSpec(args.command, config));
  supervisor.add(specs);
  events.supervisorRunning();
  void supervisor.startAutostart();

  await finished;
  return finishDaemon();

  async function finishDaemon(): Promise<number> {
    readiness.dispose();
    events.stop();
    reaper.stop();
    logger.info(`exiting with code ${exitCode}`);
    await Promise.all([sinks.idle(), ownSink.file?.idle()]);
    return exitCode;
  }
}

// [supervisord] pidfile=, written only when set: supervisord's default
// ($CWD/supervisord.pid) is a stray file in a container. Removed on exit,
// including process.exit from an error path.
function writePidfile(config: ResolvedConfig, logger: Logger): void {
  if (!config.supervisord.explicit_keys.includes('pidfile')) return;
  const path = config.supervisord.pidfile;
  try {
    writeFileSync(path, `${process.pid}\n`);
  } catch (error) {
    logger.error(`cannot write pidfile ${path}: ${(error as Error).message}`);
    return;
  }
  process.on('exit', () => {
    try {
      unlinkSync(path);
    } catch {
      // already removed
    }
  });
}

// [supervisord] user=X with vigil not root (and not X): supervisord would exit
// at start ("Can't drop privilege as nonroot user"); vigil starts, and each
// program it cannot run as X fails at spawn with that error.
function warnUnusableUser(config: ResolvedConfig, logger: Logger): void {
  const user = config.supervisord.user;
  const uid = process.getuid?.() ?? 0;
  if (user === null || uid === 0 || uid === user.uid) {
    if (user !== null && user.uid !== 0) {
      logger.info(`[supervisord] user=${user.name}: programs without their own user= run as ${user.name} (uid ${user.uid}); vigil itself stays uid ${uid} to reap and supervise`);
    }
    return;
  }
  logger.error(`[supervisord] user=${user.name}, but vigil runs as uid ${uid}, not root: it cannot switch to ${user.name}, so programs will fail to spawn`);
}
