/**
 * Who may do what with a task board, decided the same way on the server (the API and the relay,
 * which enforce it) and in the client (which only hides controls). Agencies are tenants: a board is
 * reachable by its owner and by the users and agencies that are its members, nobody else. Editors
 * and the owner change the board's Y.Doc; viewers read it; only the owner manages the members.
 */

export const BOARD_ROLES = ['viewer', 'editor', 'owner'] as const;
export type BoardRole = (typeof BOARD_ROLES)[number];
export const BOARD_MEMBER_ROLES = ['viewer', 'editor'] as const;
export type BoardMemberRole = (typeof BOARD_MEMBER_ROLES)[number];

const RANK: Readonly<Record<BoardRole, number>> = { viewer: 1, editor: 2, owner: 3 };

export interface AccessBoard {
  readonly ownerId: string;
}
export interface AccessBoardUser {
  readonly id: string;
  readonly agencyId: string;
}
export interface AccessBoardMember {
  readonly principalType: 'user' | 'agency';
  readonly principalId: string;
  readonly role: BoardMemberRole;
}

/** The strongest role the user holds on the board, or null when they may not see it. */
export function resolveBoardRole(board: AccessBoard, user: AccessBoardUser, members: readonly AccessBoardMember[]): BoardRole | null {
  if (board.ownerId === user.id) return 'owner';
  let best: BoardRole | null = null;
  for (const member of members) {
    const applies =
      (member.principalType === 'user' && member.principalId === user.id) ||
      (member.principalType === 'agency' && member.principalId === user.agencyId);
    if (applies && (best === null || RANK[member.role] > RANK[best])) best = member.role;
  }
  return best;
}

/** Editors and the owner write tasks; viewers only read. */
export function canWriteBoard(role: BoardRole | null): boolean {
  return role === 'editor' || role === 'owner';
}

/** Only the owner adds and removes members. */
export function canManageBoardMembers(role: BoardRole | null): boolean {
  return role === 'owner';
}
