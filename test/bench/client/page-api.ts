/**
 * What the bench page (page.tsx) offers the benchmark driver (client.ts) as `window.__bench`, in a
 * plain .ts file so the driver can share the types without compiling the page's JSX.
 */
import type { ReadyTimes } from './probe.ts';

/** The two local stores compared: ours (Dexie, renderer/store) and stock y-indexeddb. */
export type StoreKind = 'congvu' | 'y-indexeddb';

export const STORE_KINDS: readonly StoreKind[] = ['congvu', 'y-indexeddb'];

/** The document's id in both stores (and the y-indexeddb database name's suffix). */
export const BENCH_DOC_ID = '6b3f0a52-0d1c-4d5e-9a60-5a6c1e2b7d01';
/** The Congvu store's user (one Dexie database per user, as in the app). */
export const BENCH_USER_ID = 'bench-user';

export interface StoredInfo {
  /** Rows of the document in the store (update log). */
  readonly rows: number;
  readonly bytes: number;
}

/** One IndexedDB request, as seen by wrappers of IDBFactory.open and getAll. */
export interface IdbEvent {
  readonly op: 'open' | 'getAll';
  readonly target: string;
  readonly start: number;
  end: number | null;
  bytes: number;
}

/** One Yjs transaction on the opened document. */
export interface TxEvent {
  /** The store applying what it loaded, or anything else (the editor binding, the seed). */
  readonly origin: 'store' | 'other';
  readonly start: number;
  observersAt: number | null;
  end: number | null;
}

export interface OpenMeasurement {
  readonly kind: StoreKind;
  /** performance.now() when loading started (before the database is opened and React renders). */
  readonly t0: number;
  /** When the provider's connect() was called by the CollaborationPlugin (the load starts inside it). */
  connectAt: number | null;
  /** When the provider reported the local state loaded (the editor is made editable on it). */
  loadedAt: number | null;
  readonly ready: ReadyTimes;
  readonly idb: IdbEvent[];
  readonly transactions: TxEvent[];
}

/** Loading the stored state into a fresh Y.Doc with no editor bound: the stores alone. */
export interface LoadOnlyMeasurement {
  readonly kind: StoreKind;
  /** indexedDB.open: request → success. */
  readonly dbOpenMs: number | null;
  /** The getAll that returned the document: request → success (reading and deserialising). */
  readonly readMs: number | null;
  /** From the read's success to the store's Yjs transaction (promise chains, merging rows). */
  readonly readToApplyMs: number | null;
  /** The store's Yjs transaction: integrating the update, observers, and the 'update' event. */
  readonly applyMs: number | null;
  /** From the call to the store's "loaded" (promise resolved). */
  readonly totalMs: number;
}

export interface BenchApi {
  /**
   * Replaces the document in the store: `base64` (the document, one Yjs update) as one row, then
   * each of `tail` (small updates) as a row of its own, as the store writes them; returns what is stored.
   */
  seed(kind: StoreKind, base64: string, tail: readonly string[]): Promise<StoredInfo>;
  /** Opens the document in the real editor from the store; resolves once it is editable. */
  open(kind: StoreKind): Promise<OpenMeasurement>;
  stored(kind: StoreKind): Promise<StoredInfo>;
  loadOnly(kind: StoreKind): Promise<LoadOnlyMeasurement>;
}

declare global {
  var __bench: BenchApi | undefined;
}
