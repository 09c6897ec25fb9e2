// When vigil may write a destination synchronously from its event loop.
//
// A write to a regular file on a local filesystem lands in the page cache in
// microseconds: less than a round trip through libuv's threadpool (a queued
// work item, a worker woken, a completion signalled back), and it needs no
// copy of the bytes, since nothing outlives the call. For 100 MB of program
// output that round trip was most of vigil's cost over supervisord, which
// writes synchronously too (BENCHMARKS.md, "Issue 14, third pass").
//
// What must not happen is PID 1 freezing on a disk: a pipe or a terminal may
// block for as long as its reader likes, and a network or FUSE filesystem for
// as long as its server does, so those are never written synchronously. A
// local disk can still stall (dirty-page throttling pauses a writer for up to
// ~200 ms): after one synchronous write slower than SLOW_SYNC_WRITE_MS, the
// destination goes through the threadpool for ASYNC_BACKOFF_MS, and a failed
// write does the same (the asynchronous path retries and reports it).

import { fstat, statfs } from 'node:fs';
import { promisify } from 'node:util';

const fstatFd = promisify(fstat);
const statfsPath = promisify(statfs);

export const SLOW_SYNC_WRITE_MS = 20;
export const ASYNC_BACKOFF_MS = 10_000;

// statfs(2) f_type of filesystems whose writes wait for another machine or
// another process (linux/magic.h; FUSE covers sshfs, gcsfuse, s3fs ...).
const REMOTE_FILESYSTEMS = new Set([
  0x6969, // NFS
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x517b, // SMB
  0x65735546, // FUSE
  0x01021997, // 9P (also virtiofs-like shares)
  0x00c36400, // Ceph
  0x5346414f, // AFS
  0x6b414653, // kAFS
  0x73757245, // Coda
  0x01161970, // GFS2
  0x7461636f, // OCFS2
  0x0bd00bd0, // Lustre
]);

// True when `fd` is a regular file on a local filesystem. Anything that
// cannot be checked (no /proc, an fd already closed) counts as false. Both
// calls go through the threadpool: on a dead NFS server statfs(2) hangs.
export async function locallyBacked(fd: number): Promise<boolean> {
  try {
    return (await fstatFd(fd)).isFile() && (await onLocalFilesystem(fd));
  } catch {
    return false;
  }
}

// The statfs half of locallyBacked, for a caller that has fstat's answer.
export async function onLocalFilesystem(fd: number): Promise<boolean> {
  try {
    // statfs follows the /proc magic link to the open file's filesystem.
    return !REMOTE_FILESYSTEMS.has(Number((await statfsPath(`/proc/self/fd/${fd}`)).type));
  } catch {
    return false;
  }
}

export class SyncWriteGate {
  private allowed: boolean;
  private asyncUntil = 0;
  private readonly now: () => number;

  constructor(allowed: boolean, now: () => number = Date.now) {
    this.allowed = allowed;
    this.now = now;
  }

  // Whether a synchronous write may be tried now.
  get open(): boolean {
    return this.allowed && this.now() >= this.asyncUntil;
  }

  // Sets whether the destination qualifies at all (after it is reopened).
  reset(allowed: boolean): void {
    this.allowed = allowed;
    this.asyncUntil = 0;
  }

  // Runs `write` (a synchronous write) and closes the gate for a while if it
  // was slow or threw; rethrows its error.
  timed<T>(write: () => T): T {
    const started = this.now();
    try {
      const result = write();
      if (this.now() - started > SLOW_SYNC_WRITE_MS) this.backOff();
      return result;
    } catch (error) {
      this.backOff();
      throw error;
    }
  }

  private backOff(): void {
    this.asyncUntil = this.now() + ASYNC_BACKOFF_MS;
  }
}
