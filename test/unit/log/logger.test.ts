// vigil's own logger: supervisord-like text, pino-shaped JSON lines, levels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, logAt } from '../../../src/log/logger.ts';
import type { LogFormat, LogLevelName } from '../../../src/log/logger.ts';

function capture(format: LogFormat, level: LogLevelName = 'info'): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger({ format, level, sink: { write: (line) => void lines.push(line) } }) };
}

describe('logger', () => {
  it('text: supervisord layout, fields as key=value, an error stack on the next line', () => {
    const { lines, logger } = capture('text');
    logger.info("spawned: 'web' with pid 42");
    logger.warn({ pid: 7, argv: ['a', 'b'] }, 'odd');
    const error = Object.assign(new Error('boom'), { code: 'EBOOM' });
    logger.error({ err: error, pid: 9 }, 'failed');
    assert.match(lines[0] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO spawned: 'web' with pid 42\n$/);
    assert.match(lines[1] as string, / WARN odd pid=7 argv=\["a","b"\]\n$/);
    assert.match(lines[2] as string, / ERRO failed pid=9\nError: boom\n    at /);
    assert.ok((lines[2] as string).endsWith('\n'));
    // A process record's structured fields stay out of the text (its sentence says them).
    logger.info({ program: 'web', pid: 42, extra: 1 }, "spawned: 'web' with pid 42");
    assert.match(lines[3] as string, / INFO spawned: 'web' with pid 42 extra=1\n$/);
  });

  it('json: one pino-shaped record per line, err serialized with its code', () => {
    const { lines, logger } = capture('json', 'debug');
    logger.debug({ pid: 3 }, 'hello');
    logger.error(new Error('direct'));
    const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['level', 'time', 'name', 'pid', 'msg']);
    assert.equal(first.level, 20);
    assert.equal(first.name, 'vigil');
    assert.match(String(first.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const second = JSON.parse(lines[1] as string) as { level: number; msg: string; err: { type: string; message: string; stack: string } };
    assert.equal(second.level, 50);
    assert.equal(second.msg, 'direct');
    assert.equal(second.err.type, 'Error');
    assert.match(second.err.stack, /^Error: direct\n/);
  });

  it('levels below the threshold are dropped; supervisord names map (critical, blather)', () => {
    const { lines, logger } = capture('text', 'warn');
    logger.info('no');
    logger.debug('no');
    logAt(logger, 'critical', 'yes critical');
    logAt(logger, 'blather', 'no blather');
    logger.warn('yes warn');
    assert.equal(lines.length, 2, lines.join(''));
    assert.match(lines[0] as string, / CRIT yes critical\n$/);
    assert.match(lines[1] as string, / WARN yes warn\n$/);
  });

  it('a field that cannot be serialized does not throw', () => {
    const { lines, logger } = capture('json');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.info({ cyclic, big: 10n }, 'still logged');
    assert.equal(lines.length, 1);
  });
});
