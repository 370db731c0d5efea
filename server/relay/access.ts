/**
 * Access hook: what a principal may do in a room, from the document's record, its shares and its
 * approval procedure in the store (the authority), decided by the shared rules of
 * common/access.ts. A room that does not exist and a room the caller may not see look the same
 * (404), so existence is not leaked. The document's status decides writes: content is frozen from
 * submission until a return, and everything once issued.
 */
import { canWriteRoom, parseRoom, resolveDocumentRole } from '../../common/access.ts';
import type { Store } from '../store/store.ts';
import { authorizeBoard } from './board-access.ts';
import type { AccessHook, RoomGrant } from './hooks.ts';

export function storeAccess(store: Pick<Store, 'getDocument' | 'sharesFor' | 'procedureAccess' | 'boards'>): AccessHook {
  return {
    async authorize(principal, roomName): Promise<RoomGrant | null> {
      const room = parseRoom(roomName);
      if (!room) return null;
      if (room.kind === 'board') return authorizeBoard(store, principal, room.boardId);
      const doc = await store.getDocument(room.documentId);
      if (!doc) return null;
      const [shares, procedure] = await Promise.all([
        store.sharesFor(doc.id, principal.userId, principal.agencyId),
        store.procedureAccess(doc.id, principal.userId),
      ]);
      const role = resolveDocumentRole(doc, { id: principal.userId, agencyId: principal.agencyId }, shares, procedure);
      if (!role) return null;
      return { canWrite: canWriteRoom(room, role, doc.status) };
    },
  };
}
