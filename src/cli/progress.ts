/**
 * A progress bar on stderr for a tree scan: `[#####.....] 120/734 files`. Only on a terminal (never in
 * redirected output or CI logs), only once the scan has run for a second (a quick scan stays silent), and
 * redrawn at most every 100 ms; the line is erased when the scan ends, so the report starts clean.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` of `total` files are finished. */
  update(done: number): void;
  /** Erases the bar, if one was drawn. */
  end(): void;
}

export const PROGRESS_DELAY_MS = 1000;
const REDRAW_MS = 100;
const WIDTH = 30;

const NO_PROGRESS: Progress = { update: () => {}, end: () => {} };

export function renderBar(done: number, total: number, width = WIDTH): string {
  const filled = total ? Math.min(width, Math.floor((done / total) * width)) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`;
}

export function createProgress(stream: ProgressStream, total: number, options: { now: () => number; enabled: boolean }): Progress {
  if (!options.enabled || !stream.isTTY || total === 0) return NO_PROGRESS;
  const started = options.now();
  let drawnAt: number | undefined;
  return {
    update(done) {
      const now = options.now();
      if (now - started < PROGRESS_DELAY_MS) return;
      if (drawnAt !== undefined && now - drawnAt < REDRAW_MS && done < total) return;
      drawnAt = now;
      stream.write(`\r${renderBar(done, total)}\x1b[K`);
    },
    end() {
      if (drawnAt !== undefined) stream.write('\r\x1b[K');
    },
  };
}
