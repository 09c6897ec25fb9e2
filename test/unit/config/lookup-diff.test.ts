// Config lookup order and reload diffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigNotFoundError, diffConfigs, findConfigPath, loadConfig } from '../../../src/config/index.ts';
import { writeConfig, writeConfigFiles } from './helpers.ts';

test('lookup: $VIGIL_CONFIG wins, and a missing one is an error, not a fall-through', () => {
  const directory = writeConfigFiles({ 'vigil.conf': '', 'custom.conf': '' });
  assert.equal(findConfigPath({ VIGIL_CONFIG: 'custom.conf' }, directory), join(directory, 'custom.conf'));
  assert.throws(() => findConfigPath({ VIGIL_CONFIG: 'nope.conf' }, directory), /\$VIGIL_CONFIG names .*nope.conf, which does not exist/);
});

test('lookup: ./vigil.conf before ./supervisord.conf before ./etc/supervisord.conf', () => {
  const both = writeConfigFiles({ 'vigil.conf': '', 'supervisord.conf': '' });
  assert.equal(findConfigPath({}, both), join(both, 'vigil.conf'));
  const supervisordOnly = writeConfigFiles({ 'supervisord.conf': '', 'etc/supervisord.conf': '' });
  if (!existsSync('/etc/vigil.conf')) {
    assert.equal(findConfigPath({}, supervisordOnly), join(supervisordOnly, 'supervisord.conf'));
  }
});

test('lookup: the error names every path tried', () => {
  const empty = writeConfigFiles({});
  if (['/etc/vigil.conf', '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf'].some(existsSync)) return;
  assert.throws(() => findConfigPath({}, empty), (error: unknown) => {
    assert.ok(error instanceof ConfigNotFoundError);
    assert.equal(error.code, 'ENOCONFIG');
    for (const path of [join(empty, 'vigil.conf'), '/etc/vigil.conf', join(empty, 'supervisord.conf'), join(empty, 'etc/supervisord.conf'), '/etc/supervisord.conf', '/etc/supervisor/supervisord.conf']) {
      assert.ok(error.message.includes(path), `${path} missing from: ${error.message}`);
    }
    return true;
  });
});

function load(text: string): ReturnType<typeof loadConfig>['config'] {
  return loadConfig(writeConfig(text), {}).config;
}

test('diff: added, changed and removed groups, by supervisord rules', () => {
  const before = load('[program:same]\ncommand=x\n[program:edited]\ncommand=x\n[program:gone]\ncommand=x\n[group:g]\nprograms=member\n[program:member]\ncommand=m\n');
  const after = load('\n\n[program:new]\ncommand=x\n[program:edited]\ncommand=y\n[program:same]\ncommand=x\n[group:g]\nprograms=member\n[program:member]\ncommand=m\npriority=5\n');
  assert.deepEqual(diffConfigs(before, after), { added: ['new'], changed: ['edited', 'g'], removed: ['gone'] });
});

test('diff: moving a section is no change; a group priority or [supervisord] environment is', () => {
  const base = load('[program:a]\ncommand=x\n');
  assert.deepEqual(diffConfigs(base, load('\n\n\n[program:a]\ncommand=x\n')), { added: [], changed: [], removed: [] });
  assert.deepEqual(diffConfigs(base, load('[program:a]\ncommand=x\npriority=1\n')).changed, ['a']);
  assert.deepEqual(diffConfigs(base, load('environment=X=1\n[program:a]\ncommand=x\n')).changed, ['a']);
});

test('diff: a program that becomes an event listener is changed', () => {
  assert.deepEqual(diffConfigs(load('[program:a]\ncommand=x\n'), load('[eventlistener:a]\ncommand=x\nevents=TICK_5\npriority=999\n')).changed, ['a']);
});
