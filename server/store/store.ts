/**
 * The one storage interface of the server. Everything authoritative (accounts, documents, shares,
 * settings) and every room's durable update log lives behind it. Two implementations pass one
 * shared test suite: SQLite (embedded default) and PostgreSQL (scale), both built on Kysely so the
 * queries and migrations are written once.
 */

export type RoleName = 'viewer' | 'commenter' | 'editor';
export type PrincipalType = 'user' | 'agency';

export interface AgencyRecord {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  readonly parentId: string | null;
}

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly agencyId: string;
  readonly unit: string;
  readonly title: string;
  /** Application roles such as 'admin', 'clerk', 'leader' (not document roles). */
  readonly roles: readonly string[];
  /** scrypt hash in the self-describing form produced by server/auth/password.ts. */
  readonly passwordHash: string;
}

export interface DocumentRecord {
  readonly id: string;
  readonly title: string;
  /** Decree 30 type code: CV, QĐ, TTr, BC, TB, KH, … */
  readonly type: string;
  readonly status: 'draft' | 'in_review' | 'returned' | 'approved' | 'issued';
  readonly agencyId: string;
  readonly ownerId: string;
  readonly createdAt: string; // ISO 8601 UTC
  readonly updatedAt: string; // ISO 8601 UTC
}

export interface ShareRecord {
  readonly documentId: string;
  readonly principalType: PrincipalType;
  readonly principalId: string;
  readonly role: RoleName;
}

/** One accepted update of a room, as the relay persists it. */
export interface RoomUpdate {
  readonly room: string;
  readonly update: Uint8Array;
}

/** What a room's durable state is made of: the compacted snapshot and the updates after it. */
export interface StoredRoom {
  readonly snapshot: Uint8Array | null;
  readonly updates: readonly Uint8Array[];
  /** Total bytes of snapshot and updates, for the document size limit. */
  readonly bytes: number;
}

export interface Store {
  /** Creates or upgrades the schema. Safe to call on every start and from several processes. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // --- settings (generated secrets and the like) ---
  /** Returns the stored value, or stores `value` and returns it when the key is absent (race-free). */
  getOrCreateSetting(key: string, value: string): Promise<string>;

  // --- directory ---
  countUsers(): Promise<number>;
  upsertAgency(agency: AgencyRecord): Promise<void>;
  upsertUser(user: UserRecord): Promise<void>;
  getUserById(id: string): Promise<UserRecord | undefined>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  listAgencies(): Promise<AgencyRecord[]>;
  listUsers(): Promise<UserRecord[]>;

  // --- documents and shares ---
  /** Inserts the document unless a document with this id exists; returns the stored record. */
  createDocument(doc: DocumentRecord): Promise<{ record: DocumentRecord; created: boolean }>;
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  /** Documents the user owns or that are shared with the user or with the given agency. */
  listDocumentsVisibleTo(userId: string, agencyId: string): Promise<DocumentRecord[]>;
  touchDocument(id: string, updatedAt: string): Promise<void>;
  listShares(documentId: string): Promise<ShareRecord[]>;
  /** Shares of one document that apply to this user (directly or through the agency). */
  sharesFor(documentId: string, userId: string, agencyId: string): Promise<ShareRecord[]>;
  /** Inserts or replaces the role of this principal on the document. */
  putShare(share: ShareRecord): Promise<void>;
  /** Returns whether a share was removed. */
  deleteShare(documentId: string, principalType: PrincipalType, principalId: string): Promise<boolean>;

  // --- room update log ---
  /** Snapshot plus the updates after it, read consistently (one transaction). */
  loadRoom(room: string): Promise<StoredRoom>;
  /** Appends all updates, in order, in ONE transaction: all are durable when this resolves. */
  appendUpdates(batch: readonly RoomUpdate[]): Promise<void>;
  /** Number of log rows after the snapshot, to decide when to compact. */
  countRoomUpdates(room: string): Promise<number>;
  /**
   * Folds the snapshot and the update log of a room into a new snapshot with `merge`
   * (Y.mergeUpdates), in one transaction; updates appended meanwhile stay in the log.
   */
  compactRoom(room: string, merge: (updates: Uint8Array[]) => Uint8Array): Promise<void>;
  /**
   * The change feed: rooms whose log grew after the cursor `since` (0 for everything), oldest
   * change first, at most `limit` of them, and the cursor to pass next time. Compaction does not
   * move a room's position in the feed.
   */
  listRoomChanges(since: number, limit: number): Promise<{ changes: { room: string; seq: number }[]; cursor: number }>;
}
