/**
 * Persistence hook: rooms load from and append to the store's update log, and a room's log is
 * folded into one snapshot (foldUpdates) in the background once it has grown enough or when the
 * room leaves memory, so loading stays fast however long a document has been edited.
 *
 * "Enough": at least `compactAfterUpdates` rows, and at least as many bytes as the snapshot. A
 * compaction reads and rewrites the whole snapshot, so folding every N rows costs each edit a
 * share of the snapshot that grows with the document; waiting until the log is as large as the
 * snapshot keeps that share constant (the log then at most doubles what a load reads). A log of
 * MAX_ROWS_FACTOR × `compactAfterUpdates` rows is folded whatever its size.
 */
import type { Logger } from 'pino';
import { foldUpdates } from '../../common/fold-updates.ts';
import type { Store } from '../store/store.ts';
import type { PersistenceHook, RoomUpdate } from './hooks.ts';

export interface PersistenceOptions {
  readonly store: Pick<Store, 'loadRoom' | 'appendUpdates' | 'appendUpdatesNow' | 'compactRoom'>;
  /** Log rows after which a loaded room is compacted. */
  readonly compactAfterUpdates: number;
  readonly log: Logger;
  /**
   * Folds a log into a snapshot: the server passes its BackgroundFolder (a worker thread, so that
   * compactions do not hold the event loop); foldUpdates, on the event loop, when not given.
   */
  readonly fold?: (updates: Uint8Array[]) => Uint8Array | Promise<Uint8Array>;
}

/** A log of this many times `compactAfterUpdates` rows is compacted whatever its size in bytes. */
export const MAX_ROWS_FACTOR = 20;

/** What this process knows of a room's stored log since its snapshot. */
interface LogState {
  rows: number;
  bytes: number;
  snapshotBytes: number;
}

export function storePersistence(options: PersistenceOptions): PersistenceHook & { compactions(): number } {
  const { store, compactAfterUpdates, log, fold = foldUpdates } = options;
  const maxRows = compactAfterUpdates * MAX_ROWS_FACTOR;
  const logs = new Map<string, LogState>();
  const running = new Map<string, Promise<void>>();
  let completed = 0;

  function compact(room: string): void {
    if (running.has(room)) return;
    let snapshotBytes = 0;
    // What the log held when the compaction was asked for: the rows appended while it reads and
    // folds (it no longer blocks appends) stay counted. The store may fold a few more than these
    // (those appended before it reads); they are then counted twice until the next compaction.
    const before = { ...(logs.get(room) ?? { rows: 0, bytes: 0 }) };
    const job = store
      .compactRoom(room, async (updates) => {
        const merged = await fold(updates);
        snapshotBytes = merged.byteLength;
        return merged;
      })
      .then(
        () => {
          completed++;
          const state = logs.get(room);
          if (state) {
            state.rows = Math.max(0, state.rows - before.rows);
            state.bytes = Math.max(0, state.bytes - before.bytes);
            state.snapshotBytes = snapshotBytes;
          }
        },
        (error: unknown) => log.error({ err: error, room }, 'compaction failed'),
      )
      .finally(() => running.delete(room));
    running.set(room, job);
  }

  function counted(batch: readonly RoomUpdate[]): void {
    for (const { room, update } of batch) {
      let state = logs.get(room);
      if (!state) logs.set(room, (state = { rows: 0, bytes: 0, snapshotBytes: 0 }));
      state.rows++;
      state.bytes += update.byteLength;
      if ((state.rows >= compactAfterUpdates && state.bytes >= state.snapshotBytes) || state.rows >= maxRows) compact(room);
    }
  }

  // Bound once: the relay calls it on every tick, and a store without it keeps the async path.
  const appendNow = store.appendUpdatesNow?.bind(store);

  return {
    async load(room) {
      const stored = await store.loadRoom(room);
      const updates = stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates];
      let bytes = 0;
      for (const update of stored.updates) bytes += update.byteLength;
      logs.set(room, { rows: stored.updates.length, bytes, snapshotBytes: stored.snapshot?.byteLength ?? 0 });
      return { updates, bytes: stored.bytes };
    },
    async store(batch) {
      await store.appendUpdates(batch);
      counted(batch);
    },
    storeNow: appendNow
      ? (batch) => {
          if (!appendNow(batch)) return false;
          counted(batch);
          return true;
        }
      : undefined,
    unloaded(room) {
      if ((logs.get(room)?.rows ?? 0) > 1) compact(room);
      logs.delete(room);
    },
    async drain() {
      await Promise.all(running.values());
    },
    compactions: () => completed,
  };
}
