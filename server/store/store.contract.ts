/**
 * The behaviour every Store must have, as one vitest suite that sqlite.test.ts and postgres.test.ts
 * run against their own database. Tests share one database per suite, so each makes its own ids
 * and rooms and never assumes the tables start empty.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ChainStep } from '../../common/workflow.ts';
import type { AgencyRecord, AuditEvent, DocumentRecord, RoomUpdate, Store, StoreResult, UserRecord } from './store.ts';

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
  /**
   * Runs one SQL statement on the suite's database behind the store's back, as someone with
   * direct access to the database would: for the audit log's tamper tests.
   */
  execute(statement: string): Promise<void>;
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

    describe('approval procedure', () => {
      const HASH_1 = '1'.repeat(64);
      const HASH_2 = '2'.repeat(64);
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 1, minute)).toISOString();
      const audit = (actorId: string, action: AuditEvent['action'], documentId: string | null = null): AuditEvent => ({
        at: at(0),
        actorId,
        action,
        documentId,
        details: { test: true },
      });

      interface Office {
        agency: AgencyRecord;
        drafter: UserRecord;
        checker: UserRecord;
        signer: UserRecord;
        clerk: UserRecord;
        outsider: UserRecord;
      }

      async function office(): Promise<Office> {
        const agency = await seedAgency({ abbreviation: 'STTTT' });
        const otherAgency = await seedAgency();
        const office: Office = {
          agency,
          drafter: await seedUser(agency.id, { roles: ['drafter'], unit: 'Phòng Bưu chính - Viễn thông' }),
          checker: await seedUser(agency.id, { roles: ['head_of_unit'] }),
          signer: await seedUser(agency.id, { roles: ['leader'] }),
          clerk: await seedUser(agency.id, { roles: ['clerk'] }),
          outsider: await seedUser(otherAgency.id, { roles: ['clerk'] }),
        };
        for (const user of [office.checker, office.signer]) {
          await store.putSigningKey({ keyId: `key-${user.id}`, userId: user.id, publicKey: `pk-${user.id}`, createdAt: at(0) }, audit(user.id, 'key.registered'));
        }
        return office;
      }

      const chainOf = (o: Office): ChainStep[] => [
        { kind: 'check', assigneeId: o.checker.id, authority: null },
        { kind: 'sign', assigneeId: o.signer.id, authority: 'KT.' },
      ];

      async function submitted(o: Office, doc: DocumentRecord, roundId = randomUUID(), versionHash = HASH_1, chain = chainOf(o)) {
        const result = await store.submitForReview({
          documentId: doc.id,
          roundId,
          versionHash,
          stateVector: 'AA==',
          submittedBy: o.drafter.id,
          submittedAt: at(1),
          chain,
          audit: audit(o.drafter.id, 'submission.created', doc.id),
        });
        if (!result.ok) throw new Error(`submission refused: ${result.error.code}`);
        return result.value;
      }

      function decision(o: Office, doc: DocumentRecord, roundId: string, stepIndex: number, overrides: Partial<Parameters<Store['recordDecision']>[0]> = {}) {
        const signer = stepIndex === 0 ? o.checker : o.signer;
        return store.recordDecision({
          documentId: doc.id,
          roundId,
          stepIndex,
          decision: 'approve',
          comment: null,
          decidedAt: at(2),
          signerId: signer.id,
          keyId: `key-${signer.id}`,
          signature: `sig-${randomUUID()}`,
          versionHash: HASH_1,
          recordedAt: at(3),
          audit: audit(signer.id, 'decision.recorded', doc.id),
          ...overrides,
        });
      }

      function value<T>(result: StoreResult<T>): T {
        if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
        return result.value;
      }

      function code<T>(result: StoreResult<T>): string {
        expect(result.ok).toBe(false);
        return result.ok ? 'ok' : result.error.code;
      }

      async function approvedDocument(o: Office, type = 'QĐ'): Promise<DocumentRecord> {
        const doc = await seedDocument(o.drafter, { type });
        const { workflow } = await submitted(o, doc, randomUUID(), HASH_1, [{ kind: 'sign', assigneeId: o.signer.id, authority: null }]);
        value(await store.recordDecision({
          documentId: doc.id,
          roundId: workflow.rounds[0].id,
          stepIndex: 0,
          decision: 'approve',
          comment: null,
          decidedAt: at(2),
          signerId: o.signer.id,
          keyId: `key-${o.signer.id}`,
          signature: `sig-${randomUUID()}`,
          versionHash: HASH_1,
          recordedAt: at(3),
          audit: audit(o.signer.id, 'decision.recorded', doc.id),
        }));
        return doc;
      }

      function issue(o: Office, doc: DocumentRecord, overrides: Partial<Parameters<Store['issueDocument']>[0]> = {}) {
        return store.issueDocument({
          documentId: doc.id,
          requestId: randomUUID(),
          register: 'main',
          year: 2026,
          symbol: `QĐ-${o.agency.abbreviation}`,
          issuedAt: at(10),
          issuedBy: o.clerk.id,
          audit: audit(o.clerk.id, 'document.issued', doc.id),
          ...overrides,
        });
      }

      it('signing keys are registered once and listed per user; the same key again returns the first record', async () => {
        const o = await office();
        const key = { keyId: `k-${randomUUID()}`, userId: o.drafter.id, publicKey: `pk-${randomUUID()}`, createdAt: at(5) };
        expect(await store.putSigningKey(key, audit(o.drafter.id, 'key.registered'))).toEqual({ record: key, created: true });
        const again = await store.putSigningKey({ ...key, userId: o.clerk.id, createdAt: at(6) }, audit(o.clerk.id, 'key.registered'));
        expect(again).toEqual({ record: key, created: false });
        expect(await store.getSigningKey(key.keyId)).toEqual(key);
        expect(await store.getSigningKey('nope')).toBeUndefined();
        expect(await store.listSigningKeys(o.drafter.id)).toEqual([key]);
        expect((await store.listSigningKeys(o.checker.id)).map((k) => k.userId)).toEqual([o.checker.id]);
      });

      it('a submission opens round 1 with its chain, puts the document in review, and a retry returns it', async () => {
        const o = await office();
        const doc = await seedDocument(o.drafter);
        expect(await store.getWorkflow(doc.id)).toEqual({ documentId: doc.id, status: 'draft', rounds: [], issue: null });
        const roundId = randomUUID();
        const first = await submitted(o, doc, roundId);
        expect(first.created).toBe(true);
        expect(first.workflow.status).toBe('in_review');
        expect(first.workflow.rounds).toEqual([
          {
            id: roundId,
            documentId: doc.id,
            number: 1,
            versionHash: HASH_1,
            stateVector: 'AA==',
            submittedBy: o.drafter.id,
            submittedAt: at(1),
            status: 'open',
            currentStep: 0,
            steps: [
              { index: 0, kind: 'check', assigneeId: o.checker.id, authority: null, decision: null },
              { index: 1, kind: 'sign', assigneeId: o.signer.id, authority: 'KT.', decision: null },
            ],
          },
        ]);
        expect((await store.getDocument(doc.id))?.status).toBe('in_review');
        expect((await store.getDocument(doc.id))?.updatedAt).toBe(at(1));

        const retry = await submitted(o, doc, roundId);
        expect(retry).toEqual({ workflow: first.workflow, created: false });
        expect(await store.getWorkflow(doc.id)).toEqual(first.workflow);
      });

      it('a submission is refused for a missing document, a document in review, a bad chain or a round id taken by another', async () => {
        const o = await office();
        const doc = await seedDocument(o.drafter);
        const base = { roundId: randomUUID(), versionHash: HASH_1, stateVector: 'AA==', submittedBy: o.drafter.id, submittedAt: at(1), chain: chainOf(o), audit: audit(o.drafter.id, 'submission.created') };
        expect(code(await store.submitForReview({ ...base, documentId: randomUUID() }))).toBe('not_found');
        expect(code(await store.submitForReview({ ...base, documentId: doc.id, chain: [] }))).toBe('invalid_chain');
        const { workflow } = await submitted(o, doc);
        expect(code(await store.submitForReview({ ...base, documentId: doc.id }))).toBe('wrong_status');
        const other = await seedDocument(o.drafter);
        expect(code(await store.submitForReview({ ...base, roundId: workflow.rounds[0].id, documentId: other.id }))).toBe('conflict');
        expect((await store.getWorkflow(other.id))?.rounds).toEqual([]);
      });

      it('decisions move the round step by step to approved; the signature and comment are kept', async () => {
        const o = await office();
        const doc = await seedDocument(o.drafter);
        const roundId = (await submitted(o, doc)).workflow.rounds[0].id;
        const checked = value(await decision(o, doc, roundId, 0, { signature: 'sig-check', comment: 'Đã kiểm tra.' }));
        expect(checked.status).toBe('in_review');
        expect(checked.rounds[0].currentStep).toBe(1);
        expect(checked.rounds[0].steps[0].decision).toEqual({
          decision: 'approve',
          comment: 'Đã kiểm tra.',
          decidedAt: at(2),
          signerId: o.checker.id,
          keyId: `key-${o.checker.id}`,
          signature: 'sig-check',
          versionHash: HASH_1,
          recordedAt: at(3),
        });
        const signed = value(await decision(o, doc, roundId, 1));
        expect(signed.status).toBe('approved');
        expect(signed.rounds[0]).toMatchObject({ status: 'completed', currentStep: null });
        expect((await store.getDocument(doc.id))?.status).toBe('approved');
      });

      it('a decision is refused out of turn, by the wrong person, on another version, or with a signature seen before', async () => {
        const o = await office();
        const doc = await seedDocument(o.drafter);
        const roundId = (await submitted(o, doc)).workflow.rounds[0].id;
        expect(code(await decision(o, doc, roundId, 1))).toBe('not_current_step');
        expect(code(await decision(o, doc, roundId, 0, { signerId: o.signer.id, keyId: `key-${o.signer.id}` }))).toBe('not_assignee');
        expect(code(await decision(o, doc, roundId, 0, { versionHash: HASH_2 }))).toBe('version_mismatch');
        expect(code(await decision(o, doc, randomUUID(), 0))).toBe('round_not_found');
        expect(code(await decision(o, { ...doc, id: randomUUID() }, roundId, 0))).toBe('not_found');
        value(await decision(o, doc, roundId, 0, { signature: 'sig-once-' + roundId }));
        expect(code(await decision(o, doc, roundId, 0, { signature: 'sig-once-' + roundId }))).toBe('replayed');
        expect(code(await decision(o, doc, roundId, 0))).toBe('already_decided');
        const workflow = await store.getWorkflow(doc.id);
        expect(workflow?.rounds[0].steps.map((step) => step.decision?.decision ?? null)).toEqual(['approve', null]);
      });

      it('a return gives the draft back with its comment, and a resubmission opens round 2 on the new version', async () => {
        const o = await office();
        const doc = await seedDocument(o.drafter);
        const first = (await submitted(o, doc)).workflow.rounds[0].id;
        expect(code(await decision(o, doc, first, 0, { decision: 'return' }))).toBe('comment_required');
        const returned = value(await decision(o, doc, first, 0, { decision: 'return', comment: 'Bổ sung căn cứ pháp lý.' }));
        expect(returned.status).toBe('returned');
        expect(returned.rounds[0]).toMatchObject({ status: 'returned', currentStep: null });
        expect(returned.rounds[0].steps[0].decision?.comment).toBe('Bổ sung căn cứ pháp lý.');

        const second = await submitted(o, doc, randomUUID(), HASH_2);
        expect(second.workflow.rounds.map((round) => [round.number, round.status, round.versionHash])).toEqual([
          [1, 'returned', HASH_1],
          [2, 'open', HASH_2],
        ]);
        expect(code(await decision(o, doc, first, 1))).toBe('round_closed');
        expect(value(await decision(o, doc, second.workflow.rounds[1].id, 0, { versionHash: HASH_2 })).rounds[1].currentStep).toBe(1);
      });

      it('the procedure gives reviewers of the open round, earlier assignees and the agency clerk their access', async () => {
        const o = await office();
        const doc = await seedDocument(o.drafter);
        expect(await store.procedureAccess(doc.id, o.checker.id)).toEqual({ reviewsOpenRound: false, tookPart: false, clerkOfAgency: false });
        expect(await store.procedureAccess(doc.id, o.clerk.id)).toEqual({ reviewsOpenRound: false, tookPart: false, clerkOfAgency: true });
        expect(await store.procedureAccess(doc.id, o.outsider.id)).toEqual({ reviewsOpenRound: false, tookPart: false, clerkOfAgency: false });

        const visible = async (u: UserRecord) => (await store.listDocumentsVisibleTo(u.id, u.agencyId)).map((d) => d.id);
        expect(await visible(o.checker)).not.toContain(doc.id);
        const roundId = (await submitted(o, doc)).workflow.rounds[0].id;
        expect(await store.procedureAccess(doc.id, o.checker.id)).toEqual({ reviewsOpenRound: true, tookPart: true, clerkOfAgency: false });
        expect(await store.procedureAccess(doc.id, o.signer.id)).toMatchObject({ reviewsOpenRound: true });
        expect(await visible(o.checker)).toContain(doc.id);
        expect(await visible(o.signer)).toContain(doc.id);
        expect(await visible(o.clerk)).not.toContain(doc.id);
        expect(await store.listPendingSteps(o.checker.id)).toContainEqual({ documentId: doc.id, roundId, stepIndex: 0 });
        expect((await store.listPendingSteps(o.signer.id)).map((p) => p.documentId)).not.toContain(doc.id);

        value(await decision(o, doc, roundId, 0));
        expect((await store.listPendingSteps(o.checker.id)).map((p) => p.documentId)).not.toContain(doc.id);
        expect(await store.listPendingSteps(o.signer.id)).toContainEqual({ documentId: doc.id, roundId, stepIndex: 1 });
        value(await decision(o, doc, roundId, 1));
        expect(await store.procedureAccess(doc.id, o.checker.id)).toEqual({ reviewsOpenRound: false, tookPart: true, clerkOfAgency: false });
        expect(await visible(o.clerk)).toContain(doc.id);
        expect(await visible(o.outsider)).not.toContain(doc.id);
        expect((await store.listAwaitingIssue(o.agency.id)).map((d) => d.id)).toEqual([doc.id]);
        expect(await store.listPendingSteps(o.signer.id)).toEqual([]);
      });

      it('issuing assigns 01 and the number and symbol, freezes the status, and a retry with the same request gets the same number', async () => {
        const o = await office();
        const doc = await approvedDocument(o);
        const requestId = randomUUID();
        const first = value(await issue(o, doc, { requestId }));
        expect(first).toEqual({
          created: true,
          issue: {
            documentId: doc.id,
            requestId,
            agencyId: o.agency.id,
            register: 'main',
            year: 2026,
            number: 1,
            numberText: '01/QĐ-STTTT',
            issuedAt: at(10),
            issuedBy: o.clerk.id,
          },
        });
        expect((await store.getDocument(doc.id))?.status).toBe('issued');
        expect(value(await issue(o, doc, { requestId, issuedAt: at(20) }))).toEqual({ created: false, issue: first.issue });
        expect(code(await issue(o, doc))).toBe('already_issued');
        expect((await store.getWorkflow(doc.id))?.issue).toEqual(first.issue);
        expect(await store.listAwaitingIssue(o.agency.id)).toEqual([]);
      });

      it('a refused issue consumes no number, and a request id cannot issue a second document', async () => {
        const o = await office();
        const draft = await seedDocument(o.drafter);
        expect(code(await issue(o, draft))).toBe('wrong_status');
        expect(code(await issue(o, { ...draft, id: randomUUID() }))).toBe('not_found');
        const a = await approvedDocument(o);
        const b = await approvedDocument(o);
        const requestId = randomUUID();
        expect(value(await issue(o, a, { requestId })).issue.number).toBe(1);
        expect(code(await issue(o, b, { requestId }))).toBe('conflict');
        expect(value(await issue(o, b)).issue.number).toBe(2);
      });

      it('numbering restarts at 01 in a new year and runs separately per register and per agency', async () => {
        const o = await office();
        const other = await office();
        const numbers: string[] = [];
        for (const [owner, year, register] of [
          [o, 2026, 'main'],
          [o, 2026, 'main'],
          [o, 2027, 'main'],
          [o, 2026, 'secret'],
          [other, 2026, 'main'],
          [o, 2027, 'main'],
        ] as const) {
          const doc = await approvedDocument(owner);
          numbers.push(`${value(await issue(owner, doc, { year, register })).issue.numberText}@${year}/${register}`);
        }
        expect(numbers).toEqual([
          '01/QĐ-STTTT@2026/main',
          '02/QĐ-STTTT@2026/main',
          '01/QĐ-STTTT@2027/main',
          '01/QĐ-STTTT@2026/secret',
          '01/QĐ-STTTT@2026/main',
          '02/QĐ-STTTT@2027/main',
        ]);
      });

      it('50 documents issued at the same moment, from two stores, get 50 consecutive distinct numbers', async () => {
        const o = await office();
        const docs = [];
        for (let i = 0; i < 50; i++) docs.push(await approvedDocument(o));
        const other = await rival();
        const results = await Promise.all(
          docs.map((doc, i) =>
            (i % 2 === 0 ? store : other).issueDocument({
              documentId: doc.id,
              requestId: randomUUID(),
              register: 'main',
              year: 2026,
              symbol: 'QĐ-STTTT',
              issuedAt: at(10),
              issuedBy: o.clerk.id,
              audit: audit(o.clerk.id, 'document.issued', doc.id),
            }),
          ),
        );
        const numbers = results.map((result) => value(result).issue.number).sort((a, b) => a - b);
        expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      });

      it('two clerks issuing one document at the same moment: one number, the other request refused', async () => {
        const o = await office();
        const doc = await approvedDocument(o);
        const other = await rival();
        const results = await Promise.all([issue(o, doc), other.issueDocument({
          documentId: doc.id,
          requestId: randomUUID(),
          register: 'main',
          year: 2026,
          symbol: 'QĐ-STTTT',
          issuedAt: at(10),
          issuedBy: o.clerk.id,
          audit: audit(o.clerk.id, 'document.issued', doc.id),
        })]);
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code))).toEqual(['already_issued']);
        const next = await approvedDocument(o);
        expect(value(await issue(o, next)).issue.number).toBe(2);
      });
    });

    describe('audit log', () => {
      const event = (action: AuditEvent['action'], documentId: string | null, details: AuditEvent['details'] = {}): AuditEvent => ({
        at: '2026-01-05T01:00:00.000Z',
        actorId: null,
        action,
        documentId,
        details,
      });

      async function lastSeq(): Promise<number> {
        let seq = 0;
        for (;;) {
          const page = await store.listAuditEntries(seq, 1000);
          if (page.length === 0) return seq;
          seq = page[page.length - 1].seq;
        }
      }

      it('audited share, document and key actions each append one chained entry; unaudited or no-op ones none', async () => {
        const agency = await seedAgency();
        const owner = await seedUser(agency.id);
        const reader = await seedUser(agency.id);
        const before = await lastSeq();
        const now = new Date().toISOString();
        const doc: DocumentRecord = { id: randomUUID(), title: 'Bản sao', type: 'CV', status: 'draft', agencyId: agency.id, ownerId: owner.id, createdAt: now, updatedAt: now };
        await store.createDocument(doc, event('document.copied', doc.id, { from: 'x' }));
        await store.createDocument(doc, event('document.copied', doc.id, { from: 'again' }));
        const share = { documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'viewer' } as const;
        await store.putShare(share, event('share.put', doc.id, { role: 'viewer' }));
        await store.putShare({ ...share, role: 'editor' });
        expect(await store.deleteShare(doc.id, 'user', reader.id, event('share.deleted', doc.id))).toBe(true);
        expect(await store.deleteShare(doc.id, 'user', reader.id, event('share.deleted', doc.id))).toBe(false);

        const entries = (await store.listAuditEntries(before, 100)).filter((entry) => entry.documentId === doc.id);
        expect(entries.map((entry) => [entry.action, entry.details])).toEqual([
          ['document.copied', { from: 'x' }],
          ['share.put', { role: 'viewer' }],
          ['share.deleted', {}],
        ]);
        for (const entry of entries) expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
        const all = await store.listAuditEntries(0, 1_000_000);
        all.forEach((entry, i) => {
          expect(entry.seq).toBe(i + 1);
          expect(entry.prevHash).toBe(i === 0 ? '0'.repeat(64) : all[i - 1].hash);
        });
        expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: all.length, head: all[all.length - 1].hash });
      });

      it('audited actions racing from two stores still form one unbroken chain', async () => {
        const agency = await seedAgency();
        const owner = await seedUser(agency.id);
        const doc = await seedDocument(owner);
        const other = await rival();
        const readers = await Promise.all(Array.from({ length: 10 }, () => seedUser(agency.id)));
        await Promise.all(
          readers.map((reader, i) =>
            (i % 2 === 0 ? store : other).putShare(
              { documentId: doc.id, principalType: 'user', principalId: reader.id, role: 'viewer' },
              event('share.put', doc.id, { reader: reader.id }),
            ),
          ),
        );
        expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
        expect((await store.listAuditEntries(0, 1_000_000)).filter((entry) => entry.documentId === doc.id)).toHaveLength(10);
      });

      it('changing, re-hashing or deleting any stored entry is detected and the first broken entry is named', async () => {
        const agency = await seedAgency();
        const owner = await seedUser(agency.id);
        const doc = await seedDocument(owner);
        for (let i = 0; i < 3; i++) {
          await store.putShare({ documentId: doc.id, principalType: 'agency', principalId: agency.id, role: 'viewer' }, event('share.put', doc.id, { i }));
        }
        const entries = (await store.listAuditEntries(0, 1_000_000)).filter((entry) => entry.documentId === doc.id);
        const [target, next] = entries;
        const total = (await store.verifyAuditChain()).entries;
        const restore = async () => {
          await harness.execute(
            `update audit_log set details = '${JSON.stringify(target.details)}', actor_id = null, hash = '${target.hash}' where seq = ${target.seq}`,
          );
          expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: total });
        };
        try {
          await harness.execute(`update audit_log set details = '{"i":7}' where seq = ${target.seq}`);
          expect(await store.verifyAuditChain()).toMatchObject({
            ok: false,
            entries: target.seq - 1,
            firstBroken: { seq: target.seq, reason: 'hash_mismatch' },
          });
          await restore();

          await harness.execute(`update audit_log set actor_id = '${owner.id}' where seq = ${target.seq}`);
          expect((await store.verifyAuditChain()).firstBroken).toMatchObject({ seq: target.seq, reason: 'hash_mismatch' });
          await restore();

          // Whoever rewrites an entry and its hash breaks the link of the entry after it.
          await harness.execute(`update audit_log set hash = '${'f'.repeat(64)}' where seq = ${target.seq}`);
          expect((await store.verifyAuditChain()).firstBroken).toMatchObject({ seq: target.seq, reason: 'hash_mismatch' });
          await restore();

          await harness.execute(`update audit_log set details = '{ "i": 0 }' where seq = ${target.seq}`);
          expect((await store.verifyAuditChain()).firstBroken).toMatchObject({ seq: target.seq, reason: 'malformed' });
          await restore();

          await harness.execute(`update audit_log set prev_hash = '${'0'.repeat(64)}' where seq = ${next.seq}`);
          expect((await store.verifyAuditChain()).firstBroken).toMatchObject({ seq: next.seq, reason: 'broken_link' });
          await harness.execute(`update audit_log set prev_hash = '${target.hash}' where seq = ${next.seq}`);
          await restore();

          await harness.execute(`delete from audit_log where seq = ${target.seq}`);
          expect((await store.verifyAuditChain()).firstBroken).toMatchObject({ seq: next.seq, reason: 'sequence_gap' });
        } finally {
          const row = `(${target.seq}, '${target.at}', null, '${target.action}', '${target.documentId}', '${JSON.stringify(target.details)}', '${target.prevHash}', '${target.hash}')`;
          await harness.execute(`insert into audit_log (seq, at, actor_id, action, document_id, details, prev_hash, hash) values ${row} on conflict (seq) do update set details = excluded.details, actor_id = null, hash = excluded.hash, prev_hash = excluded.prev_hash`);
          await harness.execute(`update audit_log set prev_hash = '${target.hash}' where seq = ${next.seq}`);
        }
        expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: total });
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
