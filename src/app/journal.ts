/**
 * The in-process queue's memory across restarts: `PYWARD_STATE_DIR/reviews.jsonl`, one JSON line per event
 * (`{"op":"accepted","data":{...}}`, `{"op":"done","id":"..."}`), appended synchronously when a review is
 * accepted and when it ends, read back at start-up and rewritten (compacted) to the reviews still open.
 * `{"op":"started","id":"..."}` and `{"op":"interrupted","id":"..."}` bracket each run of a review: a start
 * with no end after it is a run the process died in (`crashes`), so a review that kills the process every
 * time is given up at the next start instead of being resumed into the same crash for ever.
 *
 * Why an append-only file rather than SQLite: Node 20 has no built-in SQLite and a native module is one
 * more thing to build per platform; the state is a handful of small records (a few hundred bytes per
 * open review), written twice per review, and an append of one line either lands whole or leaves a torn
 * last line, which the reader skips. Compaction (write a temporary file, then rename over the journal) is
 * atomic on POSIX file systems, and runs at start-up and whenever the file holds many finished reviews.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reviewJobId, type JobJournal, type ReviewJobData } from './queue.js';

export const JOURNAL_FILE = 'reviews.jsonl';
/** Lines after which the file is compacted even without a restart. */
const COMPACT_AFTER_LINES = 2_000;

export interface JournalRead {
  open: ReviewJobData[];
  /** Runs of an open review the process died in (started, never ended), by job id; absent: none. */
  crashes: Record<string, number>;
  /** Lines that were not a journal record (a torn last write): skipped, counted for the log. */
  skipped: number;
}

function isJobData(value: unknown): value is ReviewJobData {
  const d = value as ReviewJobData;
  return (
    typeof d === 'object' &&
    d !== null &&
    Number.isInteger(d.installationId) &&
    (d.checkRunId === undefined || Number.isInteger(d.checkRunId)) &&
    typeof d.repo?.owner === 'string' &&
    typeof d.repo?.repo === 'string' &&
    typeof d.repo?.defaultBranch === 'string' &&
    typeof d.repo?.htmlUrl === 'string' &&
    Number.isInteger(d.pr?.number) &&
    typeof d.pr?.headSha === 'string' &&
    typeof d.pr?.baseSha === 'string'
  );
}

/** The reviews a journal text leaves open, in the order they were accepted. Pure. */
export function readJournalText(text: string): JournalRead {
  const open = new Map<string, ReviewJobData>();
  const crashes = new Map<string, number>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: { op?: unknown; data?: unknown; id?: unknown };
    try {
      record = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (record?.op === 'accepted' && isJobData(record.data)) {
      const id = reviewJobId(record.data);
      open.delete(id); // a re-accepted review moves to the back
      open.set(id, { ...record.data, pr: { ...record.data.pr, draft: record.data.pr.draft ?? false, state: record.data.pr.state ?? 'open' } });
    } else if (record?.op === 'done' && typeof record.id === 'string') {
      open.delete(record.id);
      crashes.delete(record.id);
    } else if (record?.op === 'started' && typeof record.id === 'string') crashes.set(record.id, (crashes.get(record.id) ?? 0) + 1);
    else if (record?.op === 'interrupted' && typeof record.id === 'string') crashes.delete(record.id);
    else skipped++;
  }
  return { open: [...open.values()], crashes: Object.fromEntries([...crashes].filter(([id]) => open.has(id))), skipped };
}

export interface FileJournal extends Required<JobJournal> {
  readonly path: string;
  /** Reviews open at start-up (read once, when the journal was opened). */
  readonly recovered: JournalRead;
}

/** Opens (creating the folder and file as needed) and compacts the journal in `dir`. */
export function openFileJournal(dir: string): FileJournal {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, JOURNAL_FILE);
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const recovered = readJournalText(text);
  const open = new Map(recovered.open.map((d) => [reviewJobId(d), d]));
  const crashes = new Map(Object.entries(recovered.crashes));
  let lines = 0;
  const compact = () => {
    const tmp = `${path}.tmp`;
    const records = [...open].flatMap(([id, data]) => [{ op: 'accepted', data }, ...Array.from({ length: crashes.get(id) ?? 0 }, () => ({ op: 'started', id }))]);
    writeFileSync(tmp, records.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
    renameSync(tmp, path);
    lines = records.length;
  };
  compact();
  const append = (record: object) => {
    appendFileSync(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    if (++lines > COMPACT_AFTER_LINES && lines > open.size * 4) compact();
  };
  return {
    path,
    recovered,
    accepted(data) {
      open.set(reviewJobId(data), data);
      append({ op: 'accepted', data });
    },
    done(id) {
      crashes.delete(id);
      if (!open.delete(id)) return;
      append({ op: 'done', id });
    },
    started(id) {
      if (!open.has(id)) return;
      crashes.set(id, (crashes.get(id) ?? 0) + 1);
      append({ op: 'started', id });
    },
    interrupted(id) {
      if (!open.has(id)) return;
      crashes.delete(id);
      append({ op: 'interrupted', id });
    },
  };
}
