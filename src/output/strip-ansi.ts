// strip_ansi=true: removes ANSI escapes from a program's output as
// supervisord's dispatchers.stripEscapes does (from ESC '[' up to and
// including the first of its terminator letters), but across reads: an escape
// split between two pipe reads is still removed (supervisord starts every read
// afresh and lets the tail of a split escape through).

const ESC = 0x1b;
const BRACKET = 0x5b; // '['
// dispatchers.ANSI_TERMINATORS: H f A B C D R s u J K h l p m
const TERMINATORS = new Set([...'HfABCDRsuJKhlpm'].map((char) => char.charCodeAt(0)));

export class AnsiStripper {
  // 'text': copying; 'esc': saw ESC, waiting for '['; 'inside': skipping to a terminator.
  private state: 'text' | 'esc' | 'inside' = 'text';

  // The bytes of `chunk` that are not part of an escape (a new buffer; `chunk`
  // may be a reused read buffer).
  strip(chunk: Buffer): Buffer {
    const out = Buffer.allocUnsafe(chunk.length + 1);
    let length = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.state === 'inside') {
        if (TERMINATORS.has(byte)) this.state = 'text';
        continue;
      }
      if (this.state === 'esc') {
        if (byte === BRACKET) {
          this.state = 'inside';
          continue;
        }
        // A lone ESC is not an escape sequence: keep it.
        out[length++] = ESC;
        this.state = 'text';
      }
      if (byte === ESC) this.state = 'esc';
      else out[length++] = byte;
    }
    return out.subarray(0, length);
  }
}
