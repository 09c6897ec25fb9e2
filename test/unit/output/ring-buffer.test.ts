import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingBuffer } from '../../../src/output/ring-buffer.ts';

describe('RingBuffer', () => {
  it('returns the last bytes written', () => {
    const ring = new RingBuffer(16);
    ring.append(Buffer.from('hello '));
    ring.append(Buffer.from('world'));
    assert.equal(ring.tail().toString(), 'hello world');
    assert.equal(ring.tail(5).toString(), 'world');
    assert.equal(ring.tail(100).toString(), 'hello world');
    assert.equal(ring.totalBytes, 11);
  });

  it('wraps around, keeping exactly the last `capacity` bytes', () => {
    const ring = new RingBuffer(10);
    let all = '';
    for (let i = 0; i < 50; i++) {
      const piece = `${i},`;
      ring.append(Buffer.from(piece));
      all += piece;
      assert.equal(ring.tail().toString(), all.slice(-10), `after ${i}`);
      assert.equal(ring.tail(3).toString(), all.slice(-3));
    }
    assert.equal(ring.totalBytes, all.length);
    assert.equal(ring.size, 10);
  });

  it('keeps the tail of a chunk larger than the capacity', () => {
    const ring = new RingBuffer(8);
    ring.append(Buffer.from('abc'));
    ring.append(Buffer.from('0123456789ABCDEF'));
    assert.equal(ring.tail().toString(), '89ABCDEF');
    assert.equal(ring.totalBytes, 19);
  });

  it('reads from an absolute offset and reports overwritten bytes', () => {
    const ring = new RingBuffer(8);
    ring.append(Buffer.from('0123456789'));
    assert.deepEqual(ring.readFrom(4), { data: Buffer.from('456789'), offset: 4, overflow: false });
    assert.deepEqual(ring.readFrom(0), { data: Buffer.from('23456789'), offset: 2, overflow: true });
    assert.deepEqual(ring.readFrom(10), { data: Buffer.alloc(0), offset: 10, overflow: false });
    assert.equal(ring.readFrom(3, 2).data.toString(), '34');
  });

  it('clear() forgets the bytes but keeps counting offsets', () => {
    const ring = new RingBuffer(8);
    ring.append(Buffer.from('abc'));
    ring.clear();
    assert.equal(ring.tail().length, 0);
    ring.append(Buffer.from('de'));
    assert.equal(ring.tail().toString(), 'de');
    assert.equal(ring.totalBytes, 5);
  });

  it('passes appended chunks to subscribers until they unsubscribe', () => {
    const ring = new RingBuffer(8);
    const seen: string[] = [];
    const unsubscribe = ring.subscribe((chunk) => seen.push(chunk.toString()));
    ring.subscribe(() => {
      throw new Error('a broken follower');
    });
    ring.append(Buffer.from('a'));
    unsubscribe();
    ring.append(Buffer.from('b'));
    assert.deepEqual(seen, ['a']);
    assert.equal(ring.tail().toString(), 'ab');
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new RingBuffer(0), RangeError);
  });
});
