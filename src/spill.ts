import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Documents a run keeps in memory before its report entries and corpus data go to temporary files. */
export const SPILL_AFTER = 10_000;

const WRITE_BUFFER = 1 << 20;

const liveDirectories = new Set<string>();
let cleanupRegistered = false;

function removeLiveDirectories(): void {
  for (const directory of liveDirectories) rmSync(directory, { recursive: true, force: true });
  liveDirectories.clear();
}

/** Records (text or bytes) appended in order to a temporary file, removed by `remove` or at exit. */
export class SpillFile {
  private readonly directory = mkdtempSync(join(tmpdir(), 'corpus-lint-spill-'));
  private readonly fd = openSync(join(this.directory, 'records'), 'w+');
  /** Byte length of each record, in order. */
  private readonly lengths: number[] = [];
  private pending: (string | Uint8Array)[] = [];
  private pendingBytes = 0;
  private written = 0;

  constructor() {
    liveDirectories.add(this.directory);
    if (!cleanupRegistered) {
      cleanupRegistered = true;
      process.once('exit', removeLiveDirectories);
      // Node skips 'exit' handlers when a signal ends the process: remove the files, then die of the signal.
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.once(signal, () => {
          removeLiveDirectories();
          process.kill(process.pid, signal);
        });
      }
    }
  }

  /** Append a record: text (written as UTF-8) or bytes. */
  append(record: string | Uint8Array): void {
    const bytes = typeof record === 'string' ? Buffer.byteLength(record) : record.byteLength;
    this.lengths.push(bytes);
    this.pending.push(record);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= WRITE_BUFFER) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    // Runs of text are joined and encoded once, not record by record.
    const parts: Uint8Array[] = [];
    for (let start = 0; start < this.pending.length; ) {
      let end = start;
      while (end < this.pending.length && typeof this.pending[end] === 'string') end++;
      if (end > start) parts.push(Buffer.from(this.pending.slice(start, end).join('')));
      else parts.push(this.pending[end++] as Uint8Array);
      start = end;
    }
    const block = Buffer.concat(parts, this.pendingBytes);
    for (let at = 0; at < block.length; ) at += writeSync(this.fd, block, at, block.length - at, this.written + at);
    this.written += block.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** The records in order, read back in blocks: each yielded view is valid until the next one. */
  *read(): Generator<Buffer> {
    this.flush();
    let buffer = Buffer.alloc(4 * WRITE_BUFFER);
    let filled = 0;
    let at = 0;
    let position = 0;
    for (const length of this.lengths) {
      if (filled - at < length) {
        if (length > buffer.length) buffer = Buffer.concat([buffer.subarray(at, filled)], Math.max(length, 2 * buffer.length));
        else buffer.copy(buffer, 0, at, filled);
        filled -= at;
        at = 0;
        while (filled < length) {
          const read = readSync(this.fd, buffer, filled, buffer.length - filled, position);
          if (read === 0) throw new Error('Temporary file ended early');
          filled += read;
          position += read;
        }
      }
      yield buffer.subarray(at, at + length);
      at += length;
    }
  }

  /** Close and delete the file. */
  remove(): void {
    closeSync(this.fd);
    rmSync(this.directory, { recursive: true, force: true });
    liveDirectories.delete(this.directory);
  }
}
