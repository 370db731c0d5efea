/**
 * The SQL tables of task boards (issue 6) and the migration that creates them, kept beside the
 * store's main schema (schema.ts lists the migration and the tables). A board is a record like a
 * document: the authority on who may reach its room `board:<id>`; its tasks live in the room's
 * Y.Doc, not here.
 */
import type { Kysely } from 'kysely';
import type { DialectName } from './schema.ts';

export interface BoardsTable {
  id: string;
  title: string;
  agency_id: string;
  owner_id: string;
  /** ISO 8601 UTC text, `Date#toISOString` form (see DocumentsTable). */
  created_at: string;
  updated_at: string;
}

export interface BoardMembersTable {
  board_id: string;
  /** user or agency; principal_id has no foreign key since it names either. */
  principal_type: string;
  principal_id: string;
  /** viewer or editor; the owner is the board's owner_id, never a member row. */
  role: string;
}

export const boardsMigration = {
  name: '0003_boards',
  async up(db: Kysely<unknown>, _dialect: DialectName): Promise<void> {
    await db.schema
      .createTable('boards')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('agency_id', 'text', (c) => c.notNull().references('agencies.id'))
      .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('boards_owner_id').ifNotExists().on('boards').column('owner_id').execute();

    await db.schema
      .createTable('board_members')
      .ifNotExists()
      .addColumn('board_id', 'text', (c) => c.notNull().references('boards.id').onDelete('cascade'))
      .addColumn('principal_type', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('board_members_pkey', ['board_id', 'principal_type', 'principal_id'])
      .execute();
    // The visibility query starts from the principal; the primary key serves per-board lookups.
    await db.schema
      .createIndex('board_members_principal')
      .ifNotExists()
      .on('board_members')
      .columns(['principal_type', 'principal_id', 'board_id'])
      .execute();
  },
} as const;
