/**
 * An open task board: its Y.Doc, kept in the local store under `board:<id>` and live on the relay
 * in the room of the same name, with a version number React can subscribe to. The order is the
 * document session's (renderer/sync/doc-session.ts): load the stored state first, seed the default
 * columns if the board has none (an idempotent update, common/board.ts), and only then open the
 * socket, so a board opens with no network at all and an early empty sync can never win.
 *
 * Every change (local or remote) also refreshes the board's rows in the task index, debounced, so
 * "Việc của tôi" follows what this device has seen.
 */
import * as Y from 'yjs';
import { BoardReader, isBoardEmpty, seedBoard, type BoardView } from '../../common/board.ts';
import { DocPersistence, type SaveState } from '../store/doc-persistence.ts';
import { getDocState } from '../store/update-log.ts';
import { DocConnection, type ConnectionProblem, type ConnectionStatus } from '../sync/doc-connection.ts';
import type { SessionHost } from '../sync/doc-session.ts';
import { boardKey, countBoardRows, indexBoard } from './task-index.ts';

/** Origin of the seed: not an edit of this user, never counted as waiting. */
export const BOARD_SEED_ORIGIN = Symbol('congvu-board-seed');

const INDEX_DELAY_MS = 400;
/** After loading, the index is checked (a count) once the open is over. */
const INDEX_CHECK_AFTER_LOAD_MS = 2_000;

export interface BoardSnapshot {
  readonly loaded: boolean;
  readonly saveState: SaveState;
  readonly status: ConnectionStatus;
  readonly synced: boolean;
  readonly lastServerAt: string | null;
  readonly problem: ConnectionProblem | null;
  /** Increases with every change of the Y.Doc. */
  readonly version: number;
}

export class BoardSession {
  readonly ydoc = new Y.Doc();
  readonly key: string;
  readonly connection: DocConnection;
  readonly persistence: DocPersistence;
  /** Re-reads only the tasks that changed: a remote edit on a large board costs a sort, not a full read. */
  private readonly reader: BoardReader;
  private readonly listeners = new Set<() => void>();
  private started: Promise<void> | null = null;
  private destroyed = false;
  private indexTimer: ReturnType<typeof setTimeout> | undefined;
  private cachedView: { version: number; view: BoardView } | null = null;
  private snap: BoardSnapshot = {
    loaded: false,
    saveState: 'saved',
    status: 'disconnected',
    synced: false,
    lastServerAt: null,
    problem: null,
    version: 0,
  };

  constructor(
    private readonly host: SessionHost,
    readonly boardId: string,
    readonly readOnly: boolean,
  ) {
    this.key = boardKey(boardId);
    this.reader = new BoardReader(this.ydoc);
    this.connection = new DocConnection(this.ydoc, { serverUrl: host.syncUrl, room: this.key, token: () => host.token(), readOnly });
    const provider = this.connection.provider;
    this.persistence = DocPersistence.attach(host.db, this.key, this.ydoc, {
      classify: (origin) => (origin === provider || origin === BOARD_SEED_ORIGIN ? 'remote' : 'local'),
      isLive: () => this.connection.live,
    });
    this.persistence.onSaveState((saveState) => {
      this.update({ saveState });
      host.changed();
    });
    this.connection.on('status', (status) => {
      if (status === 'connected') host.reachable(true);
      if (status === 'disconnected') host.probe();
      this.update({ status });
      host.changed();
    });
    this.connection.on('synced', (synced) => {
      this.update({ synced });
      if (synced) this.seedIfEmpty();
      host.changed();
    });
    this.connection.on('flushed', () => {
      void this.persistence.markSent().then(() => {
        this.update({ lastServerAt: new Date().toISOString() });
        host.changed();
      });
    });
    this.connection.on('problem', (problem) => {
      this.update({ problem });
      host.problem(this.key, problem);
    });
    this.ydoc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== provider && !this.connection.live) host.changed();
      this.update({ version: this.snap.version + 1 });
      // What was loaded from the store was indexed when it arrived; only changes since need it.
      if (origin !== this.persistence) this.scheduleIndex(INDEX_DELAY_MS);
    });
    void getDocState(host.db, this.key).then((s) => this.update({ lastServerAt: s.lastServerAt }));
  }

  get snapshot(): BoardSnapshot {
    return this.snap;
  }

  /** The board as plain values, computed once per version. */
  get view(): BoardView {
    if (this.cachedView?.version !== this.snap.version) this.cachedView = { version: this.snap.version, view: this.reader.read() };
    return this.cachedView.view;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads the stored board, then connects. Later calls return the same promise. */
  start(): Promise<void> {
    this.started ??= (async () => {
      await this.persistence.load();
      if (this.destroyed) return;
      this.seedIfEmpty();
      this.update({ loaded: true, version: this.snap.version + 1 });
      this.host.changed();
      this.resume();
      // A board stored but never indexed (an interrupted write, an older version): index it now.
      setTimeout(() => {
        if (this.destroyed || this.indexTimer !== undefined) return;
        void countBoardRows(this.host.db, this.boardId).then((rows) => {
          if (!this.destroyed && rows !== this.view.tasks.length) this.scheduleIndex(0);
        });
      }, INDEX_CHECK_AFTER_LOAD_MS);
    })();
    return this.started;
  }

  resume(): void {
    if (this.destroyed || this.started === null) return;
    if (!this.host.mayConnect(this.key)) return;
    if (this.connection.status === 'disconnected' && this.connection.problem === null) this.connection.connect();
    else this.connection.nudge();
  }

  whenSaved(): Promise<void> {
    return this.persistence.whenSaved();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.connection.awareness.setLocalState(null);
    this.connection.destroy();
    await this.persistence.destroy();
    if (this.indexTimer !== undefined) {
      clearTimeout(this.indexTimer);
      await indexBoard(this.host.db, this.boardId, this.ydoc).catch(() => {});
    }
    this.reader.destroy();
    this.ydoc.destroy();
  }

  /** Viewers never seed: their writes would be dropped, and the board reads with default columns anyway. */
  private seedIfEmpty(): void {
    if (!this.readOnly && isBoardEmpty(this.ydoc)) seedBoard(this.ydoc, BOARD_SEED_ORIGIN);
  }

  private scheduleIndex(delayMs: number): void {
    clearTimeout(this.indexTimer);
    this.indexTimer = setTimeout(() => {
      this.indexTimer = undefined;
      if (!this.destroyed) void indexBoard(this.host.db, this.boardId, this.view).catch((error: unknown) => console.warn('task index failed', error));
    }, delayMs);
  }

  private update(patch: Partial<BoardSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const listener of this.listeners) listener();
  }
}
