/**
 * The one storage interface of the server. Everything authoritative (accounts, documents, shares,
 * settings, the approval procedure, document numbers, signing keys, the audit log) and every
 * room's durable update log lives behind it. Two implementations pass one shared test suite:
 * SQLite (embedded default) and PostgreSQL (scale), both built on Kysely so the queries and
 * migrations are written once.
 *
 * Every action the audit log records is written in the same transaction as its audit entry, so
 * the log can neither miss an action that happened nor record one that did not.
 */
import type { JsonValue } from '../../common/canonical-json.ts';
import type { ProcedureAccess } from '../../common/access.ts';
import type { Authority, ChainStep, Decision, Round, RoundStatus, StepKind, WorkflowErrorCode, WorkflowState } from '../../common/workflow.ts';
import type { BoardStore } from './board-store.ts';

export type { ProcedureAccess } from '../../common/access.ts';

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

/** Folds a room's snapshot and log (in order) into one update. */
export type Merge = (updates: Uint8Array[]) => Uint8Array | Promise<Uint8Array>;

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

// --- approval procedure, numbering, signing keys, audit (issue 5) ---

/** A user's Ed25519 public key, registered from one of their devices. */
export interface SigningKeyRecord {
  /** Derived from the key (common/signing.ts keyIdOf). */
  readonly keyId: string;
  readonly userId: string;
  /** Raw public key, base64url. */
  readonly publicKey: string;
  readonly createdAt: string;
}

export interface DecisionRecord {
  readonly decision: Decision;
  readonly comment: string | null;
  /** When the signer decided, as signed (possibly offline, before recordedAt). */
  readonly decidedAt: string;
  readonly signerId: string;
  readonly keyId: string;
  /** base64url, in its one normalised spelling. */
  readonly signature: string;
  readonly versionHash: string;
  /** When the server accepted it. */
  readonly recordedAt: string;
}

export interface StepRecord {
  readonly index: number;
  readonly kind: StepKind;
  readonly assigneeId: string;
  readonly authority: Authority | null;
  readonly decision: DecisionRecord | null;
}

export interface RoundRecord {
  readonly id: string;
  readonly documentId: string;
  readonly number: number;
  readonly versionHash: string;
  /** The submitted version's Yjs state vector, base64. */
  readonly stateVector: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly status: RoundStatus;
  /** The step waiting for a decision while the round is open, else null. */
  readonly currentStep: number | null;
  readonly steps: readonly StepRecord[];
}

/** The number and date the clerk's issue assigned. */
export interface IssueRecord {
  readonly documentId: string;
  /** The client's id of the issue request: retrying it returns this record. */
  readonly requestId: string;
  readonly agencyId: string;
  readonly register: string;
  readonly year: number;
  readonly number: number;
  /** `05/QĐ-STTTT` */
  readonly numberText: string;
  readonly issuedAt: string;
  readonly issuedBy: string;
}

export interface WorkflowRecord {
  readonly documentId: string;
  readonly status: DocumentRecord['status'];
  /** Oldest first. */
  readonly rounds: readonly RoundRecord[];
  readonly issue: IssueRecord | null;
}

export const AUDIT_ACTIONS = [
  'key.registered',
  'submission.created',
  'decision.recorded',
  'document.issued',
  'document.copied',
  'share.put',
  'share.deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetails = { readonly [key: string]: JsonValue | undefined };

/** What an action tells the audit log about itself; the store adds seq and the hashes. */
export interface AuditEvent {
  readonly at: string;
  readonly actorId: string | null;
  readonly action: AuditAction;
  readonly documentId: string | null;
  readonly details: AuditDetails;
}

export interface AuditEntry extends AuditEvent {
  /** 1, 2, 3, … with no gaps: a missing number is a deleted entry. */
  readonly seq: number;
  /** The hash of the entry before (64 zeros for the first). */
  readonly prevHash: string;
  /** SHA-256 over prevHash and the canonical entry (server/store/audit.ts). */
  readonly hash: string;
}

export type AuditBreak = 'hash_mismatch' | 'broken_link' | 'sequence_gap' | 'malformed';

export interface AuditVerification {
  readonly ok: boolean;
  /** Entries examined. */
  readonly entries: number;
  /** Hash of the last entry examined, to compare with one noted earlier (truncation shows there). */
  readonly head: string | null;
  /** The first entry that does not verify, and why. */
  readonly firstBroken?: { readonly seq: number; readonly reason: AuditBreak; readonly message: string };
}

export type StoreErrorCode = WorkflowErrorCode | 'not_found' | 'conflict' | 'replayed' | 'already_issued';

export type StoreResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly code: StoreErrorCode; readonly message: string } };

export interface SubmissionInput {
  readonly documentId: string;
  /** Chosen by the client, so a retried submission is recognised. */
  readonly roundId: string;
  readonly versionHash: string;
  readonly stateVector: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly chain: readonly ChainStep[];
  readonly audit: AuditEvent;
}

export interface DecisionInput {
  readonly documentId: string;
  readonly roundId: string;
  readonly stepIndex: number;
  readonly decision: Decision;
  readonly comment: string | null;
  readonly decidedAt: string;
  readonly signerId: string;
  readonly keyId: string;
  /** Already verified by the caller, in its normalised spelling. */
  readonly signature: string;
  readonly versionHash: string;
  readonly recordedAt: string;
  readonly audit: AuditEvent;
}

export interface IssueInput {
  readonly documentId: string;
  readonly requestId: string;
  readonly register: string;
  /** The Vietnamese civil year of issuedAt: the register restarts at 01 each year. */
  readonly year: number;
  /** What follows the number: `QĐ-STTTT` (common/numbering.ts documentSymbol). */
  readonly symbol: string;
  readonly issuedAt: string;
  readonly issuedBy: string;
  readonly audit: AuditEvent;
}

export interface PendingStep {
  readonly documentId: string;
  readonly roundId: string;
  readonly stepIndex: number;
}

export interface Store {
  /** Task boards and their members (issue 6; board-store.ts). */
  readonly boards: BoardStore;

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
  /**
   * Inserts the document unless a document with this id exists; returns the stored record. The
   * audit entry, if any, is written only when the document is created.
   */
  createDocument(doc: DocumentRecord, audit?: AuditEvent): Promise<{ record: DocumentRecord; created: boolean }>;
  getDocument(id: string): Promise<DocumentRecord | undefined>;
  /**
   * Documents the user owns, that are shared with the user or with the given agency (the user's),
   * or that the procedure shows them (common/access.ts procedureRole): those with a step assigned
   * to them, and for a clerk the approved and issued documents of their agency.
   */
  listDocumentsVisibleTo(userId: string, agencyId: string): Promise<DocumentRecord[]>;
  touchDocument(id: string, updatedAt: string): Promise<void>;
  listShares(documentId: string): Promise<ShareRecord[]>;
  /** Shares of one document that apply to this user (directly or through the agency). */
  sharesFor(documentId: string, userId: string, agencyId: string): Promise<ShareRecord[]>;
  /** Inserts or replaces the role of this principal on the document, with its audit entry if given. */
  putShare(share: ShareRecord, audit?: AuditEvent): Promise<void>;
  /** Returns whether a share was removed; the audit entry is written only if one was. */
  deleteShare(documentId: string, principalType: PrincipalType, principalId: string, audit?: AuditEvent): Promise<boolean>;

  // --- room update log ---
  /** Snapshot plus the updates after it, read consistently (one transaction). */
  loadRoom(room: string): Promise<StoredRoom>;
  /** Appends all updates, in order, in ONE transaction: all are durable when this resolves. */
  appendUpdates(batch: readonly RoomUpdate[]): Promise<void>;
  /**
   * Only for stores that can write synchronously (embedded SQLite): appends the batch in one
   * transaction before returning and answers true, or answers false without writing anything when
   * it cannot do so right now (the caller then uses appendUpdates). Throws when the write failed.
   * The relay's per-tick flush uses it to skip a promise chain per batch on the common path.
   */
  appendUpdatesNow?(batch: readonly RoomUpdate[]): boolean;
  /** Number of log rows after the snapshot, to decide when to compact. */
  countRoomUpdates(room: string): Promise<number>;
  /**
   * Folds the snapshot and the update log of a room into a new snapshot with `merge` (the relay's
   * persistence hook folds in slices, a turn of the event loop each); updates appended meanwhile
   * stay in the log. A store may read, merge and write in separate steps (the SQLite store does,
   * so that its one connection is not held while the merge runs): it then writes the snapshot
   * only if no other compaction of the room wrote one meanwhile, and otherwise leaves everything
   * as that one left it.
   */
  compactRoom(room: string, merge: Merge): Promise<void>;
  /**
   * The change feed: rooms whose log grew after the cursor `since` (0 for everything), oldest
   * change first, at most `limit` of them, and the cursor to pass next time. Compaction does not
   * move a room's position in the feed.
   */
  listRoomChanges(since: number, limit: number): Promise<{ changes: { room: string; seq: number }[]; cursor: number }>;

  // --- signing keys ---
  /**
   * Registers a public key. The same key again returns the stored record (created false), even
   * when another user sends it: the caller compares record.userId. Audited when created.
   */
  putSigningKey(key: SigningKeyRecord, audit: AuditEvent): Promise<{ record: SigningKeyRecord; created: boolean }>;
  getSigningKey(keyId: string): Promise<SigningKeyRecord | undefined>;
  /** Oldest first. */
  listSigningKeys(userId: string): Promise<SigningKeyRecord[]>;

  // --- approval procedure (common/workflow.ts decides; these apply its answer atomically) ---
  /** The document's status, rounds with steps and decisions, and its issue; undefined if no such document. */
  getWorkflow(documentId: string): Promise<WorkflowRecord | undefined>;
  /**
   * Opens a round in one transaction with its audit entry: the document must be a draft or
   * returned; it becomes in_review. The same roundId for the same document, submitter and version
   * again returns the round with created false; for anything else it is a conflict.
   */
  submitForReview(input: SubmissionInput): Promise<StoreResult<{ workflow: WorkflowRecord; created: boolean }>>;
  /**
   * Records one step's decision in one transaction with its audit entry, moving the round and the
   * document on (common/workflow.ts decide). A signature already recorded anywhere is `replayed`.
   */
  recordDecision(input: DecisionInput): Promise<StoreResult<WorkflowRecord>>;
  /**
   * Assigns the next number of (agency, register, year) and issues the approved document, in one
   * transaction with its audit entry, exactly once: the same requestId again returns the first
   * issue (created false); another request for an issued document is `already_issued`. Numbers
   * are consecutive: a refused or failed request consumes none.
   */
  issueDocument(input: IssueInput): Promise<StoreResult<{ issue: IssueRecord; created: boolean }>>;
  /** What the procedure gives this user on this document (common/access.ts). */
  procedureAccess(documentId: string, userId: string): Promise<ProcedureAccess>;
  /** Current steps of open rounds assigned to the user, oldest submission first. */
  listPendingSteps(userId: string): Promise<PendingStep[]>;
  /** Approved documents of the agency waiting for the clerk, oldest first. */
  listAwaitingIssue(agencyId: string): Promise<DocumentRecord[]>;

  // --- audit log ---
  /** Entries after `afterSeq`, in order, at most `limit`. */
  listAuditEntries(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** Recomputes the hash chain from the first entry and names the first one that does not verify. */
  verifyAuditChain(): Promise<AuditVerification>;
}

/** The stored workflow as the pure state machine of common/workflow.ts sees it. */
export function toWorkflowState(workflow: WorkflowRecord): WorkflowState {
  return {
    status: workflow.status,
    rounds: workflow.rounds.map(
      (round): Round => ({
        id: round.id,
        number: round.number,
        versionHash: round.versionHash,
        submittedBy: round.submittedBy,
        submittedAt: round.submittedAt,
        steps: round.steps.map((step) => ({ kind: step.kind, assigneeId: step.assigneeId, authority: step.authority })),
        decisions: round.steps.map((step) =>
          step.decision
            ? {
                decision: step.decision.decision,
                signerId: step.decision.signerId,
                versionHash: step.decision.versionHash,
                decidedAt: step.decision.decidedAt,
                comment: step.decision.comment,
              }
            : null,
        ),
      }),
    ),
  };
}
