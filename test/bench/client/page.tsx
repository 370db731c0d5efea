/**
 * The bench page of the client benchmark: the app's real document editor (DocumentEditor with
 * CollaborationPlugin V1, toolbar, tables, lists, the Decree 30 header and the app's CSS), opened
 * from one of two local stores, so that the only difference between the two measurements is the
 * store:
 * - `congvu`: the app's own path, a DocSession (renderer/sync) whose DocPersistence
 *   (renderer/store, Dexie) loads the stored state inside the provider's first connect(). The
 *   session gets no server (`mayConnect` false): this is the open from the local store alone.
 * - `y-indexeddb`: a provider of the same shape whose connect() loads through a stock
 *   `IndexeddbPersistence` and waits for its `whenSynced`, the documented way of using it. It has
 *   to load inside connect() too: binding V1 does not render state that is already in the doc
 *   when it binds (facebook/lexical#4999), so "load first, then bind" is not an option for either.
 * Both make the editor editable when their load is done, as the app's EditablePlugin does.
 *
 * Measured here: `t0` (before the database is opened and React renders) → the probe's `ready`
 * (probe.ts). Along the way, IndexedDB requests (wrappers of IDBFactory.open and getAll) and the
 * Yjs transactions on the document are timed, to show where the time goes. Built by Vite in
 * production mode (client.ts), served from 127.0.0.1.
 */
import { ObservableV2 } from 'lib0/observable';
import { StrictMode, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Decree30Header } from '../../../renderer/editor/Decree30Header.tsx';
import { DocumentEditor } from '../../../renderer/editor/DocumentEditor.tsx';
import { SessionSlot } from '../../../renderer/editor/session-slot.ts';
import { I18nProvider } from '../../../renderer/i18n/i18n.tsx';
import { openDb } from '../../../renderer/store/db.ts';
import { DocPersistence } from '../../../renderer/store/doc-persistence.ts';
import { DocSession, type SessionHost } from '../../../renderer/sync/doc-session.ts';
import '../../../renderer/styles/tokens.css';
import '../../../renderer/styles/app.css';
import '../../../renderer/styles/document.css';
import {
  BENCH_DOC_ID,
  BENCH_USER_ID,
  type BenchApi,
  type IdbEvent,
  type LoadOnlyMeasurement,
  type OpenMeasurement,
  type StoredInfo,
  type StoreKind,
  type TxEvent,
} from './page-api.ts';

const Y_INDEXEDDB_NAME = `bench-${BENCH_DOC_ID}`;

// --- instrumentation: IndexedDB requests and Yjs transactions during an open ---

/** Where IndexedDB requests and Yjs transactions are recorded while a measurement runs. */
let current: { readonly idb: IdbEvent[]; readonly transactions: TxEvent[] } | null = null;

function valueBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'object' && value !== null && 'update' in value && value.update instanceof Uint8Array) return value.update.byteLength;
  return 0;
}

function trackRequest(request: IDBRequest, op: IdbEvent['op'], target: string): void {
  if (current === null) return;
  const event: IdbEvent = { op, target, start: performance.now(), end: null, bytes: 0 };
  current.idb.push(event);
  request.addEventListener('success', () => {
    event.end = performance.now();
    if (Array.isArray(request.result)) event.bytes = (request.result as unknown[]).reduce<number>((sum, v) => sum + valueBytes(v), 0);
  });
}

const nativeOpen = IDBFactory.prototype.open;
IDBFactory.prototype.open = function open(this: IDBFactory, name: string, version?: number): IDBOpenDBRequest {
  const request = version === undefined ? nativeOpen.call(this, name) : nativeOpen.call(this, name, version);
  trackRequest(request, 'open', name);
  return request;
};
const nativeStoreGetAll = IDBObjectStore.prototype.getAll;
IDBObjectStore.prototype.getAll = function getAll(this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAll']>): IDBRequest<unknown[]> {
  const request = nativeStoreGetAll.apply(this, args);
  trackRequest(request, 'getAll', this.name);
  return request;
};
const nativeIndexGetAll = IDBIndex.prototype.getAll;
IDBIndex.prototype.getAll = function getAll(this: IDBIndex, ...args: Parameters<IDBIndex['getAll']>): IDBRequest<unknown[]> {
  const request = nativeIndexGetAll.apply(this, args);
  trackRequest(request, 'getAll', `${this.objectStore.name}.${this.name}`);
  return request;
};

function observeTransactions(doc: Y.Doc, isStore: (origin: unknown) => boolean): void {
  // Keyed by transaction: observers may start transactions of their own before the first ends.
  const open = new Map<Y.Transaction, TxEvent>();
  doc.on('beforeTransaction', (transaction: Y.Transaction) => {
    if (current === null) return;
    const event: TxEvent = { origin: isStore(transaction.origin) ? 'store' : 'other', start: performance.now(), observersAt: null, end: null };
    open.set(transaction, event);
    current.transactions.push(event);
  });
  doc.on('beforeObserverCalls', (transaction: Y.Transaction) => {
    const event = open.get(transaction);
    if (event) event.observersAt = performance.now();
  });
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    const event = open.get(transaction);
    if (event) event.end = performance.now();
    open.delete(transaction);
  });
}

// --- the y-indexeddb provider (the same shape as DocSession, as far as the editor sees it) ---

type ProviderEvents = {
  sync: (isSynced: boolean) => void;
  status: (arg: { status: string }) => void;
  update: (arg: unknown) => void;
  reload: (doc: Y.Doc) => void;
};

class YIndexeddbSession {
  readonly ydoc = new Y.Doc();
  readonly awareness = new Awareness(this.ydoc);
  persistence: IndexeddbPersistence | null = null;
  loaded = false;
  private readonly events = new ObservableV2<ProviderEvents>();
  private readonly listeners = new Set<() => void>();
  private started: Promise<void> | null = null;

  constructor(readonly onConnect: () => void) {
    observeTransactions(this.ydoc, (origin) => origin instanceof IndexeddbPersistence);
  }

  connect(): Promise<void> {
    this.onConnect();
    this.started ??= (async () => {
      this.persistence = new IndexeddbPersistence(Y_INDEXEDDB_NAME, this.ydoc);
      await this.persistence.whenSynced;
      this.loaded = true;
      for (const listener of this.listeners) listener();
      this.events.emit('sync', [true]);
    })();
    return this.started;
  }

  disconnect(): void {}

  on(type: keyof ProviderEvents, cb: (arg: never) => void): void {
    this.events.on(type, cb as never);
  }

  off(type: keyof ProviderEvents, cb: (arg: never) => void): void {
    this.events.off(type, cb as never);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

// --- rendering: as the app's document page does it ---

const noopSubscribe = (): (() => void) => () => {};

function Page({ slot, loaded }: { readonly slot: SessionSlot; readonly loaded: boolean }): ReactNode {
  return (
    <div className="document-page">
      <DocumentEditor
        slot={slot}
        readOnly={false}
        loaded={loaded}
        userName="Bench"
        color="#175cd3"
        header={
          <Decree30Header
            type="KH"
            title="Kế hoạch chuyển đổi số năm 2026 (bản dài)"
            agency={{ id: 'stttt', name: 'Sở Thông tin và Truyền thông tỉnh Ninh Bình', abbreviation: 'STTTT', parentId: 'ubnd' }}
            parentAgency={{ id: 'ubnd', name: 'Ủy ban nhân dân tỉnh Ninh Bình', abbreviation: 'UBND', parentId: null }}
            date={new Date(2026, 0, 5)}
          />
        }
      />
    </div>
  );
}

function CongvuDocument({ slot }: { readonly slot: SessionSlot }): ReactNode {
  const session = useSyncExternalStore(slot.subscribe, () => slot.session);
  const snapshot = useSyncExternalStore(session?.subscribe ?? noopSubscribe, () => session?.snapshot ?? null);
  return <Page slot={slot} loaded={snapshot?.loaded === true} />;
}

function YIndexeddbDocument({ slot, session }: { readonly slot: SessionSlot; readonly session: YIndexeddbSession }): ReactNode {
  const loaded = useSyncExternalStore(session.subscribe, () => session.loaded);
  return <Page slot={slot} loaded={loaded} />;
}

/** A host with no server: the session loads from the local store and never opens a socket. */
function localHost(): SessionHost {
  return {
    db: openDb(BENCH_USER_ID),
    syncUrl: 'ws://127.0.0.1:9/sync',
    token: () => null,
    mayConnect: () => false,
    changed: () => {},
    reachable: () => {},
    probe: () => {},
    problem: () => {},
  };
}

function render(node: ReactNode): void {
  const container = document.getElementById('root');
  if (container === null) throw new Error('missing #root');
  createRoot(container).render(
    <StrictMode>
      <I18nProvider>{node}</I18nProvider>
    </StrictMode>,
  );
}

async function open(kind: StoreKind): Promise<OpenMeasurement> {
  const probe = globalThis.__congvuProbe;
  if (probe === undefined) throw new Error('the probe is not installed');
  // A mark as well, so a Chromium trace of the open can be aligned with the measurement.
  const t0 = performance.mark(`congvu-bench:open:${kind}`).startTime;
  const measurement: OpenMeasurement = {
    kind,
    t0,
    connectAt: null,
    loadedAt: null,
    ready: probe.readyTimes,
    idb: [],
    transactions: [],
  };
  current = measurement;
  const markLoaded = () => {
    measurement.loadedAt ??= performance.now();
  };
  if (kind === 'congvu') {
    const host = localHost();
    const slot = new SessionSlot(
      {
        openSession: (docId, readOnly) => {
          const session = new DocSession(host, docId, readOnly);
          observeTransactions(session.ydoc, (origin) => origin === session.persistence);
          const connect = session.connect.bind(session);
          session.connect = () => {
            measurement.connectAt ??= performance.now();
            return connect();
          };
          session.subscribe(() => {
            if (session.snapshot.loaded) markLoaded();
          });
          return session;
        },
        closeSession: (session) => session.destroy(),
      },
      BENCH_DOC_ID,
      false,
    );
    render(<CongvuDocument slot={slot} />);
  } else {
    const session = new YIndexeddbSession(() => {
      measurement.connectAt ??= performance.now();
    });
    session.subscribe(markLoaded);
    const slot = new SessionSlot(
      {
        // The slot hands the provider to the CollaborationPlugin; the editor sees only the Provider shape.
        openSession: () => session as unknown as DocSession,
        closeSession: async () => {},
      },
      BENCH_DOC_ID,
      false,
    );
    render(<YIndexeddbDocument slot={slot} session={session} />);
  }
  await probe.ready;
  current = null;
  return measurement;
}

// --- seeding and inspecting the stores ---

const fromBase64 = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

function rawRows(dbName: string, store: string, filter: (value: unknown) => boolean): Promise<StoredInfo> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(store)) {
        db.close();
        resolve({ rows: 0, bytes: 0 });
        return;
      }
      const all = db.transaction(store, 'readonly').objectStore(store).getAll();
      all.onerror = () => reject(all.error);
      all.onsuccess = () => {
        const rows = (all.result as unknown[]).filter(filter);
        db.close();
        resolve({ rows: rows.length, bytes: rows.reduce<number>((sum, v) => sum + valueBytes(v), 0) });
      };
    };
  });
}

async function stored(kind: StoreKind): Promise<StoredInfo> {
  if (kind === 'congvu') {
    return rawRows(`congvu-${BENCH_USER_ID}`, 'updates', (v) => typeof v === 'object' && v !== null && 'docId' in v && v.docId === BENCH_DOC_ID);
  }
  return rawRows(Y_INDEXEDDB_NAME, 'updates', () => true);
}

/**
 * Stores the document the way each store does when a document arrives and is then edited: our
 * persistence writes the incoming (remote-origin) update as one row and, waiting for each write,
 * every later update as a row of its own; y-indexeddb, attached to a doc that already holds the
 * content, writes the doc's whole state as one row, then a row per update.
 */
async function seed(kind: StoreKind, base64: string, tail: readonly string[]): Promise<StoredInfo> {
  const update = fromBase64(base64);
  const edits = tail.map(fromBase64);
  if (kind === 'congvu') {
    const db = openDb(BENCH_USER_ID);
    await db.updates.where('docId').equals(BENCH_DOC_ID).delete();
    await db.docStates.delete(BENCH_DOC_ID);
    const doc = new Y.Doc();
    const server = Symbol('server');
    const persistence = DocPersistence.attach(db, BENCH_DOC_ID, doc, { classify: (origin) => (origin === server ? 'remote' : 'local'), isLive: () => true });
    await persistence.load();
    Y.applyUpdate(doc, update, server);
    await persistence.whenSaved();
    for (const edit of edits) {
      Y.applyUpdate(doc, edit, server);
      await persistence.whenSaved();
    }
    await persistence.destroy();
    doc.destroy();
    db.close();
  } else {
    await clearDocument(Y_INDEXEDDB_NAME);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    const persistence = new IndexeddbPersistence(Y_INDEXEDDB_NAME, doc);
    await persistence.whenSynced;
    for (const edit of edits) Y.applyUpdate(doc, edit);
    await persistence.destroy(); // closes the connection once its write transactions are done
    doc.destroy();
  }
  const info = await stored(kind);
  if (info.rows !== 1 + edits.length) throw new Error(`${kind}: ${info.rows} rows stored, expected ${1 + edits.length}`);
  return info;
}

/**
 * The store's own load path into a doc that no editor observes (the app's DocPersistence,
 * y-indexeddb's IndexeddbPersistence): what the store itself costs, apart from the editor.
 */
async function loadOnly(kind: StoreKind): Promise<LoadOnlyMeasurement> {
  const sink = { idb: [] as IdbEvent[], transactions: [] as TxEvent[] };
  current = sink;
  const doc = new Y.Doc();
  const t0 = performance.now();
  let done: number;
  let close: () => Promise<void>;
  if (kind === 'congvu') {
    const db = openDb(BENCH_USER_ID);
    const persistence = DocPersistence.attach(db, BENCH_DOC_ID, doc, { classify: () => 'remote', isLive: () => true });
    observeTransactions(doc, (origin) => origin === persistence);
    await persistence.load();
    done = performance.now();
    close = async () => {
      await persistence.destroy();
      db.close();
    };
  } else {
    observeTransactions(doc, (origin) => origin instanceof IndexeddbPersistence);
    const persistence = new IndexeddbPersistence(Y_INDEXEDDB_NAME, doc);
    await persistence.whenSynced;
    done = performance.now();
    close = () => persistence.destroy();
  }
  current = null;
  await close();
  doc.destroy();
  const open = sink.idb.find((e) => e.op === 'open');
  const read = [...sink.idb].filter((e) => e.op === 'getAll').sort((a, b) => b.bytes - a.bytes)[0];
  const apply = sink.transactions.find((t) => t.origin === 'store');
  const span = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a === null || a === undefined || b === null || b === undefined ? null : Math.round((b - a) * 10) / 10;
  return {
    kind,
    dbOpenMs: span(open?.start, open?.end),
    readMs: span(read?.start, read?.end),
    readToApplyMs: span(read?.end, apply?.start),
    applyMs: span(apply?.start, apply?.end),
    totalMs: Math.round((done - t0) * 10) / 10,
  };
}

const api: BenchApi = { seed, open, stored, loadOnly };
globalThis.__bench = api;
