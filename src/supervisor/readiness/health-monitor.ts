// Runs one program's health checks: feeds the pure health machine the
// program's RUNNING transitions, its own timer and the probe results, and
// performs what it returns (run a probe, report a change, restart).
import type { HealthStatus } from '../../model/index.ts';
import type { HealthCheckConfig } from '../../config/readiness-types.ts';
import type { Logger } from '../../log/logger.ts';
import type { SupervisedProcess } from '../process.ts';
import type { ProcessSpec } from '../spec.ts';
import { INITIAL_HEALTH, healthStep } from './health-machine.ts';
import type { HealthEffect, HealthEvent, HealthState } from './health-machine.ts';
import { runProbe } from './probes.ts';
import type { ProbeDeps } from './probes.ts';
import { DeadlineTimer } from '../deadline-timer.ts';

export interface HealthMonitorDeps extends ProbeDeps {
  logger: Logger;
  // Called on every status change (the gate re-evaluates, /readyz changes).
  onChange: (process: SupervisedProcess, from: HealthStatus | null, to: HealthStatus | null) => void;
  // healthcheck_restart=true and it turned unhealthy.
  restart: (process: SupervisedProcess) => void;
}

export class HealthMonitor {
  state: HealthState = INITIAL_HEALTH;
  private readonly policy: HealthCheckConfig;
  private readonly checkSpec: ProcessSpec;
  private readonly timer = new DeadlineTimer();
  private disposed = false;
  private readonly offChange: () => void;

  constructor(
    private readonly process: SupervisedProcess,
    policy: HealthCheckConfig,
    private readonly deps: HealthMonitorDeps,
  ) {
    this.policy = policy;
    const probe = policy.probe;
    // One derived spec per program: spawn-process caches its environment block.
    this.checkSpec = { ...process.spec, kind: 'program', redirectStderr: true, ...(probe.kind === 'cmd' ? { argv: probe.argv, command: probe.command } : {}) };
    this.offChange = process.onChange((change) => {
      if (change.to === 'RUNNING') this.send({ type: 'up' });
      else if (change.from === 'RUNNING') this.send({ type: 'down' });
    });
    if (process.state.name === 'RUNNING') this.send({ type: 'up' });
  }

  get status(): HealthStatus | null {
    return this.state.status;
  }

  private send(event: HealthEvent): void {
    if (this.disposed) return;
    const result = healthStep(this.state, event, this.policy, Date.now());
    this.state = result.state;
    for (const effect of result.effects) this.perform(effect);
    this.armTimer();
  }

  private perform(effect: HealthEffect): void {
    const name = this.process.fullName;
    switch (effect.type) {
      case 'check':
        void runProbe(this.policy.probe, this.checkSpec, this.policy.timeout * 1000, this.deps).then((result) => {
          if (result.output !== undefined && result.output !== '') {
            this.deps.logger.debug(`healthcheck ${name}: ${result.detail}: ${result.output.trimEnd()}`);
          } else this.deps.logger.trace(`healthcheck ${name}: ${result.detail}`);
          this.send({ type: 'result', ok: result.ok, detail: result.detail });
        });
        return;
      case 'changed':
        if (effect.to === 'healthy') this.deps.logger.info(`healthy: ${this.process.spec.name} (${effect.detail})`);
        else if (effect.to === 'unhealthy') {
          this.deps.logger.warn(`unhealthy: ${this.process.spec.name} (${this.policy.retries} failed checks, last: ${effect.detail})`);
        }
        this.deps.onChange(this.process, effect.from, effect.to);
        return;
      case 'restart':
        this.deps.logger.warn(`restarting ${this.process.spec.name}: unhealthy and healthcheck_restart=true`);
        this.deps.restart(this.process);
        return;
    }
  }

  private armTimer(): void {
    this.timer.arm(this.state.nextCheckAt, () => this.send({ type: 'due' }));
  }


  dispose(): void {
    this.disposed = true;
    this.offChange();
    this.timer.cancel();
  }
}
