// The HTTP side of the supervisord faces over a MemoryApi: POST /RPC2 and the
// /logtail and /mainlogtail streams.
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
    const got = await stream(h.socket, '/mainlogtail', 'vigil started');
    assert.equal(got.status, 200);
  });
});
