import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { openDb, type CongvuDb } from './db.ts';
import { DocPersistence, PersistenceConflictError, withoutUpdateEvents } from './doc-persistence.ts';
import { compact, countRows, getDocState, pendingTotal } from './update-log.ts';

const dbs: CongvuDb[] = [];
function freshDb(): CongvuDb {
  const db = openDb(`test-${crypto.randomUUID()}`);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

const REMOTE = Symbol('remote');
const localUnlessRemote = { classify: (origin: unknown) => (origin === REMOTE ? 'remote' : 'local'), isLive: () => false } as const;

describe('document persistence', () => {
  it('a quiet load emits no update for the stored state, yet observers see it and later edits are stored', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const first = new Y.Doc();
    const p1 = DocPersistence.attach(db, id, first, localUnlessRemote);
    await p1.load();
    first.getText('t').insert(0, 'Kính gửi');
    await p1.destroy();

    const doc = new Y.Doc();
    const updates: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => updates.push(origin));
    const observed: string[] = [];
    doc.getText('t').observe(() => observed.push(doc.getText('t').toString()));
    const p2 = DocPersistence.attach(db, id, doc, { ...localUnlessRemote, quietLoad: true });
    await p2.load();
    expect(doc.getText('t').toString()).toBe('Kính gửi');
    expect(observed).toEqual(['Kính gửi']);
    expect(updates).toEqual([]);
    doc.getText('t').insert(8, ': Sở Tư pháp');
    expect(updates).toEqual([null]);
    await p2.whenSaved();
    await p2.destroy();

    const again = new Y.Doc();
    const p3 = DocPersistence.attach(db, id, again, localUnlessRemote);
    await p3.load();
    expect(again.getText('t').toString()).toBe('Kính gửi: Sở Tư pháp');
    await p3.destroy();
  });

  it('with writeAfterPaint, writes after the current task (not within it), on its own within the fallback, and at once for whenSaved', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const persistence = DocPersistence.attach(db, id, doc, { ...localUnlessRemote, writeAfterPaint: true });
    await persistence.load();
    doc.getText('t').insert(0, 'Kính gửi');
    expect(persistence.saveState).toBe('saving');
    // Microtasks of this task run, the write does not start in them.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(await countRows(db, id)).toBe(0);
    await persistence.whenSaved();
    expect(await countRows(db, id)).toBe(1);
    expect(persistence.saveState).toBe('saved');
    // Nobody waits: the write still happens (Node has no frames: the fallback timer).
    doc.getText('t').insert(8, ':');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await countRows(db, id)).toBe(2);
    expect(persistence.saveState).toBe('saved');
    await persistence.destroy();
  });

  for (const live of [true, false]) {
    it(`a write the disk refuses (quota) reports "failed", keeps the edit and stores it with the next write (${live ? 'online: direct IndexedDB' : 'offline: Dexie, counted as waiting'})`, async () => {
      const db = freshDb();
      const id = crypto.randomUUID();
      const doc = new Y.Doc();
      const persistence = DocPersistence.attach(db, id, doc, { ...localUnlessRemote, isLive: () => live });
      await persistence.load();
      const quotaError = () => {
        throw new DOMException('The disk is full', 'QuotaExceededError');
      };
      const realBackend = db.backendDB.bind(db);
      const realTransaction = db.transaction.bind(db) as (...args: unknown[]) => unknown;
      let refuse = true;
      db.backendDB = () => (refuse ? ({ transaction: quotaError } as unknown as IDBDatabase) : realBackend());
      (db as unknown as { transaction: (...args: unknown[]) => unknown }).transaction = (...args) => (refuse ? quotaError() : realTransaction(...args));
      const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
      doc.getText('t').insert(0, 'Kính gửi');
      await persistence.whenSaved();
      expect(persistence.saveState).toBe('failed');
      expect(errors).toHaveBeenCalled();
      errors.mockRestore();
      refuse = false;
      expect(await countRows(db, id)).toBe(0);

      doc.getText('t').insert(8, ': Sở Tư pháp');
      await persistence.whenSaved();
      expect(persistence.saveState).toBe('saved');
      await persistence.destroy();

      const again = new Y.Doc();
      const reloaded = DocPersistence.attach(db, id, again, localUnlessRemote);
      await reloaded.load();
      expect(again.getText('t').toString()).toBe('Kính gửi: Sở Tư pháp');
      await reloaded.destroy();
      if (!live) expect((await getDocState(db, id)).pending).toBe(2);
    });
  }

  it('reports "saving" for the user\'s own edits only; a peer\'s update is stored without it', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const persistence = DocPersistence.attach(db, id, doc, localUnlessRemote);
    await persistence.load();
    const states: string[] = [];
    persistence.onSaveState((state) => states.push(state));
    const peer = new Y.Doc();
    peer.getText('t').insert(0, 'Kính gửi');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer), REMOTE);
    await persistence.whenSaved();
    expect(states).toEqual([]);
    doc.getText('t').insert(8, ':');
    await persistence.whenSaved();
    expect(states).toEqual(['saving', 'saved']);
    await persistence.destroy();

    const again = new Y.Doc();
    const second = DocPersistence.attach(db, id, again, localUnlessRemote);
    await second.load();
    expect(again.getText('t').toString()).toBe('Kính gửi:');
    await second.destroy();
  });

  it('withoutUpdateEvents puts the listeners back, also when the work throws', () => {
    const doc = new Y.Doc();
    let seen = 0;
    doc.on('update', () => seen++);
    expect(() =>
      withoutUpdateEvents(doc, () => {
        doc.getText('t').insert(0, 'a');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(seen).toBe(0);
    doc.getText('t').insert(0, 'b');
    expect(seen).toBe(1);
  });

  it('a reloaded document has every update that was reported saved', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const persistence = DocPersistence.attach(db, id, doc, localUnlessRemote);
    await persistence.load();
    doc.getText('t').insert(0, 'Việt Nam');
    doc.getText('t').insert(8, ', Nghị định');
    await persistence.whenSaved();
    await persistence.destroy();

    const again = new Y.Doc();
    const second = DocPersistence.attach(db, id, again, localUnlessRemote);
    await second.load();
    expect(again.getText('t').toString()).toBe('Việt Nam, Nghị định');
    await second.destroy();
  });

  it('loaded state is applied with the persistence as origin, so an UndoManager tracking null cannot undo it', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const first = new Y.Doc();
    const p1 = DocPersistence.attach(db, id, first, localUnlessRemote);
    await p1.load();
    first.getText('t').insert(0, 'Quyết định');
    await p1.destroy();

    const doc = new Y.Doc();
    const undo = new Y.UndoManager(doc.getText('t'), { trackedOrigins: new Set([null]) });
    const p2 = DocPersistence.attach(db, id, doc, localUnlessRemote);
    await p2.load();
    undo.undo();
    expect(doc.getText('t').toString()).toBe('Quyết định');
    await p2.destroy();
  });

  it('a second live persistence on one document is refused, and one that is closing is waited for', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const p1 = DocPersistence.attach(db, id, doc, localUnlessRemote);
    await p1.load();
    expect(() => DocPersistence.attach(db, id, new Y.Doc(), localUnlessRemote)).toThrow(PersistenceConflictError);
    doc.getText('t').insert(0, 'abc');
    void p1.destroy(); // not awaited: the next load must still see 'abc'
    const other = new Y.Doc();
    const p2 = DocPersistence.attach(db, id, other, localUnlessRemote);
    await p2.load();
    expect(other.getText('t').toString()).toBe('abc');
    await p2.destroy();
    expect(await countRows(db, id)).toBe(1);
  });

  it('counts local edits not yet sent, not remote ones, and clears them when sent', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const p = DocPersistence.attach(db, id, doc, localUnlessRemote);
    await p.load();
    doc.getText('t').insert(0, 'a');
    doc.getText('t').insert(1, 'b');
    const remote = new Y.Doc();
    remote.getText('t').insert(0, 'x');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), REMOTE);
    await p.whenSaved();
    expect((await getDocState(db, id)).pending).toBe(2);
    expect(await pendingTotal(db)).toBe(2);
    await p.markSent();
    const state = await getDocState(db, id);
    expect(state.pending).toBe(0);
    expect(state.lastServerAt).not.toBeNull();
    await p.destroy();
  });

  it('a burst of edits is written in few transactions (group commit), all of them durable', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const p = DocPersistence.attach(db, id, doc, localUnlessRemote);
    await p.load();
    for (let i = 0; i < 100; i++) {
      doc.getText('t').insert(i, 'x');
      if (i % 10 === 0) await Promise.resolve();
    }
    await p.whenSaved();
    expect(p.saveState).toBe('saved');
    expect(await countRows(db, id)).toBeLessThan(100);
    expect((await getDocState(db, id)).pending).toBe(100);
    await p.destroy();
    const again = new Y.Doc();
    const p2 = DocPersistence.attach(db, id, again, localUnlessRemote);
    await p2.load();
    expect(again.getText('t').length).toBe(100);
    await p2.destroy();
  });

  it('compaction merges the rows of a document into one without losing content', async () => {
    const db = freshDb();
    const id = crypto.randomUUID();
    const doc = new Y.Doc();
    const p = DocPersistence.attach(db, id, doc, { ...localUnlessRemote, compactThreshold: 1000 });
    await p.load();
    for (let i = 0; i < 50; i++) {
      doc.getText('t').insert(i, String(i % 10));
      await p.whenSaved();
    }
    expect(await countRows(db, id)).toBe(50);
    expect(await compact(db, id, 10)).toBe(true);
    expect(await countRows(db, id)).toBe(1);
    await p.destroy();
    const again = new Y.Doc();
    const p2 = DocPersistence.attach(db, id, again, localUnlessRemote);
    await p2.load();
    expect(again.getText('t').toString()).toBe(doc.getText('t').toString());
    await p2.destroy();
  });
});
