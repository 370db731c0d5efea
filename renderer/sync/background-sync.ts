/**
 * Keeps the documents that are not open in step with the server without holding a socket per
 * document: a document is queued when the change feed says the server's copy grew, or when this
 * device has edits for it that have not been sent (or has never fetched it). Each queued document
 * is loaded from the local store, connected just long enough to exchange updates, written back,
 * and closed, a few at a time.
 */
import * as Y from 'yjs';
import { DocPersistence } from '../store/doc-persistence.ts';
import type { CongvuDb } from '../store/db.ts';
import { DocConnection } from './doc-connection.ts';

export interface BackgroundHost {
  readonly db: CongvuDb;
  readonly syncUrl: string;
  token(): string | null;
  isOpen(docId: string): boolean;
  /** The user may only read the document (viewer, commenter). */
  isReadOnly(docId: string): boolean;
  mayConnect(docId: string): boolean;
  changed(): void;
  /** The relay room of a local-store key (default `doc:<key>`; boards are stored under their room name). */
  roomOf?(docId: string): string;
  /** An exchange completed: the doc holds both sides' state (boards refresh their task index here). */
  exchanged?(docId: string, doc: Y.Doc): Promise<void>;
}

export interface BackgroundOptions {
  readonly concurrency?: number;
  /** Longest time one exchange may take before the socket is closed anyway. */
  readonly timeoutMs?: number;
}

export class BackgroundSync {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, () => void>();
  /** Exchanges that did not complete (offline, timeout): tried again on resume. */
  private readonly retry = new Set<string>();
  private paused = true;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly host: BackgroundHost,
    private readonly options: BackgroundOptions = {},
  ) {}

  /** Documents being exchanged or waiting to be. */
  get activeCount(): number {
    return this.running.size + this.queue.length;
  }

  onIdle(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  enqueue(docIds: Iterable<string>): void {
    for (const id of docIds) {
      if (!this.queue.includes(id) && !this.running.has(id)) this.queue.push(id);
    }
    this.host.changed();
    this.pump();
  }

  pause(): void {
    this.paused = true;
    for (const [docId, abort] of this.running) {
      this.retry.add(docId);
      abort();
    }
    for (const docId of this.queue.splice(0)) this.retry.add(docId);
  }

  resume(): void {
    this.paused = false;
    const again = [...this.retry];
    this.retry.clear();
    this.enqueue(again);
  }

  /** The user opened the document: its live session takes over. */
  abort(docId: string): void {
    this.running.get(docId)?.();
    const index = this.queue.indexOf(docId);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 3;
    while (!this.paused && this.running.size < limit && this.queue.length > 0) {
      const docId = this.queue.shift() as string;
      if (this.host.isOpen(docId) || !this.host.mayConnect(docId) || DocPersistence.isLive(this.host.db, docId)) continue;
      this.run(docId);
    }
    if (this.running.size === 0 && this.queue.length === 0) for (const listener of this.listeners) listener();
    this.host.changed();
  }

  private run(docId: string): void {
    const doc = new Y.Doc();
    const connection = new DocConnection(doc, {
      serverUrl: this.host.syncUrl,
      room: this.host.roomOf?.(docId) ?? `doc:${docId}`,
      token: () => this.host.token(),
      maxBackoffMs: 2_000,
      readOnly: this.host.isReadOnly(docId),
    });
    const persistence = DocPersistence.attach(this.host.db, docId, doc, {
      classify: (origin) => (origin === connection.provider ? 'remote' : 'local'),
      isLive: () => connection.live,
    });
    let finish: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let aborted = false;
    this.running.set(docId, () => {
      aborted = true;
      // Synchronously marks the persistence as closing, so an editor opening this document now
      // waits for our writes instead of being refused.
      void persistence.destroy();
      finish();
    });
    const timer = setTimeout(finish, this.options.timeoutMs ?? 15_000);
    let flushed = false;
    const check = (): void => {
      if (flushed && connection.synced) finish();
    };
    connection.on('flushed', () => {
      flushed = true;
      check();
    });
    connection.on('synced', check);
    connection.on('problem', () => finish());

    void (async () => {
      try {
        await persistence.load();
        connection.connect();
        await done;
        if (flushed && connection.synced && !aborted) {
          await persistence.markSent();
          await this.host.exchanged?.(docId, doc);
        } else if (!aborted) this.retry.add(docId);
      } catch (error) {
        console.warn('background sync failed', docId, error);
      } finally {
        clearTimeout(timer);
        connection.destroy();
        await persistence.destroy();
        doc.destroy();
        this.running.delete(docId);
        this.pump();
      }
    })();
  }
}
