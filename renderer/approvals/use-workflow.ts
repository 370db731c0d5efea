/**
 * React access to a document's approval data: its workflow from the local store (read offline),
 * refreshed from the server every few seconds while the page is open and the server answers (the
 * procedure has no push channel: the relay carries content, not status), the version hash of the
 * content open on this page, and the decisions still waiting in the outbox.
 */
import { useEffect, useState } from 'react';
import { contentHash } from '../../common/content-hash.ts';
import { useLiveQuery } from '../app/workspace-context.tsx';
import type { LocalWorkflow } from '../store/db.ts';
import type { DocSession } from '../sync/doc-session.ts';
import type { Workspace } from '../sync/workspace.ts';
import { pendingDecisions, type DecideEntry } from './decision-outbox.ts';
import { refreshWorkflow } from './workflow-cache.ts';

const POLL_MS = 4_000;

/** The document's workflow as kept here (null: never read), kept fresh while mounted. */
export function useDocumentWorkflow(workspace: Workspace, documentId: string, poll = true): LocalWorkflow | null | undefined {
  const row = useLiveQuery(async () => (await workspace.db.workflows.get(documentId)) ?? null, [workspace, documentId]);
  useEffect(() => {
    if (!poll) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const tick = async () => {
      if (workspace.connectivity.state === 'online' && document.visibilityState !== 'hidden') {
        await refreshWorkflow(workspace.api, workspace.db, documentId);
      }
      if (!stopped) timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    const unsubscribe = workspace.connectivity.onChange((state) => {
      if (state === 'online') void refreshWorkflow(workspace.api, workspace.db, documentId);
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [workspace, documentId, poll]);
  return row;
}

/** The version hash of the content open in the session, recomputed as it changes; null until loaded. */
export function useContentHash(session: DocSession | null, loaded: boolean): string | null {
  const [hash, setHash] = useState<string | null>(null);
  useEffect(() => {
    setHash(null);
    if (!session || !loaded) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const compute = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void contentHash(session.ydoc).then((h) => {
          if (!cancelled) setHash(h);
        });
      }, 150);
    };
    compute();
    session.ydoc.on('update', compute);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      session.ydoc.off('update', compute);
    };
  }, [session, loaded]);
  return hash;
}

/** Signed decisions about this document still waiting in the outbox. */
export function usePendingDecisions(workspace: Workspace, documentId: string): readonly DecideEntry[] {
  return useLiveQuery(() => pendingDecisions(workspace.db, documentId), [workspace, documentId]) ?? [];
}

/** The number and date line of an issued document, as this device last read them; null before. */
export function useIssue(workspace: Workspace, documentId: string): { readonly numberText: string; readonly dateLine: string } | null {
  const issue = useLiveQuery(async () => (await workspace.db.workflows.get(documentId))?.workflow.issue ?? null, [workspace, documentId]);
  return issue ? { numberText: issue.numberText, dateLine: issue.dateLine } : null;
}
