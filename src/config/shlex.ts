// The two Python shlex behaviours supervisord relies on: shlex.split() (POSIX mode)
// for `command` (process.py get_execv_args), and the non-POSIX shlex.shlex lexer that
// datatypes.dict_of_key_value_pairs uses for `environment`.
import { ValueProblem } from './errors.ts';

const WHITESPACE = ' \t\r\n'; // shlex's whitespace, narrower than Python's isspace()
const QUOTES = `'"`;

// shlex.split(text): POSIX quoting, backslash escapes, no comments, no shell.
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let token = '';
  let inToken = false; // a quoted empty string ('') still makes a word
  let state: 'space' | 'word' | "'" | '"' = 'space';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (state === "'" || state === '"') {
      if (char === state) state = 'word';
      else if (char === '\\' && state === '"') {
        // Inside double quotes a backslash only escapes '"' and '\'.
        const next = text[++i];
        if (next === undefined) throw new ValueProblem('no escaped character after a backslash');
        token += next === '"' || next === '\\' ? next : `\\${next}`;
      } else token += char;
      continue;
    }
    if (WHITESPACE.includes(char)) {
      if (state === 'word') {
        words.push(token);
        token = '';
        inToken = false;
      }
      state = 'space';
    } else if (char === '\\') {
      const next = text[++i];
      if (next === undefined) throw new ValueProblem('no escaped character after a backslash');
      token += next;
      state = 'word';
      inToken = true;
    } else if (QUOTES.includes(char)) {
      state = char as "'" | '"';
      inToken = true;
    } else {
      token += char;
      state = 'word';
      inToken = true;
    }
  }
  if (state === "'" || state === '"') throw new ValueProblem(`no closing quotation (${state} is never closed)`);
  if (inToken) words.push(token);
  return words;
}

const ENV_WORDCHARS = new Set(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_' + '/.+-():',
);

// Tokens of shlex.shlex(text) in non-POSIX mode with wordchars += '/.+-():', exactly:
// quoted strings keep their quotes, '#' skips to the end of the line, and any other
// character (',', '=', '$', ...) is a token of its own.
export function shlexTokensNonPosix(text: string): string[] {
  const tokens: string[] = [];
  let token = '';
  let state: ' ' | 'a' | "'" | '"' = ' ';
  const skipLine = (from: number): number => {
    const newline = text.indexOf('\n', from);
    return newline === -1 ? text.length : newline + 1;
  };
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (state === "'" || state === '"') {
      token += char;
      i++;
      if (char === state) {
        tokens.push(token);
        token = '';
        state = ' ';
      }
      continue;
    }
    if (WHITESPACE.includes(char)) {
      if (state === 'a') tokens.push(token);
      token = '';
      state = ' ';
      i++;
    } else if (char === '#') {
      i = skipLine(i + 1); // in a word, non-POSIX shlex keeps building the same token
    } else if (state === 'a' && (ENV_WORDCHARS.has(char) || QUOTES.includes(char))) {
      token += char;
      i++;
    } else if (state === 'a') {
      tokens.push(token); // this char starts the next token
      token = '';
      state = ' ';
    } else if (ENV_WORDCHARS.has(char)) {
      token = char;
      state = 'a';
      i++;
    } else if (QUOTES.includes(char)) {
      token = char;
      state = char as "'" | '"';
      i++;
    } else {
      tokens.push(char);
      i++;
    }
  }
  if (state === "'" || state === '"') throw new ValueProblem(`no closing quotation (${state} is never closed)`);
  if (state === 'a' && token !== '') tokens.push(token);
  return tokens;
}
