/**
 * Ties an open document's DocSession to the editor's lifetime. The CollaborationPlugin asks for a
 * provider once per mount (`factory`); the page retains the slot in an effect and releases it in
 * the cleanup, deferred by a task, so React StrictMode's unmount-and-remount keeps the one
 * session instead of destroying it under a live binding.
 */
import type { Provider } from '@lexical/yjs';
import type { Doc } from 'yjs';
import type { DocSession } from '../sync/doc-session.ts';
import type { Workspace } from '../sync/workspace.ts';

export class SessionSlot {
  private current: DocSession | null = null;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly workspace: Pick<Workspace, 'openSession' | 'closeSession'>,
    readonly docId: string,
    readonly readOnly: boolean,
  ) {}

  get session(): DocSession | null {
    return this.current;
  }

  readonly factory = (id: string, docMap: Map<string, Doc>): Provider => {
    if (this.current) void this.workspace.closeSession(this.current);
    const session = this.workspace.openSession(id, this.readOnly);
    this.current = session;
    docMap.set(id, session.ydoc);
    for (const listener of this.listeners) listener();
    return session satisfies Provider;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  retain(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
  }

  releaseSoon(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      const session = this.current;
      this.current = null;
      if (session) void this.workspace.closeSession(session);
    }, 0);
  }
}
