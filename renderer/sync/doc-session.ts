/**
 * An open document: its Y.Doc, kept in the local store and live on the relay, presented to the
 * Lexical CollaborationPlugin as its `Provider`.
 *
 * Order matters (PITFALLS.md, facebook/lexical#4999): the binding V1 renders only what it observes
 * after it is bound, so the Y.Doc starts empty and the stored state is loaded inside the first
 * `connect()`, which the plugin calls once the binding exists. The socket is opened only after
 * that, so a fast empty `sync` from the server can never beat the local state either.
 *
 * Lexical's `disconnect()` is deliberately a no-op: React StrictMode makes the plugin call
 * connect, disconnect (deferred on the connect promise), connect, and a real disconnect there
 * would drop the live connection (#6640, #7722). The page that opened the session ends it with
 * `destroy()`, which the plugin never calls.
 */
import type { ProviderAwareness } from '@lexical/yjs';
import { ObservableV2 } from 'lib0/observable';
import * as Y from 'yjs';
import { documentSeedUpdate, isContentEmpty } from '../../common/document-content.ts';
import type { CongvuDb } from '../store/db.ts';
import { DocPersistence, type SaveState } from '../store/doc-persistence.ts';
import { getDocState } from '../store/update-log.ts';
import { frameCoalescedAwareness } from './frame-awareness.ts';
import { DocConnection, type ConnectionProblem, type ConnectionStatus } from './doc-connection.ts';

/** Origin of the seed update: not an edit of this user (never undone, never "waiting"). */
export const SEED_ORIGIN = Symbol('congvu-seed');

export interface SessionHost {
  readonly db: CongvuDb;
  readonly syncUrl: string;
  token(): string | null;
  /** False while the server does not know the document yet (its creation waits in the outbox). */
  mayConnect(docId: string): boolean;
  /** Something the workspace summarises (waiting count, status) changed. */
  changed(): void;
  reachable(reachable: boolean): void;
  /** A socket dropped: find out whether the server is still there. */
  probe(): void;
  problem(docId: string, problem: ConnectionProblem): void;
}

export interface SessionSnapshot {
  readonly loaded: boolean;
  readonly saveState: SaveState;
  readonly status: ConnectionStatus;
  readonly synced: boolean;
  readonly lastServerAt: string | null;
  readonly problem: ConnectionProblem | null;
}

type LexicalProviderEvents = {
  sync: (isSynced: boolean) => void;
  status: (arg: { status: string }) => void;
  update: (arg: unknown) => void;
  reload: (doc: Y.Doc) => void;
};

export class DocSession {
  readonly ydoc = new Y.Doc();
  readonly connection: DocConnection;
  readonly persistence: DocPersistence;
  private readonly events = new ObservableV2<LexicalProviderEvents>();
  private readonly listeners = new Set<() => void>();
  private started: Promise<void> | null = null;
  private destroyed = false;
  private snap: SessionSnapshot = {
    loaded: false,
    saveState: 'saved',
    status: 'disconnected',
    synced: false,
    lastServerAt: null,
    problem: null,
  };

  constructor(
    private readonly host: SessionHost,
    readonly docId: string,
    readonly readOnly: boolean,
  ) {
    this.connection = new DocConnection(this.ydoc, {
      serverUrl: host.syncUrl,
      room: `doc:${docId}`,
      token: () => host.token(),
      readOnly,
    });
    const provider = this.connection.provider;
    this.persistence = DocPersistence.attach(host.db, docId, this.ydoc, {
      classify: (origin) => (origin === provider || origin === SEED_ORIGIN ? 'remote' : 'local'),
      isLive: () => this.connection.live,
      // Nothing listening to 'update' here needs the stored state (module comment of DocPersistence).
      quietLoad: true,
      writeAfterPaint: true,
    });
    this.persistence.onSaveState((saveState) => {
      this.update({ saveState });
      host.changed();
    });
    this.connection.on('status', (status) => {
      if (status === 'connected') host.reachable(true);
      if (status === 'disconnected') host.probe();
      this.update({ status });
      this.events.emit('status', [{ status }]);
      host.changed();
    });
    this.connection.on('synced', (synced) => {
      this.update({ synced });
      this.events.emit('sync', [synced]);
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
      host.problem(docId, problem);
    });
    // Local edits made while not live are counted by the persistence; tell the workspace.
    this.ydoc.on('update', (_u: Uint8Array, origin: unknown) => {
      if (origin !== provider && !this.connection.live) host.changed();
    });
    void getDocState(host.db, docId).then((s) => this.update({ lastServerAt: s.lastServerAt }));
  }

  // --- Lexical Provider ---

  /**
   * y-protocols types awareness states as open records; Lexical as its UserState. The states are
   * the ones Lexical itself writes (initLocalState), so the narrower type holds.
   */
  get awareness(): ProviderAwareness & DocConnection['awareness'] {
    // Its 'update' listeners (Lexical's cursor drawing) run once per frame (editor/frame-cursors.ts).
    this.frameAwareness ??= frameCoalescedAwareness(this.connection.awareness);
    return this.frameAwareness as unknown as ProviderAwareness & DocConnection['awareness'];
  }

  private frameAwareness: DocConnection['awareness'] | undefined;

  connect(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  disconnect(): void {
    // See the module comment: the page owns the connection's lifetime.
  }

  on(type: keyof LexicalProviderEvents, cb: (arg: never) => void): void {
    this.events.on(type, cb as never);
  }

  off(type: keyof LexicalProviderEvents, cb: (arg: never) => void): void {
    this.events.off(type, cb as never);
  }

  // --- app ---

  get snapshot(): SessionSnapshot {
    return this.snap;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Opens the socket if the server may be asked (after the outbox created the document). */
  resume(): void {
    if (this.destroyed || this.started === null) return;
    if (!this.host.mayConnect(this.docId)) return;
    if (this.connection.status === 'disconnected' && this.connection.problem === null) this.connection.connect();
    else this.connection.nudge();
  }

  /** Remote changes wait until the returned function is called (DocConnection.holdRemote). */
  holdRemote(): () => void {
    return this.connection.holdRemote();
  }

  /** Local edits are on disk. */
  whenSaved(): Promise<void> {
    return this.persistence.whenSaved();
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.connection.awareness.setLocalState(null);
    this.connection.destroy();
    await this.persistence.destroy();
    this.ydoc.destroy();
    this.events.destroy();
  }

  private async start(): Promise<void> {
    await this.persistence.load();
    if (this.destroyed) return;
    this.seedIfEmpty();
    this.update({ loaded: true });
    this.host.changed();
    this.resume();
  }

  /** Idempotent (common/document-content.ts): safe on every client, any number of times. */
  private seedIfEmpty(): void {
    if (!this.readOnly && isContentEmpty(this.ydoc)) Y.applyUpdate(this.ydoc, documentSeedUpdate(), SEED_ORIGIN);
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const listener of this.listeners) listener();
  }
}
