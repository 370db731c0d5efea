/**
 * BoardStore on Kysely, for both SQLite and PostgreSQL: plain single-statement reads and upserts,
 * so no dialect-specific locking is needed (creating a board is insert-if-absent on its id).
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { BoardMemberRole } from '../../common/board-access.ts';
import type { BoardMembersTable, BoardsTable } from './board-schema.ts';
import type { BoardMemberRecord, BoardRecord, BoardStore } from './board-store.ts';
import type { Database } from './schema.ts';
import type { PrincipalType } from './store.ts';

/** Normalises an ISO 8601 time to `Date#toISOString` form, so text order is time order. */
function isoTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new RangeError(`not an ISO 8601 time: "${value}"`);
  return time.toISOString();
}

function toBoard(row: Selectable<BoardsTable>): BoardRecord {
  return {
    id: row.id,
    title: row.title,
    agencyId: row.agency_id,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMember(row: Selectable<BoardMembersTable>): BoardMemberRecord {
  return {
    boardId: row.board_id,
    principalType: row.principal_type as PrincipalType,
    principalId: row.principal_id,
    role: row.role as BoardMemberRole,
  };
}

function principalIs(eb: ExpressionBuilder<Database, 'board_members'>, userId: string, agencyId: string) {
  return eb.or([
    eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]),
    eb.and([eb('principal_type', '=', 'agency'), eb('principal_id', '=', agencyId)]),
  ]);
}

export class KyselyBoardStore implements BoardStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createBoard(board: BoardRecord): Promise<{ record: BoardRecord; created: boolean }> {
    const inserted = await this.db
      .insertInto('boards')
      .values({
        id: board.id,
        title: board.title,
        agency_id: board.agencyId,
        owner_id: board.ownerId,
        created_at: isoTime(board.createdAt),
        updated_at: isoTime(board.updatedAt),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    const record = await this.getBoard(board.id);
    if (record === undefined) throw new Error(`board ${board.id} vanished right after it was created`);
    return { record, created: inserted.length > 0 };
  }

  async getBoard(id: string): Promise<BoardRecord | undefined> {
    const row = await this.db.selectFrom('boards').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toBoard(row);
  }

  async listBoardsVisibleTo(userId: string, agencyId: string): Promise<BoardRecord[]> {
    // IN rather than a join, so a board reachable several ways comes back once.
    const rows = await this.db
      .selectFrom('boards as b')
      .selectAll('b')
      .where((eb) =>
        eb.or([
          eb('b.owner_id', '=', userId),
          eb('b.id', 'in', this.db.selectFrom('board_members').select('board_id').where((inner) => principalIs(inner, userId, agencyId))),
        ]),
      )
      .orderBy('b.updated_at', 'desc')
      .orderBy('b.id')
      .execute();
    return rows.map(toBoard);
  }

  async listBoardMembers(boardId: string): Promise<BoardMemberRecord[]> {
    const rows = await this.db
      .selectFrom('board_members')
      .selectAll()
      .where('board_id', '=', boardId)
      .orderBy('principal_type')
      .orderBy('principal_id')
      .execute();
    return rows.map(toMember);
  }

  async boardMembersFor(boardId: string, userId: string, agencyId: string): Promise<BoardMemberRecord[]> {
    const rows = await this.db
      .selectFrom('board_members')
      .selectAll()
      .where('board_id', '=', boardId)
      .where((eb) => principalIs(eb, userId, agencyId))
      .orderBy('principal_type')
      .execute();
    return rows.map(toMember);
  }

  async putBoardMember(member: BoardMemberRecord): Promise<void> {
    await this.db
      .insertInto('board_members')
      .values({ board_id: member.boardId, principal_type: member.principalType, principal_id: member.principalId, role: member.role })
      .onConflict((oc) => oc.columns(['board_id', 'principal_type', 'principal_id']).doUpdateSet({ role: member.role }))
      .execute();
  }

  async deleteBoardMember(boardId: string, principalType: PrincipalType, principalId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('board_members')
      .where('board_id', '=', boardId)
      .where('principal_type', '=', principalType)
      .where('principal_id', '=', principalId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async touchBoard(id: string, updatedAt: string): Promise<void> {
    await this.db.updateTable('boards').set({ updated_at: isoTime(updatedAt) }).where('id', '=', id).execute();
  }
}
