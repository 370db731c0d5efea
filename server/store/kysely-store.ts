/**
 * The Store implementation for both SQLite and PostgreSQL, written once against Kysely. Every query
 * is shared; the dialects differ only in how transactions begin and lock (the helpers at the
 * bottom) and in PostgreSQL's advisory locks, which keep seq order equal to commit order and let
 * one compaction per room run at a time.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { applyMigrations, type Database, type DialectName, type DocumentsTable, type UsersTable } from './schema.ts';
import type {
  AgencyRecord,
  DocumentRecord,
  PrincipalType,
  RoleName,
  RoomUpdate,
  ShareRecord,
  Store,
  StoredRoom,
  UserRecord,
} from './store.ts';

export interface KyselyStoreOptions {
  readonly dialect: DialectName;
  /** PostgreSQL only: the schema the connections' search_path points at; migrate() creates it. */
  readonly schema?: string;
}

// PostgreSQL advisory lock keys, as (namespace, key) pairs. The namespace spells "Cong".
const LOCK_NAMESPACE = 0x436f6e67;
const MIGRATION_LOCK = 1;
const APPEND_LOCK = 2;
// Compaction locks are per room: (namespace + 1, hashtext(room)).
const COMPACTION_LOCK_NAMESPACE = LOCK_NAMESPACE + 1;

/** Rows per INSERT: keeps a large batch below both drivers' bound-parameter limits. */
const INSERT_CHUNK_ROWS = 1000;

export class KyselyStore implements Store {
  protected readonly db: Kysely<Database>;
  private readonly options: KyselyStoreOptions;

  constructor(db: Kysely<Database>, options: Readonly<KyselyStoreOptions>) {
    this.db = db;
    this.options = options;
  }

  get dialect(): DialectName {
    return this.options.dialect;
  }

  async migrate(): Promise<void> {
    await this.writeTransaction(async (trx) => {
      if (this.dialect === 'postgres') {
        // Transaction-scoped, so the lock can never outlive a failed migration.
        await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_NAMESPACE)}, ${sql.lit(MIGRATION_LOCK)})`.execute(trx);
        if (this.options.schema !== undefined) {
          await sql`create schema if not exists ${sql.id(this.options.schema)}`.execute(trx);
        }
      }
      await applyMigrations(trx, this.dialect);
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // --- settings ---

  async getOrCreateSetting(key: string, value: string): Promise<string> {
    // Insert-if-absent first: whichever process inserts first wins, and everyone reads the winner.
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return row.value;
  }

  // --- directory ---

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async upsertAgency(agency: AgencyRecord): Promise<void> {
    const row = { id: agency.id, name: agency.name, abbreviation: agency.abbreviation, parent_id: agency.parentId };
    await this.db
      .insertInto('agencies')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: row.name, abbreviation: row.abbreviation, parent_id: row.parent_id }),
      )
      .execute();
  }

  async upsertUser(user: UserRecord): Promise<void> {
    const { id, ...rest } = fromUser(user);
    await this.db
      .insertInto('users')
      .values({ id, ...rest })
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  }

  async getUserById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async listAgencies(): Promise<AgencyRecord[]> {
    const rows = await this.db.selectFrom('agencies').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, abbreviation: row.abbreviation, parentId: row.parent_id }));
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  }

  // --- documents and shares ---

  async createDocument(doc: DocumentRecord): Promise<{ record: DocumentRecord; created: boolean }> {
    const inserted = await this.db
      .insertInto('documents')
      .values(fromDocument(doc))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    const record = await this.getDocument(doc.id);
    if (record === undefined) throw new Error(`document ${doc.id} vanished right after it was created`);
    return { record, created: inserted.length > 0 };
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const row = await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDocument(row);
  }

  async listDocumentsVisibleTo(userId: string, agencyId: string): Promise<DocumentRecord[]> {
    // IN rather than a join, so a document shared several ways still comes back once.
    const rows = await this.db
      .selectFrom('documents as d')
      .selectAll('d')
      .where((eb) =>
        eb.or([
          eb('d.owner_id', '=', userId),
          eb('d.id', 'in', this.db.selectFrom('shares').select('document_id').where((inner) => principalIs(inner, userId, agencyId))),
        ]),
      )
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.id')
      .execute();
    return rows.map(toDocument);
  }

  async touchDocument(id: string, updatedAt: string): Promise<void> {
    await this.db.updateTable('documents').set({ updated_at: isoTime(updatedAt) }).where('id', '=', id).execute();
  }

  async listShares(documentId: string): Promise<ShareRecord[]> {
    const rows = await this.db
      .selectFrom('shares')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('principal_type')
      .orderBy('principal_id')
      .execute();
    return rows.map(toShare);
  }

  async sharesFor(documentId: string, userId: string, agencyId: string): Promise<ShareRecord[]> {
    const rows = await this.db
      .selectFrom('shares')
      .selectAll()
      .where('document_id', '=', documentId)
      .where((eb) => principalIs(eb, userId, agencyId))
      .orderBy('principal_type')
      .execute();
    return rows.map(toShare);
  }

  async putShare(share: ShareRecord): Promise<void> {
    await this.db
      .insertInto('shares')
      .values({
        document_id: share.documentId,
        principal_type: share.principalType,
        principal_id: share.principalId,
        role: share.role,
      })
      .onConflict((oc) => oc.columns(['document_id', 'principal_type', 'principal_id']).doUpdateSet({ role: share.role }))
      .execute();
  }

  async deleteShare(documentId: string, principalType: PrincipalType, principalId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('shares')
      .where('document_id', '=', documentId)
      .where('principal_type', '=', principalType)
      .where('principal_id', '=', principalId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  // --- room update log ---

  async loadRoom(room: string): Promise<StoredRoom> {
    return this.readTransaction(async (trx) => {
      const snapshotRow = await trx
        .selectFrom('room_snapshots')
        .select(['snapshot', 'up_to_seq'])
        .where('room', '=', room)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom('room_updates')
        .select('update')
        .where('room', '=', room)
        .where('seq', '>', snapshotRow?.up_to_seq ?? 0)
        .orderBy('seq')
        .execute();
      const snapshot = snapshotRow ? ownBytes(snapshotRow.snapshot) : null;
      const updates = rows.map((row) => ownBytes(row.update));
      let bytes = snapshot?.byteLength ?? 0;
      for (const update of updates) bytes += update.byteLength;
      return { snapshot, updates, bytes };
    });
  }

  async appendUpdates(batch: readonly RoomUpdate[]): Promise<void> {
    if (batch.length === 0) return;
    const createdAt = new Date().toISOString();
    await this.writeTransaction(async (trx) => {
      await this.lockAppends(trx);
      const heads = new Map<string, number>();
      for (let start = 0; start < batch.length; start += INSERT_CHUNK_ROWS) {
        const chunk = batch.slice(start, start + INSERT_CHUNK_ROWS);
        const rows = await trx
          .insertInto('room_updates')
          .values(chunk.map((u) => ({ room: u.room, update: u.update, created_at: createdAt })))
          .returning(['seq', 'room'])
          .execute();
        for (const row of rows) heads.set(row.room, Math.max(heads.get(row.room) ?? 0, Number(row.seq)));
      }
      const headRows = [...heads].map(([room, seq]) => ({ room, seq }));
      for (let start = 0; start < headRows.length; start += INSERT_CHUNK_ROWS) {
        await trx
          .insertInto('room_heads')
          .values(headRows.slice(start, start + INSERT_CHUNK_ROWS))
          .onConflict((oc) => oc.column('room').doUpdateSet({ seq: (eb) => eb.ref('excluded.seq') }))
          .execute();
      }
    });
  }

  async countRoomUpdates(room: string): Promise<number> {
    // Compaction deletes what it folds in the same transaction, so every log row is after the snapshot.
    const row = await this.db
      .selectFrom('room_updates')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('room', '=', room)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async compactRoom(room: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void> {
    await this.writeTransaction(async (trx) => {
      if (this.dialect === 'postgres') {
        // Two compactions of one room must not both fold the same snapshot: the second would read
        // the old snapshot and, after the first deleted the log, only the newer rows.
        await sql`select pg_advisory_xact_lock(${sql.lit(COMPACTION_LOCK_NAMESPACE)}, hashtext(${room}))`.execute(trx);
      }
      const snapshotRow = await trx
        .selectFrom('room_snapshots')
        .select(['snapshot', 'up_to_seq'])
        .where('room', '=', room)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom('room_updates')
        .select(['seq', 'update'])
        .where('room', '=', room)
        .where('seq', '>', snapshotRow?.up_to_seq ?? 0)
        .orderBy('seq')
        .execute();
      if (rows.length === 0) return;
      // Only rows up to the last one read are folded and deleted: anything appended since has a
      // higher seq (see lockAppends) and stays in the log.
      const upToSeq = Number(rows[rows.length - 1].seq);
      const parts = rows.map((row) => ownBytes(row.update));
      if (snapshotRow) parts.unshift(ownBytes(snapshotRow.snapshot));
      const snapshot = merge(parts);
      await trx
        .insertInto('room_snapshots')
        .values({ room, snapshot, up_to_seq: upToSeq })
        .onConflict((oc) =>
          oc.column('room').doUpdateSet({ snapshot: (eb) => eb.ref('excluded.snapshot'), up_to_seq: (eb) => eb.ref('excluded.up_to_seq') }),
        )
        .execute();
      await trx.deleteFrom('room_updates').where('room', '=', room).where('seq', '<=', upToSeq).execute();
    });
  }

  async listRoomChanges(since: number, limit: number): Promise<{ changes: { room: string; seq: number }[]; cursor: number }> {
    const rows = await this.db
      .selectFrom('room_heads')
      .select(['room', 'seq'])
      .where('seq', '>', since)
      .orderBy('seq')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    const changes = rows.map((row) => ({ room: row.room, seq: Number(row.seq) }));
    return { changes, cursor: changes.length > 0 ? changes[changes.length - 1].seq : since };
  }

  // --- where the dialects differ ---

  /**
   * PostgreSQL hands out seq values when rows are inserted, not when they commit, so without this
   * lock a reader could see seq 11 committed while seq 10 is still in flight, move its change-feed
   * cursor past 10, or let compaction fold up to 11 and hide 10 behind the snapshot forever. Holding
   * one lock from the first insert to commit makes commit order equal seq order. The lock is held
   * for one short batch insert per relay tick. SQLite has a single writer, so it needs nothing.
   */
  protected async lockAppends(trx: Kysely<Database>): Promise<void> {
    if (this.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_NAMESPACE)}, ${sql.lit(APPEND_LOCK)})`.execute(trx);
    }
  }

  /**
   * A transaction that will write. On SQLite it begins IMMEDIATE, taking the write lock before the
   * first read: a deferred transaction that reads and then writes fails at once with SQLITE_BUSY
   * when another connection wrote in between, instead of waiting for busy_timeout. PostgreSQL uses
   * READ COMMITTED with explicit advisory locks where ordering matters.
   */
  protected async writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().setIsolationLevel('read committed').execute(fn);
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let result: T;
      try {
        result = await fn(conn);
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
      await sql`commit`.execute(conn);
      return result;
    });
  }

  /**
   * A transaction that only reads, from one snapshot. REPEATABLE READ on PostgreSQL; on SQLite in
   * WAL mode a read transaction already sees one snapshot from its first read to its end.
   */
  protected async readTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') {
      return this.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
    }
    return this.db.transaction().execute(fn);
  }
}

/** The share rows that reach this user: addressed to the user or to the user's agency. */
function principalIs(eb: ExpressionBuilder<Database, 'shares'>, userId: string, agencyId: string): Expression<SqlBool> {
  return eb.or([
    eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]),
    eb.and([eb('principal_type', '=', 'agency'), eb('principal_id', '=', agencyId)]),
  ]);
}

/**
 * Bytes that own their memory. pg decodes small bytea values into slices of Node's shared Buffer
 * pool, so `.buffer` of such a value is 8 KiB of unrelated data; code that views `.buffer` (or a
 * Buffer's non-copying `slice`) would then read or retain the neighbours. Values that already own
 * their whole ArrayBuffer (better-sqlite3's) are only re-viewed as a plain Uint8Array.
 */
function ownBytes(value: Uint8Array): Uint8Array {
  if (value.byteOffset === 0 && value.buffer.byteLength === value.byteLength) {
    return new Uint8Array(value.buffer, 0, value.byteLength);
  }
  return new Uint8Array(value);
}

/** Normalises an ISO 8601 time to `Date#toISOString` form (UTC, milliseconds), so text order is time order. */
function isoTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new RangeError(`not an ISO 8601 time: "${value}"`);
  return time.toISOString();
}

function fromUser(user: UserRecord): UsersTable {
  return {
    id: user.id,
    username: user.username,
    display_name: user.displayName,
    agency_id: user.agencyId,
    unit: user.unit,
    title: user.title,
    roles: JSON.stringify(user.roles),
    password_hash: user.passwordHash,
  };
}

function toUser(row: Selectable<UsersTable>): UserRecord {
  const roles: unknown = JSON.parse(row.roles);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    agencyId: row.agency_id,
    unit: row.unit,
    title: row.title,
    roles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
    passwordHash: row.password_hash,
  };
}

function fromDocument(doc: DocumentRecord): DocumentsTable {
  return {
    id: doc.id,
    title: doc.title,
    type: doc.type,
    status: doc.status,
    agency_id: doc.agencyId,
    owner_id: doc.ownerId,
    created_at: isoTime(doc.createdAt),
    updated_at: isoTime(doc.updatedAt),
  };
}

function toDocument(row: Selectable<DocumentsTable>): DocumentRecord {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    status: row.status as DocumentRecord['status'],
    agencyId: row.agency_id,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toShare(row: Selectable<Database['shares']>): ShareRecord {
  return {
    documentId: row.document_id,
    principalType: row.principal_type as PrincipalType,
    principalId: row.principal_id,
    role: row.role as RoleName,
  };
}
