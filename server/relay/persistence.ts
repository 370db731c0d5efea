/**
 * Persistence hook: rooms load from and append to the store's update log, and a room's log is
 * folded into one snapshot (Y.mergeUpdates) in the background once it grows past a threshold or
 * when the room leaves memory, so loading stays fast however long a document has been edited.
 */
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { Store } from '../store/store.ts';
import type { PersistenceHook, RoomUpdate } from './hooks.ts';

export interface PersistenceOptions {
  readonly store: Pick<Store, 'loadRoom' | 'appendUpdates' | 'appendUpdatesNow' | 'compactRoom'>;
  /** Log rows after which a loaded room is compacted. */
  readonly compactAfterUpdates: number;
  readonly log: Logger;
}

export function storePersistence(options: PersistenceOptions): PersistenceHook & { compactions(): number } {
  const { store, compactAfterUpdates, log } = options;
  /** Log rows per room since its snapshot, as far as this process knows. */
  const logLength = new Map<string, number>();
  const running = new Map<string, Promise<void>>();
  let completed = 0;

  function compact(room: string): void {
    if (running.has(room)) return;
    const job = store
      .compactRoom(room, (updates) => Y.mergeUpdates(updates))
      .then(
        () => {
          completed++;
          logLength.set(room, 0);
        },
        (error: unknown) => log.error({ err: error, room }, 'compaction failed'),
      )
      .finally(() => running.delete(room));
    running.set(room, job);
  }

  function counted(batch: readonly RoomUpdate[]): void {
    for (const { room } of batch) {
      const length = (logLength.get(room) ?? 0) + 1;
      logLength.set(room, length);
      if (length >= compactAfterUpdates) compact(room);
    }
  }

  // Bound once: the relay calls it on every tick, and a store without it keeps the async path.
  const appendNow = store.appendUpdatesNow?.bind(store);

  return {
    async load(room) {
      const stored = await store.loadRoom(room);
      const updates = stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates];
      logLength.set(room, stored.updates.length);
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
      if ((logLength.get(room) ?? 0) > 1) compact(room);
      logLength.delete(room);
    },
    async drain() {
      await Promise.all(running.values());
    },
    compactions: () => completed,
  };
}
