// Program output, run by vigil as PID 1: prefixed lines on vigil's stdout,
// long and binary lines, programs that never mix, rotating files checked byte
// for byte, a full disk, SIGUSR2 after an external rename, and a slow reader
// on vigil's stdout (the program blocks, vigil's memory stays bounded).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { descendants, isAlive } from '../helpers/procfs.ts';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { FIXTURES, VIGIL, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const execFileAsync = promisify(execFile);
const TICKER = join(FIXTURES, 'output-ticker.py');
// Blocked in write(2) on a pipe: the kernel names it pipe_write or anon_pipe_write.
const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return ''; // gone meanwhile
  }
};
const count = (text: string, needle: string): number => text.split(needle).length - 1;

// Lines of `TAG NNNNNN xxx...`, `width` bytes each with the newline.
function numberedLines(tag: string, lines: number, width: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const head = `${tag} ${String(i).padStart(6, '0')} `;
    out.push(`${head}${'x'.repeat(width - head.length - 1)}\n`);
  }
  return out.join('');
}

// The `seq=N` numbers of a ticker's lines (in a file, or prefixed on vigil's
// stdout), in order.
function seqs(text: string, tag: string): number[] {
  return [...text.matchAll(new RegExp(`^(?:\\S+ +\\| )?${tag} seq=(\\d+) `, 'gm'))].map((m) => Number(m[1]));
}

function assertConsecutive(numbers: number[], what: string): void {
  numbers.forEach((n, i) => {
    if (i > 0) assert.equal(n, numbers[i - 1]! + 1, `${what}: ${numbers[i - 1]} followed by ${n}`);
  });
}

async function stop(run: VigilRun): Promise<void> {
  await run.signal('SIGTERM');
  await run.waitExit(20_000);
}

describe('output: lines on vigil stdout', () => {
  it('prefixes every line with the process name, padded to the widest name', async () => {
    const config = writeConfig(`
[program:a]
command=sh -c 'echo from a; echo "  indented"; echo'
startsecs=0
autorestart=false
[program:longname]
command=sh -c 'echo from longname >&2; echo out of longname'
startsecs=0
autorestart=false
`);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('exited: a (exit status 0');
    await run.waitForStderr('exited: longname (exit status 0');
    await run.waitForStdout('longname | out of longname');
    await run.waitForStdout('a        | ');
    const out = run.stdout();
    assert.ok(out.includes('a        | from a\n'), out);
    assert.ok(out.includes('a        |   indented\n'), out);
    assert.ok(out.includes('a        | \n'), out); // an empty line keeps its prefix
    assert.ok(out.includes('longname | out of longname\n'), out);
    // stderr lines go to vigil's stderr, prefixed the same way.
    await run.waitForStderr('longname | from longname\n');
    assert.ok(!out.includes('from longname'), out);
    await stop(run);
  });

  it('prefix padding within one group', async () => {
    const config = writeConfig(`
[program:a]
command=sh -c 'echo from a'
startsecs=0
autorestart=false
[program:longname]
command=sh -c 'echo out of longname'
startsecs=0
autorestart=false
[group:both]
programs=a,longname
`);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('a        | from a\n');
    await run.waitForStdout('longname | out of longname\n');
    await stop(run);
  });

  it('a partial line (a prompt) shows on its own after a short delay', async () => {
    const config = writeConfig(`
[program:ask]
command=sh -c 'printf "password: "; sleep 4; echo; echo answered'
startsecs=0
autorestart=false
`);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('ask | password: \n', 3_000);
    assert.ok(!run.stdout().includes('answered'), `the prompt waited for the next line: ${run.stdout()}`);
    await run.waitForStdout('ask | answered\n', 10_000);
    // The newline that ends the already shown prompt is not an extra empty line.
    assert.equal(run.stdout(), 'ask | password: \nask | answered\n');
    await stop(run);
  });

  it('a 1 MiB line arrives whole, split into prefixed lines of at most 64 KiB', async () => {
    const dir = tempDir();
    const line = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < line.length; i++) line[i] = 0x61 + (i % 26); // a..z, so order shows
    writeFileSync(join(dir, 'long'), Buffer.concat([line, Buffer.from('\nafter\n')]));
    const config = writeConfig(`
[program:long]
command=cat ${join(dir, 'long')}
startsecs=0
autorestart=false
`, dir);
    const run = startVigil(['-c', config]);
    await run.waitForStdout('long | after\n', 20_000);
    const lines = run.stdout().split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.pop(), 'long | after');
    const payloads = lines.map((text) => {
      assert.ok(text.startsWith('long | '), text.slice(0, 40));
      return text.slice('long | '.length);
    });
    for (const payload of payloads) assert.ok(payload.length <= 64 * 1024, `payload of ${payload.length} bytes`);
    assert.equal(payloads.length, 16);
    assert.ok(payloads.join('') === line.toString('latin1'), 'the pieces joined are not the original line');
    await stop(run);
  });

  it('bytes that are not UTF-8 pass through unchanged, to a file and after the prefix', async () => {
    const dir = tempDir();
    // Every byte value but '\n', invalid UTF-8 sequences, a lone '\r', then a newline.
    const bytes = Buffer.from([...Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 10), 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x0d]);
    const data = Buffer.concat([bytes, Buffer.from('\n'), Buffer.from(bytes).reverse(), Buffer.from('\n')]);
    writeFileSync(join(dir, 'binary'), data);
    const config = writeConfig(`
[program:bin]
command=cat ${join(dir, 'binary')}
startsecs=0
autorestart=false
[program:binfile]
command=cat ${join(dir, 'binary')}
startsecs=0
autorestart=false
stdout_logfile=${join(dir, 'binfile.log')}
[group:binary]
programs=bin,binfile
`, dir);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('exited: binfile (exit status 0');
    await waitFor(() => existsSync(join(dir, 'binfile.log')) && readFileSync(join(dir, 'binfile.log')).length === data.length, {
      message: 'binfile.log never held the program output',
    });
    assert.ok(readFileSync(join(dir, 'binfile.log')).equals(data), 'log file differs from what the program wrote');
    const prefix = Buffer.from('bin     | ');
    const lines = [data.subarray(0, bytes.length + 1), data.subarray(bytes.length + 1)];
    const expected = Buffer.concat(lines.flatMap((l) => [prefix, l]));
    await waitFor(() => run.stdoutBytes().length >= expected.length, {
      message: () => `stdout holds ${run.stdoutBytes().length} of ${expected.length} bytes`,
    });
    assert.ok(run.stdoutBytes().equals(expected), `stdout: ${run.stdoutBytes().toString('hex')}`);
    await stop(run);
  });

  it('two programs writing 20k lines each at once never mix within a line', async (t) => {
    const dir = tempDir();
    const lines = 20_000;
    writeFileSync(join(dir, 'one'), numberedLines('one', lines, 100));
    writeFileSync(join(dir, 'two'), numberedLines('two', lines, 100));
    // One group: both programs are started in the same tick.
    const config = writeConfig(`
[program:one]
command=cat ${join(dir, 'one')}
startsecs=0
autorestart=false
[program:two]
command=cat ${join(dir, 'two')}
startsecs=0
autorestart=false
[group:pair]
programs=one,two
`, dir);
    const run = startVigil(['-c', config]);
    await waitFor(() => count(run.stdout(), '\n') >= 2 * lines, {
      timeoutMs: 30_000,
      message: () => `stdout has ${count(run.stdout(), '\n')} of ${2 * lines} lines`,
    });
    const seen = { one: [] as number[], two: [] as number[] };
    let switches = 0;
    let previous = '';
    for (const text of run.stdout().split('\n').slice(0, -1)) {
      const match = /^(one|two) \| (one|two) (\d{6}) x{88}$/.exec(text);
      assert.ok(match, `mixed or broken line: ${JSON.stringify(text.slice(0, 200))}`);
      assert.equal(match[1], match[2], `line of ${match[2]} under the prefix of ${match[1]}`);
      seen[match[1] as 'one' | 'two'].push(Number(match[3]));
      if (previous !== '' && previous !== match[1]) switches++;
      previous = match[1]!;
    }
    for (const name of ['one', 'two'] as const) {
      assert.equal(seen[name].length, lines, name);
      assertConsecutive(seen[name], name);
    }
    // Not a requirement, but the test means little if the programs never interleaved.
    t.diagnostic(`the output switched between the programs ${switches} times`);
    await stop(run);
  });
});

describe('output: log files', () => {
  // Every pipe reads into one shared buffer (src/output/pipe-reader.ts), and
  // what a sink keeps is copied out before the next read: three log files and
  // the console streaming at once must each get exactly their own bytes.
  it('three programs streaming 8 MB each to their own log files, and one to the console, at once: every byte where it belongs', async () => {
    const dir = tempDir();
    const sources = ['a', 'b', 'c'].map((tag, k) => {
      const data = Buffer.from(numberedLines(tag, 80_000 + k * 1_000, 100));
      writeFileSync(join(dir, `data-${tag}`), data);
      return { tag, data, log: join(dir, `${tag}.log`) };
    });
    const consoleLines = numberedLines('con', 20_000, 60);
    writeFileSync(join(dir, 'data-con'), consoleLines);
    const config = writeConfig(
      sources
        .map(({ tag, log }) => `[program:${tag}]\ncommand=cat ${join(dir, `data-${tag}`)}\nstartsecs=0\nautorestart=false\nstdout_logfile=${log}\nstdout_logfile_maxbytes=0\n`)
        .join('\n') + `\n[program:con]\ncommand=cat ${join(dir, 'data-con')}\nstartsecs=0\nautorestart=false\n`,
      dir,
    );
    const run = startVigil(['-c', config]);
    for (const { tag } of sources) await run.waitForStderr(`exited: ${tag} (exit status 0`);
    for (const { tag, data, log } of sources) {
      const size = (): number => (existsSync(log) ? statSync(log).size : 0);
      await waitFor(() => size() >= data.length, { message: () => `${tag}.log holds ${size()} of ${data.length} bytes` });
      assert.ok(readFileSync(log).equals(data), `${tag}.log differs from what ${tag} wrote`);
    }
    const expected = consoleLines.split('\n').slice(0, -1);
    const seen = (): string[] => run.stdout().split('\n').filter((line) => line.startsWith('con ')).map((line) => line.replace(/^con +\| /, ''));
    await waitFor(() => seen().length >= expected.length, { message: () => `${seen().length} of ${expected.length} console lines` });
    assert.deepEqual(seen(), expected);
    await stop(run);
  });

  it('rotation under heavy writing: backups .N … .1 plus the current file are exactly what the program wrote', async () => {
    const dir = tempDir();
    // Lines of varying length (so rotation points fall anywhere) and no line
    // longer than maxbytes; ~900 KB, ~9 files of at most 100 KB.
    const parts: string[] = [];
    let total = 0;
    for (let i = 0; total < 900_000; i++) {
      const line = `${i} ${'abcdefghij'.repeat(1 + (i * 7919) % 30)}\n`;
      parts.push(line);
      total += line.length;
    }
    const data = Buffer.from(parts.join(''));
    writeFileSync(join(dir, 'data'), data);
    const log = join(dir, 'logs', 'heavy.log');
    execFileSync('mkdir', ['-p', join(dir, 'logs')]);
    const config = writeConfig(`
[program:heavy]
command=cat ${join(dir, 'data')}
startsecs=0
autorestart=false
stdout_logfile=${log}
stdout_logfile_maxbytes=100KB
stdout_logfile_backups=10
`, dir);
    const run = startVigil(['-c', config]);
    await run.waitForStderr('exited: heavy (exit status 0');
    const files = (): string[] => readdirSync(join(dir, 'logs')).sort((a, b) => suffix(b) - suffix(a));
    const suffix = (name: string): number => Number(/\.(\d+)$/.exec(name)?.[1] ?? 0);
    const joined = (): Buffer => Buffer.concat(files().map((name) => readFileSync(join(dir, 'logs', name))));
    // A rotation may rename a file between readdir and read: try again then.
    const complete = (): boolean => {
      try {
        return joined().length >= data.length;
      } catch {
        return false;
      }
    };
    await waitFor(complete, {
      message: () => `log files hold ${joined().length} of ${data.length} bytes: ${files().join(' ')}`,
    });
    const names = files();
    assert.ok(names.length >= 9 && names.length <= 11, names.join(' '));
    assert.ok(!names.includes('heavy.log.11'), names.join(' '));
    for (const name of names) {
      const size = readFileSync(join(dir, 'logs', name)).length;
      assert.ok(size <= 100 * 1024, `${name}: ${size} bytes`);
    }
    assert.ok(joined().equals(data), 'backups + current file differ from what the program wrote');
    await stop(run);
  });

  it('SIGUSR2 reopens log files after an external rename; no line lost or repeated', async () => {
    const dir = tempDir();
    const log = join(dir, 'tick.log');
    const config = writeConfig(`
[program:tick]
command=${TICKER} tick 10
startsecs=0
stdout_logfile=${log}
stdout_logfile_maxbytes=0
`, dir);
    const run = startVigil(['-c', config]);
    await waitFor(() => existsSync(log) && seqs(readFileSync(log, 'utf8'), 'tick').length >= 10, {
      message: 'the ticker never wrote 10 lines to tick.log',
    });
    renameSync(log, `${log}.1`);
    // Until the reopen, lines keep going to the renamed file (vigil's fd).
    const before = seqs(readFileSync(`${log}.1`, 'utf8'), 'tick').length;
    await waitFor(() => seqs(readFileSync(`${log}.1`, 'utf8'), 'tick').length > before + 5, {
      message: 'lines stopped going to the renamed file before SIGUSR2',
    });
    await run.signal('SIGUSR2');
    await waitFor(() => existsSync(log) && seqs(readFileSync(log, 'utf8'), 'tick').length >= 10, {
      message: () => `no new tick.log after SIGUSR2; stderr:\n${run.stderr()}`,
    });
    await stop(run);
    const old = seqs(readFileSync(`${log}.1`, 'utf8'), 'tick');
    const current = seqs(readFileSync(log, 'utf8'), 'tick');
    assert.equal(old[0], 0);
    assertConsecutive([...old, ...current], 'tick.log.1 then tick.log');
    assert.ok(run.stderr().includes('received SIGUSR2 indicating log reopen request'), run.stderr());
  });

  describe('a full disk', () => {
    // A 256 KiB tmpfs as the log directory; unmounted afterwards.
    const mountpoint = mkdtempSync(join(tmpdir(), 'vigil-full-'));
    let mounted = false;
    after(() => {
      if (mounted) execFileSync('umount', ['-l', mountpoint]);
      rmdirSync(mountpoint);
    });

    it('logs one error, keeps supervising and draining, and resumes writing once there is room', async () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountpoint]);
      mounted = true;
      const log = join(mountpoint, 'fill.log');
      // 200-byte lines every 2 ms: the disk is full after about 2.5 s.
      const config = writeConfig(`
[program:fill]
command=${TICKER} fill 2 200
startsecs=0
stdout_logfile=${log}
stdout_logfile_maxbytes=0
[program:beat]
command=${TICKER} beat 50
startsecs=0
`);
      const run = startVigil(['-c', config]);
      const error = `cannot write log file ${log}: ENOSPC`;
      await run.waitForStderr(error, 20_000);
      const fillPid = await waitFor(() => descendants(run.child.pid as number).find((p) => cmdline(p.pid).includes('fill'))?.pid, {
        message: 'no fill process',
      });
      // Supervising goes on: the other program's lines keep flowing, the
      // writer keeps running (its pipe is drained, not left to block it).
      const beats = seqs(run.stdout(), 'beat').length;
      await waitFor(() => seqs(run.stdout(), 'beat').length >= beats + 20, {
        message: () => `beat stopped flowing after ENOSPC; stdout:\n${run.stdout().slice(-500)}`,
      });
      assert.ok(isAlive(fillPid), 'the writer died');
      assert.ok(!/pipe_write$/.test(readFileSync(`/proc/${fillPid}/wchan`, 'utf8')), 'the writer is blocked on its pipe');
      assert.equal(count(run.stderr(), error), 1, `one error per episode:\n${run.stderr()}`);
      assert.ok(!run.stderr().includes('exited: fill'), run.stderr());

      // Make room: the file is gone, vigil opens a new one and writes again.
      rmSync(log);
      await run.waitForStderr(`log file ${log} is writable again`, 10_000);
      await waitFor(() => existsSync(log) && seqs(readFileSync(log, 'utf8'), 'fill').length >= 20, {
        message: () => `nothing new in ${log}; stderr:\n${run.stderr()}`,
      });
      const resumed = seqs(readFileSync(log, 'utf8'), 'fill');
      assertConsecutive(resumed.slice(1), 'lines after the disk has room again');
      await stop(run);
      assertConsecutive(seqs(run.stdout(), 'beat'), 'beat');
    });
  });
});

describe('output: a slow reader on vigil stdout', () => {
  it('blocks the program, keeps vigil memory bounded and responsive, and loses nothing', async (t) => {
    const dir = tempDir();
    const line = 'y'.repeat(99);
    const lines = 2_000_000; // 200 MB
    const log = join(dir, 'side.log');
    const config = writeConfig(`
[program:flood]
command=sh -c 'yes ${line} | head -n ${lines}'
startsecs=0
autorestart=false
[program:side]
command=${TICKER} side 20
startsecs=0
stdout_logfile=${log}
stdout_logfile_maxbytes=0
`, dir);
    const run = startVigil(['-c', config], { stdout: 'manual' });
    const vigilPid = await run.vigilPid();
    const rssMiB = (): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${vigilPid}/status`, 'utf8'))?.[1]) / 1024;
    const head = await waitFor(() => descendants(vigilPid).find((p) => p.comm === 'head')?.pid, { message: 'head never started' });
    const written = (): number => Number(/^wchar: (\d+)/m.exec(readFileSync(`/proc/${head}/io`, 'utf8'))?.[1]);

    // Nobody reads vigil's stdout: head ends up blocked in write(2) after
    // what the pipes and vigil's bounded buffers hold.
    let peak = 0;
    await waitFor(
      async () => {
        peak = Math.max(peak, rssMiB());
        const a = written();
        await new Promise((resolve) => setTimeout(resolve, 300));
        return a === written() && /pipe_write$/.test(readFileSync(`/proc/${head}/wchan`, 'utf8'));
      },
      { timeoutMs: 20_000, message: () => `head never blocked; it wrote ${written()} bytes` },
    );
    const blockedAfter = written();
    assert.ok(blockedAfter < 50 * 1024 * 1024, `head wrote ${blockedAfter} bytes with nobody reading`);

    // vigil stays responsive: ctl answers, the other program's file grows.
    const sideBefore = seqs(readFileSync(log, 'utf8'), 'side').length;
    const { stdout: status } = await execFileAsync(process.execPath, [VIGIL, 'ctl', '-c', config, 'status'], { timeout: 10_000 });
    assert.match(status, /flood\s+RUNNING/);
    assert.match(status, /side\s+RUNNING/);
    await waitFor(() => seqs(readFileSync(log, 'utf8'), 'side').length >= sideBefore + 10, {
      message: 'side.log stopped growing while stdout was blocked',
    });
    peak = Math.max(peak, rssMiB());
    // While the program is blocked, vigil holds only its bounded buffers.
    const stalledPeak = peak;
    assert.ok(stalledPeak < 100, `vigil's RSS reached ${stalledPeak.toFixed(1)} MiB while stdout was blocked`);

    // Now read: every line arrives, whole, and memory stays bounded throughout.
    const expectedLine = `flood | ${line}\n`;
    const expectedBytes = lines * expectedLine.length;
    let received = 0;
    let tail = '';
    let broken = 0;
    const stdout = run.child.stdout!;
    stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      // Check line shapes chunk by chunk without keeping 200 MB around.
      const text = tail + chunk.toString('latin1');
      const cut = text.lastIndexOf('\n') + 1;
      for (const piece of text.slice(0, cut).split('\n').slice(0, -1)) if (`${piece}\n` !== expectedLine) broken++;
      tail = text.slice(cut);
    });
    stdout.resume();
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 50);
    try {
      await waitFor(() => received >= expectedBytes, {
        timeoutMs: 60_000,
        message: () => `received ${received} of ${expectedBytes} bytes`,
      });
    } finally {
      clearInterval(sampler);
    }
    assert.equal(received, expectedBytes);
    assert.equal(broken, 0);
    assert.equal(tail, '');
    // While 200 MB flow at full speed, RSS also carries pipe read buffers not
    // yet garbage-collected (V8 collects external memory in steps of about
    // 64 MiB; decorated output reuses pooled buffers); measured 93-96 MiB.
    // Far below the volume: nothing is buffered without limit.
    assert.ok(peak < 150, `vigil's RSS reached ${peak.toFixed(1)} MiB while draining 200 MB`);
    t.diagnostic(`vigil RSS ${stalledPeak.toFixed(1)} MiB while blocked, peak ${peak.toFixed(1)} MiB; head blocked after ${blockedAfter} bytes`);
    await run.waitForStderr('exited: flood (exit status 0', 10_000);
    await stop(run);
  });
});
