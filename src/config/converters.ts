// One converter per value type, mirroring supervisor/datatypes.py. Each takes the
// (expanded) text and returns the typed value or throws ValueProblem saying what
// is accepted; the caller adds file:line, section and key.
import { ValueProblem } from './errors.ts';
import { shlexTokensNonPosix } from './shlex.ts';

export type AutoRestart = 'true' | 'false' | 'unexpected';
export type LogLevel = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

// Python's int(str): surrounding whitespace, a sign and '_' between digits are allowed.
export function parsePyInt(text: string): number | undefined {
  const match = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
  if (match === null) return undefined;
  const value = Number(`${match[1]}${(match[2] as string).replace(/_/g, '')}`);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function integer(text: string): number {
  const value = parsePyInt(text);
  if (value === undefined) throw new ValueProblem(`'${text}' is not an integer; expected a whole number such as 10`);
  return value;
}

// RangeCheckedConversion(integer, min, max).
export function boundedInteger(min: number | undefined, max: number | undefined): (text: string) => number {
  return (text) => {
    const value = integer(text);
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
      const range = max === undefined ? `at least ${min}` : min === undefined ? `at most ${max}` : `${min} to ${max}`;
      throw new ValueProblem(`${value} is out of range; expected ${range}`);
    }
    return value;
  };
}

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export function boolean(text: string): boolean {
  const lower = text.toLowerCase();
  if (TRUTHY.includes(lower)) return true;
  if (FALSY.includes(lower)) return false;
  throw new ValueProblem(`'${text}' is not a boolean; expected true/yes/on/1 or false/no/off/0`);
}

// SuffixMultiplier({'kb','mb','gb'}): case-insensitive suffix, else plain bytes.
export function byteSize(text: string): number {
  const lower = text.toLowerCase();
  const multipliers: Record<string, number> = { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  const suffix = lower.slice(-2);
  const multiplier = multipliers[suffix];
  const number = parsePyInt(multiplier === undefined ? lower : lower.slice(0, -2));
  if (number === undefined) {
    throw new ValueProblem(`'${text}' is not a byte size; expected bytes or a number with KB, MB or GB, e.g. 50MB`);
  }
  return number * (multiplier ?? 1);
}

// list_of_strings: comma-separated, each item stripped; empty text is an empty list.
export function listOfStrings(text: string): string[] {
  return text === '' ? [] : text.split(',').map((item) => item.trim());
}

// list_of_exitcodes: comma-separated integers 0-255; empty text is an empty list.
export function listOfExitcodes(text: string): number[] {
  if (text === '') return [];
  return text.split(',').map((item) => {
    const code = parsePyInt(item);
    if (code === undefined || code < 0 || code > 255) {
      throw new ValueProblem(`'${text}' is not a list of exit codes; expected comma-separated numbers 0-255, e.g. 0,2`);
    }
    return code;
  });
}

// octal_type: int(text, 8), so '022', '0o22' and '22' are all 18.
export function octal(text: string): number {
  const match = /^\s*([+-]?)(?:0[oO]_?)?([0-7]+(?:_[0-7]+)*)\s*$/.exec(text);
  if (match === null) throw new ValueProblem(`'${text}' is not an octal number; expected e.g. 022 or 0o022`);
  const value = parseInt((match[2] as string).replace(/_/g, ''), 8);
  return match[1] === '-' ? -value : value;
}

export function autoRestart(text: string): AutoRestart {
  const lower = text.toLowerCase();
  if (TRUTHY.includes(lower)) return 'true';
  if (FALSY.includes(lower)) return 'false';
  if (lower === 'unexpected') return 'unexpected';
  throw new ValueProblem(`'${text}' is not an autorestart policy; expected true, false or unexpected`);
}

// dict_of_key_value_pairs: KEY=val,KEY2="v,2" via the non-POSIX shlex lexer. Like
// supervisord, the token after each value is skipped whatever it is (normally ',')
// and quotes are stripped from both ends of the value. `skipped` lists the skipped
// tokens other than ',' (`A=hello world` silently drops `world` in supervisord).
export function keyValuePairsWithSkipped(text: string): { pairs: Record<string, string>; skipped: string[] } {
  const tokens = shlexTokensNonPosix(text);
  const pairs: Record<string, string> = {};
  const skipped: string[] = [];
  for (let i = 0; i < tokens.length; i += 4) {
    const [key, equals, value] = tokens.slice(i, i + 3);
    if (key === undefined || equals !== '=' || value === undefined) {
      throw new ValueProblem(
        `unexpected end of key/value pairs in '${text}'; expected KEY=value pairs separated by commas, ` +
          `with values containing spaces, commas or other punctuation in quotes: KEY="a, b",K2=v2`,
      );
    }
    pairs[key] = value.replace(/^['"]+|['"]+$/g, '');
    const separator = tokens[i + 3];
    if (separator !== undefined && separator !== ',') skipped.push(separator);
  }
  return { pairs, skipped };
}

export function keyValuePairs(text: string): Record<string, string> {
  return keyValuePairsWithSkipped(text).pairs;
}

// process_or_group_name: stripped, and without ' ', ':' or '/' (they break the
// event listener protocol and the web UI's URLs).
export function processOrGroupName(text: string): string {
  const name = text.trim();
  for (const character of [' ', ':', '/']) {
    if (name.includes(character)) {
      throw new ValueProblem(`invalid name '${text}' because of character '${character}'; names may not contain space, ':' or '/'`);
    }
  }
  return name;
}

const LOG_LEVELS: readonly LogLevel[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

export function loggingLevel(text: string): LogLevel {
  const lower = text.toLowerCase() as LogLevel;
  if (LOG_LEVELS.includes(lower)) return lower;
  throw new ValueProblem(`'${text}' is not a log level; expected one of ${LOG_LEVELS.join(', ')}`);
}

const portNumber = boundedInteger(1, 0xffff);

// inet_address: `port`, `host:port` or `*:port`; host '' means all interfaces.
export function inetAddress(text: string): { host: string; port: number } {
  const colon = text.lastIndexOf(':');
  if (colon === -1) return { host: '', port: portNumber(text) };
  const host = text.slice(0, colon).toLowerCase();
  const portText = text.slice(colon + 1);
  if (portText === '') throw new ValueProblem(`no port number in '${text}'; expected [host:]port, e.g. 127.0.0.1:9001`);
  return { host: host === '*' ? '' : host, port: portNumber(portText) };
}

// datatypes.url: a scheme and a location, e.g. unix:///run/vigil.sock or http://127.0.0.1:9001.
export function url(text: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(text);
  if (match === null || (match[2] as string).replace(/^\/\//, '') === '') {
    throw new ValueProblem(`'${text}' is not a URL; expected e.g. unix:///run/vigil.sock or http://127.0.0.1:9001`);
  }
  return text;
}

// One of a fixed set of lower-case words (vigil's own keys).
export function oneOf<T extends string>(choices: readonly T[]): (text: string) => T {
  return (text) => {
    const lower = text.toLowerCase() as T;
    if (choices.includes(lower)) return lower;
    throw new ValueProblem(`'${text}' is not accepted; expected one of ${choices.join(', ')}`);
  };
}
