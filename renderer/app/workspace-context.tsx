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

/** A Dexie live query as React state: re-runs whenever the tables it read change. */
export function useLiveQuery<T>(query: () => Promise<T>, deps: DependencyList): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (next) => setValue(() => next),
      error: (error: unknown) => console.error('live query failed', error),
    });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}
