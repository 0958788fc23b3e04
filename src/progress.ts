import { statSync } from 'node:fs';
import cliProgress from 'cli-progress';

/** Progress of the first pass, as the CLI shows it on stderr. */
export interface Progress {
  /** The input files are known: their size on disk is the total for the ETA. */
  files(paths: string[]): void;
  /** One more document done, of `chars` characters. */
  document(chars: number): void;
  stop(): void;
}

/** Milliseconds before a bar appears: short runs print nothing. */
export const PROGRESS_DELAY = 1_000;

const silent: Progress = { files() {}, document() {}, stop() {} };

/** Whether to show progress: stderr is a terminal, not CI, not --quiet. */
export function progressWanted(stream: { isTTY?: boolean } | undefined, env: NodeJS.ProcessEnv, quiet: boolean): boolean {
  return Boolean(stream?.isTTY) && !env.CI && !quiet;
}

/** A progress bar (documents done, MB/s, ETA) on `stream`, shown once a run has taken longer than PROGRESS_DELAY. */
export function createProgress(stream: NodeJS.WritableStream | undefined, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || !stream) return silent;
  const started = now();
  let totalBytes = 0;
  let doneChars = 0;
  let documents = 0;
  let bar: cliProgress.SingleBar | undefined;
  const payload = () => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const left = doneChars > 0 ? Math.max(totalBytes - doneChars, 0) / (doneChars / seconds) : Infinity;
    return { documents, mbps: (doneChars / 1e6 / seconds).toFixed(1), remaining: formatSeconds(left) };
  };
  return {
    files(paths) {
      for (const path of paths) {
        try {
          totalBytes += statSync(path).size;
        } catch {
          // An unreadable file is reported by the run itself.
        }
      }
    },
    document(chars) {
      documents++;
      doneChars += chars;
      // Characters of text approximate bytes on disk; JSONL framing makes the total a little larger.
      const value = Math.min(doneChars, totalBytes);
      if (!bar) {
        if (now() - started < PROGRESS_DELAY) return;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: 'corpus-lint {bar} {percentage}% | {documents} documents | {mbps} MB/s | ETA {remaining}',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(totalBytes, 1), value, payload());
        return;
      }
      bar.update(value, payload());
    },
    stop() {
      bar?.stop();
    },
  };
}

/** Seconds as `1m05s` or `42s`; `?` when unknown. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.ceil(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}
