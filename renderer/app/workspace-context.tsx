/** React access to the signed-in user's Workspace (renderer/sync/workspace.ts). */
import { liveQuery } from 'dexie';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type DependencyList } from 'react';
import type { Workspace, WorkspaceStatus } from '../sync/workspace.ts';

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace outside a signed-in workspace');
  return workspace;
}

export function useWorkspaceStatus(): WorkspaceStatus {
  const workspace = useWorkspace();
  return useSyncExternalStore(workspace.subscribe, () => workspace.status);
}

/**
 * Whether the server is reachable, re-rendering only when that changes: the status as a whole
 * changes while the user types (waiting count, phase), and a React commit with the editor focused
 * walks the editor's DOM (documents/session-view.tsx).
 */
export function useOnline(): boolean {
  const workspace = useWorkspace();
  return useSyncExternalStore(workspace.subscribe, () => workspace.status.reachability === 'online');
}

/** A Dexie live query as React state: re-runs whenever the tables it read change. */
export function useLiveQuery<T>(query: () => Promise<T>, deps: DependencyList): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    // Dexie re-runs the query whenever a table it read is written, which while typing is every
    // keystroke (the update log). An equal result must not re-render: each React commit with the
    // editor focused walks the editor's DOM up to the caret (documents/session-view.tsx).
    let shown: string | undefined;
    const subscription = liveQuery(query).subscribe({
      next: (next) => {
        const key = fingerprint(next);
        if (key !== undefined && key === shown) return;
        shown = key;
        setValue(() => next);
      },
      error: (error: unknown) => console.error('live query failed', error),
    });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}

/** A structural key for plain query results; undefined (never equal) for what JSON cannot hold. */
function fingerprint(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return undefined;
  }
}
