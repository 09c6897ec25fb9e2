// The real ControlAdapter over a real Supervisor and ConfigReloader, with the
// kernel faked at its two edges: a native addon whose spawns hand out pids
// without forking, and a reaper that reports an exit when the process is
// signalled. Everything between (machine, runner, supervisor, reload, the
// adapter's supervisorctl semantics) is the code that runs in production.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/index.ts';
import { ControlAdapter } from '../../../src/control/adapter/control-adapter.ts';
import { createLogger } from '../../../src/log/logger.ts';
import type { ExitStatus } from '../../../src/model/index.ts';
import type { NativeAddon, SpawnRequest, SpawnedChild } from '../../../src/native/addon.ts';
import { createConsoleSinks } from '../../../src/output/index.ts';
import { RingBuffer } from '../../../src/output/ring-buffer.ts';
import type { Reaper } from '../../../src/process/reaper.ts';
import { ConfigReloader } from '../../../src/supervisor/config-reload.ts';
import { specsFromConfig } from '../../../src/supervisor/from-config.ts';
import { Supervisor } from '../../../src/supervisor/supervisor.ts';

// Pids far above pid_max: never a real process, whatever leaks.
let nextPid = 10_000_000;

class FakeReaper {
  private readonly listeners = new Map<number, (status: ExitStatus) => void>();
  watch(pid: number, listener: (status: ExitStatus) => void): void {
    this.listeners.set(pid, listener);
  }
  beginSpawn(): void {}
  endSpawn(): void {}
  exit(pid: number, status: ExitStatus): void {
    const listener = this.listeners.get(pid);
    this.listeners.delete(pid);
    listener?.(status);
  }
}

function fakeNative(): NativeAddon {
  const spawnAsync = (_request: SpawnRequest, callback: (error: null, child?: SpawnedChild) => void): void => {
    setImmediate(() => callback(null, { pid: nextPid++ }));
  };
  // Only what SupervisedProcess and spawnProcess call; the rest is unused here.
  return { spawnAsync, lookupUser: () => null } as unknown as NativeAddon;
}

export interface RealApi {
  adapter: ControlAdapter;
  supervisor: Supervisor;
  // Rewrites the config file so it no longer parses.
  breakConfig(): void;
  close(): Promise<void>;
}

export async function startRealApi(configText: string): Promise<RealApi> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-contract-'));
  const configPath = join(dir, 'vigil.conf');
  writeFileSync(configPath, configText);
  const logger = createLogger({ level: 'critical', sink: { write: () => undefined } });
  const devNull = openSync('/dev/null', 'w');
  const sinks = createConsoleSinks(logger, { fds: { stdout: devNull, stderr: devNull } });
  const reaper = new FakeReaper();
  const supervisor = new Supervisor({
    logger,
    deps: {
      native: fakeNative(),
      reaper: reaper as unknown as Reaper,
      sinks,
      logger,
      baseEnv: process.env,
      // A signalled fake child dies of it, as a real one would.
      sendSignal: (target, signal) => setImmediate(() => reaper.exit(Math.abs(target), { code: null, signal })),
    },
    onCritical: () => undefined,
  });
  const { config } = loadConfig(configPath, process.env);
  const reloader = new ConfigReloader({ supervisor, logger, configPath, config });
  const adapter = new ControlAdapter({ supervisor, logger, reloader, shutdown: () => void supervisor.shutdown(), mainLog: new RingBuffer() });
  supervisor.add([...specsFromConfig(config).values()].flat());
  await supervisor.startAutostart();
  return {
    adapter,
    supervisor,
    breakConfig: () => writeFileSync(configPath, `${configText}\n[program:bad]\ncommand=x\nstartsecs=soon\n`),
    async close() {
      await supervisor.shutdown();
      await sinks.idle();
      closeSync(devNull);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
