/**
 * Who may do what with a document, decided the same way on the server (which enforces it) and in
 * the client (which only uses it to hide controls). Agencies are tenants: a document is reachable
 * by its owner, by the users and agencies it was shared with, and by the people its procedure
 * involves (the reviewers of its rounds, the clerks of its agency once it is approved), nobody else.
 */
import { isContentEditable, type DocumentStatus } from './workflow.ts';

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

/**
 * What the approval procedure gives a user on one document, besides shares (docs/decisions.md):
 * the assignees of the open round may read and comment, everyone assigned a step in an earlier
 * round may still read what they decided on, and the clerks of the document's agency may read it
 * once it is approved, to number and issue it.
 */
export interface ProcedureAccess {
  /** The user is assigned a step of the document's open round. */
  readonly reviewsOpenRound: boolean;
  /** The user was assigned a step in any round of the document. */
  readonly tookPart: boolean;
  /** The user has the clerk role in the document's agency. */
  readonly clerkOfAgency: boolean;
}

export const NO_PROCEDURE_ACCESS: ProcedureAccess = { reviewsOpenRound: false, tookPart: false, clerkOfAgency: false };

/** The role the procedure alone gives, or null. */
export function procedureRole(doc: AccessDocument, access: ProcedureAccess): ShareRole | null {
  if (access.reviewsOpenRound) return 'commenter';
  if (access.tookPart) return 'viewer';
  if (access.clerkOfAgency && (doc.status === 'approved' || doc.status === 'issued')) return 'viewer';
  return null;
}

/** The strongest role the user holds on the document, or null when they may not see it. */
export function resolveDocumentRole(
  doc: AccessDocument,
  user: AccessUser,
  shares: readonly AccessShare[],
  procedure: ProcedureAccess = NO_PROCEDURE_ACCESS,
): DocumentRole | null {
  if (doc.ownerId === user.id) return 'owner';
  let best: DocumentRole | null = procedureRole(doc, procedure);
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
 * for everyone: its content is the legal record. Its content is also frozen from submission until
 * it is returned, so that what the reviewers read, sign and the clerk issues is exactly the version
 * submitted (docs/decisions.md); comments stay open to commenters until it is issued.
 */
export function canWriteRoom(room: Room, role: DocumentRole | null, documentStatus: string): boolean {
  if (documentStatus === 'issued') return false;
  if (room.kind === 'comments') return atLeast(role, 'commenter');
  if (room.kind === 'doc') return atLeast(role, 'editor') && isContentEditable(documentStatus as DocumentStatus);
  return atLeast(role, 'editor');
}
