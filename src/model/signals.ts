// The one signal table (Linux): names and numbers, real-time signals included.
// Config (stopsignal=), the machine's effects, init mode and ctl all go
// through it, so a signal never changes meaning between layers. Depends on
// nothing (see index.ts).

// Canonical names without SIG, as Python's signal.Signals(n).name (what
// supervisord prints), for the standard signals and the two RT bounds.
const STANDARD: Readonly<Record<number, string>> = {
  1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 5: 'TRAP', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL',
  10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE', 14: 'ALRM', 15: 'TERM', 16: 'STKFLT',
  17: 'CHLD', 18: 'CONT', 19: 'STOP', 20: 'TSTP', 21: 'TTIN', 22: 'TTOU', 23: 'URG',
  24: 'XCPU', 25: 'XFSZ', 26: 'VTALRM', 27: 'PROF', 28: 'WINCH', 29: 'IO', 30: 'PWR',
  31: 'SYS', 34: 'RTMIN', 64: 'RTMAX',
};

// glibc reserves 32 and 33 for its threads; SIGRTMIN as user programs see it is 34.
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;

// Aliases Python's signal module also defines.
const ALIASES: Readonly<Record<string, number>> = { IOT: 6, CLD: 17, POLL: 29 };

const BY_NAME: ReadonlyMap<string, number> = new Map([
  ...Object.entries(STANDARD).map(([number, name]) => [name, Number(number)] as const),
  ...Object.entries(ALIASES),
]);

// The names supervisord's datatypes.signal_number() accepts on Linux: its
// table has no RTMIN+N spellings, so config accepts exactly these.
export const SUPERVISORD_SIGNAL_NUMBERS: readonly number[] = Object.keys(STANDARD).map(Number);

// 15 -> 'TERM', 35 -> 'RTMIN+1', 63 -> 'RTMAX-1'; null outside 1..64.
export function canonicalSignalName(number: number): string | null {
  const standard = STANDARD[number];
  if (standard !== undefined) return standard;
  if (!Number.isInteger(number) || number < SIGRTMIN || number > SIGRTMAX) return null;
  // kill -l's convention: the lower half counts up from RTMIN, the upper down from RTMAX.
  return number - SIGRTMIN <= SIGRTMAX - number ? `RTMIN+${number - SIGRTMIN}` : `RTMAX-${SIGRTMAX - number}`;
}

// 15 -> 'SIGTERM'; an unknown number -> 'signal N' (supervisord's signame()).
export function signalName(number: number): string {
  const name = canonicalSignalName(number);
  return name === null ? `signal ${number}` : `SIG${name}`;
}

// 'TERM', 'sigterm', 'SIGTERM', '15', 'RTMIN+2', 'SIGRTMAX-1' -> its number;
// null when it names no Linux signal. Whitespace around it is ignored.
export function parseSignal(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const number = Number(trimmed);
    return canonicalSignalName(number) === null ? null : number;
  }
  let name = trimmed.toUpperCase();
  if (name.startsWith('SIG')) name = name.slice(3);
  const direct = BY_NAME.get(name);
  if (direct !== undefined) return direct;
  const offset = /^RT(MIN|MAX)([+-])(\d{1,2})$/.exec(name);
  if (offset === null) return null;
  const [, bound, sign, amount] = offset;
  const number = (bound === 'MIN' ? SIGRTMIN : SIGRTMAX) + (sign === '+' ? 1 : -1) * Number(amount);
  return number >= SIGRTMIN && number <= SIGRTMAX ? number : null;
}

// Any spelling parseSignal() accepts -> 'SIGTERM' / 'SIGRTMIN+1'; null when
// it names no signal. For messages that echo a signal the user or config gave.
export function normalSignalName(text: string): string | null {
  const number = parseSignal(text);
  return number === null ? null : signalName(number);
}
