// Lines typed by the user, for the interactive shell and `fg`. node:readline
// is loaded only here, so one-shot commands do not pay for it.
import type { Interface } from 'node:readline';
import type { CtlIo } from './session.ts';

export interface LineReader {
  // Shows `prompt` (if any) and resolves to the next line without its newline,
  // or null at end of input or on Ctrl-C (`interrupted` then says so).
  next(prompt?: string): Promise<string | null>;
  interrupted: boolean;
  close(): void;
}

export async function openLineReader(io: CtlIo): Promise<LineReader> {
  const { createInterface } = await import('node:readline');
  const input = io.stdin ?? process.stdin;
  const terminal = io.stdin === undefined && process.stdin.isTTY === true && process.stdout.isTTY === true;
  // On a terminal readline echoes, edits and keeps history; otherwise the
  // prompt is written as Python's input() does, to stdout before reading.
  const rl: Interface = terminal
    ? createInterface({ input, output: process.stdout, terminal: true, historySize: 100 })
    : createInterface({ input, terminal: false });
  const queue: string[] = [];
  let ended = false;
  let waiter: (() => void) | undefined;
  const wake = (): void => {
    const resolve = waiter;
    waiter = undefined;
    resolve?.();
  };
  rl.on('line', (line) => {
    queue.push(line);
    wake();
  });
  rl.on('close', () => {
    ended = true;
    wake();
  });
  const reader: LineReader = {
    interrupted: false,
    async next(prompt) {
      if (prompt !== undefined) {
        if (terminal) {
          rl.setPrompt(prompt);
          rl.prompt();
        } else io.stdout(prompt);
      }
      while (queue.length === 0 && !ended) await new Promise<void>((resolve) => (waiter = resolve));
      return queue.shift() ?? null;
    },
    close: () => rl.close(),
  };
  rl.on('SIGINT', () => {
    reader.interrupted = true;
    rl.close();
  });
  return reader;
}
