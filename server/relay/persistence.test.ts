import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Store } from '../store/store.ts';
import { temporaryStore } from './hooks.test-support.ts';
import { storePersistence } from './persistence.ts';

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
});
