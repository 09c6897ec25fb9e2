// stopsignal= and other signal values as supervisord accepts them on Linux
// (datatypes.signal_number: any `signal.SIG*` name, with or without SIG, or a
// number the signal module defines), over the process model's one signal table.
import { SUPERVISORD_SIGNAL_NUMBERS, canonicalSignalName, parseSignal } from '../model/index.ts';
import { ValueProblem } from './errors.ts';

const ACCEPTED = 'a signal name such as TERM, SIGTERM, HUP, INT, QUIT, KILL, USR1, USR2 or a number 1-31, 34, 64';

// Converts a stopsignal value to its canonical name without SIG (`9` -> `KILL`,
// `sigiot` -> `ABRT`). supervisord also takes 0 (its SIGNUMS list includes SIG_DFL);
// vigil refuses it because "stop with signal 0" can never stop anything. Spellings
// supervisord does not know (`RTMIN+2`, 35) are refused as it refuses them.
export function signalName(text: string): string {
  const numeric = /^\s*[+-]?\d+\s*$/.test(text);
  // Python's int() takes '+9'; the table's parser takes digits only.
  const number = parseSignal(text.trim().replace(/^\+(?=\d)/, ''));
  if (number === null || !SUPERVISORD_SIGNAL_NUMBERS.includes(number) || (!numeric && /[+-]/.test(text))) {
    throw new ValueProblem(`'${text}' is not a valid signal ${numeric ? 'number' : 'name'}; expected ${ACCEPTED}`);
  }
  return canonicalSignalName(number) as string;
}

// The Linux number of a canonical signal name (as returned by signalName).
export function signalNumber(name: string): number {
  const number = parseSignal(name);
  if (number === null) throw new ValueProblem(`unknown signal ${name}`);
  return number;
}
