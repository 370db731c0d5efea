/**
 * The storage of task boards: their records and members (issue 6). Part of the one Store
 * interface (store.ts exposes it as `store.boards`), implemented once for SQLite and PostgreSQL
 * (kysely-board-store.ts) and held to one contract suite (board-store.contract.ts).
 */
import type { BoardMemberRole } from '../../common/board-access.ts';
import type { PrincipalType } from './store.ts';

export interface BoardRecord {
  readonly id: string;
  readonly title: string;
  /** The tenant: the owner's agency when the board was made. */
  readonly agencyId: string;
  readonly ownerId: string;
  readonly createdAt: string; // ISO 8601 UTC
  readonly updatedAt: string; // ISO 8601 UTC
}

export interface BoardMemberRecord {
  readonly boardId: string;
  readonly principalType: PrincipalType;
  readonly principalId: string;
  readonly role: BoardMemberRole;
}

export interface BoardStore {
  /** Inserts the board unless one with this id exists; returns the stored record either way. */
  createBoard(board: BoardRecord): Promise<{ record: BoardRecord; created: boolean }>;
  getBoard(id: string): Promise<BoardRecord | undefined>;
  /** Boards the user owns or is a member of, directly or through the given agency (the user's); newest change first. */
  listBoardsVisibleTo(userId: string, agencyId: string): Promise<BoardRecord[]>;
  /** Every member of the board, ordered by principal type and id. */
  listBoardMembers(boardId: string): Promise<BoardMemberRecord[]>;
  /** The member rows of one board that apply to this user (directly or through the agency). */
  boardMembersFor(boardId: string, userId: string, agencyId: string): Promise<BoardMemberRecord[]>;
  /** Inserts the member or replaces its role. */
  putBoardMember(member: BoardMemberRecord): Promise<void>;
  /** Returns whether a member was removed. */
  deleteBoardMember(boardId: string, principalType: PrincipalType, principalId: string): Promise<boolean>;
  /** Sets the board's updatedAt (a membership change, a rename). */
  touchBoard(id: string, updatedAt: string): Promise<void>;
}
