// A fixed-capacity byte ring holding a program's most recent output, kept
// whatever the destination so `vigil ctl tail` works even for `NONE` or a
// file. Offsets are absolute (bytes ever appended), like supervisord's
// tailProcessStdoutLog, so a follower can ask "what came after offset N".

export const DEFAULT_RING_CAPACITY = 64 * 1024;

// Called with each appended chunk; the chunk must not be retained past the call
// unless copied (it is the pipe's buffer, shared with the other sinks).
export type RingSubscriber = (chunk: Buffer) => void;

export interface RingSlice {
  data: Buffer;
  // Absolute offset of data[0]; larger than the requested offset when the
  // bytes in between were already overwritten.
  offset: number;
  // True when bytes between the requested offset and `offset` were lost.
  overflow: boolean;
}

export class RingBuffer {
  readonly capacity: number;
  // References to the most recent chunks, oldest first, not copies: copying
  // every chunk cost a full extra memcpy of the program's output. Chunks are
  // never mutated after they are appended (each pipe read is a fresh buffer),
  // so holding them is safe; the ring keeps at most `capacity` plus one chunk.
  private chunks: Buffer[] = [];
  // Bytes in `chunks` (may exceed capacity by less than the oldest chunk).
  private stored = 0;
  private total = 0;
  private readonly subscribers = new Set<RingSubscriber>();

  constructor(capacity: number = DEFAULT_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  // Bytes ever appended (monotonic; clear() does not reset it, so offsets stay valid).
  get totalBytes(): number {
    return this.total;
  }

  // Bytes currently available through tail().
  get size(): number {
    return Math.min(this.stored, this.capacity);
  }

  append(chunk: Buffer): void {
    const length = chunk.length;
    if (length === 0) return;
    this.total += length;
    const kept = length > this.capacity ? chunk.subarray(length - this.capacity) : chunk;
    this.chunks.push(kept);
    this.stored += kept.length;
    while (this.chunks.length > 1 && this.stored - (this.chunks[0] as Buffer).length >= this.capacity) {
      this.stored -= (this.chunks.shift() as Buffer).length;
    }
    for (const subscriber of this.subscribers) {
      try {
        subscriber(chunk);
      } catch {
        // A broken follower (a closed control connection) must not stop the
        // pipe of the program it follows; it is the follower's job to unsubscribe.
      }
    }
  }

  // The last `bytes` bytes held (fewer when less is held), as a new Buffer.
  tail(bytes: number = this.capacity): Buffer {
    let count = Math.max(0, Math.min(Math.floor(bytes), this.size));
    const parts: Buffer[] = [];
    for (let i = this.chunks.length - 1; i >= 0 && count > 0; i--) {
      const chunk = this.chunks[i] as Buffer;
      const take = Math.min(count, chunk.length);
      parts.push(chunk.subarray(chunk.length - take));
      count -= take;
    }
    return Buffer.concat(parts.reverse());
  }

  // Everything held from absolute offset `offset` on, at most `maxBytes`.
  readFrom(offset: number, maxBytes: number = this.capacity): RingSlice {
    const oldest = this.total - this.size;
    const from = Math.min(Math.max(offset, oldest), this.total);
    const available = this.total - from;
    const data = this.tail(available).subarray(0, Math.max(0, maxBytes));
    return { data, offset: from, overflow: offset < oldest };
  }

  // Forgets the held bytes (supervisorctl `clear`); offsets keep counting.
  clear(): void {
    this.chunks = [];
    this.stored = 0;
  }

  // Live follow: `fn` sees every chunk appended from now on.
  subscribe(fn: RingSubscriber): () => void {
    this.subscribers.add(fn);
    return () => {
      this.subscribers.delete(fn);
    };
  }
}
