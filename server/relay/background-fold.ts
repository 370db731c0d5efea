/**
 * Folds a room's stored updates into one snapshot (common/fold-updates.ts) on a worker thread, so
 * that compaction never holds the relay's event loop.
 *
 * Why: folding is the only heavy part of a compaction (a snapshot plus 500 updates: 5–15 ms of
 * applying and encoding on the benchmark VM; reading and writing the rows is well under 1 ms).
 * Rooms edited at the same pace reach the compaction threshold together, and their compactions ran
 * back to back on the event loop: at 10 rooms × 5 clients and 200 edits/s, every 25 s all 10 rooms
 * compacted in one burst and every edit of the next 60–130 ms reached nobody until it ended
 * (docs/benchmarks.md, "Compaction stalls"). On the worker the event loop only hands the updates
 * over and takes the snapshot back.
 *
 * The worker starts at the first fold and stops after a minute without one (a started worker with
 * Yjs loaded holds ~10 MB that an idle server should not carry). If it cannot start or dies, the
 * folds waiting on it and every later one run on the event loop as before (`foldUpdates`), so
 * compaction never stops; `lastError` says why.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { foldUpdates } from '../../common/fold-updates.ts';

/** A worker without work for this long is stopped (started again by the next fold). */
const IDLE_STOP_MS = 60_000;

// CommonJS, evaluated as the worker's source (as in store/sqlite-checkpointer.ts: the server is
// bundled, and a worker entry of its own would need a bundle of its own). It must fold exactly as
// common/fold-updates.ts does: one transaction, the first update that throws fails the fold.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, updates }) => {
  const doc = new Y.Doc();
  try {
    doc.transact(() => { for (const update of updates) Y.applyUpdate(doc, update); });
    const snapshot = Y.encodeStateAsUpdate(doc);
    parentPort.postMessage({ id, snapshot }, [snapshot.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  } finally {
    doc.destroy();
  }
});
`;

interface Job {
  readonly updates: readonly Uint8Array[];
  resolve(snapshot: Uint8Array): void;
  reject(error: Error): void;
}

export class FoldError extends Error {
  override readonly name = 'FoldError';
}

export class BackgroundFolder {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Set once the worker failed: folds run on the event loop from then on. */
  private broken = false;
  /** Why the worker failed, for logs, tests and diagnosis. */
  lastError: string | undefined;

  constructor(private readonly onFailure: (reason: string) => void = () => {}) {}

  /** The updates folded into one (see foldUpdates); rejects with FoldError when one cannot be applied. */
  fold(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    if (updates.length === 1) return Promise.resolve(updates[0]);
    if (this.broken) return this.foldHere(updates);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const job: Job = { updates, resolve, reject };
      this.jobs.set(id, job);
      clearTimeout(this.idleTimer);
      try {
        // Copied, not transferred: the caller's buffers may be views into shared pools.
        this.start().postMessage({ id, updates });
      } catch (error) {
        this.fail(`the fold worker could not start: ${(error as Error).message}`);
      }
    });
  }

  /** Stops the worker; folds still waiting on it run on the event loop. A later fold starts a new one. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await worker.terminate();
    this.foldWaitingHere();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs: createRequire(import.meta.url).resolve('yjs') } });
    // Never keeps the process alive: an unfinished fold is only a compaction that did not happen.
    worker.unref();
    worker.on('message', ({ id, snapshot, error }: { id: number; snapshot?: Uint8Array; error?: string }) => {
      const job = this.jobs.get(id);
      if (!job) return;
      this.jobs.delete(id);
      if (snapshot) job.resolve(snapshot);
      else job.reject(new FoldError(error ?? 'fold failed'));
      if (this.jobs.size === 0 && this.worker === worker) this.idleTimer = setTimeout(() => void this.close(), IDLE_STOP_MS).unref();
    });
    worker.on('error', (error) => {
      if (this.worker === worker) this.fail(`the fold worker failed: ${error.message}`);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(`the fold worker exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  private fail(reason: string): void {
    this.broken = true;
    this.lastError = reason;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    this.onFailure(reason);
    this.foldWaitingHere();
  }

  private foldWaitingHere(): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) this.foldHere(job.updates).then(job.resolve, job.reject);
  }

  private foldHere(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    try {
      return Promise.resolve(foldUpdates(updates));
    } catch (error) {
      return Promise.reject(new FoldError((error as Error).message ?? String(error)));
    }
  }
}
