// What vigil says about a process beyond supervisord's sentences: the
// structured fields of its log records (logformat=json), and the last lines
// it wrote before an exit (quoted in the exit's log line and spawnerr).
import { signalName } from '../model/index.ts';
import type { ProgramOutput } from '../output/index.ts';
import type { RingBuffer } from '../output/ring-buffer.ts';
import type { ProcessEvent, ProcessMachineState } from './machine.ts';
import { lastLines } from './messages.ts';
import type { LastOutput } from './messages.ts';
import type { ProcessSpec } from './spec.ts';

// How long an exit waits for the child's pipes to end before it is handled:
// a daemonized grandchild may hold them open for ever.
const OUTPUT_DRAIN_MS = 200;

// How much of the end of a ring is searched for the last lines.
const TAIL_BYTES = 4096;

// What a log pipeline filters on: the program, its group, the pid, the states
// before and after the event, and how a child ended (code or signal name).
export function processLogFields(
  spec: Pick<ProcessSpec, 'name' | 'group'>,
  event: ProcessEvent,
  before: ProcessMachineState,
  after: ProcessMachineState,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    program: spec.name,
    group: spec.group,
    pid: before.pid || after.pid || (event.type === 'spawned' ? event.pid : 0),
    from: before.name,
    to: after.name,
  };
  if (event.type === 'exited') {
    fields.exitstatus = event.code;
    fields.signal = event.signal === null ? null : signalName(event.signal);
  }
  return fields;
}

// Resolves when every pipe has ended, or after OUTPUT_DRAIN_MS.
export function outputsEnded(outputs: readonly ProgramOutput[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    Promise.all(outputs.map((output) => output.closed)).then(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, OUTPUT_DRAIN_MS))),
  ]).finally(() => clearTimeout(timer));
}

// The last lines of this run's stderr (from `start`, the ring offsets at
// spawn), or of its stdout when stderr is redirected or said nothing.
export function lastOutput(
  rings: { readonly stdout: RingBuffer; readonly stderr: RingBuffer },
  start: { readonly stdout: number; readonly stderr: number },
  redirectStderr: boolean,
): LastOutput {
  const read = (channel: 'stdout' | 'stderr'): string[] => {
    const ring = rings[channel];
    return lastLines(ring.readFrom(Math.max(start[channel], ring.totalBytes - TAIL_BYTES)).data);
  };
  const stderr = redirectStderr ? [] : read('stderr');
  if (stderr.length > 0) return { channel: 'stderr', lines: stderr };
  return { channel: 'stdout', lines: read('stdout') };
}
