// supervisorctl's interactive shell (`vigil ctl` with no command): `status`
// first, then a `supervisor> ` prompt (the [supervisorctl] prompt= value)
// reading one command per line until quit, exit, end of input or Ctrl-C.
// Like supervisorctl, its exit status is always 0.
import { executeLine } from './dispatch.ts';
import { openLineReader } from './line-reader.ts';
import { EXIT } from './session.ts';
import type { Session } from './session.ts';

// cmd.Cmd.parseline: `?x` is `help x`; the command is the leading word.
export function splitCommandLine(line: string): string[] {
  const trimmed = line.trim();
  const text = trimmed.startsWith('?') ? `help ${trimmed.slice(1)}` : trimmed;
  return text.split(/\s+/).filter((word) => word !== '');
}

export async function runShell(session: Session): Promise<number> {
  const reader = await openLineReader(session.io);
  session.lines = reader;
  session.interactive = true;
  const prompt = `${session.target.prompt ?? 'supervisor'}> `;
  try {
    await executeLine(session, ['status']);
    for (;;) {
      const line = await reader.next(prompt);
      if (line === null) {
        // EOF (do_EOF) and Ctrl-C (KeyboardInterrupt) both end on an empty line.
        session.output('');
        break;
      }
      if (await executeLine(session, splitCommandLine(line))) break;
    }
  } finally {
    reader.close();
  }
  return EXIT.SUCCESS;
}
