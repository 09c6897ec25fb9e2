// The reaper under stress as PID 1: libuv's children (child_process) and vigil's
// native children both keep every exit status while orphans die all around.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { FIXTURES } from '../helpers/vigil.ts';

it('loses no exit status while orphans are reaped (child_process + native spawns)', async () => {
  const harness = join(FIXTURES, 'reaper-harness.ts');
  const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '--import', 'tsx', harness, '400'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 200_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(killer);
  assert.equal(code, 0, `harness failed: ${out}\n${err}`);
  const result = JSON.parse(out.trim()) as { rounds: number; libuvOk: number; nativeOk: number; orphansReaped: number; duringSpawn: number };
  assert.equal(result.libuvOk, 400, 'every child_process exit event arrived with its code');
  assert.equal(result.nativeOk, 400, 'every native spawn exit arrived with its code');
  assert.ok(result.orphansReaped > 100, `orphans reaped meanwhile: ${result.orphansReaped}`);
  // Orphans are reaped while a spawn is in flight (they used to wait for it).
  assert.ok(result.duringSpawn >= 20, `orphans reaped while a spawn was in flight: ${result.duringSpawn} of 20`);
});
