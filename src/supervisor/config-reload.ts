// supervisorctl's reread / update / reload over the running supervisor: read
// the config again, diff it by group, and apply the difference. The config is
// read and validated before anything changes, so a config that no longer
// parses throws its ConfigError (every problem, file:line) and changes
// nothing; once shutdown has begun nothing is applied (it would start
// programs that never get the shutdown).
import { loadConfig } from '../config/index.ts';
import type { ResolvedConfig } from '../config/types.ts';
import { VigilError } from '../errors.ts';
import type { Logger } from '../log/logger.ts';
import { specsFromConfig } from './from-config.ts';
import type { SupervisedProcess } from './process.ts';
import { diffGroups } from './reload.ts';
import type { ConfigChanges } from '../model/index.ts';
import type { ProcessSpec } from './spec.ts';
import type { Supervisor } from './supervisor.ts';

// Refused because vigil is shutting down (supervisord's SHUTDOWN_STATE).
export class ShuttingDownError extends VigilError {
  constructor() {
    super('SHUTDOWN_STATE', 'vigil is shutting down');
  }
}

export interface ConfigReloaderOptions {
  supervisor: Supervisor;
  logger: Logger;
  configPath: string;
  config: ResolvedConfig; // the config the supervisor runs now
  env?: NodeJS.ProcessEnv;
}

export class ConfigReloader {
  private readonly options: ConfigReloaderOptions;
  private current: ResolvedConfig;
  // The config as last read (startup, reread, update, reload): what `add`
  // may activate, as supervisord's options.process_group_configs.
  private lastRead: ResolvedConfig | undefined;

  constructor(options: ConfigReloaderOptions) {
    this.options = options;
    this.current = options.config;
  }

  get configPath(): string {
    return this.options.configPath;
  }

  // The config in force (the last one applied).
  config(): ResolvedConfig {
    return this.current;
  }

  // Reads the config file again; throws ConfigError when it does not parse.
  read(): ResolvedConfig {
    return loadConfig(this.options.configPath, this.options.env ?? process.env).config;
  }

  // supervisorctl reread: what update would change.
  reread(): ConfigChanges {
    const config = this.read();
    this.lastRead = config;
    return diffGroups(this.runningGroups(), specsFromConfig(config));
  }

  // supervisorctl add: the specs of `group` in the config as last read.
  // The config as last read (getAllConfigInfo, `avail`).
  lastReadConfig(): ResolvedConfig {
    return this.lastRead ?? this.current;
  }

  lastReadGroup(group: string): ProcessSpec[] | undefined {
    return specsFromConfig(this.lastRead ?? this.current).get(group);
  }

  // supervisorctl update [GROUP...]: stop removed and changed groups, start
  // added and changed ones. Throws before changing anything when the config
  // does not parse or shutdown has begun.
  async update(groups?: readonly string[]): Promise<ConfigChanges> {
    this.refuseWhenShuttingDown();
    const { supervisor, logger } = this.options;
    const config = this.read();
    const next = specsFromConfig(config);
    const changes = diffGroups(this.runningGroups(), next);
    const wanted = (group: string): boolean => !groups || groups.length === 0 || groups.includes(group);
    for (const group of [...changes.removed, ...changes.changed].filter(wanted)) {
      const members = this.membersOf(group);
      await supervisor.stopAll(members);
      for (const process of members) supervisor.remove(process);
      logger.info(`${changes.removed.includes(group) ? 'removed' : 'stopped changed'} process group ${group}`);
    }
    for (const group of [...changes.changed, ...changes.added].filter(wanted)) {
      if (supervisor.mood === 'SHUTDOWN') break; // shutdown began while stopping
      const added = supervisor.add(next.get(group) ?? []);
      logger.info(`added process group ${group}`);
      await supervisor.startAutostart(added);
    }
    // Programs that stay take their new dependencies without a restart.
    supervisor.readiness?.refreshDependencies([...next.values()].flat());
    this.current = config;
    this.lastRead = config;
    return changes;
  }

  // supervisorctl reload: validates now (throws ConfigError / ShuttingDownError)
  // and returns the restart to run, so a caller can answer first.
  prepareReload(): () => Promise<void> {
    this.refuseWhenShuttingDown();
    const config = this.read();
    return async () => {
      const { supervisor, logger } = this.options;
      const members = supervisor.ordered().filter((p) => p.spec.kind !== 'main');
      await supervisor.stopAll(members);
      for (const process of members) supervisor.remove(process);
      this.current = config;
      this.lastRead = config;
      if (supervisor.mood === 'SHUTDOWN') return;
      const added = [...specsFromConfig(config).values()].flatMap((specs) => supervisor.add(specs));
      await supervisor.startAutostart(added);
      logger.info('reloaded the configuration');
    };
  }

  private refuseWhenShuttingDown(): void {
    if (this.options.supervisor.mood === 'SHUTDOWN') throw new ShuttingDownError();
  }

  // The running processes that came from the config, by group.
  private runningGroups(): Map<string, ProcessSpec[]> {
    const groups = new Map<string, ProcessSpec[]>();
    for (const process of this.options.supervisor.ordered()) {
      if (process.spec.kind === 'main') continue; // not from the config
      const list = groups.get(process.spec.group) ?? [];
      list.push(process.spec);
      groups.set(process.spec.group, list);
    }
    return groups;
  }

  private membersOf(group: string): SupervisedProcess[] {
    return this.options.supervisor.ordered().filter((p) => p.spec.group === group && p.spec.kind !== 'main');
  }
}
