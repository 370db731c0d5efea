/**
 * Keeps one Y.Doc in the local store: loads its stored updates, and writes every later update
 * (local edits and what arrives from the server) before it reports the document as saved.
 *
 * At most one persistence may be live per document in this page: a second one would write every
 * update twice (the y-indexeddb duplicate-row bug class, #25/#27), and a load racing a previous
 * instance's unfinished writes would miss them. `attach` therefore refuses while another instance
 * is live, and waits for one that is closing to finish its writes before loading.
 */
import * as Y from 'yjs';
import { afterNextPaint } from './after-paint.ts';
import type { CongvuDb } from './db.ts';
import { appendUpdates, compact, COMPACT_THRESHOLD, loadRows, markSent, type Append } from './update-log.ts';

export type OriginKind = 'local' | 'remote';

export interface PersistenceOptions {
  /** Whether an update with this origin is this device's own edit (and must reach the server). */
  readonly classify: (origin: unknown) => OriginKind;
  /** Whether a local edit made right now goes out at once on a live, synced connection. */
  readonly isLive: () => boolean;
  /** Rows above which the log is compacted (after load and from time to time while writing). */
  readonly compactThreshold?: number;
  /**
   * Load without emitting 'update' for the stored state. Yjs encodes every transaction again for
   * its 'update' listeners; for a 100-page document that is ~100 ms of the open spent producing
   * an update nobody needs: this persistence skips its own, the socket is not open yet, and
   * deep observers (the editor binding) still see the content arrive. Only for owners whose
   * 'update' listeners do not need the loaded state (DocSession; a board session counts it).
   */
  readonly quietLoad?: boolean;
  /**
   * Write after the next frame instead of at the end of the current task. An edit's write then no
   * longer delays the frame that shows it: a keystroke in a 100-page document spent ~2 ms of its
   * path to the screen in IndexedDB and Dexie (docs/client.md, "Long documents"). The write is one
   * frame later; "saved" is still reported only once it is on disk, and whenSaved() and destroy()
   * write at once.
   */
  readonly writeAfterPaint?: boolean;
}

/**
 * Runs `apply` with the doc's 'update'/'updateV2' listeners set aside, so Yjs does not encode the
 * transaction for them (it checks for listeners first: yjs transaction cleanup). They are put
 * back afterwards, also when `apply` throws. Relies on lib0's Observable keeping its listeners in
 * `_observers` (yjs 13 / lib0 0.2, pinned; store.test.ts fails if that changes).
 */
export function withoutUpdateEvents(doc: Y.Doc, apply: () => void): void {
  const observers = (doc as unknown as { _observers: Map<string, Set<unknown>> })._observers;
  const saved = (['update', 'updateV2'] as const).map((name) => [name, observers.get(name)] as const);
  for (const [name] of saved) observers.delete(name);
  try {
    apply();
  } finally {
    for (const [name, set] of saved) {
      if (set === undefined) continue;
      const added = observers.get(name);
      // Listeners added during `apply` are kept too.
      observers.set(name, added ? new Set([...set, ...added]) : set);
    }
  }
}

export type SaveState = 'saved' | 'saving' | 'failed';

export class PersistenceConflictError extends Error {
  readonly code = 'persistence_conflict';
  constructor(docId: string) {
    super(`document ${docId} already has a live local persistence in this page`);
  }
}

const active = new Map<string, DocPersistence>();
const keyOf = (db: CongvuDb, docId: string): string => `${db.name}/${docId}`;

export class DocPersistence {
  static attach(db: CongvuDb, docId: string, doc: Y.Doc, options: PersistenceOptions): DocPersistence {
    const key = keyOf(db, docId);
    const previous = active.get(key);
    if (previous && !previous.closing) throw new PersistenceConflictError(docId);
    const instance = new DocPersistence(db, docId, doc, options, previous?.closed ?? Promise.resolve());
    active.set(key, instance);
    return instance;
  }

  /** A live (not closing) persistence holds the document in this page. */
  static isLive(db: CongvuDb, docId: string): boolean {
    const instance = active.get(keyOf(db, docId));
    return instance !== undefined && !instance.closing;
  }

  private queue: Append[] = [];
  private flushScheduled = false;
  private writing = false;
  private chain: Promise<void> = Promise.resolve();
  private loading: Promise<void> | null = null;
  private closing = false;
  private closed: Promise<void> = new Promise(() => {});
  private writesSinceCompaction = 0;
  private state: SaveState = 'saved';
  private readonly listeners = new Set<(state: SaveState) => void>();

  private constructor(
    readonly db: CongvuDb,
    readonly docId: string,
    readonly doc: Y.Doc,
    private readonly options: PersistenceOptions,
    private readonly previousClosed: Promise<void>,
  ) {
    doc.on('update', this.onUpdate);
  }

  /** Applies the stored state to the doc (once; later calls return the same promise). */
  load(): Promise<void> {
    this.loading ??= (async () => {
      await this.previousClosed;
      const rows = await loadRows(this.db, this.docId);
      // Applied with this instance as origin: not written back, and not a tracked origin of the
      // editor's UndoManager, so loading can never be undone. One transaction: one update event.
      if (rows.length > 0) {
        const apply = () =>
          this.doc.transact(() => {
            for (const update of rows) Y.applyUpdate(this.doc, update, this);
          }, this);
        if (this.options.quietLoad) withoutUpdateEvents(this.doc, apply);
        else apply();
      }
      if (rows.length > this.threshold) this.enqueue(() => compact(this.db, this.docId, this.threshold).then(() => {}));
    })();
    return this.loading;
  }

  get saveState(): SaveState {
    return this.state;
  }

  onSaveState(listener: (state: SaveState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every update seen so far is on disk (or a write failed). */
  async whenSaved(): Promise<void> {
    while ((this.queue.length > 0 || this.writing) && this.state !== 'failed') {
      this.flush();
      await this.chain;
    }
  }

  /** Records that the server has everything of this document that this device had. */
  markSent(): Promise<void> {
    this.flush();
    return this.enqueue(() => markSent(this.db, this.docId));
  }

  /** Stops listening, finishes the writes, and frees the document for another instance. */
  destroy(): Promise<void> {
    if (this.closing) return this.closed;
    this.closing = true;
    this.doc.off('update', this.onUpdate);
    const done = this.whenSaved().then(() => {
      if (active.get(keyOf(this.db, this.docId)) === this) active.delete(keyOf(this.db, this.docId));
    });
    this.closed = done;
    return done;
  }

  private get threshold(): number {
    return this.options.compactThreshold ?? COMPACT_THRESHOLD;
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return;
    const local = this.options.classify(origin) === 'local';
    const pending = local && !this.options.isLive();
    this.queue.push({ update, pending });
    // "Saving" is about the user's own edits; a peer's keystroke is safe on the server already, and
    // flipping the label for it re-rendered the page at every remote key.
    if (local) this.setState('saving');
    this.scheduleFlush(false);
  };

  private scheduleFlush(now: boolean): void {
    if (now) {
      this.flush();
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Updates of one task (a paste, a remote batch) go to disk in one transaction.
    if (this.options.writeAfterPaint) afterNextPaint(() => this.flush());
    else queueMicrotask(() => this.flush());
  }

  /**
   * Group commit: one transaction in flight at a time; whatever arrives meanwhile goes into the
   * next one. With durability "strict" each commit waits for the disk, so writing per keystroke
   * would fall behind a fast typist.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writing = true;
    this.writesSinceCompaction += 1;
    void this.enqueue(async () => {
      try {
        await appendUpdates(this.db, this.docId, batch);
      } catch (error) {
        // Kept in memory and retried with the next write: an update is never dropped silently.
        this.queue = [...batch, ...this.queue];
        throw error;
      } finally {
        this.writing = false;
      }
      if (this.writesSinceCompaction >= this.threshold) {
        this.writesSinceCompaction = 0;
        await compact(this.db, this.docId, this.threshold);
      }
    }).then(
      () => this.flush(),
      () => {},
    );
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.then(
      () => {
        if (this.queue.length === 0 && !this.flushScheduled && !this.writing) this.setState('saved');
      },
      (error: unknown) => {
        console.error('local store write failed', error);
        this.setState('failed');
      },
    );
    return run;
  }

  private setState(state: SaveState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
