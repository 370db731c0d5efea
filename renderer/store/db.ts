/**
 * The local store: one IndexedDB database per signed-in user (Dexie), holding everything the app
 * needs to open, list, search and edit with no network: document records, each Y.Doc as its log
 * of updates, the directory, and the outbox of commands made offline.
 *
 * Every transaction is opened with durability "strict" (Chromium's default is "relaxed", which
 * reports success before the data reaches the disk): an edit is shown as saved locally only once
 * its transaction has completed under that setting.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { CreateDocumentRequest, DirectoryResponse, DocumentRecord, User } from '../../common/api.ts';

/** A document record as the client keeps it: the server's record plus local bookkeeping. */
export interface LocalDocument extends DocumentRecord {
  /** Created on this device and not yet accepted by the server (its POST waits in the outbox). */
  readonly pendingCreate?: boolean;
  /** The server refused the creation; the reason, as an error code the UI translates. */
  readonly refused?: string;
}

/** One row of a Y.Doc's update log. Rows of one document merge into one during compaction. */
export interface UpdateRow {
  readonly seq?: number;
  readonly docId: string;
  readonly update: Uint8Array;
}

/** Per-document sync bookkeeping. */
export interface DocState {
  readonly docId: string;
  /** Local updates (this device's edits) not yet sent to the server. */
  readonly pending: number;
  /** When this document last completed an exchange with the server (ISO 8601), or null. */
  readonly lastServerAt: string | null;
}

export interface OutboxEntry {
  readonly seq?: number;
  readonly kind: 'createDocument';
  readonly payload: CreateDocumentRequest & { readonly id: string };
  readonly createdAt: string;
  readonly attempts: number;
}

/** Small typed key-value rows. */
export interface KvRows {
  me: User;
  directory: DirectoryResponse;
  changesCursor: number;
}
export interface KvRow {
  readonly key: keyof KvRows;
  readonly value: unknown;
}

export type CongvuDb = Dexie & {
  documents: EntityTable<LocalDocument, 'id'>;
  updates: EntityTable<UpdateRow, 'seq'>;
  docStates: EntityTable<DocState, 'docId'>;
  outbox: EntityTable<OutboxEntry, 'seq'>;
  kv: EntityTable<KvRow, 'key'>;
};

export function dbName(userId: string): string {
  return `congvu-${userId}`;
}

export function openDb(userId: string, indexedDB?: IDBFactory, keyRange?: typeof IDBKeyRange): CongvuDb {
  const db = new Dexie(dbName(userId), {
    chromeTransactionDurability: 'strict',
    ...(indexedDB && keyRange ? { indexedDB, IDBKeyRange: keyRange } : {}),
  }) as CongvuDb;
  db.version(1).stores({
    documents: 'id, updatedAt, ownerId, agencyId',
    updates: '++seq, docId',
    docStates: 'docId, pending',
    outbox: '++seq',
    kv: 'key',
  });
  return db;
}

export async function getKv<K extends keyof KvRows>(db: CongvuDb, key: K): Promise<KvRows[K] | undefined> {
  const row = await db.kv.get(key);
  return row === undefined ? undefined : (row.value as KvRows[K]);
}

export async function setKv<K extends keyof KvRows>(db: CongvuDb, key: K, value: KvRows[K]): Promise<void> {
  await db.kv.put({ key, value });
}
