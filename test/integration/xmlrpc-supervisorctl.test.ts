// Debian's real supervisorctl against vigil (as PID 1) and against real
// supervisord, with the same config and the same commands: every command's
// output and exit code must be the same (pids, uptimes, dates and versions
// normalised). This is the "drop-in" promise for deploy scripts, health checks
// and Ansible's supervisorctl module.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/config.ts';
import { SUPERVISORCTL, SUPERVISORD, startProcess, supervisorctl } from '../helpers/supervisorctl.ts';
import type { CtlRun } from '../helpers/supervisorctl.ts';
import { startVigil } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const HEAD = `[supervisord]
logfile=%(here)s/main.log
pidfile=%(here)s/supervisord.pid
childlogdir=%(here)s

[unix_http_server]
file=%(here)s/ctl.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://%(here)s/ctl.sock
`;

const PROGRAMS = `
[program:echoer]
command=sh -c 'echo ready; while read l; do echo "got $l"; done'
stdout_logfile=%(here)s/echoer.out
stderr_logfile=%(here)s/echoer.err

[program:trapper]
command=sh -c 'trap "echo got-hup" HUP; echo started; while true; do sleep 0.1; done'
stdout_logfile=%(here)s/trapper.out
stopasgroup=true
killasgroup=true

[program:sleeper]
command=sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
stdout_logfile=%(here)s/sleeper-%(process_num)s.out

[program:quick]
command=sh -c 'exit 3'
autostart=false
startretries=0
; long enough that even a loaded machine sees the exit within it
startsecs=10
stdout_logfile=%(here)s/quick.out
`;

const CONFIG_1 = `${HEAD}${PROGRAMS}
[program:manual]
command=sleep 1000
autostart=false
stdout_logfile=%(here)s/manual.out

[program:badcmd]
command=/nonexistent/cmd
autostart=false
`;

// reread/update: `added` is new, `manual` changed, `badcmd` gone.
const CONFIG_2 = `${HEAD}${PROGRAMS}
[program:manual]
command=sleep 999
autostart=false
stdout_logfile=%(here)s/manual.out

[program:added]
command=sleep 1000
stdout_logfile=%(here)s/added.out
`;

type Step =
  | { run: string[]; unordered?: boolean; outputIgnored?: boolean; version?: boolean }
  | { fg: string; input: string; expect: string }
  | { follow: string[]; expect: string; outputIgnored?: boolean }
  | { settle: true }
  | { config: string };

const STEPS: Step[] = [
  { run: ['status'] },
  { run: ['status', 'echoer', 'sleeper:*'] },
  { run: ['status', 'nosuch', 'nogroup:*'] },
  { run: ['start', 'manual'] },
  { run: ['start', 'manual'] },
  { run: ['start', 'badcmd'] },
  { run: ['start', 'quick'] },
  { run: ['start', 'nosuch'] },
  { run: ['start', 'nogroup:*'] },
  { run: ['start'] },
  { run: ['stop', 'sleeper:*'], unordered: true },
  { run: ['stop', 'sleeper:sleeper_00'] },
  { run: ['start', 'sleeper:*'], unordered: true },
  { run: ['restart', 'echoer'] },
  { run: ['signal', 'HUP', 'trapper'] },
  { run: ['signal', 'FOO', 'trapper'] },
  { run: ['signal', 'HUP', 'quick'] },
  { run: ['signal', 'HUP', 'nosuch'] },
  { run: ['signal', 'USR1'] },
  { run: ['pid'] },
  { run: ['pid', 'echoer'] },
  { run: ['pid', 'quick'] },
  { run: ['pid', 'nosuch'] },
  { run: ['status'] },
  { fg: 'echoer', input: 'abc\n', expect: 'got abc' },
  { run: ['tail', 'echoer'] },
  { run: ['tail', '-8', 'echoer'] },
  { run: ['tail', 'echoer', 'stderr'] },
  { run: ['tail', 'nosuch'] },
  { run: ['tail', 'echoer', 'stdbad'] },
  { follow: ['tail', '-f', 'echoer'], expect: 'got abc' },
  { run: ['clear', 'echoer'] },
  { run: ['tail', 'echoer'] },
  { run: ['clear', 'nosuch'] },
  { run: ['fg', 'quick'] },
  { run: ['fg', 'nosuch'] },
  { run: ['maintail'], outputIgnored: true },
  { follow: ['maintail', '-f'], expect: ' INFO ', outputIgnored: true },
  { run: ['avail'] },
  { run: ['version'], version: true },
  { config: CONFIG_2 },
  { run: ['reread'] },
  { run: ['avail'] },
  { run: ['update'] },
  { settle: true },
  { run: ['status'] },
  { run: ['remove', 'added'] },
  { run: ['stop', 'added'] },
  { run: ['remove', 'added'] },
  { run: ['remove', 'nosuch'] },
  { run: ['add', 'added'] },
  { run: ['add', 'added'] },
  { run: ['add', 'nosuch'] },
  { settle: true },
  { run: ['update', 'nosuch'] },
  { run: ['reread'] },
  { run: ['reload'] },
  { settle: true },
  { run: ['status'] },
  { run: ['shutdown'] },
];

// What differs between two correct runs: pids, uptimes, stop times, versions, paths.
function normalise(text: string, dir: string): string {
  return text
    .split(dir)
    .join('DIR')
    .replace(/pid \d+, uptime \d+:\d\d:\d\d/g, 'pid N, uptime T')
    .replace(/\b[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M\b/g, 'DATE')
    .replace(/^\d+$/gm, 'N')
    // vigil's spawnerr says how the program exited and its last output line
    // (issue 10, on purpose) where supervisord points at the process log.
    .replace(/Exited too quickly \(.*\)$/gm, 'Exited too quickly (DETAIL)');
}

interface Daemon {
  dir: string;
  config: string;
  stop(): void;
  exited(): Promise<unknown>;
}

function startSupervisord(): Daemon {
  const dir = tempDir('vigil-xmlrpc-sd-');
  const config = join(dir, 'supervisord.conf');
  writeFileSync(config, CONFIG_1);
  const run = startProcess(SUPERVISORD, ['-n', '-c', config], { cwd: dir, timeoutMs: 1_200_000 });
  return { dir, config, stop: () => run.child.kill('SIGKILL'), exited: () => run.done };
}

function startVigilDaemon(): Daemon {
  const dir = tempDir('vigil-xmlrpc-v-');
  const config = join(dir, 'supervisord.conf');
  writeFileSync(config, CONFIG_1);
  const run = startVigil(['-c', config], { cwd: dir });
  return { dir, config, stop: () => run.kill(), exited: () => run.exited };
}

// Until the socket answers and nothing is STARTING any more.
async function settle(daemon: Daemon): Promise<void> {
  let last: CtlRun | undefined;
  await waitFor(
    async () => {
      last = await supervisorctl(daemon.config, 'status');
      return last.code !== 4 && last.code !== 1 && !/STARTING|STOPPING|BACKOFF/.test(last.stdout);
    },
    { timeoutMs: 30_000, intervalMs: 200, message: () => `${daemon.dir}: never settled; last status:\n${last?.stdout}${last?.stderr}` },
  );
}

function entry(result: CtlRun, dir: string, ignore = false, unordered = false, version = false): string {
  let output = normalise(result.stdout, dir);
  // vigil answers its own version (README: differences from supervisord).
  if (version) output = output.replace(/^\d+\.\d+\.\d+\S*$/m, 'VERSION');
  if (unordered) output = output.split('\n').sort().join('\n');
  return `${ignore ? '(output not compared)' : output}exit ${result.code ?? result.signal}`;
}

async function runScenario(daemon: Daemon): Promise<string[]> {
  const transcript: string[] = [];
  await settle(daemon);
  for (const step of STEPS) {
    if (process.env.VIGIL_TEST_TRACE) process.stderr.write(`${daemon.dir}: ${JSON.stringify(step).slice(0, 80)}\n${transcript.at(-1) ?? ''}\n`);
    if ('settle' in step) {
      await settle(daemon);
      continue;
    }
    if ('config' in step) {
      writeFileSync(daemon.config, step.config);
      continue;
    }
    if ('run' in step) {
      const result = await supervisorctl(daemon.config, ...step.run);
      transcript.push(`$ supervisorctl ${step.run.join(' ')}\n${entry(result, daemon.dir, step.outputIgnored, step.unordered, step.version)}`);
      continue;
    }
    if ('fg' in step) {
      // fg sends each line typed to the program's stdin and shows its output.
      const run = startProcess(SUPERVISORCTL, ['-c', daemon.config, 'fg', step.fg]);
      await run.waitOutput('==> Press Ctrl-C to exit <==');
      run.child.stdin?.write(step.input);
      await run.waitOutput(step.expect);
      run.child.stdin?.end();
      transcript.push(`$ supervisorctl fg ${step.fg} <<< ${JSON.stringify(step.input)}\n${entry(await run.done, daemon.dir)}`);
      continue;
    }
    const run = startProcess(SUPERVISORCTL, ['-c', daemon.config, ...step.follow]);
    await run.waitOutput(step.expect);
    run.child.kill('SIGINT'); // Ctrl-C: supervisorctl prints an empty line and exits 0
    transcript.push(`$ supervisorctl ${step.follow.join(' ')} ^C\n${entry(await run.done, daemon.dir, step.outputIgnored)}`);
  }
  if (process.env.VIGIL_TEST_TRACE) process.stderr.write(`${daemon.dir}: waiting for exit\n${transcript.at(-1) ?? ''}\n`);
  await daemon.exited();
  if (process.env.VIGIL_TEST_TRACE) process.stderr.write(`${daemon.dir}: exited\n`);
  const after = await supervisorctl(daemon.config, 'status');
  transcript.push(`$ supervisorctl status (after shutdown)\n${entry(after, daemon.dir)}`);
  return transcript;
}

describe('the real supervisorctl against vigil and against supervisord', { skip: !existsSync(SUPERVISORD) && 'supervisor is not installed' }, () => {
  it('gives the same output and exit code for every command', { timeout: 1_200_000 }, async () => {
    const reference = startSupervisord();
    const vigil = startVigilDaemon();
    try {
      const [expected, actual] = await Promise.all([runScenario(reference), runScenario(vigil)]);
      const differences = expected.flatMap((want, i) => (actual[i] === want ? [] : [`--- supervisord:\n${want}\n+++ vigil:\n${actual[i]}`]));
      assert.equal(actual.length, expected.length, 'both transcripts have every step');
      assert.deepEqual(differences, [], `${differences.length} of ${expected.length} commands differ:\n${differences.join('\n')}`);
    } finally {
      reference.stop();
      vigil.stop();
    }
  });
});
