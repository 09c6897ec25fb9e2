// supervisord's XML-RPC clients against vigil as PID 1: Python's
// xmlrpc.client over the unix socket and over TCP with basic auth ({SHA}
// password), an event listener calling back through
// supervisor.childutils.getRPCInterface, system.multicall, faults, and
// malformed requests that must get supervisord's HTTP answers and leave
// vigil serving.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, writeConfig } from '../helpers/config.ts';
import { freePort } from '../helpers/net.ts';
import { FIXTURES, startVigil } from '../helpers/vigil.ts';
import type { VigilRun } from '../helpers/vigil.ts';
import { waitFor } from '../helpers/wait.ts';

const PASSWORD = 'open sesame';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

// `declaredLength`: announce a body of that size and send none (the server
// must refuse on the header alone, before reading).
function post(socketPath: string, path: string, body: string, method = 'POST', declaredLength?: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'text/xml' };
    if (declaredLength !== undefined) headers['Content-Length'] = String(declaredLength);
    const req = request({ socketPath, path, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (declaredLength === undefined) req.end(body);
    else req.flushHeaders();
  });
}

const call = (method: string, params = ''): string =>
  `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${params}</params></methodCall>`;

describe('XML-RPC clients against vigil', { skip: !existsSync('/usr/lib/python3/dist-packages/supervisor') && 'supervisor is not installed' }, () => {
  let vigil: VigilRun;
  let dir: string;
  let socket: string;
  let port: number;

  before(async () => {
    dir = tempDir('vigil-xmlrpc-clients-');
    socket = join(dir, 'ctl.sock');
    port = await freePort();
    const sha = createHash('sha1').update(PASSWORD).digest('hex');
    const config = writeConfig(
      `[supervisord]
identifier=vigil-test
[unix_http_server]
file=${socket}
[inet_http_server]
port=127.0.0.1:${port}
username=admin
password={SHA}${sha}
[program:cat]
command=cat
[program:idle]
command=sleep 1000
autostart=false
[program:target]
command=sleep 1000
startsecs=0
[eventlistener:rpc]
command=/usr/bin/python3 ${join(FIXTURES, 'rpc-listener.py')} ${join(dir, 'seen')}
events=PROCESS_STATE_RUNNING,REMOTE_COMMUNICATION
`,
      dir,
    );
    vigil = startVigil(['-c', config]);
    await vigil.waitForStderr(/success: cat entered RUNNING/, 20_000);
  });
  after(() => vigil?.kill());

  it('serves Python xmlrpc.client over the unix socket and TCP with auth', { timeout: 60_000 }, async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile('/usr/bin/python3', [join(FIXTURES, 'xmlrpc-client.py'), socket, String(port), 'admin', PASSWORD], { timeout: 50_000 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      );
    });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    // Every method supervisord publishes, with supervisord's signatures.
    assert.deepEqual(seen['methods'], seen['reference_methods']);
    assert.deepEqual(seen['signatures'], seen['reference_signatures']);
    assert.deepEqual(seen['api'], ['3.0', '3.0']);
    assert.deepEqual(seen['state'], { statecode: 1, statename: 'RUNNING' });
    assert.equal(seen['identification'], 'vigil-test');
    const infos = seen['infos'] as Record<string, unknown>[];
    assert.deepEqual(infos.map((info) => `${info['group']}:${info['name']}`), ['cat:cat', 'idle:idle', 'rpc:rpc', 'target:target']);
    const cat = seen['info_cat'] as Record<string, unknown>;
    assert.deepEqual(Object.keys(cat), ['name', 'group', 'start', 'stop', 'now', 'state', 'statename', 'spawnerr', 'exitstatus', 'logfile', 'stdout_logfile', 'stderr_logfile', 'pid', 'description']);
    assert.equal(cat['statename'], 'RUNNING');
    assert.match(String(cat['description']), /^pid \d+, uptime \d+:\d\d:\d\d$/);
    // Output goes to vigil's stdout: not '' (which supervisord's clients read as NONE).
    assert.equal(cat['stdout_logfile'], '/dev/stdout');
    assert.deepEqual(seen['tcp_state'], { statecode: 1, statename: 'RUNNING' });
    assert.deepEqual(seen['bad_password'], [401, 'Basic realm="default"']);
    assert.equal(seen['stdin'], true);
    assert.deepEqual(seen['faults'], {
      bad_name: [10, 'BAD_NAME: nosuch'],
      bad_group: [10, 'BAD_NAME: nosuch'],
      unknown_method: [1, 'UNKNOWN_METHOD'],
      private: [1, 'UNKNOWN_METHOD'],
      dotted: [1, 'UNKNOWN_METHOD'],
      arity: [2, 'INCORRECT_PARAMETERS'],
      bad_arguments: [3, 'BAD_ARGUMENTS'],
      not_running: [70, 'NOT_RUNNING: idle'],
      already_started: [60, 'ALREADY_STARTED: cat'],
      bad_signal: [11, 'BAD_SIGNAL: NOPE'],
      stdin_not_running: [70, 'NOT_RUNNING: idle'],
      help_unknown: [4, 'SIGNATURE_UNSUPPORTED'],
    });
    // supervisord's multicall: each result as is, faults as structs, in order.
    assert.deepEqual(seen['multicall'], [
      '3.0',
      { faultCode: 10, faultString: 'BAD_NAME: nosuch' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: Recursive system.multicall forbidden' },
      { faultCode: 2, faultString: 'INCORRECT_PARAMETERS: No methodName' },
      true,
      true,
    ]);
    assert.match(String(seen['help']), /Start a process/);
    // What went to cat's stdin came back out on its stdout: read it over XML-RPC.
    await vigil.waitForStdout('line two');
    const tail = await post(socket, '/RPC2', call('supervisor.readProcessStdoutLog', '<param><value>cat</value></param><param><value><int>-100</int></value></param><param><value><int>0</int></value></param>'));
    assert.match(tail.body, /line one\nline two\n/);
  });

  it('answers an event listener that calls back through childutils.getRPCInterface', { timeout: 30_000 }, async () => {
    const info = await waitFor(() => existsSync(join(dir, 'seen.info')) && readFileSync(join(dir, 'seen.info'), 'utf8'), {
      timeoutMs: 20_000,
      message: () => `the listener never reported target's info; vigil stderr:\n${vigil.stderr()}`,
    });
    assert.match(info, /^target RUNNING \d+ True\n$/);
    const remote = await waitFor(() => existsSync(join(dir, 'seen.remote')) && readFileSync(join(dir, 'seen.remote'), 'utf8'), {
      timeoutMs: 20_000,
      message: 'the listener never received its REMOTE_COMMUNICATION event',
    });
    assert.equal(remote, 'type:greeting\nhello from a listener');
  });

  it("gives malformed requests supervisord's HTTP answers and keeps serving", { timeout: 30_000 }, async () => {
    const cases: [string, string, number][] = [
      ['not XML', 'hello', 400],
      ['unclosed tags', '<methodCall><methodName>supervisor.getPID</methodName>', 400],
      ['mismatched tags', '<methodCall><methodName>supervisor.getPID</params></methodCall>', 400],
      ['no method name', '<methodCall><params/></methodCall>', 400],
      ['a DOCTYPE with entities', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><methodCall><methodName>&b;</methodName></methodCall>', 400],
      ['an undefined entity', '<methodCall><methodName>&nope;</methodName></methodCall>', 400],
      ['deep nesting', `<methodCall><methodName>supervisor.getPID</methodName><params><param>${'<value><array><data>'.repeat(500)}${'</data></array></value>'.repeat(500)}</param></params></methodCall>`, 400],
      ['a non-integer <int>', call('supervisor.readLog', '<param><value><int>x</int></value></param><param><value><int>0</int></value></param>'), 400],
    ];
    for (const [what, body, status] of cases) {
      const reply = await post(socket, '/RPC2', body);
      assert.equal(reply.status, status, `${what}: ${reply.body.slice(0, 200)}`);
      assert.match(reply.body, new RegExp(`Error code ${status}`), what);
    }
    const oversized = await post(socket, '/RPC2', '', 'POST', 5 * 1024 * 1024);
    assert.equal(oversized.status, 413, 'a body over the 4 MiB limit');
    assert.equal((await post(socket, '/RPC2', '', 'GET')).status, 400, 'GET /RPC2');
    // Lenient like supervisord: no <params>, an untyped <value> is a string, a boolean as <int>.
    const pid = await post(socket, '/RPC2', '<methodCall><methodName>supervisor.getPID</methodName></methodCall>');
    assert.match(pid.body, /<int>1<\/int>/, 'vigil is PID 1 of its namespace');
    const lenient = await post(socket, '/RPC2', call('supervisor.stopProcess', '<param><value>idle</value></param><param><value><int>0</int></value></param>'));
    assert.match(lenient.body, /<name>faultString<\/name>\n<value><string>NOT_RUNNING: idle<\/string>/);
    const still = await post(socket, '/RPC2', call('supervisor.getState'));
    assert.equal(still.status, 200);
    assert.match(still.body, /RUNNING/);
  });
});
