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
import * as Y from 'yjs';
import { applyAll } from '../../common/fold-updates.ts';
import type { Store } from '../store/store.ts';
import type { PersistenceHook, RoomUpdate } from './hooks.ts';

export interface PersistenceOptions {
  readonly store: Pick<Store, 'loadRoom' | 'appendUpdates' | 'appendUpdatesNow' | 'compactRoom'>;
  /** Log rows after which a loaded room is compacted. */
  readonly compactAfterUpdates: number;
  readonly log: Logger;
}

/** A log of this many times `compactAfterUpdates` rows is compacted whatever its size in bytes. */
export const MAX_ROWS_FACTOR = 20;

/** Pause between two compactions, so that a queue of them takes a share of the event loop, not all of it. */
export const COMPACTION_PAUSE_MS = 25;

/** Updates applied in one turn of the event loop while a log is folded (about a millisecond's work). */
export const FOLD_SLICE = 100;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * foldUpdates in slices of FOLD_SLICE updates, each in a turn of the event loop of its own (none
 * in the turns that read the rows and write the snapshot), so that the relay's messages go in
 * between: folding 500 updates in one go held the loop for 5-15 ms. The same document as
 * foldUpdates; like it, the first update that cannot be applied fails the fold.
 */
export async function foldInSlices(updates: readonly Uint8Array[]): Promise<Uint8Array> {
  if (updates.length === 1) return updates[0];
  const doc = new Y.Doc();
  try {
    for (let from = 0; from < updates.length; from += FOLD_SLICE) {
      await nextTurn();
      applyAll(doc, updates.slice(from, from + FOLD_SLICE), null);
    }
    await nextTurn();
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/** What this process knows of a room's stored log since its snapshot. */
interface LogState {
  rows: number;
  bytes: number;
  snapshotBytes: number;
}

export function storePersistence(options: PersistenceOptions): PersistenceHook & { compactions(): number } {
  const { store, compactAfterUpdates, log } = options;
  const maxRows = compactAfterUpdates * MAX_ROWS_FACTOR;
  const logs = new Map<string, LogState>();
  // Compactions run one at a time, in the order they were asked for, each in several turns of the
  // event loop (read the rows; fold, FOLD_SLICE updates a turn; write the snapshot) and
  // COMPACTION_PAUSE_MS apart. Rooms edited at the same pace reach the threshold together: back
  // to back, in one go each, ten compactions held every edit of the next 60-130 ms
  // (docs/benchmarks.md, "Compaction stalls").
  const waiting: string[] = [];
  const queued = new Set<string>();
  let working: Promise<void> | null = null;
  let completed = 0;

  function compact(room: string): void {
    if (queued.has(room)) return;
    queued.add(room);
    waiting.push(room);
    working ??= work();
  }

  async function work(): Promise<void> {
    for (let room = waiting.shift(); room !== undefined; room = waiting.shift()) {
      try {
        await compactNow(room);
      } finally {
        queued.delete(room);
      }
      // Rows appended while it ran may already make up another compaction's worth.
      const state = logs.get(room);
      if (state && due(state)) compact(room);
      if (waiting.length > 0) await new Promise((resolve) => setTimeout(resolve, COMPACTION_PAUSE_MS));
    }
    working = null;
  }

  async function compactNow(room: string): Promise<void> {
    let snapshotBytes = 0;
    // What the log holds now: rows appended while the compaction reads and folds (it does not
    // block appends) stay counted. The store may fold a few more than these (appended before it
    // reads); they are then counted twice until the next compaction, which only brings it forward.
    const before = { ...(logs.get(room) ?? { rows: 0, bytes: 0 }) };
    try {
      await store.compactRoom(room, async (updates) => {
        const merged = await foldInSlices(updates);
        snapshotBytes = merged.byteLength;
        return merged;
      });
    } catch (error) {
      log.error({ err: error, room }, 'compaction failed');
      return;
    }
    completed++;
    const state = logs.get(room);
    if (state) {
      state.rows = Math.max(0, state.rows - before.rows);
      state.bytes = Math.max(0, state.bytes - before.bytes);
      state.snapshotBytes = snapshotBytes;
    }
  }

  function counted(batch: readonly RoomUpdate[]): void {
    for (const { room, update } of batch) {
      let state = logs.get(room);
      if (!state) logs.set(room, (state = { rows: 0, bytes: 0, snapshotBytes: 0 }));
      state.rows++;
      state.bytes += update.byteLength;
      if (due(state)) compact(room);
    }
  }

  function due(state: LogState): boolean {
    return (state.rows >= compactAfterUpdates && state.bytes >= state.snapshotBytes) || state.rows >= maxRows;
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
      while (working) await working;
    },
    compactions: () => completed,
  };
}
