// The listener stdout parser against PEventListenerDispatcher's rules, with
// the same byte stream cut at every possible place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListenerOutput, ListenerParser } from '../../../src/supervisor/listener-protocol.ts';
import {
  feedListenerOutput,
  initialListenerParser,
  markBusy,
  unknownStateWarning,
} from '../../../src/supervisor/listener-protocol.ts';

// Feeds `chunks` in order; before each chunk, a listener that went READY is
// sent an event (markBusy), as the pool would do.
function run(chunks: string[], parser: ListenerParser = initialListenerParser()) {
  const outputs: ListenerOutput[] = [];
  for (const chunk of chunks) {
    if (parser.state === 'READY') parser = markBusy(parser, 'l').parser;
    const fed = feedListenerOutput(parser, Buffer.from(chunk), 'l');
    parser = fed.parser;
    outputs.push(...fed.outputs);
  }
  return { parser, protocol: outputs.filter((output) => output.type !== 'log'), outputs };
}

// Every way to cut `text` into two chunks.
function splits(text: string): string[][] {
  const cuts: string[][] = [];
  for (let at = 0; at <= text.length; at += 1) cuts.push([text.slice(0, at), text.slice(at)]);
  return cuts;
}

describe('feedListenerOutput', () => {
  const rows: { name: string; chunks: string[]; protocol: ListenerOutput[]; state: ListenerParser['state'] }[] = [
    { name: 'READY', chunks: ['READY\n'], protocol: [{ type: 'ready' }], state: 'READY' },
    { name: 'partial READY waits', chunks: ['REA'], protocol: [], state: 'ACKNOWLEDGED' },
    {
      name: 'READY, then RESULT 2 OK',
      chunks: ['READY\n', 'RESULT 2\nOK'],
      protocol: [{ type: 'ready' }, { type: 'result', ok: true, body: 'OK' }],
      state: 'ACKNOWLEDGED',
    },
    {
      name: 'RESULT 4 FAIL rejects the event',
      chunks: ['READY\n', 'RESULT 4\nFAIL'],
      protocol: [{ type: 'ready' }, { type: 'result', ok: false, body: 'FAIL' }],
      state: 'ACKNOWLEDGED',
    },
    {
      name: 'result and the next READY in one chunk',
      chunks: ['READY\n', 'RESULT 2\nOKREADY\n'],
      protocol: [{ type: 'ready' }, { type: 'result', ok: true, body: 'OK' }, { type: 'ready' }],
      state: 'READY',
    },
    {
      name: 'RESULT 0 completes at once (empty body is not OK)',
      chunks: ['READY\n', 'RESULT 0\n'],
      protocol: [{ type: 'ready' }, { type: 'result', ok: false, body: '' }],
      state: 'ACKNOWLEDGED',
    },
    {
      name: 'anything but READY first: UNKNOWN',
      chunks: ['hello world\n'],
      protocol: [{ type: 'unknown', rejectsEvent: false }],
      state: 'UNKNOWN',
    },
    {
      name: 'spurious output while READY: UNKNOWN',
      chunks: ['READY\nREADY\n'],
      protocol: [{ type: 'ready' }, { type: 'unknown', rejectsEvent: false }],
      state: 'UNKNOWN',
    },
    {
      name: 'bad result line: UNKNOWN and the event is rejected',
      chunks: ['READY\n', 'RESULT two\nOK'],
      protocol: [{ type: 'ready' }, { type: 'unknown', rejectsEvent: true }],
      state: 'UNKNOWN',
    },
    {
      name: 'UNKNOWN is final',
      chunks: ['bogus!\n', 'READY\n'],
      protocol: [{ type: 'unknown', rejectsEvent: false }],
      state: 'UNKNOWN',
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const result = run(row.chunks);
      assert.deepEqual(result.protocol, row.protocol);
      assert.equal(result.parser.state, row.state);
    });
  }

  it('gives the same result for every split of READY + RESULT', () => {
    const stream = 'RESULT 4\nFAILREADY\n';
    for (const [first, second] of splits(stream)) {
      let parser = markBusy(feedListenerOutput(initialListenerParser(), Buffer.from('READY\n'), 'l').parser, 'l').parser;
      const outputs: ListenerOutput[] = [];
      for (const chunk of [first, second] as string[]) {
        const fed = feedListenerOutput(parser, Buffer.from(chunk), 'l');
        parser = fed.parser;
        outputs.push(...fed.outputs);
      }
      assert.deepEqual(
        outputs.filter((output) => output.type !== 'log'),
        [{ type: 'result', ok: false, body: 'FAIL' }, { type: 'ready' }],
        `split ${JSON.stringify([first, second])}`,
      );
      assert.equal(parser.state, 'READY');
    }
  });

  it('handles one byte at a time and multi-byte bodies', () => {
    const body = Buffer.from('é!'); // 3 bytes
    let parser = markBusy(feedListenerOutput(initialListenerParser(), Buffer.from('READY\n'), 'l').parser, 'l').parser;
    const bytes = Buffer.concat([Buffer.from(`RESULT ${body.length}\n`), body]);
    const outputs: ListenerOutput[] = [];
    for (const byte of bytes) {
      const fed = feedListenerOutput(parser, Buffer.from([byte]), 'l');
      parser = fed.parser;
      outputs.push(...fed.outputs);
    }
    assert.deepEqual(outputs.filter((output) => output.type === 'result'), [{ type: 'result', ok: false, body: 'é!' }]);
  });

  it('logs supervisord texts', () => {
    const result = run(['READY\n', 'RESULT x\n']);
    const messages = result.outputs.flatMap((output) => (output.type === 'log' ? [output.message] : []));
    assert.deepEqual(messages, [
      'l: ACKNOWLEDGED -> READY',
      "l: bad result line: 'RESULT x'",
      'l: BUSY -> UNKNOWN',
      unknownStateWarning('l'),
    ]);
    assert.equal(
      unknownStateWarning('l'),
      'l: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol',
    );
  });
});
