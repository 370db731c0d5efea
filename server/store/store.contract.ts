/**
 * The behaviour every Store must have, as one vitest suite that sqlite.test.ts and postgres.test.ts
 * run against their own database. Tests share one database per suite, so each makes its own ids
 * and rooms and never assumes the tables start empty.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AgencyRecord, DocumentRecord, RoomUpdate, Store, UserRecord } from './store.ts';

export interface StoreHarness {
  /** Opens a new, not yet migrated store on the suite's database, as another process would. */
  open(): Promise<Store>;
  /**
   * Whether two stores from open() may run transactions at the same moment in one process. Not so
   * for SQLite: better-sqlite3 waits for another connection's lock synchronously, blocking the very
   * event loop that connection needs to finish; across processes it works (see sqlite.test.ts).
   */
  readonly concurrentStores: boolean;
  /** Removes the suite's database. */
  dispose(): Promise<void>;
}

export function describeStoreContract(name: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`${name} store`, () => {
    let harness: StoreHarness;
    let store: Store;
    const opened: Store[] = [];

    async function openMigrated(): Promise<Store> {
      const other = await harness.open();
      opened.push(other);
      await other.migrate();
      return other;
    }

    /** A second store for races: a real second connection where that can race in-process. */
    async function rival(): Promise<Store> {
      return harness.concurrentStores ? openMigrated() : store;
    }

    beforeAll(async () => {
      harness = await createHarness();
      store = await harness.open();
      opened.push(store);
      await store.migrate();
    });

    afterAll(async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await harness?.dispose();
    });

    async function seedAgency(overrides: Partial<AgencyRecord> = {}): Promise<AgencyRecord> {
      const agency: AgencyRecord = { id: randomUUID(), name: 'Sở Nội vụ', abbreviation: 'SNV', parentId: null, ...overrides };
      await store.upsertAgency(agency);
      return agency;
    }

    async function seedUser(agencyId: string, overrides: Partial<UserRecord> = {}): Promise<UserRecord> {
      const id = randomUUID();
      const user: UserRecord = {
        id,
        username: `user-${id}`,
        displayName: 'Nguyễn Văn An',
        agencyId,
        unit: 'Phòng Tổ chức',
        title: 'Chuyên viên',
        roles: ['clerk'],
        passwordHash: 'scrypt$test',
        ...overrides,
      };
      await store.upsertUser(user);
      return user;
    }

    async function seedDocument(owner: UserRecord, overrides: Partial<DocumentRecord> = {}): Promise<DocumentRecord> {
      const now = new Date().toISOString();
      const doc: DocumentRecord = {
        id: randomUUID(),
        title: 'Công văn về việc tổ chức hội nghị',
        type: 'CV',
        status: 'draft',
        agencyId: owner.agencyId,
        ownerId: owner.id,
        createdAt: now,
        updatedAt: now,
        ...overrides,
      };
      const { created } = await store.createDocument(doc);
      expect(created).toBe(true);
      return doc;
    }

    describe('schema', () => {
      it('migrating again, from the same store or another one, is harmless and keeps the data', async () => {
        const key = `k-${randomUUID()}`;
        await store.getOrCreateSetting(key, 'kept');
        await store.migrate();
        const other = await openMigrated();
        await other.migrate();
        expect(await other.getOrCreateSetting(key, 'other')).toBe('kept');
        expect(await store.getOrCreateSetting(key, 'other')).toBe('kept');
      });

      it('two migrations at the same moment both succeed', async () => {
        const other = await rival();
        await expect(Promise.all([store.migrate(), other.migrate()])).resolves.toBeDefined();
      });
    });

    describe('settings', () => {
      it('getOrCreateSetting stores the first value and returns it to every later caller', async () => {
        const key = `k-${randomUUID()}`;
        expect(await store.getOrCreateSetting(key, 'first')).toBe('first');
        expect(await store.getOrCreateSetting(key, 'second')).toBe('first');
      });

      it('concurrent getOrCreateSetting calls for a new key all return the same value', async () => {
        const other = await rival();
        for (let i = 0; i < 20; i++) {
          const key = `race-${randomUUID()}`;
          const values = await Promise.all([
            store.getOrCreateSetting(key, 'a'),
            other.getOrCreateSetting(key, 'b'),
            store.getOrCreateSetting(key, 'c'),
            other.getOrCreateSetting(key, 'd'),
          ]);
          expect(new Set(values).size).toBe(1);
          expect(['a', 'b', 'c', 'd']).toContain(values[0]);
        }
      });
    });

    describe('directory', () => {
      it('agencies and users round-trip with every field, roles included', async () => {
        const parent = await seedAgency({ name: 'UBND tỉnh', abbreviation: 'UBND' });
        const agency = await seedAgency({ parentId: parent.id });
        const usersBefore = await store.countUsers();
        const user = await seedUser(agency.id, { roles: ['admin', 'leader'], title: 'Giám đốc' });
        const plain = await seedUser(agency.id, { roles: [] });

        expect(await store.countUsers()).toBe(usersBefore + 2);
        expect(await store.getUserById(user.id)).toEqual(user);
        expect(await store.getUserByUsername(user.username)).toEqual(user);
        expect(await store.getUserById(plain.id)).toEqual(plain);
        const agencies = await store.listAgencies();
        expect(agencies).toContainEqual(parent);
        expect(agencies).toContainEqual(agency);
        const users = await store.listUsers();
        expect(users).toContainEqual(user);
        expect(users).toContainEqual(plain);
      });

      it('upserting an existing agency or user replaces its fields without adding a row', async () => {
        const agency = await seedAgency();
        const renamed = { ...agency, name: 'Sở Tư pháp', abbreviation: 'STP' };
        await store.upsertAgency(renamed);
        expect((await store.listAgencies()).filter((a) => a.id === agency.id)).toEqual([renamed]);

        const user = await seedUser(agency.id);
        const count = await store.countUsers();
        const changed: UserRecord = { ...user, displayName: 'Trần Thị Bình', roles: ['leader'], passwordHash: 'scrypt$new' };
        await store.upsertUser(changed);
        expect(await store.countUsers()).toBe(count);
        expect(await store.getUserById(user.id)).toEqual(changed);
      });

      it('an unknown user id or username finds nothing', async () => {
        expect(await store.getUserById(randomUUID())).toBeUndefined();
        expect(await store.getUserByUsername(`nobody-${randomUUID()}`)).toBeUndefined();
      });
    });

    describe('documents and shares', () => {
      it('createDocument inserts once and afterwards returns the stored record unchanged', async () => {
        const owner = await seedUser((await seedAgency()).id);
        const doc = await seedDocument(owner);
        expect(await store.getDocument(doc.id)).toEqual(doc);

        const again = await store.createDocument({ ...doc, title: 'Another title', updatedAt: new Date(Date.now() + 1000).toISOString() });
        expect(again).toEqual({ record: doc, created: false });
        expect(await store.getDocument(doc.id)).toEqual(doc);
        expect(await store.getDocument(randomUUID())).toBeUndefined();
      });

      it('a document is visible to its owner and to users and agencies it is shared with, and to no one else', async () => {
        const agency = await seedAgency();
        const otherAgency = await seedAgency();
        const owner = await seedUser(agency.id);
        const colleague = await seedUser(agency.id);
        const sharedUser = await seedUser(otherAgency.id);
        const outsider = await seedUser(otherAgency.id);
        const doc = await seedDocument(owner);

        const visibleTo = async (u: UserRecord) => (await store.listDocumentsVisibleTo(u.id, u.agencyId)).map((d) => d.id);
        expect(await visibleTo(owner)).toEqual([doc.id]);
        // Same agency is not enough: agencies are tenants, but documents are private until shared.
        expect(await visibleTo(colleague)).toEqual([]);
        expect(await visibleTo(outsider)).toEqual([]);

        await store.putShare({ documentId: doc.id, principalType: 'user', principalId: sharedUser.id, role: 'commenter' });
        expect(await visibleTo(sharedUser)).toEqual([doc.id]);
        expect(await visibleTo(outsider)).toEqual([]);

        await store.putShare({ documentId: doc.id, principalType: 'agency', principalId: agency.id, role: 'viewer' });
        expect(await visibleTo(colleague)).toEqual([doc.id]);
        expect(await visibleTo(outsider)).toEqual([]);
      });

      it('a document shared several ways is listed once, most recently updated first', async () => {
        const agency = await seedAgency();
        const owner = await seedUser(agency.id);
        const reader = await seedUser(agency.id);
        const older = await seedDocument(owner, { updatedAt: '2024-01-01T00:00:00.000Z', createdAt: '2024-01-01T00:00:00.000Z' });
        const newer = await seedDocument(owner, { updatedAt: '2024-06-01T00:00:00.000Z', createdAt: '2024-06-01T00:00:00.000Z' });
        for (const doc of [older, newer]) {
          await store.putShare({ documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'editor' });
          await store.putShare({ documentId: doc.id, principalType: 'agency', principalId: agency.id, role: 'viewer' });
        }
        const ids = async () => (await store.listDocumentsVisibleTo(reader.id, agency.id)).map((d) => d.id);
        expect(await ids()).toEqual([newer.id, older.id]);

        await store.touchDocument(older.id, '2025-03-01T08:00:00.000Z');
        expect(await ids()).toEqual([older.id, newer.id]);
        expect((await store.getDocument(older.id))?.updatedAt).toBe('2025-03-01T08:00:00.000Z');
      });

      it('putShare replaces the role of an existing share instead of adding one', async () => {
        const agency = await seedAgency();
        const owner = await seedUser(agency.id);
        const reader = await seedUser(agency.id);
        const doc = await seedDocument(owner);
        await store.putShare({ documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'viewer' });
        await store.putShare({ documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'editor' });
        expect(await store.listShares(doc.id)).toEqual([
          { documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'editor' },
        ]);
      });

      it('sharesFor returns the shares that reach a user directly or through the agency, and no others', async () => {
        const agency = await seedAgency();
        const otherAgency = await seedAgency();
        const owner = await seedUser(agency.id);
        const reader = await seedUser(agency.id);
        const stranger = await seedUser(otherAgency.id);
        const doc = await seedDocument(owner);
        const direct = { documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'editor' } as const;
        const viaAgency = { documentId: doc.id, principalType: 'agency', principalId: agency.id, role: 'viewer' } as const;
        await store.putShare(direct);
        await store.putShare(viaAgency);
        await store.putShare({ documentId: doc.id, principalType: 'user', principalId: stranger.id, role: 'commenter' });

        const forReader = await store.sharesFor(doc.id, reader.id, agency.id);
        expect(forReader).toHaveLength(2);
        expect(forReader).toEqual(expect.arrayContaining([direct, viaAgency]));
        expect(await store.sharesFor(doc.id, randomUUID(), otherAgency.id)).toEqual([]);
        expect(await store.listShares(doc.id)).toHaveLength(3);
      });

      it('deleteShare removes the share, ends the access it gave, and reports whether there was one', async () => {
        const agency = await seedAgency();
        const otherAgency = await seedAgency();
        const owner = await seedUser(agency.id);
        const reader = await seedUser(otherAgency.id);
        const doc = await seedDocument(owner);
        await store.putShare({ documentId: doc.id, principalType: 'agency', principalId: otherAgency.id, role: 'viewer' });
        expect((await store.listDocumentsVisibleTo(reader.id, otherAgency.id)).map((d) => d.id)).toEqual([doc.id]);

        expect(await store.deleteShare(doc.id, 'agency', otherAgency.id)).toBe(true);
        expect(await store.deleteShare(doc.id, 'agency', otherAgency.id)).toBe(false);
        expect(await store.listShares(doc.id)).toEqual([]);
        expect(await store.listDocumentsVisibleTo(reader.id, otherAgency.id)).toEqual([]);
      });
    });

    describe('room update log', () => {
      it('a room never written loads as empty', async () => {
        expect(await store.loadRoom(`doc:${randomUUID()}`)).toEqual({ snapshot: null, updates: [], bytes: 0 });
        expect(await store.countRoomUpdates(`doc:${randomUUID()}`)).toBe(0);
      });

      it('appended updates load back in append order, per room, across batches', async () => {
        const a = `doc:${randomUUID()}`;
        const b = `doc:${randomUUID()}`;
        const bytes = (n: number, length = 3) => new Uint8Array(length).fill(n);
        await store.appendUpdates([
          { room: a, update: bytes(1) },
          { room: b, update: bytes(2) },
          { room: a, update: bytes(3, 5) },
        ]);
        await store.appendUpdates([]);
        await store.appendUpdates([{ room: a, update: bytes(4) }]);

        const loaded = await store.loadRoom(a);
        expect(loaded.snapshot).toBeNull();
        expect(loaded.updates.map((u) => Array.from(u))).toEqual([[1, 1, 1], [3, 3, 3, 3, 3], [4, 4, 4]]);
        expect(loaded.bytes).toBe(11);
        expect((await store.loadRoom(b)).updates.map((u) => Array.from(u))).toEqual([[2, 2, 2]]);
        expect(await store.countRoomUpdates(a)).toBe(3);
      });

      it('a large batch is appended whole and in order', async () => {
        const room = `doc:${randomUUID()}`;
        const batch: RoomUpdate[] = Array.from({ length: 2500 }, (_, i) => ({ room, update: Uint8Array.of(i >> 8, i & 0xff) }));
        await store.appendUpdates(batch);
        const loaded = await store.loadRoom(room);
        expect(loaded.updates).toHaveLength(2500);
        expect(loaded.updates.every((u, i) => u[0] === i >> 8 && u[1] === (i & 0xff))).toBe(true);
      });

      it('loaded updates are bytes that own exactly their memory', async () => {
        const room = `doc:${randomUUID()}`;
        await store.appendUpdates([{ room, update: Uint8Array.of(9, 8, 7) }, { room, update: Uint8Array.of(6) }]);
        await store.compactRoom(room, (parts) => Uint8Array.of(...parts.flatMap((p) => Array.from(p))));
        await store.appendUpdates([{ room, update: Uint8Array.of(5, 4) }]);
        const { snapshot, updates } = await store.loadRoom(room);
        for (const bytes of [snapshot, ...updates]) {
          expect(bytes).toBeInstanceOf(Uint8Array);
          // A view into a shared pool would expose other data through `.buffer`.
          expect(bytes?.buffer.byteLength).toBe(bytes?.byteLength);
        }
        expect(Array.from(snapshot ?? [])).toEqual([9, 8, 7, 6]);
      });

      it('an update that is a view into a larger buffer is stored as exactly its own bytes', async () => {
        const room = `doc:${randomUUID()}`;
        const message = Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]);
        await store.appendUpdates([{ room, update: message.subarray(2, 5) }, { room, update: new Uint8Array(message.buffer, message.byteOffset + 6, 1) }]);
        expect((await store.loadRoom(room)).updates.map((u) => Array.from(u))).toEqual([[2, 3, 4], [6]]);
      });

      it('appended updates are durable: a store opened afterwards on the same database loads them', async () => {
        const room = `doc:${randomUUID()}`;
        const writer = await openMigrated();
        await writer.appendUpdates([{ room, update: Uint8Array.of(1) }, { room, update: Uint8Array.of(2) }]);
        await writer.close();
        const reader = await openMigrated();
        expect((await reader.loadRoom(room)).updates.map((u) => Array.from(u))).toEqual([[1], [2]]);
      });

      it('a Yjs document round-trips through the log into an equal document', async () => {
        const room = `doc:${randomUUID()}`;
        const { doc, updates } = editedDoc(30);
        // Several ticks' worth of batches, interleaved with another room's traffic.
        for (let i = 0; i < updates.length; i += 7) {
          await store.appendUpdates([
            ...updates.slice(i, i + 7).map((update) => ({ room, update })),
            { room: `${room}:comments`, update: Uint8Array.of(0) },
          ]);
        }
        const loaded = await store.loadRoom(room);
        expect(loaded.updates).toHaveLength(updates.length);
        expect(loaded.bytes).toBe(updates.reduce((sum, u) => sum + u.byteLength, 0));
        expectSameContent(rebuild(loaded.snapshot, loaded.updates), doc);
      });
    });

    describe('compaction', () => {
      it('compaction folds the log into a snapshot with the same content and empties the log', async () => {
        const room = `doc:${randomUUID()}`;
        const { doc, updates } = editedDoc(25);
        await store.appendUpdates(updates.map((update) => ({ room, update })));
        await store.compactRoom(room, (parts) => Y.mergeUpdates(parts));

        expect(await store.countRoomUpdates(room)).toBe(0);
        const loaded = await store.loadRoom(room);
        expect(loaded.snapshot).not.toBeNull();
        expect(loaded.updates).toEqual([]);
        expect(loaded.bytes).toBe(loaded.snapshot?.byteLength);
        expectSameContent(rebuild(loaded.snapshot, loaded.updates), doc);
      });

      it('updates appended after a compaction load after the snapshot, and the next compaction folds them in too', async () => {
        const room = `doc:${randomUUID()}`;
        const { doc, updates } = editedDoc(20);
        await store.appendUpdates(updates.slice(0, 10).map((update) => ({ room, update })));
        await store.compactRoom(room, (parts) => Y.mergeUpdates(parts));
        await store.appendUpdates(updates.slice(10).map((update) => ({ room, update })));

        const between = await store.loadRoom(room);
        expect(between.updates).toHaveLength(10);
        expectSameContent(rebuild(between.snapshot, between.updates), doc);

        let merged: number | undefined;
        await store.compactRoom(room, (parts) => {
          merged = parts.length;
          return Y.mergeUpdates(parts);
        });
        expect(merged).toBe(11); // the old snapshot and the ten newer updates
        const after = await store.loadRoom(room);
        expect(after.updates).toEqual([]);
        expectSameContent(rebuild(after.snapshot, after.updates), doc);
      });

      it('compacting a room without log rows changes nothing and does not call merge', async () => {
        const room = `doc:${randomUUID()}`;
        let calls = 0;
        const merge = (parts: Uint8Array[]) => {
          calls++;
          return Y.mergeUpdates(parts);
        };
        await store.compactRoom(room, merge);
        expect(calls).toBe(0);
        expect(await store.loadRoom(room)).toEqual({ snapshot: null, updates: [], bytes: 0 });

        await store.appendUpdates(editedDoc(2).updates.map((update) => ({ room, update })));
        await store.compactRoom(room, merge);
        const compacted = await store.loadRoom(room);
        await store.compactRoom(room, merge);
        expect(calls).toBe(1);
        expect(await store.loadRoom(room)).toEqual(compacted);
      });

      it('updates appended while a compaction runs stay in the log and nothing is lost', async () => {
        const room = `doc:${randomUUID()}`;
        const other = await rival();
        const { doc, updates } = editedDoc(60);
        await store.appendUpdates(updates.slice(0, 20).map((update) => ({ room, update })));

        // The merge itself starts an append, so it lands while the compaction's transaction is open.
        let during: Promise<void> | undefined;
        await store.compactRoom(room, (parts) => {
          during = other.appendUpdates(updates.slice(20, 30).map((update) => ({ room, update })));
          return Y.mergeUpdates(parts);
        });
        await during;

        // Then appenders and compactors race from both stores.
        const work: Promise<void>[] = [];
        for (let i = 30; i < 60; i += 5) {
          const appender = i % 10 === 0 ? store : other;
          work.push(appender.appendUpdates(updates.slice(i, i + 5).map((update) => ({ room, update }))));
          work.push((i % 10 === 0 ? other : store).compactRoom(room, (parts) => Y.mergeUpdates(parts)));
        }
        await Promise.all(work);

        const loaded = await store.loadRoom(room);
        expectSameContent(rebuild(loaded.snapshot, loaded.updates), doc);
        await store.compactRoom(room, (parts) => Y.mergeUpdates(parts));
        const final = await store.loadRoom(room);
        expect(final.updates).toEqual([]);
        expectSameContent(rebuild(final.snapshot, final.updates), doc);
      });

      it('loads racing appends and compactions see every update exactly once', async () => {
        const room = `doc:${randomUUID()}`;
        const other = await rival();
        // Plain bytes and concatenation instead of Yjs: a Y.Doc would hide a doubled update.
        const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => Array.from(part)));
        const seen = (loaded: { snapshot: Uint8Array | null; updates: readonly Uint8Array[] }) =>
          Array.from(concat([loaded.snapshot ?? new Uint8Array(), ...loaded.updates]));
        const durable = new Set<number>();
        const work: Promise<void>[] = [];
        for (let value = 0; value < 200; value++) {
          const writer = value % 2 === 0 ? store : other;
          work.push(writer.appendUpdates([{ room, update: Uint8Array.of(value) }]).then(() => void durable.add(value)));
          if (value % 25 === 10) work.push((value % 2 === 0 ? other : store).compactRoom(room, concat));
          if (value % 10 === 5) {
            const expectedAtLeast = [...durable];
            work.push(
              (value % 20 === 5 ? store : other).loadRoom(room).then((loaded) => {
                const values = seen(loaded);
                expect(new Set(values).size).toBe(values.length);
                expect(values).toEqual(expect.arrayContaining(expectedAtLeast));
              }),
            );
          }
        }
        await Promise.all(work);
        expect(seen(await store.loadRoom(room)).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      });
      it('a load that races a compaction sees the room either before or after it, never a mix', async () => {
        const room = `doc:${randomUUID()}`;
        const other = await rival();
        const concat = (parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => Array.from(part)));
        const expected: number[] = [];
        for (let round = 0; round < 40; round++) {
          const values = Array.from({ length: 6 }, (_, i) => round * 6 + i);
          await store.appendUpdates(values.map((value) => ({ room, update: Uint8Array.of(value) })));
          expected.push(...values);
          const loads = Array.from({ length: 6 }, () => other.loadRoom(room));
          await Promise.all([store.compactRoom(room, concat), ...loads]);
          for (const loaded of await Promise.all(loads)) {
            expect(Array.from(concat([loaded.snapshot ?? new Uint8Array(), ...loaded.updates]))).toEqual(expected);
          }
        }
      });
    });

    describe('change feed', () => {
      async function drain(): Promise<number> {
        let cursor = 0;
        for (;;) {
          const page = await store.listRoomChanges(cursor, 1000);
          if (page.changes.length === 0) return page.cursor;
          cursor = page.cursor;
        }
      }

      it('lists each changed room once at its newest seq, oldest change first, and pages with the cursor', async () => {
        const since = await drain();
        const [a, b, c] = [`doc:${randomUUID()}`, `doc:${randomUUID()}`, `board:${randomUUID()}`];
        await store.appendUpdates([{ room: a, update: Uint8Array.of(1) }, { room: b, update: Uint8Array.of(1) }]);
        await store.appendUpdates([{ room: c, update: Uint8Array.of(1) }]);
        await store.appendUpdates([{ room: a, update: Uint8Array.of(2) }]);

        const all = await store.listRoomChanges(since, 100);
        expect(all.changes.map((change) => change.room)).toEqual([b, c, a]);
        const seqs = all.changes.map((change) => change.seq);
        expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
        expect(seqs[0]).toBeGreaterThan(since);
        expect(all.cursor).toBe(seqs[2]);

        const first = await store.listRoomChanges(since, 2);
        expect(first.changes).toEqual(all.changes.slice(0, 2));
        expect(first.cursor).toBe(seqs[1]);
        const rest = await store.listRoomChanges(first.cursor, 2);
        expect(rest.changes).toEqual(all.changes.slice(2));

        expect(await store.listRoomChanges(all.cursor, 100)).toEqual({ changes: [], cursor: all.cursor });
      });

      it('compaction does not move a room in the change feed', async () => {
        const room = `doc:${randomUUID()}`;
        const since = await drain();
        await store.appendUpdates(editedDoc(3).updates.map((update) => ({ room, update })));
        const before = await store.listRoomChanges(since, 100);
        await store.compactRoom(room, (parts) => Y.mergeUpdates(parts));
        expect(await store.listRoomChanges(since, 100)).toEqual(before);
        expect(await store.listRoomChanges(before.cursor, 100)).toEqual({ changes: [], cursor: before.cursor });
      });
    });
  });
}

/** A document edited in `steps` separate transactions, and the update each one produced. */
function editedDoc(steps: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('root');
  const meta = doc.getMap('meta');
  for (let i = 0; i < steps; i++) {
    doc.transact(() => {
      text.insert(Math.floor(text.length / 2), `Điều ${i}. `);
      if (i % 4 === 3) text.delete(0, 2);
      meta.set('title', `Dự thảo ${i}`);
      meta.set(`field-${i % 5}`, i);
    });
  }
  return { doc, updates };
}

function rebuild(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  if (snapshot) Y.applyUpdate(doc, snapshot);
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

function expectSameContent(actual: Y.Doc, expected: Y.Doc): void {
  expect(actual.getText('root').toString()).toBe(expected.getText('root').toString());
  expect(actual.getMap('meta').toJSON()).toEqual(expected.getMap('meta').toJSON());
  expect(Array.from(Y.encodeStateVector(actual))).toEqual(Array.from(Y.encodeStateVector(expected)));
}
