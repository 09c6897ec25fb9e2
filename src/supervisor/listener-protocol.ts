// The listener side of supervisord's event protocol: what an event listener
// writes on its stdout, parsed as PEventListenerDispatcher
// (supervisor/dispatchers.py) does. Pure and streaming: feed byte chunks as
// they arrive, split anywhere; get back what the listener said.
//
// The stdout bytes themselves still go to the listener's log (supervisord logs
// every chunk before parsing it); this parser only decides the protocol state.
// Like supervisord it is strict: bytes that are not the expected token put the
// listener in UNKNOWN for good (until it is restarted), with supervisord's warning.

// supervisor/states.py EventListenerStates.
export type ListenerStateName = 'ACKNOWLEDGED' | 'READY' | 'BUSY' | 'UNKNOWN';

export interface ListenerParser {
  readonly state: ListenerStateName;
  readonly buffer: Buffer; // bytes not yet consumed (supervisord `state_buffer`)
  readonly resultLength: number | null; // from `RESULT N\n`, null before it
  readonly result: Buffer; // result body gathered so far
}

export type ListenerOutput =
  | { readonly type: 'ready' } // ACKNOWLEDGED -> READY: send it an event
  // BUSY -> ACKNOWLEDGED; ok only for the exact body `OK` (dispatchers.default_handler)
  | { readonly type: 'result'; readonly ok: boolean; readonly body: string }
  // -> UNKNOWN; rejectsEvent: the in-flight event must be re-buffered
  | { readonly type: 'unknown'; readonly rejectsEvent: boolean }
  | { readonly type: 'log'; readonly level: 'debug' | 'warn'; readonly message: string };

const READY_TOKEN = Buffer.from('READY\n');
const RESULT_TOKEN_START_LENGTH = 'RESULT '.length;
const EMPTY = Buffer.alloc(0);

// A freshly spawned listener: ACKNOWLEDGED, a busy state that waits for READY.
export function initialListenerParser(): ListenerParser {
  return { state: 'ACKNOWLEDGED', buffer: EMPTY, resultLength: null, result: EMPTY };
}

// The pool wrote an event to a READY listener: READY -> BUSY.
export function markBusy(parser: ListenerParser, processName: string): { parser: ListenerParser; log: ListenerOutput } {
  return { parser: { ...parser, state: 'BUSY' }, log: stateLog(processName, parser.state, 'BUSY') };
}

function stateLog(processName: string, from: ListenerStateName, to: ListenerStateName): ListenerOutput {
  return { type: 'log', level: 'debug', message: `${processName}: ${from} -> ${to}` };
}

// The warning dispatchers.py logs on every entry into UNKNOWN.
export function unknownStateWarning(processName: string): string {
  return (
    `${processName}: has entered the UNKNOWN state and will no longer receive events, ` +
    'this usually indicates the process violated the eventlistener protocol'
  );
}

// handle_listener_state_change(), as a loop instead of recursion; consumes
// as many tokens as the bytes allow and keeps the rest for the next chunk.
export function feedListenerOutput(
  parser: ListenerParser,
  chunk: Buffer,
  processName: string,
): { parser: ListenerParser; outputs: ListenerOutput[] } {
  const outputs: ListenerOutput[] = [];
  let { state, resultLength, result } = parser;
  let buffer = chunk.length === 0 ? parser.buffer : Buffer.concat([parser.buffer, chunk]);

  const enter = (to: ListenerStateName): void => {
    outputs.push(stateLog(processName, state, to));
    if (to === 'UNKNOWN') outputs.push({ type: 'log', level: 'warn', message: unknownStateWarning(processName) });
    state = to;
  };

  while (buffer.length > 0) {
    if (state === 'UNKNOWN') {
      // fatal: discard everything until the listener is restarted
      buffer = EMPTY;
    } else if (state === 'ACKNOWLEDGED') {
      if (buffer.length < READY_TOKEN.length) break; // not enough to decide yet
      if (buffer.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
        // ACKNOWLEDGED -> READY
        enter('READY');
        buffer = buffer.subarray(READY_TOKEN.length);
        outputs.push({ type: 'ready' });
      } else {
        // ACKNOWLEDGED -> UNKNOWN: anything but READY\n
        enter('UNKNOWN');
        buffer = EMPTY;
        outputs.push({ type: 'unknown', rejectsEvent: false });
      }
    } else if (state === 'READY') {
      // READY -> UNKNOWN: spurious output while waiting for an event
      enter('UNKNOWN');
      buffer = EMPTY;
      outputs.push({ type: 'unknown', rejectsEvent: false });
    } else if (resultLength === null) {
      // BUSY, waiting for the `RESULT N\n` line
      const newline = buffer.indexOf(0x0a);
      if (newline === -1) break;
      const line = buffer.subarray(0, newline);
      buffer = buffer.subarray(newline + 1);
      const parsed = parseResultLength(line.subarray(RESULT_TOKEN_START_LENGTH));
      if (parsed === null) {
        // BUSY -> UNKNOWN: the event is rejected (re-buffered for another listener)
        const text = line.toString('utf8');
        outputs.push({ type: 'log', level: 'warn', message: `${processName}: bad result line: '${text}'` });
        enter('UNKNOWN');
        buffer = EMPTY;
        outputs.push({ type: 'unknown', rejectsEvent: true });
      } else {
        resultLength = parsed;
      }
    } else {
      // BUSY, gathering the result body
      const needed = resultLength - result.length;
      result = Buffer.concat([result, buffer.subarray(0, needed)]);
      buffer = buffer.subarray(needed);
    }
    if (state === 'BUSY' && resultLength !== null && result.length === resultLength) {
      // BUSY -> ACKNOWLEDGED (also for FAIL: supervisord re-buffers the event)
      const body = result.toString('utf8');
      const ok = body === 'OK';
      outputs.push({
        type: 'log',
        level: ok ? 'debug' : 'warn',
        message: ok ? `${processName}: event was processed` : `${processName}: event was rejected`,
      });
      enter('ACKNOWLEDGED');
      outputs.push({ type: 'result', ok, body });
      resultLength = null;
      result = EMPTY;
    }
  }
  return { parser: { state, buffer, resultLength, result }, outputs };
}

// int() of the bytes after `RESULT `; supervisord does not check the word
// itself. Python's int() allows surrounding whitespace and a sign; a negative
// length would never complete, so it counts as a bad line here.
function parseResultLength(bytes: Buffer): number | null {
  const text = bytes.toString('latin1').trim();
  if (!/^\+?\d+$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
