/**
 * The SQL schema of the store, written once for SQLite and PostgreSQL: the Kysely table types the
 * queries are checked against, and the ordered list of migrations that builds those tables.
 * Callers apply migrations with `applyMigrations` while holding the migration lock (see
 * KyselyStore.migrate), so two processes starting at once never race on DDL.
 */
import type { ColumnType, Generated, Kysely } from 'kysely';
import { boardsMigration, type BoardMembersTable, type BoardsTable } from './board-schema.ts';

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

export interface SigningKeysTable {
  key_id: string;
  user_id: string;
  public_key: string;
  created_at: string;
}

export interface WorkflowRoundsTable {
  id: string;
  document_id: string;
  number: number;
  version_hash: string;
  state_vector: string;
  submitted_by: string;
  submitted_at: string;
  /** open, returned or completed: kept in step with the decisions, for the "awaiting me" query. */
  status: string;
  /** The step waiting in an open round, else null. */
  current_step: number | null;
}

export interface WorkflowStepsTable {
  round_id: string;
  step_index: number;
  /** Copied from the round, so access and visibility look steps up without a join. */
  document_id: string;
  kind: string;
  assignee_id: string;
  authority: string | null;
}

export interface WorkflowDecisionsTable {
  round_id: string;
  step_index: number;
  document_id: string;
  decision: string;
  comment: string | null;
  decided_at: string;
  signer_id: string;
  key_id: string;
  /** Unique: a signature is accepted once, wherever it is presented again. */
  signature: string;
  version_hash: string;
  recorded_at: string;
}

/** One counter per agency, register and year: the last number assigned. */
export interface NumberRegistersTable {
  agency_id: string;
  register: string;
  year: number;
  last_number: number;
}

export interface DocumentIssuesTable {
  document_id: string;
  request_id: string;
  agency_id: string;
  register: string;
  year: number;
  number: number;
  number_text: string;
  issued_at: string;
  issued_by: string;
}

export interface AuditLogTable {
  /** Assigned by the writer as the previous seq + 1, never by a sequence: a gap means a deletion. */
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  document_id: string | null;
  /** Canonical JSON text. */
  details: string;
  prev_hash: string;
  hash: string;
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
  signing_keys: SigningKeysTable;
  workflow_rounds: WorkflowRoundsTable;
  workflow_steps: WorkflowStepsTable;
  workflow_decisions: WorkflowDecisionsTable;
  number_registers: NumberRegistersTable;
  document_issues: DocumentIssuesTable;
  audit_log: AuditLogTable;
  boards: BoardsTable;
  board_members: BoardMembersTable;
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
  {
    // Issue 5: the approval procedure, document numbers, signing keys and the audit log.
    name: '0002_approval',
    async up(db, dialect) {
      const bigint = dialect === 'postgres' ? 'bigint' : 'integer';

      await db.schema
        .createTable('signing_keys')
        .ifNotExists()
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('public_key', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('signing_keys_user_id').ifNotExists().on('signing_keys').column('user_id').execute();

      await db.schema
        .createTable('workflow_rounds')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('version_hash', 'text', (c) => c.notNull())
        .addColumn('state_vector', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('submitted_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_step', 'integer')
        .addUniqueConstraint('workflow_rounds_document_number', ['document_id', 'number'])
        .execute();
      await db.schema.createIndex('workflow_rounds_status').ifNotExists().on('workflow_rounds').columns(['status', 'submitted_at']).execute();

      await db.schema
        .createTable('workflow_steps')
        .ifNotExists()
        .addColumn('round_id', 'text', (c) => c.notNull().references('workflow_rounds.id').onDelete('cascade'))
        .addColumn('step_index', 'integer', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('assignee_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('authority', 'text')
        .addPrimaryKeyConstraint('workflow_steps_pkey', ['round_id', 'step_index'])
        .execute();
      await db.schema.createIndex('workflow_steps_assignee').ifNotExists().on('workflow_steps').columns(['assignee_id', 'document_id']).execute();

      await db.schema
        .createTable('workflow_decisions')
        .ifNotExists()
        .addColumn('round_id', 'text', (c) => c.notNull())
        .addColumn('step_index', 'integer', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('signer_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('key_id', 'text', (c) => c.notNull().references('signing_keys.key_id'))
        .addColumn('signature', 'text', (c) => c.notNull().unique())
        .addColumn('version_hash', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('workflow_decisions_pkey', ['round_id', 'step_index'])
        .addForeignKeyConstraint('workflow_decisions_step', ['round_id', 'step_index'], 'workflow_steps', ['round_id', 'step_index'], (c) =>
          c.onDelete('cascade'),
        )
        .execute();

      await db.schema
        .createTable('number_registers')
        .ifNotExists()
        .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('register', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_number', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('number_registers_pkey', ['agency_id', 'register', 'year'])
        .execute();

      // The unique number per (agency, register, year) is the last line of defence against a
      // duplicate: even a bug in the counter could not commit one.
      await db.schema
        .createTable('document_issues')
        .ifNotExists()
        .addColumn('document_id', 'text', (c) => c.primaryKey().references('documents.id').onDelete('cascade'))
        .addColumn('request_id', 'text', (c) => c.notNull().unique())
        .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
        .addColumn('register', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('number_text', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('issued_by', 'text', (c) => c.notNull().references('users.id'))
        .addUniqueConstraint('document_issues_number', ['agency_id', 'register', 'year', 'number'])
        .execute();

      // No foreign keys: the log outlives what it mentions and must never block a deletion.
      await db.schema
        .createTable('audit_log')
        .ifNotExists()
        .addColumn('seq', bigint, (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_document_id').ifNotExists().on('audit_log').columns(['document_id', 'seq']).execute();
    },
  },
  // Issue 6: task boards and their members (board-schema.ts).
  boardsMigration,
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
