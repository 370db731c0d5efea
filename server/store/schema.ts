/**
 * The SQL schema of the store, written once for SQLite and PostgreSQL: the Kysely table types the
 * queries are checked against, and the ordered list of migrations that builds those tables.
 * Callers apply migrations with `applyMigrations` while holding the migration lock (see
 * KyselyStore.migrate), so two processes starting at once never race on DDL.
 */
import type { ColumnType, Generated, Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Bytes as both drivers hand them over: better-sqlite3 and pg return Buffers, and accept any
 * Uint8Array when writing.
 */
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AgenciesTable {
  id: string;
  name: string;
  abbreviation: string;
  parent_id: string | null;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  agency_id: string;
  unit: string;
  title: string;
  /** JSON array of application role names. */
  roles: string;
  password_hash: string;
}

export interface DocumentsTable {
  id: string;
  title: string;
  type: string;
  status: string;
  agency_id: string;
  owner_id: string;
  /**
   * ISO 8601 UTC text in both dialects, always in `Date#toISOString` form so that text order is
   * time order and values round-trip unchanged.
   */
  created_at: string;
  updated_at: string;
}

export interface SharesTable {
  document_id: string;
  principal_type: string;
  principal_id: string;
  role: string;
}

export interface RoomUpdatesTable {
  /** Global, strictly increasing across all rooms; never reused, even after compaction deletes rows. */
  seq: Generated<number>;
  room: string;
  update: Bytes;
  created_at: string;
}

export interface RoomSnapshotsTable {
  room: string;
  snapshot: Bytes;
  /** The highest log seq folded into the snapshot; the room's live log is seq > up_to_seq. */
  up_to_seq: number;
}

/** The change feed: one row per room, carrying the seq of the room's newest update. */
export interface RoomHeadsTable {
  room: string;
  seq: number;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: string;
}

export interface Database {
  settings: SettingsTable;
  agencies: AgenciesTable;
  users: UsersTable;
  documents: DocumentsTable;
  shares: SharesTable;
  room_updates: RoomUpdatesTable;
  room_snapshots: RoomSnapshotsTable;
  room_heads: RoomHeadsTable;
  schema_migrations: SchemaMigrationsTable;
}

interface Migration {
  /** Ordered, unique and never renamed: it is what schema_migrations records. */
  readonly name: string;
  /**
   * Migrations see an untyped database: they describe the schema as it was when they were
   * written, not as `Database` describes it today.
   */
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

const migrations: readonly Migration[] = [
  {
    name: '0001_initial',
    async up(db, dialect) {
      const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
      const bigint = dialect === 'postgres' ? 'bigint' : 'integer';

      await db.schema
        .createTable('settings')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      // parent_id has no foreign key: agencies are imported in any order.
      await db.schema
        .createTable('agencies')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('abbreviation', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .execute();

      await db.schema
        .createTable('users')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('users_agency_id').ifNotExists().on('users').column('agency_id').execute();

      await db.schema
        .createTable('documents')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('documents_owner_id').ifNotExists().on('documents').column('owner_id').execute();
      await db.schema.createIndex('documents_agency_id').ifNotExists().on('documents').column('agency_id').execute();

      // principal_id has no foreign key: it names a user or an agency depending on principal_type.
      await db.schema
        .createTable('shares')
        .ifNotExists()
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('principal_type', 'text', (c) => c.notNull())
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('shares_pkey', ['document_id', 'principal_type', 'principal_id'])
        .execute();
      // The visibility query starts from the principal; the primary key serves per-document lookups.
      await db.schema
        .createIndex('shares_principal')
        .ifNotExists()
        .on('shares')
        .columns(['principal_type', 'principal_id', 'document_id'])
        .execute();

      // AUTOINCREMENT on SQLite so a seq is never reused after compaction deletes the newest rows;
      // a reused seq would hide behind a snapshot's up_to_seq and be lost.
      await db.schema
        .createTable('room_updates')
        .ifNotExists()
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('room', 'text', (c) => c.notNull())
        .addColumn('update', bytes, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('room_updates_room_seq').ifNotExists().on('room_updates').columns(['room', 'seq']).execute();

      await db.schema
        .createTable('room_snapshots')
        .ifNotExists()
        .addColumn('room', 'text', (c) => c.primaryKey())
        .addColumn('snapshot', bytes, (c) => c.notNull())
        .addColumn('up_to_seq', bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('room_heads')
        .ifNotExists()
        .addColumn('room', 'text', (c) => c.primaryKey())
        .addColumn('seq', bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('room_heads_seq').ifNotExists().on('room_heads').column('seq').execute();
    },
  },
];

/**
 * Applies the migrations not yet recorded in schema_migrations, in order. The caller runs this in
 * one transaction holding the migration lock: DDL is transactional in both dialects, so a failed
 * migration leaves nothing half-built. Returns the names applied.
 */
export async function applyMigrations(db: Kysely<Database>, dialect: DialectName): Promise<string[]> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const done = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map((row) => row.name));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    await migration.up(db as unknown as Kysely<unknown>, dialect);
    await db.insertInto('schema_migrations').values({ name: migration.name, applied_at: new Date().toISOString() }).execute();
    applied.push(migration.name);
  }
  return applied;
}
