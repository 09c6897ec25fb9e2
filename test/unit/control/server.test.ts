// The control server over real sockets: permissions, stale and live sockets,
// auth, and the bad-input cases (malformed HTTP, bad JSON, sizes, timeouts,
// floods), with no file descriptor leaked.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { startControlServer } from '../../../src/control/server.ts';
import { ControlServerError } from '../../../src/control/errors.ts';
import { makeStaleSocket, memoryLogger, runCtlCaptured, startHarness } from './harness.ts';
import { waitFor } from '../../helpers/wait.ts';
import { MemoryApi } from './memory-api.ts';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(target: { socketPath: string } | { port: number }, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, host: '127.0.0.1', method, path, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Writes raw bytes and collects everything until the server closes.
function raw(path: string, data: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let text = '';
    const timer = setTimeout(() => reject(new Error(`server did not close within ${timeoutMs} ms; got ${JSON.stringify(text)}`)), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    if (data !== '') socket.write(data);
  });
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('control server', () => {
  it('creates the socket with mode 0700 by default, or the configured mode, and removes it on close', async () => {
    const h = await startHarness();
    assert.equal(statSync(h.socket).mode & 0o777, 0o700);
    await h.server.close();
    assert.throws(() => statSync(h.socket), /ENOENT/);
    const server = await startControlServer({ api: h.api, unix: { path: h.socket, chmod: 0o770 }, logger: memoryLogger([]) });
    assert.equal(statSync(h.socket).mode & 0o777, 0o770);
    assert.ok(statSync(h.socket).isSocket());
    await server.close();
    await h.close();
  });

  it('replaces a stale socket file', async () => {
    const h = await startHarness();
    await h.server.close();
    await makeStaleSocket(h.socket);
    assert.ok(statSync(h.socket).isSocket(), 'the stale socket is there');
    const server = await startControlServer({ api: h.api, unix: { path: h.socket }, logger: memoryLogger([]) });
    assert.equal((await call({ socketPath: h.socket }, 'GET', '/version')).status, 200);
    await server.close();
    await h.close();
  });

  it('refuses to start when a live vigil answers on the socket, and leaves it alone', async () => {
    const h = await startHarness();
    await assert.rejects(
      startControlServer({ api: new MemoryApi(), unix: { path: h.socket }, logger: memoryLogger([]) }),
      (error: unknown) => error instanceof ControlServerError && error.code === 'ECONTROL_IN_USE' && error.message === `another vigil is already listening on ${h.socket} (pid ${process.pid})`,
    );
    assert.equal((await call({ socketPath: h.socket }, 'GET', '/version')).status, 200, 'the first one still serves');
    await h.close();
  });

  it('refuses to replace a path that is not a socket', async () => {
    const h = await startHarness();
    const file = `${h.dir}/regular`;
    writeFileSync(file, 'keep me');
    await assert.rejects(startControlServer({ api: h.api, unix: { path: file }, logger: memoryLogger([]) }), /exists and is not a socket/);
    await h.close();
  });

  describe('TCP with basic auth', () => {
    const start = (password: string, logLines: string[] = []): ReturnType<typeof startControlServer> =>
      startControlServer({ api: new MemoryApi(), inet: { host: '127.0.0.1', port: 0, username: 'admin', password }, logger: memoryLogger(logLines) });
    const basic = (user: string, pass: string): Record<string, string> => ({ Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });

    it('accepts the right plain password, 401 without detail otherwise, and never logs it', async () => {
      const logLines: string[] = [];
      const server = await start('s3cret-pw', logLines);
      const port = server.inetPort as number;
      assert.equal((await call({ port }, 'GET', '/version', undefined, basic('admin', 's3cret-pw'))).status, 200);
      for (const headers of [{}, basic('admin', 'wrong'), basic('root', 's3cret-pw'), { Authorization: 'Basic !!!' }, { Authorization: 'Bearer x' }]) {
        const reply = await call({ port }, 'GET', '/status', undefined, headers);
        assert.equal(reply.status, 401);
        assert.deepEqual(JSON.parse(reply.body), { error: { fault: 'UNAUTHORIZED', message: 'unauthorized' } });
        assert.equal(reply.headers['www-authenticate'], 'Basic realm="default"');
      }
      const ctl = await runCtlCaptured(['-s', `http://127.0.0.1:${port}`, '-u', 'admin', '-p', 's3cret-pw', 'status', 'worker']);
      assert.equal(ctl.code, 0);
      const denied = await runCtlCaptured(['-s', `http://127.0.0.1:${port}`, '-u', 'admin', '-p', 'nope', 'status']);
      assert.deepEqual(denied, { code: 1, stdout: 'Server requires authentication\n', stderr: '' });
      await server.close();
      assert.ok(logLines.length > 0);
      assert.ok(!logLines.join('').includes('s3cret-pw'), 'the password is not in the log');
    });

    it('accepts {SHA} hashed passwords', async () => {
      const server = await start(`{SHA}${createHash('sha1').update('hashed-pw').digest('hex')}`);
      const port = server.inetPort as number;
      assert.equal((await call({ port }, 'GET', '/version', undefined, basic('admin', 'hashed-pw'))).status, 200);
      assert.equal((await call({ port }, 'GET', '/version', undefined, basic('admin', 'wrong'))).status, 401);
      await server.close();
    });

    it('refuses a non-loopback address without credentials, with one clear error', async () => {
      for (const host of ['0.0.0.0', '*', '', '::', '10.1.2.3']) {
        await assert.rejects(
          startControlServer({ api: new MemoryApi(), inet: { host, port: 0 }, logger: memoryLogger([]) }),
          (error: unknown) => error instanceof ControlServerError && error.code === 'ECONTROL_INSECURE' && /without credentials/.test(error.message),
        );
      }
      const local = await startControlServer({ api: new MemoryApi(), inet: { host: '127.0.0.1', port: 0 }, logger: memoryLogger([]) });
      assert.equal((await call({ port: local.inetPort as number }, 'GET', '/version')).status, 200);
      await local.close();
    });
  });

  describe('bad input', () => {
    it('answers every bad request with a clear status and keeps serving', async () => {
      const h = await startHarness({ limits: { maxBodyBytes: 1024 } });
      const target = { socketPath: h.socket };
      const fdsBefore = openFds();

      const garbage = await raw(h.socket, 'HELLO THERE\r\n\x00\x01\r\n\r\n');
      assert.match(garbage, /^HTTP\/1\.1 400 Bad Request/);
      assert.match(garbage, /"fault":"INCORRECT_PARAMETERS"/);

      const badJson = await call(target, 'POST', '/start', '{"names": [web', { 'Content-Type': 'application/json' });
      assert.equal(badJson.status, 400);
      assert.match(JSON.parse(badJson.body).error.message, /^invalid JSON body: /);

      const notObject = await call(target, 'POST', '/start', '[1,2]');
      assert.equal(notObject.status, 400);
      const badField = await call(target, 'POST', '/start', '{"names":"web"}');
      assert.equal(badField.status, 400);
      assert.equal(JSON.parse(badField.body).error.fault, 'BAD_ARGUMENTS');

      const unknown = await call(target, 'GET', '/nope');
      assert.equal(unknown.status, 404);
      assert.equal(JSON.parse(unknown.body).error.fault, 'UNKNOWN_METHOD');

      const method = await call(target, 'GET', '/start');
      assert.equal(method.status, 405);
      assert.equal(method.headers['allow'], 'POST');

      const badName = await call(target, 'POST', '/stop', '{"names":["nope","ghost:*"]}');
      assert.equal(badName.status, 404);
      assert.deepEqual(JSON.parse(badName.body), { error: { fault: 'BAD_NAME', message: 'no such process: nope; no such group: ghost' } });
      assert.equal((await call(target, 'GET', '/status?name=nope')).status, 404);
      assert.equal((await call(target, 'GET', '/tail?name=nope')).status, 404);

      const big = JSON.stringify({ names: ['x'.repeat(4096)] });
      const tooLarge = await call(target, 'POST', '/start', big);
      assert.equal(tooLarge.status, 413);
      assert.equal(JSON.parse(tooLarge.body).error.fault, 'TOO_LARGE');
      // Chunked, so the size is only known while reading.
      const chunked = await call(target, 'POST', '/start', big, { 'Transfer-Encoding': 'chunked' });
      assert.equal(chunked.status, 413);

      const hugeHeader = await raw(h.socket, `GET /version HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
      assert.match(hugeHeader, /^HTTP\/1\.1 431/);

      h.api.throwOnProcesses = true;
      const crash = await call(target, 'GET', '/status');
      assert.equal(crash.status, 500);
      assert.deepEqual(JSON.parse(crash.body), { error: { fault: 'FAILED', message: 'internal error; see the vigil log' } });
      assert.ok(h.logLines.some((line) => line.includes('request handler failed') && line.includes('boom')), 'the exception is logged');
      h.api.throwOnProcesses = false;

      assert.equal((await call(target, 'GET', '/version')).status, 200, 'still serving');
      // At most as many as before: an fd of an earlier test may still have
      // been closing when fdsBefore was read (seen once in CI: 34 after, 35
      // before), and this test's own sockets close asynchronously.
      await waitFor(() => openFds() <= fdsBefore, { timeoutMs: 3000, message: () => `no file descriptor leaked: ${openFds()} open, ${fdsBefore} before` });
      await h.close();
    });

    it('disconnects a client that connects and says nothing', async () => {
      const h = await startHarness({ limits: { headersTimeoutMs: 200, requestTimeoutMs: 400, idleTimeoutMs: 300 } });
      const fdsBefore = openFds();
      const started = Date.now();
      const answer = await raw(h.socket, '', 5000);
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 2000, `closed after ${elapsed} ms`);
      assert.ok(answer === '' || /^HTTP\/1\.1 408/.test(answer), `got ${JSON.stringify(answer)}`);
      // A client that sends half its headers and stalls is dropped too.
      const half = await raw(h.socket, 'GET /version HTTP/1.1\r\nHost: x\r\n', 5000);
      assert.ok(half === '' || /^HTTP\/1\.1 408/.test(half), `got ${JSON.stringify(half)}`);
      assert.equal((await call({ socketPath: h.socket }, 'GET', '/version')).status, 200);
      // At most as many as before: an fd of an earlier test may still have
      // been closing when fdsBefore was read (seen once in CI: 34 after, 35
      // before), and this test's own sockets close asynchronously.
      await waitFor(() => openFds() <= fdsBefore, { timeoutMs: 3000, message: () => `no file descriptor leaked: ${openFds()} open, ${fdsBefore} before` });
      await h.close();
    });

    it('1,000 connections at once: each answered or cleanly refused, then serving as before, no fd leak', async () => {
      const h = await startHarness({ limits: { maxConnections: 200 } });
      const fdsBefore = openFds();
      const outcomes = await Promise.all(
        Array.from({ length: 1000 }, () =>
          call({ socketPath: h.socket }, 'GET', '/status?name=worker').then(
            (reply) => (reply.status === 200 ? 'answered' : `status ${reply.status}`),
            (error: NodeJS.ErrnoException) => `refused:${error.code}`,
          ),
        ),
      );
      const counts = new Map<string, number>();
      for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
      const summary = JSON.stringify(Object.fromEntries(counts));
      for (const outcome of counts.keys()) {
        assert.ok(outcome === 'answered' || /^refused:(ECONNRESET|EAGAIN|ECONNREFUSED|EPIPE)$/.test(outcome), `unexpected outcome ${outcome} in ${summary}`);
      }
      assert.ok((counts.get('answered') ?? 0) >= 200, `at least maxConnections answered: ${summary}`);
      assert.equal((await call({ socketPath: h.socket }, 'GET', '/version')).status, 200);
      // Sockets close asynchronously after the last reply.
      await waitFor(() => openFds() <= fdsBefore, { timeoutMs: 3000, message: () => `no file descriptor leaked (${summary}): ${openFds()} open, ${fdsBefore} before` });
      await h.close();
    });

    it('a request still being answered outlives the idle limit; an idle connection does not', async () => {
      const h = await startHarness({ limits: { idleTimeoutMs: 200 } });
      h.api.startDelayMs = 1000; // a /start waiting out startsecs, quiet for 5 idle periods
      const reply = await call({ socketPath: h.socket }, 'POST', '/start', JSON.stringify({ names: ['cron'] }), { 'Content-Type': 'application/json' });
      assert.equal(reply.status, 200, reply.body);
      assert.match(reply.body, /"ok":true/);
      const idle = await raw(h.socket, '', 5000); // says nothing: closed after the idle limit
      assert.ok(idle === '' || /^HTTP\/1\.1 408/.test(idle), `got ${JSON.stringify(idle)}`);
      await h.close();
    });

    it('a client that hangs up mid-body is logged at debug, one line, no stack trace', async () => {
      const h = await startHarness();
      for (const path of ['/restart', '/stop', '/start', '/signal']) {
        // Promises 500 bytes, sends 9, hangs up once the server has read them.
        const socket = connect(h.socket);
        socket.on('error', () => undefined);
        socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"names":`);
        await new Promise((resolve) => socket.once('drain', resolve).write('', resolve));
        socket.destroy();
      }
      await waitFor(() => h.logLines.filter((line) => /client went away/.test(line)).length === 4, {
        timeoutMs: 5000,
        message: () => `four 'client went away' lines; log: ${h.logLines.join('')}`,
      });
      const loud = h.logLines.filter((line) => /ERRO|request handler failed|\n\s+at /.test(line));
      assert.deepEqual(loud, []);
      assert.equal((await call({ socketPath: h.socket }, 'GET', '/version')).status, 200);
      await h.close();
    });

    it('drops a tail -f reader that does not read, without blocking the producer', async () => {
      const h = await startHarness({ limits: { maxFollowBufferBytes: 64 * 1024 } });
      const socket = connect(h.socket);
      socket.pause(); // never reads
      socket.write('GET /tail?name=worker&follow=1 HTTP/1.1\r\nHost: x\r\n\r\n');
      await waitFor(() => h.api.followerCount() === 1, { timeoutMs: 5000, message: 'the tail -f reader to subscribe' });
      const line = `${'x'.repeat(1023)}\n`;
      for (let i = 0; i < 20000 && h.api.followerCount() > 0; i++) {
        h.api.emit('worker:worker', 'stdout', line);
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(h.api.followerCount(), 0, 'the slow reader was dropped and unsubscribed');
      socket.destroy();
      await h.close();
    });
  });
});
