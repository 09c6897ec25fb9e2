// Python %-format with a mapping, as supervisord's expand() uses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expand } from '../../../src/config/expand.ts';
import { ValueProblem } from '../../../src/config/errors.ts';

const names = { program_name: 'web', process_num: 7, numprocs: 3, ENV_HOME: '/root', here: '/etc', neg: -5 };

const good: Array<[string, string]> = [
  ['plain text', 'plain text'],
  ['100%%', '100%'],
  ['%%(program_name)s', '%(program_name)s'],
  ['%(program_name)s', 'web'],
  ['%(process_num)d', '7'],
  ['%(process_num)02d', '07'],
  ['%(process_num)03d-%(numprocs)d', '007-3'],
  ['[%(process_num)5d]', '[    7]'],
  ['[%(process_num)-4d]', '[7   ]'],
  ['%(process_num)+d', '+7'],
  ['%(process_num) d', ' 7'],
  ['%(neg)04d', '-005'],
  ['%(process_num).3d', '007'],
  ['%(process_num)x %(process_num)o %(process_num)#x %(process_num)#o', '7 7 0x7 0o7'],
  ['%(numprocs)s', '3'],
  ['%(program_name).2s', 'we'],
  ['%(program_name)6s|', '   web|'],
  ['%(program_name)r', "'web'"],
  ['%(process_num)ld', '7'],
  ['%(process_num).2f', '7.00'],
  ['%(process_num)e', '7.000000e+00'],
  ['%(process_num)g', '7'],
  ['%(ENV_HOME)s/.cache', '/root/.cache'],
];

for (const [template, expected] of good) {
  test(`expand: ${template}`, () => assert.equal(expand(template, names), expected));
}

const bad: Array<[string, RegExp]> = [
  ['%(nope)s', /unknown name %\(nope\).*available names: here, neg, numprocs, process_num, program_name, ENV_HOME/],
  ['%(program_name)d', /real number is required, not str/],
  ['50%', /not followed by \(name\)/],
  ['%s', /not followed by \(name\)/],
  ['%(program_name', /incomplete format key/],
  ['%(program_name)', /incomplete format/],
  ['%(program_name)z', /unsupported format character 'z' \(0x7a\)/],
];

for (const [template, message] of bad) {
  test(`expand refuses: ${template}`, () => {
    assert.throws(() => expand(template, names), (error: unknown) => error instanceof ValueProblem && message.test(error.message));
  });
}

test('expand: many ENV_ names are summarised in the error', () => {
  const many: Record<string, string> = { here: '/' };
  for (let i = 0; i < 30; i++) many[`ENV_V${i}`] = 'x';
  assert.throws(() => expand('%(x)s', many), /available names: here, ENV_<NAME> for each of 30 environment variables/);
});
