/**
 * Keeps an open document's record, and so the user's role in it, current while the page is open:
 * the owner may make a viewer an editor, or the reverse, at any moment. The relay applies a new
 * role to the live connection at once, but the page decides from the record whether the editor
 * takes input, so the record is read again: at once when the relay offers a read-only connection
 * write access (DocConnection `writeOffered`), when the window gets the focus back, and every 10 s
 * while the page is visible and the server reachable. A revoked access is told by the relay
 * itself (close code 4403, shown by the page).
 */
import { useEffect } from 'react';
import type { DocSession } from '../sync/doc-session.ts';
import type { Workspace } from '../sync/workspace.ts';

export const ACCESS_REFRESH_MS = 10_000;

export function useAccessRefresh(workspace: Workspace, docId: string, session: DocSession | null, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const refresh = () => {
      if (document.visibilityState !== 'visible' || workspace.status.phase === 'offline') return;
      void workspace.fetchDocument(docId);
    };
    const timer = setInterval(refresh, ACCESS_REFRESH_MS);
    window.addEventListener('focus', refresh);
    session?.connection.on('writeOffered', refresh);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', refresh);
      session?.connection.off('writeOffered', refresh);
    };
  }, [workspace, docId, session, enabled]);
}
