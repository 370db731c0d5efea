/**
 * Ties an open board's BoardSession to the page's lifetime: retained in an effect, released one
 * task after the cleanup, so React StrictMode's unmount-and-remount keeps the one session (and its
 * socket) instead of closing and reopening it.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Workspace } from '../sync/workspace.ts';
import type { BoardSession } from './board-session.ts';

export class BoardSlot {
  private current: BoardSession | null = null;
  private releaseTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly workspace: Pick<Workspace, 'openBoardSession' | 'closeBoardSession'>,
    readonly boardId: string,
    readonly readOnly: boolean,
  ) {}

  get session(): BoardSession | null {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  retain(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    if (this.current) return;
    this.current = this.workspace.openBoardSession(this.boardId, this.readOnly);
    for (const listener of this.listeners) listener();
  }

  releaseSoon(): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = setTimeout(() => {
      const session = this.current;
      this.current = null;
      if (session) void this.workspace.closeBoardSession(session);
      for (const listener of this.listeners) listener();
    }, 0);
  }
}

/** The board's live session while the calling component is mounted. */
export function useBoardSession(workspace: Workspace, boardId: string, readOnly: boolean): BoardSession | null {
  const [slot] = useState(() => new BoardSlot(workspace, boardId, readOnly));
  useEffect(() => {
    slot.retain();
    return () => slot.releaseSoon();
  }, [slot]);
  return useSyncExternalStore(slot.subscribe, () => slot.session);
}
