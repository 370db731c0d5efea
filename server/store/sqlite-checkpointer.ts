/**
 * Copies the SQLite WAL back into the database file on a worker thread, so the relay's event loop
 * never runs a checkpoint itself.
 *
 * Why: with SQLite's default (wal_autocheckpoint = 1000 pages) the commit that crosses the
 * threshold checkpoints on the spot: it fsyncs the WAL, writes the pages into the database file and
 * fsyncs that. On the benchmark VM that is 5–8 ms, about once every 200 relay commits (once a
 * second at 200 edits/s), and everything else in the event loop (every room's fan-out) waits for it.
 * Measured with one-update commits: mean 72–85 µs with auto-checkpoints against 48–51 µs without,
 * p99.9 5–8 ms against 0.2–0.3 ms.
 *
 * A PASSIVE checkpoint from another connection runs beside the writer without blocking it (WAL
 * mode), so the worker's own connection does the copying. Durability does not depend on it: a
 * commit is in the WAL (the kernel's page cache) when it returns, whether or not it has been
 * checkpointed yet. The store's own connection keeps a much higher auto-checkpoint threshold as a
 * safety net, in case the worker falls behind or is gone.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Commits between two checkpoint requests: ~1000 WAL pages at the relay's ~5 pages per commit,
 * SQLite's own cadence. Every 100 cost more CPU in all (4,000 one-update commits, all threads:
 * 119–129 µs per commit against 106–110 µs, and SQLite's auto-checkpoint 78–106 µs) and made
 * the commits slower while a checkpoint ran (p99 0.5–0.7 ms against 0.24 ms).
 *
 * Under continuous writes (a commit every tick, as before the update journal, or the benchmark's
 * closed loop) a PASSIVE checkpoint rarely catches up with the last frame, so the WAL is not
 * rewound and grows until FOREGROUND_CHECKPOINT_PAGES, where the store's connection checkpoints
 * once itself (one 5–6 ms stall per ~2,000 commits instead of one per ~200). With pauses between
 * commits (the journal's moves) the checkpoints catch up and the WAL rewinds.
 */
const COMMITS_PER_CHECKPOINT = 200;
/**
 * …and at least this often while anything is being committed. Since the update journal, the relay
 * commits in moves (every 500 ms), each of tens to a hundred-odd pages (100 rooms × 10 clients at
 * 500 edits/s: ~1.1 MB of WAL a second), so 200 commits were 100 s. Until 2026-11-29 only the first
 * commit after each 200th armed this timer, the WAL grew unchecked for the rest, and every ~37 s at
 * that load the store's own connection hit FOREGROUND_CHECKPOINT_PAGES and copied ~40 MB on the
 * event loop (docs/benchmarks.md, "The WAL that never rewound").
 */
const CHECKPOINT_EVERY_MS = 5_000;
/** WAL pages after which the store's own connection checkpoints anyway (~40 MB). */
export const FOREGROUND_CHECKPOINT_PAGES = 10_000;

// CommonJS, evaluated as the worker's source: the server is bundled into a few files, and a
// separate worker entry would need a bundle of its own. The driver's path comes from the parent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
function checkpoint() {
  try {
    if (!db) {
      db = new Database(workerData.file, { fileMustExist: true });
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ checkpointed: true });
  } catch (error) {
    // The store's connection checkpoints by itself past its threshold; say why once per failure.
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}
parentPort.on('message', (message) => {
  if (message === 'checkpoint') checkpoint();
  else if (message === 'close') {
    try { db?.close(); } catch {}
    parentPort.close();
  }
});
`;

export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  /** Commits since the last checkpoint was asked for. */
  private commits = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The last error the worker reported, for tests and diagnosis. */
  lastError: string | undefined;
  /** Checkpoints the worker has run, for tests and diagnosis. */
  checkpoints = 0;

  /** `onFailure` runs once if the worker cannot run (the store then checkpoints by itself again). */
  constructor(
    private readonly file: string,
    private readonly onFailure: () => void,
    private readonly commitsPerCheckpoint = COMMITS_PER_CHECKPOINT,
    private readonly everyMs = CHECKPOINT_EVERY_MS,
  ) {}

  /**
   * Starts the worker now rather than at the first commit: bootstrapping a worker thread costs tens
   * of milliseconds of CPU, better spent while the store opens than when the first edit arrives.
   */
  prepare(): void {
    if (!this.closed) this.start();
  }

  /**
   * Called after each commit of the store's connection; cheap: a counter, and a message per
   * checkpoint. A checkpoint is asked for at the 200th commit since the last, or `everyMs` after
   * the first, whichever comes first.
   */
  committed(): void {
    if (this.closed) return;
    this.commits++;
    if (this.commits >= this.commitsPerCheckpoint) {
      this.requestCheckpoint();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.requestCheckpoint(), this.everyMs);
      this.timer.unref();
    }
  }

  private requestCheckpoint(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    this.commits = 0;
    this.start().postMessage('checkpoint');
  }

  /** Stops the worker and closes its connection, so the store's close is the last one (and cleans up the WAL). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    const timeout = setTimeout(() => void worker.terminate(), 2_000);
    await exited;
    clearTimeout(timeout);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: this.file,
        driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      },
    });
    // The worker must never keep the process alive, nor take it down.
    worker.unref();
    worker.on('message', (message: { error?: string; checkpointed?: boolean }) => {
      if (message.error) this.lastError = message.error;
      if (message.checkpointed) this.checkpoints++;
    });
    worker.on('error', (error) => {
      this.lastError = error.message;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      // Not restarted: a worker that cannot start would otherwise be spawned again at every checkpoint request.
      this.closed = true;
      if (code !== 0) this.lastError ??= `checkpointer exited with ${code}`;
      this.onFailure();
    });
    this.worker = worker;
    return worker;
  }
}
