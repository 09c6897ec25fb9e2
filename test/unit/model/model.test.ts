// The process model: the signal table (RT signals included), exit statuses,
// and the rule that src/model imports nothing of vigil's.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  canonicalSignalName,
  exitCodeOf,
  exitDescription,
  normalSignalName,
  parseSignal,
  signalName,
} from '../../../src/model/index.ts';

describe('model: signals', () => {
  const parsed: [string, number | null][] = [
    ['TERM', 15], ['sigterm', 15], ['SIGTERM', 15], ['15', 15], [' hup ', 1], ['IOT', 6],
    ['RTMIN', 34], ['SIGRTMIN+1', 35], ['rtmax-1', 63], ['RTMAX', 64], ['34', 34], ['35', 35],
    ['0', null], ['65', null], ['32', null], ['NOPE', null], ['RTMIN+31', null], ['', null],
  ];
  for (const [text, want] of parsed) {
    it(`parseSignal(${JSON.stringify(text)}) = ${want}`, () => assert.equal(parseSignal(text), want));
  }
  it('names every Linux signal number, RT ones as kill -l does', () => {
    assert.equal(signalName(9), 'SIGKILL');
    assert.equal(signalName(34), 'SIGRTMIN');
    assert.equal(signalName(36), 'SIGRTMIN+2');
    assert.equal(signalName(62), 'SIGRTMAX-2');
    assert.equal(signalName(99), 'signal 99');
    assert.equal(canonicalSignalName(33), null);
    assert.equal(normalSignalName('int'), 'SIGINT');
  });
  it('every name it prints parses back to the same number', () => {
    for (let number = 1; number <= 64; number++) {
      const name = canonicalSignalName(number);
      if (name !== null) assert.equal(parseSignal(name), number, name);
    }
  });
});

describe('model: exit status', () => {
  const rows: [{ code: number | null; signal: number | null }, number, string][] = [
    [{ code: 0, signal: null }, 0, 'exit status 0'],
    [{ code: 3, signal: null }, 3, 'exit status 3'],
    [{ code: null, signal: 9 }, 137, 'terminated by SIGKILL'],
    [{ code: null, signal: 15 }, 143, 'terminated by SIGTERM'],
    // A real-time signal keeps its number: 128+34, never -1.
    [{ code: null, signal: 34 }, 162, 'terminated by SIGRTMIN'],
    [{ code: null, signal: 64 }, 192, 'terminated by SIGRTMAX'],
    [{ code: null, signal: null }, 255, 'unknown termination cause'],
    [{ code: -1, signal: null }, 255, 'exit status -1'],
  ];
  for (const [status, code, text] of rows) {
    it(`${JSON.stringify(status)} -> ${code}, "${text}"`, () => {
      assert.equal(exitCodeOf(status), code);
      assert.equal(exitDescription(status), text);
    });
  }
});

describe('model: a leaf', () => {
  const root = join(import.meta.dirname, '../../../src');
  const filesUnder = (dir: string): string[] =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(dir, file));
  const importsOf = (file: string): string[] =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1] as string);

  it('src/model imports only node: modules and itself', () => {
    for (const file of filesUnder('model')) {
      for (const spec of importsOf(file)) {
        assert.ok(spec.startsWith('node:') || /^\.\/[\w-]+\.ts$/.test(spec), `${file} imports ${spec}`);
      }
    }
  });
  it('nothing in src/supervisor or src/process imports src/control or src/ctl', () => {
    for (const file of [...filesUnder('supervisor'), ...filesUnder('process')]) {
      for (const spec of importsOf(file)) {
        assert.ok(!/\/(control|ctl)\//.test(spec), `${file} imports ${spec}`);
      }
    }
  });
});
