// `vigil ctl` against vigil as PID 1 beside Debian's real supervisorctl against
// real supervisord, on the same config: every command both have, step by step,
// compares stdout and the exit code (pids, uptimes and dates normalised).
// The differences vigil keeps on purpose are in README's one list; the
// commands below that show one say so.
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/config.ts';
import { runCommand, startSupervisord } from '../helpers/supervisord.ts';
import type { CtlResult, Supervisord } from '../helpers/supervisord.ts';
import { VIGIL, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

// Programs ignore HUP (the disposition survives exec) so `signal HUP` leaves them running.
const KEEP = `sh -c "trap '' HUP; exec sleep 1000"`;

function programs(dir: string): string {
  return `
[program:web]
command=${KEEP}
process_name=%(program_name)s_%(process_num)02d
numprocs=2
startsecs=0
stdout_logfile=${dir}/web_%(process_num)02d.log
[program:echo]
command=sh -c "trap '' HUP; echo hello-out; echo hello-err >&2; exec sleep 1000"
startsecs=0
stdout_logfile=${dir}/echo.out
stderr_logfile=${dir}/echo.err
[program:cat]
command=cat
startsecs=0
stdout_logfile=${dir}/cat.out
[program:idle]
command=${KEEP}
autostart=false
startsecs=0
stdout_logfile=${dir}/idle.out
[program:oneshot]
command=sh -c "sleep 0.3"
startsecs=0
autorestart=false
stdout_logfile=${dir}/oneshot.out
[program:broken]
command=false
startsecs=1
startretries=0
stdout_logfile=${dir}/broken.out
[group:backend]
programs=crasher,worker
[program:crasher]
command=${KEEP}
startsecs=0
stdout_logfile=${dir}/crasher.out
[program:worker]
command=${KEEP}
startsecs=0
autostart=false
stdout_logfile=${dir}/worker.out
`;
}

interface Side {
  name: string;
  config: string;
  ctl(args: readonly string[], input?: string): Promise<CtlResult>;
}

// What legitimately differs between two runs: pids, uptimes, stop dates; and
// the detail vigil gives where supervisord says "process log may have
// details" (the exit status and last stderr line: README's differences).
export function normalize(text: string): string {
  return text
    .replace(/Exited too quickly \(.*\)$/gm, 'Exited too quickly (DETAIL)')
    .replace(/pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d/g, 'pid N, uptime U')
    .replace(/[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M/g, 'DATE')
    .replace(/^\d+$/gm, (pid) => (pid === '0' ? '0' : 'N'));
}

const show = (r: CtlResult): string => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

// Polls status until no process is between states.
async function settle(side: Side, also: (stdout: string) => boolean = () => true): Promise<void> {
  let last: CtlResult | undefined;
  await waitFor(
    async () => {
      last = await side.ctl(['status']);
      return !/ (STARTING|BACKOFF|STOPPING) /.test(last.stdout) && also(last.stdout) && last.stdout !== '';
    },
    { timeoutMs: 30_000, intervalMs: 200, message: () => `${side.name} never settled; last status: ${last ? show(last) : 'none'}` },
  );
}

describe('ctl parity: vigil ctl prints what supervisorctl prints', () => {
  let supervisord: Supervisord;
  let vigil: VigilRun;
  let reference: Side;
  let ours: Side;

  before(async () => {
    const sdDir = tempDir('vigil-parity-sd-');
    const vDir = tempDir('vigil-parity-v-');
    supervisord = await startSupervisord(sdDir, programs(sdDir));
    reference = { name: 'supervisord', config: supervisord.config, ctl: supervisord.ctl };
    const config = join(vDir, 'vigil.conf');
    writeFileSync(config, `[supervisord]\nlogfile=${vDir}/vigil.log\n[unix_http_server]\nfile=${vDir}/vigil.sock\n${programs(vDir)}`);
    vigil = startVigil(['-c', config]);
    ours = { name: 'vigil', config, ctl: (args, input) => runCommand(process.execPath, [VIGIL, 'ctl', '-c', config, ...args], input) };
    const ready = (stdout: string): boolean => /oneshot +EXITED/.test(stdout) && /broken +FATAL/.test(stdout);
    await Promise.all([settle(reference, ready), settle(ours, ready)]);
  });
  after(() => {
    supervisord?.kill();
    vigil?.kill();
  });

  // Runs `args` on both sides and compares stdout and exit code. `anyOrder`:
  // several processes stopping at once, which supervisord lists in the order
  // its reap() happened to see them die (a process already reaped when its
  // turn comes is answered at once, before the ones it waits for); vigil
  // lists them in process order.
  async function same(args: string[], input?: string, anyOrder = false): Promise<CtlResult> {
    const [theirs, mine] = await Promise.all([reference.ctl(args, input), ours.ctl(args, input)]);
    const what = `vigil ctl ${args.join(' ')}`;
    const lines = (text: string): string => (anyOrder ? normalize(text).split('\n').sort().join('\n') : normalize(text));
    assert.equal(lines(mine.stdout), lines(theirs.stdout), `${what}: stdout differs\nsupervisorctl: ${show(theirs)}\nvigil ctl: ${show(mine)}`);
    assert.equal(mine.code, theirs.code, `${what}: exit code differs\nsupervisorctl: ${show(theirs)}\nvigil ctl: ${show(mine)}`);
    return mine;
  }

  const settleBoth = (): Promise<unknown> => Promise.all([settle(reference), settle(ours)]);

  it('status: all, a group, unknown names, EXITED and FATAL (exit 3), RUNNING only (exit 0)', async () => {
    await same(['status']);
    await same(['status', 'web:*']);
    await same(['status', 'nope']);
    await same(['status', 'web:*', 'nope']);
    await same(['status', 'backend:*']);
    await same(['status', 'oneshot']);
    await same(['status', 'broken']);
  });

  it('signal: all and GROUP:* skip members that are not running; single names, unknown names, bad signals', async () => {
    await same(['signal', 'HUP', 'all']);
    await same(['signal', 'HUP', 'web:*']);
    await same(['signal', 'HUP', 'backend:*']);
    await same(['signal', 'HUP', 'idle']);
    await same(['signal', 'HUP', 'nope']);
    await same(['signal', 'HUP', 'nope:*']);
    await same(['signal', 'BOGUS', 'web:web_00']);
    await same(['signal']);
  });

  it('pid: supervisor, a process, not running (exit 7), unknown (exit 1), all', async () => {
    await same(['pid']);
    await same(['pid', 'web:web_00']);
    await same(['pid', 'idle']);
    await same(['pid', 'nope']);
    await same(['pid', 'all']);
  });

  it('tail: stdout, stderr, sizes (any size accepted), unknown names and groups, bad arguments', async () => {
    await same(['tail', 'echo']);
    await same(['tail', 'echo', 'stderr']);
    await same(['tail', '-9', 'echo']);
    await same(['tail', '-99999999', 'echo']);
    await same(['tail', 'nope']);
    await same(['tail', 'web:*']);
    await same(['tail', '-x', 'echo']);
    await same(['tail', 'echo', 'bogus']);
    await same(['tail']);
  });

  it('clear: a process, then its tail is empty; unknown names', async () => {
    await same(['clear', 'echo']);
    await same(['tail', 'echo']);
    await same(['clear', 'nope']);
  });

  it('start and stop: single, again, unknown process and group, no name', async () => {
    await same(['start', 'idle']);
    await same(['start', 'idle']);
    await same(['start', 'nope']);
    await same(['start', 'nope:*']);
    await same(['start']);
    await same(['stop', 'idle']);
    await same(['stop', 'idle']);
    await same(['stop', 'nope']);
    await same(['stop', 'nope:*']);
    await same(['restart']);
  });

  it('groups: start/stop/restart GROUP:* print only the members acted on', async () => {
    await same(['start', 'web:*']);
    await same(['start', 'backend:*']);
    await same(['stop', 'backend:*'], undefined, true);
    await same(['stop', 'backend:*']);
    await same(['restart', 'web:*'], undefined, true);
    await settleBoth();
    await same(['status']);
  });

  it('all: stop all, start all (a spawn error exits 7), restart all', async () => {
    await same(['stop', 'all'], undefined, true);
    await same(['stop', 'all']);
    await settleBoth();
    await same(['status']);
    await same(['start', 'all']);
    await settleBoth();
    await same(['restart', 'all'], undefined, true);
    await settleBoth();
    await same(['start', 'all']);
  });

  it('add and remove: still running, removed, added, already active, unknown', async () => {
    await same(['remove', 'backend']);
    await same(['stop', 'backend:*'], undefined, true);
    await same(['remove', 'backend']);
    await same(['status']);
    await same(['add', 'backend']);
    await same(['add', 'backend']);
    await same(['add', 'nope', 'other']);
    await same(['remove', 'nope']);
    await settleBoth();
  });

  it('reread and update: no changes, an added program, an unknown group', async () => {
    await same(['reread']);
    for (const side of [reference, ours]) appendFileSync(side.config, `\n[program:extra]\ncommand=${KEEP}\nstartsecs=0\n`);
    await same(['reread']);
    await same(['update', 'nope']);
    await same(['update']);
    await settleBoth();
    await same(['status', 'extra']);
    await same(['update']);
  });

  it('help, unknown commands, maintail arguments, fg refusals', async () => {
    await same(['help']);
    for (const topic of ['tail', 'maintail', 'fg', 'quit', 'nosuch']) await same(['help', topic]);
    await same(['bogus', 'x']);
    await same(['maintail', 'x']);
    await same(['maintail', '-x']);
    await same(['fg']);
    await same(['fg', 'nope']);
    await same(['fg', 'oneshot']); // EXITED: "process not running"
  });

  it('the interactive shell: status first, a prompt per line, unknown syntax, quit', async () => {
    await same([], 'status web:*\n\nbogus x\nhelp quit\npid nope\n');
    await same([], 'status echo\nquit\nstatus\n');
  });

  it('differences kept on purpose: version and maintail show vigil, not supervisord', async () => {
    const [theirs, mine] = await Promise.all([reference.ctl(['version']), ours.ctl(['version'])]);
    assert.equal(theirs.stdout, '4.2.5\n');
    assert.match(mine.stdout, /^\d+\.\d+\.\d+\S*\n$/);
    assert.equal(mine.code, theirs.code);
    const log = await ours.ctl(['maintail', '-2000']);
    assert.equal(log.code, 0, show(log));
    assert.match(log.stdout, /INFO spawned: '\w+' with pid \d+/);
  });
});

describe('ctl parity: status exit codes while starting and backing off', () => {
  let supervisord: Supervisord;
  let vigil: VigilRun;
  const sides: Side[] = [];
  const body = `
[program:slow]
command=sleep 1000
startsecs=600
[program:flappy]
command=false
startsecs=1
startretries=1000
`;

  before(async () => {
    const sdDir = tempDir('vigil-parity-sd-');
    const vDir = tempDir('vigil-parity-v-');
    supervisord = await startSupervisord(sdDir, body);
    const config = join(vDir, 'vigil.conf');
    writeFileSync(config, `[supervisord]\n[unix_http_server]\nfile=${vDir}/vigil.sock\n${body}`);
    vigil = startVigil(['-c', config]);
    sides.push({ name: 'supervisord', config: supervisord.config, ctl: supervisord.ctl });
    sides.push({ name: 'vigil', config, ctl: (args, input) => runCommand(process.execPath, [VIGIL, 'ctl', '-c', config, ...args], input) });
  });
  after(() => {
    supervisord?.kill();
    vigil?.kill();
  });

  // The first status of `name` in `state` on each side (states come and go).
  async function caught(side: Side, name: string, state: string): Promise<CtlResult> {
    let last: CtlResult | undefined;
    return waitFor(
      async () => {
        last = await side.ctl(['status', name]);
        return new RegExp(`^${name} +${state} `).test(last.stdout) ? last : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 50, message: () => `${side.name}: ${name} never ${state}; last: ${last ? show(last) : 'none'}` },
    );
  }

  it('STARTING and BACKOFF exit 0, as supervisorctl (they count as running)', async () => {
    for (const [name, state] of [['slow', 'STARTING'], ['flappy', 'BACKOFF']] as const) {
      const [theirs, mine] = await Promise.all(sides.map((side) => caught(side, name, state)));
      assert.equal(normalize(mine!.stdout), normalize(theirs!.stdout), `status ${name}\nsupervisorctl: ${show(theirs!)}\nvigil ctl: ${show(mine!)}`);
      assert.equal(mine!.code, 0, show(mine!));
      assert.equal(theirs!.code, 0, show(theirs!));
    }
  });
});
