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
import type {
  ApprovalsResponse,
  BoardMember,
  BoardRecord,
  CreateBoardRequest,
  CreateDocumentRequest,
  DirectoryResponse,
  DocumentRecord,
  User,
} from '../../common/api.ts';
import type { ColumnView, Priority } from '../../common/board.ts';
import type { DecisionRequest, RegisterKeyRequest, WorkflowResponse } from '../../common/api.ts';

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

/**
 * A task board's record as the client keeps it. Its Y.Doc is in `updates` (and `docStates`) under
 * the key `board:<id>`, the name of its room, so document ids and board ids never meet.
 */
export interface LocalBoard extends BoardRecord {
  /** Created on this device and not yet accepted by the server (its POST waits in the outbox). */
  readonly pendingCreate?: boolean;
  /** The server refused the creation: the error code, which the UI translates. */
  readonly refused?: string;
  /** The members as last read from the server (for the assignee picker, offline too). */
  readonly members?: readonly BoardMember[];
}

/**
 * A board's task index rows and columns as one row, written with them: what an opening board
 * draws before its Y.Doc has loaded. One value (a JSON string) reads many times faster than
 * thousands of index rows, each structured-cloned on its own.
 */
export interface BoardView {
  readonly boardId: string;
  readonly columns: readonly ColumnView[];
  /** JSON of TaskIndexRow[]. */
  readonly rows: string;
}

/**
 * One task of one board, as "Việc của tôi" and the reminders need it: a projection of the board's
 * Y.Doc (renderer/boards/task-index.ts), rewritten whenever this device sees the board change.
 * The Y.Doc stays the truth; this table is only there so that a list across all boards is one
 * indexed query instead of loading every board.
 */
export interface TaskIndexRow {
  readonly boardId: string;
  readonly taskId: string;
  readonly title: string;
  readonly column: string;
  readonly columnTitle: string;
  /** In a column that counts as finished. */
  readonly done: boolean;
  readonly assignees: readonly string[];
  readonly due: string | null;
  readonly priority: Priority;
  readonly links: readonly { readonly documentId: string; readonly title: string }[];
  /** Enough to draw the card before the board's Y.Doc has loaded. */
  readonly order: string;
  readonly checklistDone: number;
  readonly checklistTotal: number;
  readonly comments: number;
}

/**
 * A document's approval workflow as this device last read it (issue 5, renderer/approvals): read
 * offline by the approval panel, and the server's answer to this user's last decision on it.
 */
export interface LocalWorkflow {
  readonly documentId: string;
  readonly workflow: WorkflowResponse;
  readonly fetchedAt: string;
  readonly outcome?: DecisionOutcome;
}

/** What the server answered to a signed decision sent from the outbox. */
export interface DecisionOutcome {
  readonly roundId: string;
  readonly stepIndex: number;
  readonly decision: 'approve' | 'return';
  readonly decidedAt: string;
  /** When the answer arrived. */
  readonly at: string;
  readonly result: 'accepted' | 'refused';
  /** The API error code of a refusal (translated by the UI) and the server's message. */
  readonly code?: string;
  readonly message?: string;
}

/**
 * This device's Ed25519 key for the user (renderer/approvals/signing-key.ts): the private key is
 * the non-extractable CryptoKey itself, which IndexedDB stores by structured clone.
 */
export interface DeviceSigningKey {
  readonly userId: string;
  readonly keyId: string;
  readonly publicKey: string;
  readonly privateKey: CryptoKey;
  readonly createdAt: string;
  /** When the server accepted its registration; null while that waits in the outbox. */
  readonly registeredAt: string | null;
}

export type OutboxCommand =
  | { readonly kind: 'createDocument'; readonly payload: CreateDocumentRequest & { readonly id: string } }
  | { readonly kind: 'createBoard'; readonly payload: CreateBoardRequest & { readonly id: string } }
  | { readonly kind: 'registerKey'; readonly payload: RegisterKeyRequest }
  | { readonly kind: 'decide'; readonly documentId: string; readonly payload: DecisionRequest; readonly reregistered?: boolean };

export type OutboxEntry = OutboxCommand & {
  readonly seq?: number;
  readonly createdAt: string;
  readonly attempts: number;
};

/** Small typed key-value rows. */
export interface KvRows {
  me: User;
  directory: DirectoryResponse;
  changesCursor: number;
  /** "Chờ tôi xử lý" as last read from the server, shown in "Việc của tôi" offline too. */
  approvals: ApprovalsResponse;
  /** The last day a due-date reminder was given on this device, and for which tasks. */
  reminded: { readonly day: string; readonly taskIds: readonly string[] };
  /** This device's signing key (approval procedure). */
  signingKey: DeviceSigningKey;
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
  boards: EntityTable<LocalBoard, 'id'>;
  taskIndex: EntityTable<TaskIndexRow, 'taskId'>;
  boardViews: EntityTable<BoardView, 'boardId'>;
  workflows: EntityTable<LocalWorkflow, 'documentId'>;
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
  // Task boards (issue 6): board records, and the index of their tasks behind "Việc của tôi".
  db.version(2).stores({
    boards: 'id, updatedAt',
    taskIndex: 'taskId, boardId, *assignees',
  });
  // Approval procedure (issue 5): each document's workflow as last read, for the panel offline.
  db.version(3).stores({ workflows: 'documentId' });
  // Task boards: the rows of each board as one value, for opening large boards at once.
  db.version(4).stores({ boardViews: 'boardId' });
  return db;
}

export async function getKv<K extends keyof KvRows>(db: CongvuDb, key: K): Promise<KvRows[K] | undefined> {
  const row = await db.kv.get(key);
  return row === undefined ? undefined : (row.value as KvRows[K]);
}

export async function setKv<K extends keyof KvRows>(db: CongvuDb, key: K, value: KvRows[K]): Promise<void> {
  await db.kv.put({ key, value });
}
