// The HTTP side of the supervisord faces over a MemoryApi: POST /RPC2, the
// /logtail and /mainlogtail streams, and the JSON routes that share their
// ControlApi calls (/maintail, /stdin, /add, /remove).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startHarness } from '../harness.ts';
import type { Harness } from '../harness.ts';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(socketPath: string, method: string, path: string, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method, path, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Reads a chunked stream until `until` shows up, then hangs up.
function stream(socketPath: string, path: string, until: string): Promise<{ status: number; text: string; headers: Reply['headers'] }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path}: never saw ${JSON.stringify(until)}`)), 5000);
    const req = request({ socketPath, path, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(until)) {
          clearTimeout(timer);
          req.destroy();
          resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
        }
      });
    });
    req.on('error', () => undefined);
    req.end();
  });
}

describe('supervisord faces over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('answers POST /RPC2 (and any path under it) with text/xml', async () => {
    const body = '<?xml version="1.0"?><methodCall><methodName>supervisor.getAPIVersion</methodName><params></params></methodCall>';
    for (const path of ['/RPC2', '/RPC2/anything']) {
      const reply = await call(h.socket, 'POST', path, body);
      assert.equal(reply.status, 200);
      assert.equal(reply.headers['content-type'], 'text/xml');
      assert.match(reply.body, /<value><string>3\.0<\/string><\/value>/);
    }
  });

  it('streams /logtail/NAME[/stderr]: the backlog, then live output', async () => {
    h.api.emit('web:web_00', 'stdout', 'before\n');
    const pending = stream(h.socket, '/logtail/web:web_00', 'after');
    await new Promise((resolve) => setTimeout(resolve, 50));
    h.api.emit('web:web_00', 'stdout', 'after\n');
    const got = await pending;
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'text/plain;charset=utf-8');
    assert.equal(got.headers['transfer-encoding'], 'chunked');
    assert.equal(got.text, 'before\nafter\n');
    assert.equal((await call(h.socket, 'GET', '/logtail/nosuch')).status, 404);
    assert.equal((await call(h.socket, 'GET', '/logtail/web')).status, 404, "no guessing: 'web' is not web:web_00");
    assert.equal((await call(h.socket, 'GET', '/logtail/worker/stdbad')).status, 404);
    assert.equal((await call(h.socket, 'POST', '/logtail/worker')).status, 400);
  });

  it('streams /mainlogtail', async () => {
    const got = await stream(h.socket, '/mainlogtail', 'supervisord started');
    assert.equal(got.status, 200);
  });

  it('serves the JSON routes beside them: maintail, stdin, add, remove', async () => {
    const tail = JSON.parse((await call(h.socket, 'GET', '/maintail?bytes=8')).body) as { data: string };
    assert.equal(tail.data, 'started\n');
    const sent = await call(h.socket, 'POST', '/stdin', JSON.stringify({ name: 'worker', data: 'hi\n' }));
    assert.equal(sent.status, 200, sent.body);
    assert.deepEqual(h.api.stdinWrites, ['worker:worker hi\n']);
    assert.equal((await call(h.socket, 'POST', '/stdin', JSON.stringify({ name: 'cron', data: 'x' }))).status, 409, 'NOT_RUNNING');
    h.api.changes = { added: ['extra'], changed: [], removed: [] };
    const added = JSON.parse((await call(h.socket, 'POST', '/add', JSON.stringify({ groups: ['extra', 'extra', 'nosuch'] }))).body) as { results: unknown[] };
    assert.deepEqual(added.results, [
      { name: 'extra', ok: true },
      { name: 'extra', ok: false, fault: 'ALREADY_ADDED', message: 'extra' },
      { name: 'nosuch', ok: false, fault: 'BAD_NAME', message: 'nosuch' },
    ]);
    const removed = JSON.parse((await call(h.socket, 'POST', '/remove', JSON.stringify({ groups: ['extra', 'worker'] }))).body) as { results: unknown[] };
    assert.deepEqual(removed.results, [
      { name: 'extra', ok: true },
      { name: 'worker', ok: false, fault: 'STILL_RUNNING', message: 'worker' },
    ]);
  });
});
