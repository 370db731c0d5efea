/**
 * The HTTP side of task boards (issue 6): board records, created offline-first with a client-chosen
 * id like documents, listed and read with the caller's role, and their members (users or agencies,
 * viewer or editor), which only the owner manages. The tasks themselves live in the board's Y.Doc
 * (room `board:<id>`, common/board.ts); this module only decides who may reach that room.
 *
 * As for documents, a board the caller may not see does not exist for them (404), and a member
 * change re-checks every live connection to the board's room at once (`onBoardAccessChanged`).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { canManageBoardMembers, resolveBoardRole, type BoardRole } from '../../common/board-access.ts';
import {
  BoardMemberRequest,
  BoardParams,
  CreateBoardRequest,
  DeleteBoardMemberParams,
  type BoardMember,
  type BoardMembersResponse,
  type BoardRecord as ApiBoard,
  type BoardsResponse,
} from '../../common/api.ts';
import type { BoardMemberRecord, BoardRecord } from '../store/board-store.ts';
import type { Store, UserRecord } from '../store/store.ts';
import { ApiError, notFound, reply, type Router } from './router.ts';

export interface BoardDeps {
  readonly store: Store;
  readonly log: Logger;
  readonly now: () => Date;
  /** A board's members changed: live connections to `board:<id>` must be re-checked. */
  readonly onBoardAccessChanged: (boardId: string) => void;
}

export function toApiBoard(board: BoardRecord, role: BoardRole): ApiBoard {
  return {
    id: board.id,
    title: board.title,
    agencyId: board.agencyId,
    ownerId: board.ownerId,
    role,
    createdAt: board.createdAt,
    updatedAt: board.updatedAt,
  };
}

function toMember(member: BoardMemberRecord): BoardMember {
  const principal =
    member.principalType === 'user' ? { type: 'user' as const, id: member.principalId } : { type: 'agency' as const, id: member.principalId };
  return { principal, role: member.role };
}

/** The caller's role on the board, or null when they may not see it. */
export async function boardRoleOf(store: Store, board: BoardRecord, user: Pick<UserRecord, 'id' | 'agencyId'>): Promise<BoardRole | null> {
  if (board.ownerId === user.id) return 'owner';
  return resolveBoardRole(board, user, await store.boards.boardMembersFor(board.id, user.id, user.agencyId));
}

/** Ids of the boards the user can see: for the change feed. */
export async function visibleBoardIds(store: Store, user: Pick<UserRecord, 'id' | 'agencyId'>): Promise<Set<string>> {
  return new Set((await store.boards.listBoardsVisibleTo(user.id, user.agencyId)).map((board) => board.id));
}

export function boardRoutes<R extends Router<UserRecord>>(router: R, deps: Readonly<BoardDeps>): R {
  const { store, log } = deps;

  async function visibleBoard(id: string, user: UserRecord): Promise<{ board: BoardRecord; role: BoardRole } | ApiError> {
    const board = await store.boards.getBoard(id);
    const role = board ? await boardRoleOf(store, board, user) : null;
    return board && role ? { board, role } : notFound('no such board');
  }

  async function ownedBoard(id: string, user: UserRecord): Promise<BoardRecord | ApiError> {
    const found = await visibleBoard(id, user);
    if (found instanceof ApiError) return found;
    if (!canManageBoardMembers(found.role)) return new ApiError(403, 'forbidden', 'only the owner may change who is a member');
    return found.board;
  }

  async function membersOf(boardId: string): Promise<BoardMembersResponse> {
    return { members: (await store.boards.listBoardMembers(boardId)).map(toMember) };
  }

  router
    .authenticated({
      method: 'POST',
      path: '/api/boards',
      body: CreateBoardRequest,
      handler: async ({ body, caller }) => {
        const createdAt = deps.now().toISOString();
        const { record, created } = await store.boards.createBoard({
          id: body.id ?? randomUUID(),
          title: body.title,
          agencyId: caller.agencyId,
          ownerId: caller.id,
          createdAt,
          updatedAt: createdAt,
        });
        if (created) {
          log.info({ userId: caller.id, boardId: record.id }, 'board created');
          return reply(201, toApiBoard(record, 'owner'));
        }
        // A replayed outbox command gets the stored record; another owner's id is a conflict.
        if (record.ownerId !== caller.id) return new ApiError(409, 'conflict', 'another board already has this id');
        return reply(200, toApiBoard(record, 'owner'));
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/boards',
      handler: async ({ caller }) => {
        const boards = await store.boards.listBoardsVisibleTo(caller.id, caller.agencyId);
        const answer: BoardsResponse = { boards: [] };
        for (const board of boards) {
          const role = await boardRoleOf(store, board, caller);
          if (role) answer.boards.push(toApiBoard(board, role));
        }
        return reply(200, answer);
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/boards/:id',
      params: BoardParams,
      handler: async ({ params, caller }) => {
        const found = await visibleBoard(params.id, caller);
        if (found instanceof ApiError) return found;
        return reply(200, toApiBoard(found.board, found.role));
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/boards/:id/members',
      params: BoardParams,
      handler: async ({ params, caller }) => {
        const found = await visibleBoard(params.id, caller);
        if (found instanceof ApiError) return found;
        return reply(200, await membersOf(found.board.id));
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/boards/:id/members',
      params: BoardParams,
      body: BoardMemberRequest,
      handler: async ({ params, body, caller }) => {
        const board = await ownedBoard(params.id, caller);
        if (board instanceof ApiError) return board;
        const { principal } = body;
        const exists =
          principal.type === 'user'
            ? (await store.getUserById(principal.id)) !== undefined
            : (await store.listAgencies()).some((agency) => agency.id === principal.id);
        if (!exists) return new ApiError(400, 'unknown_principal', `principal: no ${principal.type} "${principal.id}" in the directory`);
        if (principal.type === 'user' && principal.id === board.ownerId) {
          return new ApiError(400, 'invalid_body', 'principal: the owner already holds every right on the board');
        }
        await store.boards.putBoardMember({ boardId: board.id, principalType: principal.type, principalId: principal.id, role: body.role });
        await store.boards.touchBoard(board.id, deps.now().toISOString());
        log.info({ userId: caller.id, boardId: board.id, principal, role: body.role }, 'board member put');
        deps.onBoardAccessChanged(board.id);
        return reply(200, await membersOf(board.id));
      },
    })
    .authenticated({
      method: 'DELETE',
      path: '/api/boards/:id/members/:type/:principalId',
      params: DeleteBoardMemberParams,
      handler: async ({ params, caller }) => {
        const board = await ownedBoard(params.id, caller);
        if (board instanceof ApiError) return board;
        const principalId = params.type === 'user' ? params.principalId.toLowerCase() : params.principalId;
        // Removing a member that is not there answers like removing it did: an outbox may replay.
        if (await store.boards.deleteBoardMember(board.id, params.type, principalId)) {
          await store.boards.touchBoard(board.id, deps.now().toISOString());
          log.info({ userId: caller.id, boardId: board.id, principalType: params.type, principalId }, 'board member removed');
          deps.onBoardAccessChanged(board.id);
        }
        return reply(200, await membersOf(board.id));
      },
    });
  return router;
}
