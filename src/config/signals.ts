// Signal names and numbers as supervisord accepts them on Linux
// (datatypes.signal_number: any `signal.SIG*` name, with or without SIG, or a number
// among those the signal module defines).
import { ValueProblem } from './errors.ts';

// Canonical names (Python's signal.Signals(n).name without SIG) by number.
const CANONICAL: Readonly<Record<number, string>> = {
  1: 'HUP', 2: 'INT', 3: 'QUIT', 4: 'ILL', 5: 'TRAP', 6: 'ABRT', 7: 'BUS', 8: 'FPE', 9: 'KILL',
  10: 'USR1', 11: 'SEGV', 12: 'USR2', 13: 'PIPE', 14: 'ALRM', 15: 'TERM', 16: 'STKFLT',
  17: 'CHLD', 18: 'CONT', 19: 'STOP', 20: 'TSTP', 21: 'TTIN', 22: 'TTOU', 23: 'URG',
  24: 'XCPU', 25: 'XFSZ', 26: 'VTALRM', 27: 'PROF', 28: 'WINCH', 29: 'IO', 30: 'PWR',
  31: 'SYS', 34: 'RTMIN', 64: 'RTMAX',
};

// Aliases the Python signal module also defines.
const ALIASES: Readonly<Record<string, number>> = { IOT: 6, CLD: 17, POLL: 29 };

const BY_NAME: ReadonlyMap<string, number> = new Map([
  ...Object.entries(CANONICAL).map(([number, name]) => [name, Number(number)] as const),
  ...Object.entries(ALIASES),
]);

const ACCEPTED = 'a signal name such as TERM, SIGTERM, HUP, INT, QUIT, KILL, USR1, USR2 or a number 1-31, 34, 64';

// Converts a stopsignal value to its canonical name without SIG (`9` -> `KILL`,
// `sigiot` -> `ABRT`). supervisord also takes 0 (its SIGNUMS list includes SIG_DFL);
// vigil refuses it because "stop with signal 0" can never stop anything.
export function signalName(text: string): string {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) {
    const name = CANONICAL[Number(trimmed)];
    if (name === undefined) throw new ValueProblem(`'${text}' is not a valid signal number; expected ${ACCEPTED}`);
    return name;
  }
  let name = trimmed.toUpperCase();
  if (name.startsWith('SIG')) name = name.slice(3);
  const number = BY_NAME.get(name);
  if (number === undefined) throw new ValueProblem(`'${text}' is not a valid signal name; expected ${ACCEPTED}`);
  return CANONICAL[number] as string;
}

// The Linux number of a canonical signal name (as returned by signalName).
export function signalNumber(name: string): number {
  const number = BY_NAME.get(name);
  if (number === undefined) throw new ValueProblem(`unknown signal ${name}`);
  return number;
}
