import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, formatSeconds, PROGRESS_DELAY, progressWanted } from '../src/progress.js';

function terminal(): Writable & { isTTY: boolean; written: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number; written: () => string };
  stream.isTTY = true;
  stream.columns = 120;
  stream.written = () => text;
  return stream;
}

function fileOf(bytes: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'corpus-lint-progress-')), 'input.jsonl');
  writeFileSync(path, Buffer.alloc(bytes, 32));
  return path;
}

describe('progress', () => {
  it('is wanted only on a TTY, outside CI and without --quiet', () => {
    expect(progressWanted({ isTTY: true }, {}, false)).toBe(true);
    expect(progressWanted({ isTTY: false }, {}, false)).toBe(false);
    expect(progressWanted(undefined, {}, false)).toBe(false);
    expect(progressWanted({ isTTY: true }, { CI: 'true' }, false)).toBe(false);
    expect(progressWanted({ isTTY: true }, {}, true)).toBe(false);
  });

  it('prints nothing for a run shorter than the delay', () => {
    const stream = terminal();
    let clock = 0;
    const progress = createProgress(stream, true, () => clock);
    progress.files([]);
    for (let index = 0; index < 50; index++) {
      clock += 10;
      progress.document(1_000);
    }
    progress.stop();
    expect(stream.written()).toBe('');
  });

  it('shows documents done and MB/s once the run takes longer than the delay', () => {
    const stream = terminal();
    let clock = 0;
    const progress = createProgress(stream, true, () => clock);
    progress.files([fileOf(6_000_000)]);
    progress.document(1_000_000);
    clock = PROGRESS_DELAY + 1_000;
    progress.document(1_000_000);
    progress.stop();
    expect(stream.written()).toMatch(/33% \| 2 documents \| 1\.0 MB\/s \| ETA 4s/);
  });

  it('formats the ETA', () => {
    expect([formatSeconds(0.2), formatSeconds(42), formatSeconds(65), formatSeconds(Infinity)]).toEqual(['1s', '42s', '1m05s', '?']);
  });

  it('stays silent when disabled', () => {
    const stream = terminal();
    let clock = 0;
    const progress = createProgress(stream, false, () => clock);
    clock = 10 * PROGRESS_DELAY;
    progress.document(5);
    progress.stop();
    expect(stream.written()).toBe('');
  });
});
