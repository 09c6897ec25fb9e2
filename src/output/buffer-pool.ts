// Reusable buffers for decorated output. Every chunk of prefixed lines used to
// be a fresh allocation: at 100 MB/s that is garbage the GC collects late
// (RSS grew by tens of MiB while draining) and fresh pages the kernel must
// fault in. The formatter takes a buffer here; the write queue gives it back
// once its bytes are written.
export class BufferPool {
  readonly bufferBytes: number;
  private readonly maxFree: number;
  private readonly free: Buffer[] = [];
  private readonly owned = new WeakSet<ArrayBufferLike>();

  // 512 KiB: one formatted read (256 KiB, PIPE_READ_BYTES) with its prefixes
  // for lines of 8 bytes or more; shorter lines take a one-off buffer. At
  // most 8 are kept free (4 MiB): the write queue holds 1 MiB at a time.
  constructor(bufferBytes = 512 * 1024, maxFree = 8) {
    this.bufferBytes = bufferBytes;
    this.maxFree = maxFree;
  }

  // A buffer of exactly `bytes` bytes (a view of a pooled one when it fits).
  take(bytes: number): Buffer {
    if (bytes > this.bufferBytes) return Buffer.allocUnsafe(bytes);
    let buffer = this.free.pop();
    if (buffer === undefined) {
      buffer = Buffer.allocUnsafeSlow(this.bufferBytes);
      this.owned.add(buffer.buffer);
    }
    return buffer.subarray(0, bytes);
  }

  // Gives back a buffer from take() once nothing reads it any more; buffers
  // that did not come from this pool are ignored.
  release(chunk: Buffer): void {
    const backing = chunk.buffer;
    if (!this.owned.has(backing) || this.free.length >= this.maxFree) return;
    this.free.push(Buffer.from(backing, 0, this.bufferBytes));
  }
}

// The pool shared by every formatter and write queue of the process.
export const outputBuffers = new BufferPool();
