// Helpers over a list of buffers queued for one writev.

const NEWLINE = 10;

// Length of the longest prefix of `chunks` that ends with '\n' and is at most
// `limit` bytes; 0 when there is none.
export function lastLineEnd(chunks: readonly Buffer[], limit: number): number {
  let offset = 0;
  let best = 0;
  for (const chunk of chunks) {
    if (offset >= limit) break;
    const within = Math.min(chunk.length, limit - offset);
    const newline = chunk.lastIndexOf(NEWLINE, within - 1);
    if (newline !== -1) best = offset + newline + 1;
    offset += chunk.length;
  }
  return best;
}

// The first `bytes` bytes of `chunks`, as views.
export function takeBytes(chunks: readonly Buffer[], bytes: number): Buffer[] {
  const out: Buffer[] = [];
  let left = bytes;
  for (const chunk of chunks) {
    if (left === 0) break;
    const part = chunk.length <= left ? chunk : chunk.subarray(0, left);
    out.push(part);
    left -= part.length;
  }
  return out;
}
