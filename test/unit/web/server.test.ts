// The web page's server side against a MemoryApi: the page's files and their
// headers, the event stream (snapshot, coalesced changes, rows added and
// removed, no watcher left behind), and the cross-site refusals.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import type { ChangesEvent, StatusEvent } from '../../../src/control/protocol.ts';
import { startHarness } from '../control/harness.ts';
import { processInfo } from '../control/memory-api.ts';
import { freePort, httpCall } from '../../helpers/net.ts';
import { waitFor } from '../../helpers/wait.ts';

interface EventClient {
  events: { event: string; data: unknown }[];
  response: IncomingMessage;
  close(): void;
}

// Opens GET /events and parses what arrives.
function openEvents(socketPath: string): Promise<EventClient> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path: '/events', agent: false }, (response) => {
      const events: EventClient['events'] = [];
      let buffer = '';
      response.setEncoding('utf8').on('data', (text: string) => {
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      });
      resolve({ events, response, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web page server side', () => {
  it('serves the page with a strict CSP, no framing, and 304 for an unchanged ETag', async () => {
    const h = await startHarness();
    try {
      const page = await httpCall({ socketPath: h.socket }, { path: '/' });
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /<title>vigil<\/title>/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'none'.*script-src 'self'/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      const again = await httpCall({ socketPath: h.socket }, { path: '/index.html', headers: { 'If-None-Match': String(page.headers.etag) } });
      assert.equal(again.status, 304);
      for (const path of ['/app.js', '/app.css']) assert.equal((await httpCall({ socketPath: h.socket }, { path })).status, 200, path);
      assert.equal((await httpCall({ socketPath: h.socket }, { method: 'POST', path: '/' })).status, 405);
    } finally {
      await h.close();
    }
  });

  it('pushes the whole table, then only what changed, coalesced, including rows added and removed', async () => {
    const h = await startHarness();
    try {
      const client = await openEvents(h.socket);
      assert.match(String(client.response.headers['content-type']), /^text\/event-stream/);
      await waitFor(() => client.events.length >= 1, { message: 'no first event' });
      const first = client.events[0] as { event: string; data: StatusEvent };
      assert.equal(first.event, 'status');
      assert.deepEqual(first.data.processes.map((p) => `${p.group}:${p.name}`).sort(), h.api.processList.map((p) => `${p.group}:${p.name}`).sort());
      // A stop through the API shows up as one change.
      assert.equal((await httpCall({ socketPath: h.socket }, { method: 'POST', path: '/stop', body: '{"names":["worker"]}' })).status, 200);
      await waitFor(() => client.events.length >= 2, { message: 'no change event after a stop' });
      const change = client.events[1] as { event: string; data: ChangesEvent };
      assert.equal(change.event, 'changes');
      assert.deepEqual(change.data.changed.map((p) => [p.name, p.statename]), [['worker', 'STOPPED']]);
      // A burst of notifications with one real change is one message.
      h.api.processList.push(processInfo('extra', 'extra', 'STOPPED'));
      h.api.processList = h.api.processList.filter((p) => p.name !== 'cron');
      for (let i = 0; i < 100; i++) h.api.notify();
      await waitFor(() => client.events.length >= 3, { message: 'no change event after add/remove' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(client.events.length, 3, JSON.stringify(client.events.slice(2)));
      const membership = client.events[2] as { event: string; data: ChangesEvent };
      assert.deepEqual(membership.data.changed.map((p) => p.name), ['extra']);
      assert.deepEqual(membership.data.removed, ['cron:cron']);
      // Notifications that change nothing send nothing.
      h.api.notify();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(client.events.length, 3);
      client.close();
      await waitFor(() => h.api.watchers.size === 0, { message: 'the feed still watches the API with no page open' });
    } finally {
      await h.close();
    }
  });

  it('tail?follow=1&bytes=N starts the stream with the last N bytes (the page asks for more than 1 KiB)', async () => {
    const h = await startHarness();
    try {
      h.api.emit('worker:worker', 'stdout', 'line one\nline two\n');
      const first = await new Promise<string>((resolve, reject) => {
        const req = request({ socketPath: h.socket, path: '/tail?name=worker&follow=1&bytes=9', agent: false }, (res) => {
          res.setEncoding('utf8').once('data', (text: string) => {
            resolve(text);
            req.destroy();
          });
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(first, 'line two\n');
    } finally {
      await h.close();
    }
  });

  it('ends open event streams when the server closes', async () => {
    const h = await startHarness();
    const client = await openEvents(h.socket);
    await waitFor(() => client.events.length >= 1, { message: 'no first event' });
    const ended = new Promise<void>((resolve) => client.response.on('close', resolve));
    await h.close();
    await ended;
  });

  it('refuses a POST from another origin (403, nothing done) and accepts one without Origin or from its own', async () => {
    const h = await startHarness();
    try {
      const stop = (headers: Record<string, string>) =>
        httpCall({ socketPath: h.socket }, { method: 'POST', path: '/stop', body: '{"names":["worker"]}', headers });
      const refused = await stop({ Origin: 'http://evil.example', Host: 'localhost' });
      assert.equal(refused.status, 403);
      assert.equal(JSON.parse(refused.body).error.fault, 'FORBIDDEN');
      assert.deepEqual(h.api.calls, []);
      assert.equal((await stop({ 'Sec-Fetch-Site': 'cross-site' })).status, 403);
      assert.deepEqual(h.api.calls, []);
      assert.equal((await stop({ Origin: 'http://localhost', Host: 'localhost' })).status, 200);
      assert.deepEqual(h.api.calls, ['stop worker:worker']);
      // GETs are not checked: they change nothing and the browser keeps their answers from other sites.
      assert.equal((await httpCall({ socketPath: h.socket }, { path: '/status', headers: { Origin: 'http://evil.example' } })).status, 200);
    } finally {
      await h.close();
    }
  });

  it('over TCP without credentials, answers only requests addressed to localhost or an IP (DNS rebinding)', async () => {
    const port = await freePort();
    const h = await startHarness({ inet: { host: '127.0.0.1', port } });
    try {
      assert.equal((await httpCall({ port }, { path: '/status' })).status, 200);
      assert.equal((await httpCall({ port }, { path: '/status', headers: { Host: `localhost:${port}` } })).status, 200);
      const rebound = await httpCall({ port }, { path: '/', headers: { Host: `evil.example:${port}` } });
      assert.equal(rebound.status, 403, rebound.body);
    } finally {
      await h.close();
    }
  });

  it('on the unix socket, holds only browsers to a localhost or IP Host', async () => {
    const h = await startHarness();
    try {
      const get = (headers: Record<string, string>) => httpCall({ socketPath: h.socket }, { path: '/status', headers });
      assert.equal((await get({ Host: '%2Frun%2Fvigil.sock' })).status, 200);
      assert.equal((await get({ Host: 'localhost:9001', 'Sec-Fetch-Mode': 'cors' })).status, 200);
      assert.equal((await get({ Host: 'evil.example:9001', 'Sec-Fetch-Mode': 'cors' })).status, 403);
    } finally {
      await h.close();
    }
  });

  it('with credentials, checks the origin before the password: a forged POST gets 403 either way', async () => {
    const port = await freePort();
    const h = await startHarness({ inet: { host: '127.0.0.1', port, username: 'u', password: 'p' } });
    try {
      const body = '{"names":["worker"]}';
      const headers = { Origin: 'http://evil.example' };
      assert.equal((await httpCall({ port }, { method: 'POST', path: '/stop', body, headers })).status, 403);
      assert.equal((await httpCall({ port }, { method: 'POST', path: '/stop', body, headers, auth: 'u:p' })).status, 403);
      assert.equal((await httpCall({ port }, { path: '/' })).status, 401);
      assert.equal((await httpCall({ port }, { path: '/', auth: 'u:p', headers: { Host: `evil.example:${port}` } })).status, 200);
      assert.deepEqual(h.api.calls, []);
    } finally {
      await h.close();
    }
  });
});
