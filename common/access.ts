/**
 * Who may do what with a document, decided the same way on the server (which enforces it) and in
 * the client (which only uses it to hide controls). Agencies are tenants: a document is reachable
 * by its owner and by the users and agencies it was shared with, nobody else.
 */

export const DOCUMENT_ROLES = ['viewer', 'commenter', 'editor', 'owner'] as const;
export type DocumentRole = (typeof DOCUMENT_ROLES)[number];
export type ShareRole = Exclude<DocumentRole, 'owner'>;

const RANK: Readonly<Record<DocumentRole, number>> = { viewer: 1, commenter: 2, editor: 3, owner: 4 };

export interface AccessDocument {
  readonly ownerId: string;
  readonly status: string;
}
export interface AccessUser {
  readonly id: string;
  readonly agencyId: string;
}
export interface AccessShare {
  readonly principalType: 'user' | 'agency';
  readonly principalId: string;
  readonly role: ShareRole;
}

/** The strongest role the user holds on the document, or null when they may not see it. */
export function resolveDocumentRole(
  doc: AccessDocument,
  user: AccessUser,
  shares: readonly AccessShare[],
): DocumentRole | null {
  if (doc.ownerId === user.id) return 'owner';
  let best: DocumentRole | null = null;
  for (const share of shares) {
    const applies =
      (share.principalType === 'user' && share.principalId === user.id) ||
      (share.principalType === 'agency' && share.principalId === user.agencyId);
    if (applies && (best === null || RANK[share.role] > RANK[best])) best = share.role;
  }
  return best;
}

export function atLeast(role: DocumentRole | null, needed: DocumentRole): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

/** Relay rooms (CONTRACT.md, "Sync"). */
export type Room =
  | { readonly kind: 'doc'; readonly documentId: string }
  | { readonly kind: 'comments'; readonly documentId: string }
  | { readonly kind: 'board'; readonly boardId: string };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const ROOM = new RegExp(`^(doc|board):(${UUID})(:comments)?$`);

export function parseRoom(name: string): Room | null {
  const match = ROOM.exec(name);
  if (!match) return null;
  const [, kind, id, comments] = match;
  if (kind === 'doc') return comments ? { kind: 'comments', documentId: id } : { kind: 'doc', documentId: id };
  return comments ? null : { kind: 'board', boardId: id };
}

export function roomName(room: Room): string {
  switch (room.kind) {
    case 'doc':
      return `doc:${room.documentId}`;
    case 'comments':
      return `doc:${room.documentId}:comments`;
    case 'board':
      return `board:${room.boardId}`;
  }
}

/**
 * Whether a connection with this role may change the room's Y.Doc. An issued document is frozen
 * for everyone: its content is the legal record.
 */
export function canWriteRoom(room: Room, role: DocumentRole | null, documentStatus: string): boolean {
  if (documentStatus === 'issued') return false;
  if (room.kind === 'comments') return atLeast(role, 'commenter');
  return atLeast(role, 'editor');
}
