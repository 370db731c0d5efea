/**
 * Access to a board's room `board:<id>`: from the board's record and members in the store (the
 * authority), decided by common/board-access.ts. Editors and the owner write; viewers receive
 * everything and may send presence, their updates are dropped by the relay. A board that does not
 * exist and one the caller may not see both answer null (404).
 */
import { canWriteBoard, resolveBoardRole } from '../../common/board-access.ts';
import type { Store } from '../store/store.ts';
import type { Principal, RoomGrant } from './hooks.ts';

export async function authorizeBoard(store: Pick<Store, 'boards'>, principal: Principal, boardId: string): Promise<RoomGrant | null> {
  const board = await store.boards.getBoard(boardId);
  if (!board) return null;
  const members = board.ownerId === principal.userId ? [] : await store.boards.boardMembersFor(board.id, principal.userId, principal.agencyId);
  const role = resolveBoardRole(board, { id: principal.userId, agencyId: principal.agencyId }, members);
  if (!role) return null;
  return { canWrite: canWriteBoard(role) };
}
