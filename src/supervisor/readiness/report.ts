// GET /readyz as a pure function: every program that should be up is, or
// the list of what is not and why.
import type { ReadinessReport } from '../../model/index.ts';
import type { ProcessStateName } from '../../model/index.ts';
import type { ProcessSnapshot } from './conditions.ts';
import { displayName } from './conditions.ts';

export interface ReadinessItem extends ProcessSnapshot {
  // autostart, or started by the gate (depends_on / dependent_startup), and
  // not stopped on request since.
  readonly shouldBeUp: boolean;
  readonly waiting: string | null; // the gate's description while it waits
}

function reasonNotReady(item: ReadinessItem): string | null {
  if (item.waiting !== null) return item.waiting;
  if (item.state === 'RUNNING') {
    if (!item.hasHealthcheck || item.health === 'healthy') return null;
    return `health ${item.health ?? 'starting'}`;
  }
  // A one-shot task that completed is what it should be.
  if (item.state === 'EXITED' && item.exitExpected === true) return null;
  if (item.state === 'EXITED') return `exited with unexpected exit status ${item.exitstatus ?? '?'}`;
  return `is ${item.state}`;
}

export function readinessReport(items: readonly ReadinessItem[], shuttingDown: boolean): ReadinessReport {
  const notReady: Array<{ name: string; state: ProcessStateName; reason: string }> = [];
  for (const item of items) {
    if (!item.shouldBeUp) continue;
    const reason = reasonNotReady(item);
    if (reason !== null) notReady.push({ name: displayName(item), state: item.state, reason });
  }
  if (shuttingDown) notReady.unshift({ name: 'vigil', state: 'STOPPING', reason: 'shutting down' });
  return { ready: notReady.length === 0, notReady };
}
