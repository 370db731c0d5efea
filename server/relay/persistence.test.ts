import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldUpdates } from '../../common/fold-updates.ts';
import type { Store } from '../store/store.ts';
import { temporaryStore } from './hooks.test-support.ts';
import { FOLD_SLICE, foldInSlices, MAX_ROWS_FACTOR, storePersistence } from './persistence.ts';

let store: Store;
let dispose: () => Promise<void>;
beforeAll(async () => ({ store, dispose } = await temporaryStore()));
afterAll(() => dispose());

function edits(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) doc.getText('t').insert(doc.getText('t').length, `${i};`);
  return updates;
}

function textOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

describe('store persistence hook', () => {
  it('loads what it stored, in order', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 1000, log: pino({ level: 'silent' }) });
    const updates = edits(20);
    await persistence.store(updates.map((update) => ({ room: 'doc:a', update })));
    const loaded = await persistence.load('doc:a');
    expect(textOf(loaded.updates)).toBe(textOf(updates));
    expect(loaded.bytes).toBe(updates.reduce((n, u) => n + u.byteLength, 0));
  });

  it('compacts a long log into a snapshot in the background without losing anything', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 10, log: pino({ level: 'silent' }) });
    await persistence.load('doc:b');
    const updates = edits(25);
    for (const update of updates) await persistence.store([{ room: 'doc:b', update }]);
    await persistence.drain!();
    expect(persistence.compactions()).toBeGreaterThan(0);
    expect(await store.countRoomUpdates('doc:b')).toBeLessThan(10);
    const loaded = await persistence.load('doc:b');
    expect(textOf(loaded.updates)).toBe(textOf(updates));
  });

  it('stores synchronously when the store can, counting those rows towards compaction too', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 10, log: pino({ level: 'silent' }) });
    await persistence.load('doc:d');
    const updates = edits(25);
    for (const update of updates) {
      // Between transactions the SQLite store always can; during a compaction it says no.
      if (!persistence.storeNow!([{ room: 'doc:d', update }])) await persistence.store([{ room: 'doc:d', update }]);
    }
    await persistence.drain!();
    expect(persistence.compactions()).toBeGreaterThan(0);
    expect(await store.countRoomUpdates('doc:d')).toBeLessThan(10);
    expect(textOf((await persistence.load('doc:d')).updates)).toBe(textOf(updates));
  });

  it('has no synchronous path when the store has none', () => {
    const { loadRoom, appendUpdates, compactRoom } = store;
    const asyncOnly = { loadRoom, appendUpdates, compactRoom };
    expect(storePersistence({ store: asyncOnly, compactAfterUpdates: 10, log: pino({ level: 'silent' }) }).storeNow).toBeUndefined();
  });

  it('compacts rooms one at a time, in the order they reached the threshold', async () => {
    let compacting = 0;
    let mostAtOnce = 0;
    const folded: string[] = [];
    // The store as it is, with a compaction that takes a while and says what it folded.
    const slowStore: typeof store = Object.create(store);
    slowStore.compactRoom = async (room, merge) => {
      mostAtOnce = Math.max(mostAtOnce, ++compacting);
      await new Promise((resolve) => setTimeout(resolve, 20));
      try {
        await store.compactRoom(room, async (parts) => {
          const snapshot = await merge(parts);
          folded.push(textOf([snapshot]));
          return snapshot;
        });
      } finally {
        compacting--;
      }
    };
    const persistence = storePersistence({ store: slowStore, compactAfterUpdates: 10, log: pino({ level: 'silent' }) });
    const rooms = ['doc:q1', 'doc:q2', 'doc:q3'];
    const typed = rooms.map((_, i) => edits(12 + i));
    for (const room of rooms) await persistence.load(room);
    // Each batch takes a room past the threshold while the previous room's compaction still runs.
    await Promise.all(rooms.map((room, i) => persistence.store(typed[i].map((update) => ({ room, update })))));
    await persistence.drain!();
    expect(mostAtOnce).toBe(1);
    expect(folded).toEqual(typed.map((updates) => textOf(updates)));
    for (const [i, room] of rooms.entries()) {
      expect(await store.countRoomUpdates(room)).toBe(0);
      expect(textOf((await persistence.load(room)).updates)).toBe(textOf(typed[i]));
    }
  });

  it('folds in slices, giving the event loop a turn between them', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 1_000_000, log: pino({ level: 'silent' }) });
    const room = 'doc:slices';
    await persistence.load(room);
    const updates = edits(2_000);
    await persistence.store(updates.map((update) => ({ room, update })));
    let turns = 0;
    let done = false;
    const spin = (): void => {
      turns++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    persistence.unloaded!(room);
    await persistence.drain!();
    done = true;
    expect(await store.countRoomUpdates(room)).toBe(0);
    expect(textOf((await persistence.load(room)).updates)).toBe(textOf(updates));
    // One turn at least for every slice (in one piece, the fold would take a single turn).
    expect(turns).toBeGreaterThanOrEqual(2_000 / FOLD_SLICE);
  });

  it('folds in slices to the same document as foldUpdates, also when updates arrive before what they depend on', async () => {
    const updates = edits(450);
    // Every slice of 100 starts with updates whose predecessors are in a later slice.
    const shuffled = [...updates].reverse();
    const sliced = await foldInSlices(shuffled);
    expect(textOf([sliced])).toBe(textOf(updates));
    expect(textOf([sliced])).toBe(textOf([foldUpdates(shuffled)]));
    await expect(foldInSlices([...updates, Uint8Array.of(0xff, 0xff, 0xff)])).rejects.toThrow();
  });

  it('compacts a room when it leaves memory', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 1000, log: pino({ level: 'silent' }) });
    await persistence.load('doc:c');
    const updates = edits(5);
    await persistence.store(updates.map((update) => ({ room: 'doc:c', update })));
    persistence.unloaded!('doc:c');
    await persistence.drain!();
    expect(await store.countRoomUpdates('doc:c')).toBe(0);
    expect(textOf((await persistence.load('doc:c')).updates)).toBe(textOf(updates));
  });

  it('once there is a snapshot, compacts when the log is as large as the snapshot, not every compactAfterUpdates rows', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 10, log: pino({ level: 'silent' }) });
    const room = 'doc:e';
    // A document with a large snapshot: 4 KiB of text folded at once.
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getText('t').insert(0, 'x'.repeat(4096));
    await store.appendUpdates(updates.map((update) => ({ room, update })));
    await store.compactRoom(room, (parts) => Y.mergeUpdates(parts));
    const snapshotBytes = (await store.loadRoom(room)).snapshot!.byteLength;
    expect(snapshotBytes).toBeGreaterThan(4096);
    await persistence.load(room);
    const before = persistence.compactions();
    // Small edits: 10 rows are far fewer bytes than the snapshot, so no compaction yet.
    let logBytes = 0;
    let rows = 0;
    while (logBytes + 64 < snapshotBytes) {
      updates.length = 0;
      doc.getText('t').insert(rows % 100, `${rows};`);
      for (const update of updates) {
        logBytes += update.byteLength;
        await persistence.store([{ room, update }]);
        rows++;
      }
    }
    await persistence.drain!();
    expect(rows).toBeGreaterThan(10);
    expect(persistence.compactions()).toBe(before);
    expect(await store.countRoomUpdates(room)).toBe(rows);
    // Once the log's bytes pass the snapshot's, the next row compacts.
    for (let i = 0; i < 8 && persistence.compactions() === before; i++) {
      updates.length = 0;
      doc.getText('t').insert(0, 'y'.repeat(64));
      for (const update of updates) await persistence.store([{ room, update }]);
      await persistence.drain!();
    }
    expect(persistence.compactions()).toBe(before + 1);
    expect(await store.countRoomUpdates(room)).toBe(0);
    const loaded = await persistence.load(room);
    const copy = new Y.Doc();
    for (const u of loaded.updates) Y.applyUpdate(copy, u);
    expect(copy.getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it('compacts a log of MAX_ROWS_FACTOR × compactAfterUpdates rows whatever its size', async () => {
    const persistence = storePersistence({ store, compactAfterUpdates: 2, log: pino({ level: 'silent' }) });
    const room = 'doc:f';
    const big = new Y.Doc();
    const first: Uint8Array[] = [];
    big.on('update', (u: Uint8Array) => first.push(u));
    big.getText('t').insert(0, 'z'.repeat(100_000));
    await persistence.load(room);
    await persistence.store(first.map((update) => ({ room, update })));
    await persistence.store(edits(1).map((update) => ({ room, update })));
    await persistence.drain!();
    // The first compaction (no snapshot yet) made a 100 kB snapshot; tiny rows now wait for the cap.
    const before = persistence.compactions();
    expect(before).toBe(1);
    const small = edits(MAX_ROWS_FACTOR * 2);
    for (const update of small.slice(0, -1)) await persistence.store([{ room, update }]);
    await persistence.drain!();
    expect(persistence.compactions()).toBe(before);
    await persistence.store([{ room, update: small[small.length - 1] }]);
    await persistence.drain!();
    expect(persistence.compactions()).toBe(before + 1);
  });
});
