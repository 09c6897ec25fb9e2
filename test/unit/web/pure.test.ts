// Table tests of the web page's pure parts: the cross-site checks, the
// event stream's status diff, and the reason shown for a failed program.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffStatus, keyedSnapshot } from '../../../src/control/web/status-diff.ts';
import { isLoopbackHostHeader, isSameOriginRequest } from '../../../src/control/web/origin.ts';
import type { RequestHeaders } from '../../../src/control/web/origin.ts';
import { failures } from '../../../src/web/api.ts';
import { lastLines, reasonKey, reasonLine } from '../../../src/web/why.ts';
import { processInfo } from '../control/memory-api.ts';

describe('isSameOriginRequest', () => {
  const cases: [string, RequestHeaders, boolean][] = [
    ['no Origin (vigil ctl, curl)', { host: '127.0.0.1:9001' }, true],
    ['no Origin, no Host', {}, true],
    ['same origin', { origin: 'http://127.0.0.1:9001', host: '127.0.0.1:9001' }, true],
    ['same origin, case differs', { origin: 'http://LOCALHOST:9001', host: 'localhost:9001' }, true],
    ['default port spelled out in Host', { origin: 'http://vigil.example', host: 'vigil.example:80' }, true],
    ['https origin through a TLS proxy', { origin: 'https://vigil.example', host: 'vigil.example' }, true],
    ['IPv6', { origin: 'http://[::1]:9001', host: '[::1]:9001' }, true],
    ['other host', { origin: 'http://evil.example', host: '127.0.0.1:9001' }, false],
    ['other port', { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:9001' }, false],
    ['localhost vs 127.0.0.1', { origin: 'http://localhost:9001', host: '127.0.0.1:9001' }, false],
    ['Origin null', { origin: 'null', host: '127.0.0.1:9001' }, false],
    ['not a URL', { origin: 'garbage', host: '127.0.0.1:9001' }, false],
    ['file origin', { origin: 'file://', host: '127.0.0.1:9001' }, false],
    ['Origin without Host', { origin: 'http://127.0.0.1:9001' }, false],
    ['behind a proxy that rewrites Host', { origin: 'https://vigil.example', host: '127.0.0.1:9001', 'x-forwarded-host': 'vigil.example' }, true],
    ['X-Forwarded-Host of another site', { origin: 'https://evil.example', host: '127.0.0.1:9001', 'x-forwarded-host': 'vigil.example' }, false],
    ['Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site', host: '127.0.0.1:9001' }, false],
    ['Sec-Fetch-Site same-site', { 'sec-fetch-site': 'same-site', origin: 'http://a.example', host: 'b.example' }, false],
    ['Sec-Fetch-Site same-origin', { 'sec-fetch-site': 'same-origin', origin: 'http://a.example', host: 'a.example' }, true],
  ];
  for (const [what, headers, expected] of cases) {
    it(`${expected ? 'allows' : 'refuses'}: ${what}`, () => assert.equal(isSameOriginRequest(headers), expected));
  }
});

describe('isLoopbackHostHeader', () => {
  const cases: [string | undefined, boolean][] = [
    ['127.0.0.1:9001', true],
    ['localhost:9001', true],
    ['LOCALHOST', true],
    ['app.localhost:9001', true],
    ['[::1]:9001', true],
    ['10.0.0.5:9001', true], // an IP literal cannot be rebound
    ['evil.example:9001', false],
    ['localhost.evil.example', false],
    [undefined, false],
    ['bad host header', false],
  ];
  for (const [host, expected] of cases) it(`${String(host)} -> ${expected}`, () => assert.equal(isLoopbackHostHeader(host), expected));
});

describe('diffStatus', () => {
  const running = processInfo('web', 'web', 'RUNNING', { pid: 10 });
  const worker = processInfo('jobs', 'jobs_00', 'RUNNING', { pid: 11 });
  it('ignores the clock moving on', () => {
    const later = { ...running, now: running.now + 5, description: 'pid 10, uptime 0:01:07' };
    assert.deepEqual(diffStatus(keyedSnapshot([running, worker]), [later, worker]), { changed: [], removed: [] });
  });
  it('reports a state change, a new process and a removed one', () => {
    const stopped = processInfo('web', 'web', 'STOPPED');
    const added = processInfo('extra', 'extra', 'STOPPED');
    assert.deepEqual(diffStatus(keyedSnapshot([running, worker]), [stopped, added]), { changed: [stopped, added], removed: ['jobs:jobs_00'] });
  });
  it('reports a restart that ends in the same state (new pid)', () => {
    const restarted = processInfo('web', 'web', 'RUNNING', { pid: 99 });
    assert.deepEqual(diffStatus(keyedSnapshot([running]), [restarted]).changed, [restarted]);
  });
});

describe('the reason shown for a failed program', () => {
  it('EXITED: the exit status, with a signal hint above 128', () => {
    assert.equal(reasonLine(processInfo('a', 'a', 'EXITED', { exitstatus: 3 })), 'exit status 3');
    assert.equal(reasonLine(processInfo('a', 'a', 'EXITED', { exitstatus: 137 })), 'exit status 137 (signal 9?)');
  });
  it('FATAL: nothing the description does not already say', () => {
    assert.equal(reasonLine(processInfo('a', 'a', 'FATAL')), '');
  });
  it('BACKOFF with a spawn error other than the description', () => {
    assert.equal(reasonLine({ ...processInfo('a', 'a', 'BACKOFF', { spawnerr: "can't find command 'x'" }), description: 'other' }), "can't find command 'x'");
  });
  it('running programs need no reason; a new exit is a new reason', () => {
    assert.equal(reasonKey(processInfo('a', 'a', 'RUNNING')), undefined);
    const first = reasonKey(processInfo('a', 'a', 'EXITED', { stop: 100, exitstatus: 1 }));
    assert.notEqual(first, reasonKey(processInfo('a', 'a', 'EXITED', { stop: 200, exitstatus: 1 })));
  });
  it('lastLines keeps the last non-empty lines, cut to width', () => {
    assert.deepEqual(lastLines('a\n\nb\r\nc\n\n', 2), ['b', 'c']);
    assert.deepEqual(lastLines('x'.repeat(10), 1, 4), ['xxxx…']);
  });
});

describe('which action failures the page shows', () => {
  const ok = { name: 'web:web', ok: true as const };
  const notRunning = { name: 'web:web', ok: false as const, fault: 'NOT_RUNNING' as const, message: 'web:web' };
  const already = { name: 'web:web', ok: false as const, fault: 'ALREADY_STARTED' as const, message: 'web:web' };
  const spawn = { name: 'bad:bad', ok: false as const, fault: 'SPAWN_ERROR' as const, message: 'bad:bad' };
  it('a restart of a stopped program is not a failure', () => assert.deepEqual(failures({ stopped: [notRunning], started: [ok] }, false), []));
  it('start of one running program is', () => assert.deepEqual(failures({ results: [already] }, false), [already]));
  it('start all over running programs is not; a spawn error is', () => assert.deepEqual(failures({ results: [already, spawn] }, true), [spawn]));
});
