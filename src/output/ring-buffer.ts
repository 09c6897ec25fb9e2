// A fixed-capacity byte ring holding a program's most recent output, kept
// whatever the destination so `vigil ctl tail` works even for `NONE` or a
// file. Offsets are absolute (bytes ever appended), like supervisord's
// tailProcessStdoutLog, so a follower can ask "what came after offset N".

export const DEFAULT_RING_CAPACITY = 64 * 1024;

// Called with each appended chunk, a copy the subscriber may keep.
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
  // Grows on demand up to `capacity`: most programs print little, and a
  // supervisor of 100 quiet programs should not hold 12 MiB of zeroes.
  private storage: Buffer = Buffer.alloc(0);
  // Index in `storage` where the next byte goes.
  private head = 0;
  // Bytes currently held (≤ capacity).
  private held = 0;
  private total = 0;
  private readonly subscribers = new Set<RingSubscriber>();

  constructor(capacity: number = DEFAULT_RING_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  // Before the ring first fills, data sits at [0, held) and head === held, so
  // growing is a plain copy into a larger buffer.
  private reserve(incoming: number): void {
    const current = this.storage.length;
    if (current === this.capacity || this.held + incoming <= current) return;
    let size = Math.max(current * 2, 4096);
    while (size < this.held + incoming && size < this.capacity) size *= 2;
    const grown = Buffer.allocUnsafe(Math.min(size, this.capacity));
    this.storage.copy(grown, 0, 0, this.held);
    this.storage = grown;
  }

  // Bytes ever appended (monotonic; clear() does not reset it, so offsets stay valid).
  get totalBytes(): number {
    return this.total;
  }

  // Bytes currently available through tail().
  get size(): number {
    return this.held;
  }

  append(chunk: Buffer): void {
    const length = chunk.length;
    if (length === 0) return;
    this.total += length;
    // Only the last `capacity` bytes can survive: skip copying the rest.
    const source = length > this.capacity ? chunk.subarray(length - this.capacity) : chunk;
    this.reserve(source.length);
    const size = this.storage.length;
    const first = Math.min(source.length, size - this.head);
    source.copy(this.storage, this.head, 0, first);
    if (first < source.length) source.copy(this.storage, 0, first);
    this.head = (this.head + source.length) % size;
    this.held = Math.min(size, this.held + source.length);
    // The chunk is the pipe's read buffer, reused for the next read: a
    // follower (tail -f) gets its own copy.
    const copy = this.subscribers.size > 0 ? Buffer.from(chunk) : chunk;
    for (const subscriber of this.subscribers) {
      try {
        subscriber(copy);
      } catch {
        // A broken follower (a closed control connection) must not stop the
        // pipe of the program it follows; it is the follower's job to unsubscribe.
      }
    }
  }

  // The last `bytes` bytes held (fewer when less is held), as a new Buffer.
  tail(bytes: number = this.capacity): Buffer {
    const count = Math.max(0, Math.min(Math.floor(bytes), this.held));
    const out = Buffer.allocUnsafe(count);
    const size = this.storage.length;
    let start = this.head - count;
    if (start < 0) {
      start += size;
      const firstPart = size - start;
      this.storage.copy(out, 0, start, size);
      this.storage.copy(out, firstPart, 0, this.head);
    } else {
      this.storage.copy(out, 0, start, this.head);
    }
    return out;
  }

  // Everything held from absolute offset `offset` on, at most `maxBytes`.
  readFrom(offset: number, maxBytes: number = this.capacity): RingSlice {
    const oldest = this.total - this.held;
    const from = Math.min(Math.max(offset, oldest), this.total);
    const available = this.total - from;
    const data = this.tail(available).subarray(0, Math.max(0, maxBytes));
    return { data, offset: from, overflow: offset < oldest };
  }

  // Forgets the held bytes (supervisorctl `clear`); offsets keep counting.
  clear(): void {
    this.head = 0;
    this.held = 0;
  }

  // Live follow: `fn` sees every chunk appended from now on.
  subscribe(fn: RingSubscriber): () => void {
    this.subscribers.add(fn);
    return () => {
      this.subscribers.delete(fn);
    };
  }
}
