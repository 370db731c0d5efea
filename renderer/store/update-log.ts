/**
 * A Y.Doc as a log of updates in IndexedDB, with the bookkeeping of what still has to reach the
 * server. Appends are one strict transaction each (see db.ts): when the promise resolves the
 * update is on disk. The log is compacted by folding a document's rows into one when it grows past
 * a bound (foldUpdates, as the server compacts), inside one transaction, so a crash leaves either
 * the old rows or the folded one.
 */
import * as Y from 'yjs';
import { foldUpdates } from '../../common/fold-updates.ts';
import type { CongvuDb, DocState, UpdateRow } from './db.ts';

/** Rows per document above which the log is folded into one. */
export const COMPACT_THRESHOLD = 200;

export interface Append {
  readonly update: Uint8Array;
  /** A local edit that has not been sent to the server yet. */
  readonly pending: boolean;
}

/** Appends updates of one document as one row, in one transaction. */
export async function appendUpdates(db: CongvuDb, docId: string, appends: readonly Append[]): Promise<void> {
  if (appends.length === 0) return;
  const waiting = appends.filter((a) => a.pending).length;
  const update = appends.length === 1 ? appends[0].update : Y.mergeUpdates(appends.map((a) => a.update));
  if (waiting === 0 && db.isOpen()) {
    await addRowDirectly(db, { docId, update });
    return;
  }
  await db.transaction('rw', db.updates, db.docStates, async () => {
    await db.updates.add({ docId, update });
    if (waiting > 0) {
      const state = await db.docStates.get(docId);
      await db.docStates.put({
        docId,
        pending: (state?.pending ?? 0) + waiting,
        lastServerAt: state?.lastServerAt ?? null,
      });
    }
  });
}

/**
 * One row added in one IndexedDB transaction of its own, without Dexie: the append of every
 * keystroke and every remote update of an open document. Dexie's promise and zone machinery cost
 * more than the write itself (~1.5 ms per row in a profile of the client benchmark). Nothing
 * observes the updates table through Dexie (no liveQuery reads it), so bypassing it hides no
 * change from anyone. Durability "strict", as the Dexie database is opened with: the promise
 * resolves once the row is on disk.
 */
function addRowDirectly(db: CongvuDb, row: UpdateRow): Promise<void> {
  return new Promise((resolve, reject) => {
    const transaction = db.backendDB().transaction(db.updates.name, 'readwrite', { durability: 'strict' });
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB write failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB write aborted'));
    transaction.objectStore(db.updates.name).add(row);
  });
}

/** The document's stored state as one update, or null when nothing is stored. */
export async function loadState(db: CongvuDb, docId: string): Promise<{ update: Uint8Array; rows: number } | null> {
  const rows = await loadRows(db, docId);
  if (rows.length === 0) return null;
  return { update: rows.length === 1 ? rows[0] : Y.mergeUpdates(rows), rows: rows.length };
}

/**
 * The document's stored updates, in order. Applying them one by one (in one transaction) costs
 * less than merging them first: Y.mergeUpdates re-encodes everything, hundreds of milliseconds for
 * a document of a megabyte.
 */
export async function loadRows(db: CongvuDb, docId: string): Promise<Uint8Array[]> {
  return (await db.updates.where('docId').equals(docId).toArray()).map((row) => row.update);
}

export async function countRows(db: CongvuDb, docId: string): Promise<number> {
  return db.updates.where('docId').equals(docId).count();
}

/** Folds the document's rows into one when there are more than `threshold`. Returns whether it did. */
export async function compact(db: CongvuDb, docId: string, threshold = COMPACT_THRESHOLD): Promise<boolean> {
  return db.transaction('rw', db.updates, async () => {
    const rows = await db.updates.where('docId').equals(docId).toArray();
    if (rows.length <= threshold) return false;
    const merged = foldUpdates(rows.map((r) => r.update));
    await db.updates.bulkDelete(rows.map((r) => r.seq as number));
    await db.updates.add({ docId, update: merged });
    return true;
  });
}

/** Records that everything this device had for the document has been sent to the server. */
export async function markSent(db: CongvuDb, docId: string, at: Date = new Date()): Promise<void> {
  await db.docStates.put({ docId, pending: 0, lastServerAt: at.toISOString() });
}

export async function getDocState(db: CongvuDb, docId: string): Promise<DocState> {
  return (await db.docStates.get(docId)) ?? { docId, pending: 0, lastServerAt: null };
}

/** Local updates waiting for the server, over all documents. */
export async function pendingTotal(db: CongvuDb): Promise<number> {
  let total = 0;
  await db.docStates.where('pending').above(0).each((s) => {
    total += s.pending;
  });
  return total;
}

export async function docsWithPending(db: CongvuDb): Promise<string[]> {
  return (await db.docStates.where('pending').above(0).primaryKeys()) as string[];
}

export async function hasState(db: CongvuDb, docId: string): Promise<boolean> {
  return (await db.updates.where('docId').equals(docId).first()) !== undefined;
}
