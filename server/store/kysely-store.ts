/**
 * The Store implementation for both SQLite and PostgreSQL, written once against Kysely. Every query
 * is shared; the dialects differ only in how transactions begin and lock (the helpers at the
 * bottom) and in PostgreSQL's advisory locks, which keep seq order equal to commit order, let one
 * compaction per room run at a time, and make audited actions (workflow steps, issues, shares)
 * take turns, so that each one sees the last audit entry and the state the one before committed.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { NO_PROCEDURE_ACCESS, type ProcedureAccess } from '../../common/access.ts';
import { numberAndSymbol } from '../../common/numbering.ts';
import {
  currentStepIndex,
  decide,
  issue as issueWorkflow,
  roundStatus,
  submit,
  type Authority,
  type Decision,
  type StepKind,
} from '../../common/workflow.ts';
import { checkRow, detailsText, entryHash, GENESIS_HASH } from './audit.ts';
import type { BoardStore } from './board-store.ts';
import { KyselyBoardStore } from './kysely-board-store.ts';
import { applyMigrations, type Database, type DialectName, type DocumentsTable, type UsersTable } from './schema.ts';
import type {
  AgencyRecord,
  AuditEntry,
  AuditEvent,
  AuditVerification,
  DecisionInput,
  DecisionRecord,
  DocumentRecord,
  IssueInput,
  IssueRecord,
  Merge,
  PendingStep,
  PrincipalType,
  RoleName,
  RoomUpdate,
  RoundRecord,
  ShareRecord,
  SigningKeyRecord,
  StepRecord,
  Store,
  StoredRoom,
  StoreErrorCode,
  StoreResult,
  SubmissionInput,
  UserRecord,
  WorkflowRecord,
} from './store.ts';
import { toWorkflowState } from './store.ts';

export interface KyselyStoreOptions {
  readonly dialect: DialectName;
  /** PostgreSQL only: the schema the connections' search_path points at; migrate() creates it. */
  readonly schema?: string;
}

// PostgreSQL advisory lock keys, as (namespace, key) pairs. The namespace spells "Cong".
const LOCK_NAMESPACE = 0x436f6e67;
const MIGRATION_LOCK = 1;
const APPEND_LOCK = 2;
const AUDIT_LOCK = 3;
// Compaction locks are per room: (namespace + 1, hashtext(room)).
const COMPACTION_LOCK_NAMESPACE = LOCK_NAMESPACE + 1;

/** Rows per INSERT: keeps a large batch below both drivers' bound-parameter limits. */
const INSERT_CHUNK_ROWS = 1000;
/** Audit rows read per query while verifying the chain. */
const AUDIT_PAGE_ROWS = 1000;

type Trx = Kysely<Database>;

const refuse = <T>(code: StoreErrorCode, message: string): StoreResult<T> => ({ ok: false, error: { code, message } });

export class KyselyStore implements Store {
  protected readonly db: Kysely<Database>;
  private readonly options: KyselyStoreOptions;

  constructor(db: Kysely<Database>, options: Readonly<KyselyStoreOptions>) {
    this.db = db;
    this.options = options;
  }

  get dialect(): DialectName {
    return this.options.dialect;
  }

  private boardStore: BoardStore | undefined;
  get boards(): BoardStore {
    return (this.boardStore ??= new KyselyBoardStore(this.db));
  }

  async migrate(): Promise<void> {
    await this.writeTransaction(async (trx) => {
      if (this.dialect === 'postgres') {
        // Transaction-scoped, so the lock can never outlive a failed migration.
        await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_NAMESPACE)}, ${sql.lit(MIGRATION_LOCK)})`.execute(trx);
        if (this.options.schema !== undefined) {
          await sql`create schema if not exists ${sql.id(this.options.schema)}`.execute(trx);
        }
      }
      await applyMigrations(trx, this.dialect);
    });
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // --- settings ---

  async getOrCreateSetting(key: string, value: string): Promise<string> {
    // Insert-if-absent first: whichever process inserts first wins, and everyone reads the winner.
    await this.db
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
    return row.value;
  }

  // --- directory ---

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async upsertAgency(agency: AgencyRecord): Promise<void> {
    const row = { id: agency.id, name: agency.name, abbreviation: agency.abbreviation, parent_id: agency.parentId };
    await this.db
      .insertInto('agencies')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: row.name, abbreviation: row.abbreviation, parent_id: row.parent_id }),
      )
      .execute();
  }

  async upsertUser(user: UserRecord): Promise<void> {
    const { id, ...rest } = fromUser(user);
    await this.db
      .insertInto('users')
      .values({ id, ...rest })
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  }

  async getUserById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async listAgencies(): Promise<AgencyRecord[]> {
    const rows = await this.db.selectFrom('agencies').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, abbreviation: row.abbreviation, parentId: row.parent_id }));
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  }

  // --- documents and shares ---

  async createDocument(doc: DocumentRecord, audit?: AuditEvent): Promise<{ record: DocumentRecord; created: boolean }> {
    const insert = (db: Trx) =>
      db
        .insertInto('documents')
        .values(fromDocument(doc))
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .execute();
    const inserted = audit
      ? await this.auditedTransaction(async (trx) => {
          const rows = await insert(trx);
          if (rows.length > 0) await this.appendAudit(trx, audit);
          return rows;
        })
      : await insert(this.db);
    const record = await this.getDocument(doc.id);
    if (record === undefined) throw new Error(`document ${doc.id} vanished right after it was created`);
    return { record, created: inserted.length > 0 };
  }

  async getDocument(id: string): Promise<DocumentRecord | undefined> {
    const row = await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDocument(row);
  }

  async listDocumentsVisibleTo(userId: string, agencyId: string): Promise<DocumentRecord[]> {
    const user = await this.getUserById(userId);
    const clerk = user !== undefined && user.agencyId === agencyId && user.roles.includes('clerk');
    // IN rather than a join, so a document shared several ways still comes back once.
    const rows = await this.db
      .selectFrom('documents as d')
      .selectAll('d')
      .where((eb) =>
        eb.or([
          eb('d.owner_id', '=', userId),
          eb('d.id', 'in', this.db.selectFrom('shares').select('document_id').where((inner) => principalIs(inner, userId, agencyId))),
          // The procedure's readers (common/access.ts procedureRole): assignees of any round, and
          // the agency's clerks once the document is approved.
          eb('d.id', 'in', this.db.selectFrom('workflow_steps').select('document_id').where('assignee_id', '=', userId)),
          ...(clerk ? [eb.and([eb('d.agency_id', '=', agencyId), eb('d.status', 'in', ['approved', 'issued'])])] : []),
        ]),
      )
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.id')
      .execute();
    return rows.map(toDocument);
  }

  async touchDocument(id: string, updatedAt: string): Promise<void> {
    await this.db.updateTable('documents').set({ updated_at: isoTime(updatedAt) }).where('id', '=', id).execute();
  }

  async listShares(documentId: string): Promise<ShareRecord[]> {
    const rows = await this.db
      .selectFrom('shares')
      .selectAll()
      .where('document_id', '=', documentId)
      .orderBy('principal_type')
      .orderBy('principal_id')
      .execute();
    return rows.map(toShare);
  }

  async sharesFor(documentId: string, userId: string, agencyId: string): Promise<ShareRecord[]> {
    const rows = await this.db
      .selectFrom('shares')
      .selectAll()
      .where('document_id', '=', documentId)
      .where((eb) => principalIs(eb, userId, agencyId))
      .orderBy('principal_type')
      .execute();
    return rows.map(toShare);
  }

  async putShare(share: ShareRecord, audit?: AuditEvent): Promise<void> {
    if (audit) {
      await this.auditedTransaction(async (trx) => {
        await this.upsertShare(trx, share);
        await this.appendAudit(trx, audit);
      });
      return;
    }
    await this.upsertShare(this.db, share);
  }

  private async upsertShare(db: Trx, share: ShareRecord): Promise<void> {
    await db
      .insertInto('shares')
      .values({
        document_id: share.documentId,
        principal_type: share.principalType,
        principal_id: share.principalId,
        role: share.role,
      })
      .onConflict((oc) => oc.columns(['document_id', 'principal_type', 'principal_id']).doUpdateSet({ role: share.role }))
      .execute();
  }

  async deleteShare(documentId: string, principalType: PrincipalType, principalId: string, audit?: AuditEvent): Promise<boolean> {
    const remove = async (db: Trx): Promise<boolean> => {
      const result = await db
        .deleteFrom('shares')
        .where('document_id', '=', documentId)
        .where('principal_type', '=', principalType)
        .where('principal_id', '=', principalId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    };
    if (!audit) return remove(this.db);
    return this.auditedTransaction(async (trx) => {
      const removed = await remove(trx);
      if (removed) await this.appendAudit(trx, audit);
      return removed;
    });
  }

  // --- room update log ---

  async loadRoom(room: string): Promise<StoredRoom> {
    return this.readTransaction(async (trx) => {
      const snapshotRow = await trx
        .selectFrom('room_snapshots')
        .select(['snapshot', 'up_to_seq'])
        .where('room', '=', room)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom('room_updates')
        .select('update')
        .where('room', '=', room)
        .where('seq', '>', snapshotRow?.up_to_seq ?? 0)
        .orderBy('seq')
        .execute();
      const snapshot = snapshotRow ? ownBytes(snapshotRow.snapshot) : null;
      const updates = rows.map((row) => ownBytes(row.update));
      let bytes = snapshot?.byteLength ?? 0;
      for (const update of updates) bytes += update.byteLength;
      return { snapshot, updates, bytes };
    });
  }

  async appendUpdates(batch: readonly RoomUpdate[]): Promise<void> {
    if (batch.length === 0) return;
    const createdAt = new Date().toISOString();
    await this.writeTransaction(async (trx) => {
      await this.lockAppends(trx);
      const heads = new Map<string, number>();
      for (let start = 0; start < batch.length; start += INSERT_CHUNK_ROWS) {
        const chunk = batch.slice(start, start + INSERT_CHUNK_ROWS);
        const rows = await trx
          .insertInto('room_updates')
          .values(chunk.map((u) => ({ room: u.room, update: u.update, created_at: createdAt })))
          .returning(['seq', 'room'])
          .execute();
        for (const row of rows) heads.set(row.room, Math.max(heads.get(row.room) ?? 0, Number(row.seq)));
      }
      const headRows = [...heads].map(([room, seq]) => ({ room, seq }));
      for (let start = 0; start < headRows.length; start += INSERT_CHUNK_ROWS) {
        await trx
          .insertInto('room_heads')
          .values(headRows.slice(start, start + INSERT_CHUNK_ROWS))
          .onConflict((oc) => oc.column('room').doUpdateSet({ seq: (eb) => eb.ref('excluded.seq') }))
          .execute();
      }
    });
  }

  async countRoomUpdates(room: string): Promise<number> {
    // Compaction deletes what it folds in the same transaction, so every log row is after the snapshot.
    const row = await this.db
      .selectFrom('room_updates')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('room', '=', room)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async compactRoom(room: string, merge: Merge): Promise<void> {
    await this.writeTransaction(async (trx) => {
      if (this.dialect === 'postgres') {
        // Two compactions of one room must not both fold the same snapshot: the second would read
        // the old snapshot and, after the first deleted the log, only the newer rows.
        await sql`select pg_advisory_xact_lock(${sql.lit(COMPACTION_LOCK_NAMESPACE)}, hashtext(${room}))`.execute(trx);
      }
      const snapshotRow = await trx
        .selectFrom('room_snapshots')
        .select(['snapshot', 'up_to_seq'])
        .where('room', '=', room)
        .executeTakeFirst();
      const rows = await trx
        .selectFrom('room_updates')
        .select(['seq', 'update'])
        .where('room', '=', room)
        .where('seq', '>', snapshotRow?.up_to_seq ?? 0)
        .orderBy('seq')
        .execute();
      if (rows.length === 0) return;
      // Only rows up to the last one read are folded and deleted: anything appended since has a
      // higher seq (see lockAppends) and stays in the log.
      const upToSeq = Number(rows[rows.length - 1].seq);
      const parts = rows.map((row) => ownBytes(row.update));
      if (snapshotRow) parts.unshift(ownBytes(snapshotRow.snapshot));
      const snapshot = await merge(parts);
      await trx
        .insertInto('room_snapshots')
        .values({ room, snapshot, up_to_seq: upToSeq })
        .onConflict((oc) =>
          oc.column('room').doUpdateSet({ snapshot: (eb) => eb.ref('excluded.snapshot'), up_to_seq: (eb) => eb.ref('excluded.up_to_seq') }),
        )
        .execute();
      await trx.deleteFrom('room_updates').where('room', '=', room).where('seq', '<=', upToSeq).execute();
    });
  }

  async listRoomChanges(since: number, limit: number): Promise<{ changes: { room: string; seq: number }[]; cursor: number }> {
    const rows = await this.db
      .selectFrom('room_heads')
      .select(['room', 'seq'])
      .where('seq', '>', since)
      .orderBy('seq')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    const changes = rows.map((row) => ({ room: row.room, seq: Number(row.seq) }));
    return { changes, cursor: changes.length > 0 ? changes[changes.length - 1].seq : since };
  }

  // --- signing keys ---

  async putSigningKey(key: SigningKeyRecord, audit: AuditEvent): Promise<{ record: SigningKeyRecord; created: boolean }> {
    return this.auditedTransaction(async (trx) => {
      const existing = await trx.selectFrom('signing_keys').selectAll().where('key_id', '=', key.keyId).executeTakeFirst();
      if (existing) return { record: toSigningKey(existing), created: false };
      await trx
        .insertInto('signing_keys')
        .values({ key_id: key.keyId, user_id: key.userId, public_key: key.publicKey, created_at: isoTime(key.createdAt) })
        .execute();
      await this.appendAudit(trx, audit);
      const row = await trx.selectFrom('signing_keys').selectAll().where('key_id', '=', key.keyId).executeTakeFirstOrThrow();
      return { record: toSigningKey(row), created: true };
    });
  }

  async getSigningKey(keyId: string): Promise<SigningKeyRecord | undefined> {
    const row = await this.db.selectFrom('signing_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    return row && toSigningKey(row);
  }

  async listSigningKeys(userId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom('signing_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('key_id')
      .execute();
    return rows.map(toSigningKey);
  }

  // --- approval procedure ---

  async getWorkflow(documentId: string): Promise<WorkflowRecord | undefined> {
    return this.readTransaction((trx) => this.loadWorkflow(trx, documentId));
  }

  async submitForReview(input: SubmissionInput): Promise<StoreResult<{ workflow: WorkflowRecord; created: boolean }>> {
    return this.auditedTransaction(async (trx) => {
      const existing = await trx.selectFrom('workflow_rounds').selectAll().where('id', '=', input.roundId).executeTakeFirst();
      if (existing) {
        // A retried submission (an outbox sending again after a lost answer) gets its round back.
        const same =
          existing.document_id === input.documentId && existing.submitted_by === input.submittedBy && existing.version_hash === input.versionHash;
        if (!same) return refuse('conflict', 'another submission already has this round id');
        const workflow = await this.loadWorkflow(trx, input.documentId);
        return workflow ? { ok: true, value: { workflow, created: false } } : refuse('not_found', 'no such document');
      }
      const before = await this.loadWorkflow(trx, input.documentId);
      if (!before) return refuse('not_found', 'no such document');
      const result = submit(toWorkflowState(before), {
        roundId: input.roundId,
        submittedBy: input.submittedBy,
        submittedAt: input.submittedAt,
        versionHash: input.versionHash,
        chain: input.chain,
      });
      if (!result.ok) return { ok: false, error: result.error };
      const round = result.value.rounds[result.value.rounds.length - 1];
      await trx
        .insertInto('workflow_rounds')
        .values({
          id: round.id,
          document_id: input.documentId,
          number: round.number,
          version_hash: round.versionHash,
          state_vector: input.stateVector,
          submitted_by: round.submittedBy,
          submitted_at: isoTime(round.submittedAt),
          status: roundStatus(round),
          current_step: currentStepIndex(round),
        })
        .execute();
      await trx
        .insertInto('workflow_steps')
        .values(
          round.steps.map((step, index) => ({
            round_id: round.id,
            step_index: index,
            document_id: input.documentId,
            kind: step.kind,
            assignee_id: step.assigneeId,
            authority: step.authority,
          })),
        )
        .execute();
      await this.setDocumentStatus(trx, input.documentId, result.value.status, input.submittedAt);
      await this.appendAudit(trx, input.audit);
      const workflow = await this.loadWorkflow(trx, input.documentId);
      if (!workflow) throw new Error(`document ${input.documentId} vanished during its submission`);
      return { ok: true, value: { workflow, created: true } };
    });
  }

  async recordDecision(input: DecisionInput): Promise<StoreResult<WorkflowRecord>> {
    return this.auditedTransaction(async (trx) => {
      const replay = await trx.selectFrom('workflow_decisions').select('round_id').where('signature', '=', input.signature).executeTakeFirst();
      if (replay) return refuse('replayed', 'this signed decision has already been recorded; it cannot be used again');
      const before = await this.loadWorkflow(trx, input.documentId);
      if (!before) return refuse('not_found', 'no such document');
      const result = decide(toWorkflowState(before), {
        roundId: input.roundId,
        stepIndex: input.stepIndex,
        decision: input.decision,
        signerId: input.signerId,
        versionHash: input.versionHash,
        decidedAt: input.decidedAt,
        comment: input.comment,
      });
      if (!result.ok) return { ok: false, error: result.error };
      const round = result.value.rounds.find((r) => r.id === input.roundId);
      if (!round) throw new Error(`round ${input.roundId} vanished during a decision`);
      await trx
        .insertInto('workflow_decisions')
        .values({
          round_id: input.roundId,
          step_index: input.stepIndex,
          document_id: input.documentId,
          decision: input.decision,
          comment: round.decisions[input.stepIndex]?.comment ?? null,
          decided_at: input.decidedAt,
          signer_id: input.signerId,
          key_id: input.keyId,
          signature: input.signature,
          version_hash: input.versionHash,
          recorded_at: isoTime(input.recordedAt),
        })
        .execute();
      await trx
        .updateTable('workflow_rounds')
        .set({ status: roundStatus(round), current_step: currentStepIndex(round) })
        .where('id', '=', input.roundId)
        .execute();
      await this.setDocumentStatus(trx, input.documentId, result.value.status, input.recordedAt);
      await this.appendAudit(trx, input.audit);
      const workflow = await this.loadWorkflow(trx, input.documentId);
      if (!workflow) throw new Error(`document ${input.documentId} vanished during a decision`);
      return { ok: true, value: workflow };
    });
  }

  async issueDocument(input: IssueInput): Promise<StoreResult<{ issue: IssueRecord; created: boolean }>> {
    // The audit lock makes issues take turns on PostgreSQL (SQLite's BEGIN IMMEDIATE already does):
    // the status check, the counter and the insert below see everything the previous issue wrote.
    return this.auditedTransaction(async (trx) => {
      const retried = await trx.selectFrom('document_issues').selectAll().where('request_id', '=', input.requestId).executeTakeFirst();
      if (retried) {
        if (retried.document_id !== input.documentId) return refuse('conflict', 'this request id was used to issue another document');
        return { ok: true, value: { issue: toIssue(retried), created: false } };
      }
      const before = await this.loadWorkflow(trx, input.documentId);
      if (!before) return refuse('not_found', 'no such document');
      if (before.issue) return refuse('already_issued', `the document was already issued as số ${before.issue.numberText}`);
      const result = issueWorkflow(toWorkflowState(before));
      if (!result.ok) return { ok: false, error: result.error };
      const document = await trx.selectFrom('documents').select('agency_id').where('id', '=', input.documentId).executeTakeFirstOrThrow();
      // One statement both creates the year's register and advances it; on PostgreSQL the upsert
      // also locks the counter row until commit.
      const counter = await trx
        .insertInto('number_registers')
        .values({ agency_id: document.agency_id, register: input.register, year: input.year, last_number: 1 })
        .onConflict((oc) =>
          oc.columns(['agency_id', 'register', 'year']).doUpdateSet((eb) => ({ last_number: eb('number_registers.last_number', '+', 1) })),
        )
        .returning('last_number')
        .executeTakeFirstOrThrow();
      const number = Number(counter.last_number);
      const row = {
        document_id: input.documentId,
        request_id: input.requestId,
        agency_id: document.agency_id,
        register: input.register,
        year: input.year,
        number,
        number_text: numberAndSymbol(number, input.symbol),
        issued_at: isoTime(input.issuedAt),
        issued_by: input.issuedBy,
      };
      await trx.insertInto('document_issues').values(row).execute();
      await this.setDocumentStatus(trx, input.documentId, 'issued', input.issuedAt);
      await this.appendAudit(trx, {
        ...input.audit,
        details: { ...input.audit.details, requestId: input.requestId, register: input.register, year: input.year, number, numberText: row.number_text },
      });
      return { ok: true, value: { issue: toIssue(row), created: true } };
    });
  }

  async procedureAccess(documentId: string, userId: string): Promise<ProcedureAccess> {
    const [steps, clerk] = await Promise.all([
      this.db
        .selectFrom('workflow_steps as s')
        .innerJoin('workflow_rounds as r', 'r.id', 's.round_id')
        .select('r.status')
        .where('s.document_id', '=', documentId)
        .where('s.assignee_id', '=', userId)
        .execute(),
      this.db
        .selectFrom('documents as d')
        .innerJoin('users as u', 'u.agency_id', 'd.agency_id')
        .select('u.roles')
        .where('d.id', '=', documentId)
        .where('u.id', '=', userId)
        .executeTakeFirst(),
    ]);
    if (steps.length === 0 && !clerk) return NO_PROCEDURE_ACCESS;
    return {
      reviewsOpenRound: steps.some((step) => step.status === 'open'),
      tookPart: steps.length > 0,
      clerkOfAgency: clerk !== undefined && parseRoles(clerk.roles).includes('clerk'),
    };
  }

  async listPendingSteps(userId: string): Promise<PendingStep[]> {
    const rows = await this.db
      .selectFrom('workflow_rounds as r')
      .innerJoin('workflow_steps as s', (join) => join.onRef('s.round_id', '=', 'r.id').onRef('s.step_index', '=', 'r.current_step'))
      .select(['r.document_id', 'r.id', 's.step_index'])
      .where('r.status', '=', 'open')
      .where('s.assignee_id', '=', userId)
      .orderBy('r.submitted_at')
      .orderBy('r.id')
      .execute();
    return rows.map((row) => ({ documentId: row.document_id, roundId: row.id, stepIndex: Number(row.step_index) }));
  }

  async listAwaitingIssue(agencyId: string): Promise<DocumentRecord[]> {
    const rows = await this.db
      .selectFrom('documents')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('status', '=', 'approved')
      .orderBy('updated_at')
      .orderBy('id')
      .execute();
    return rows.map(toDocument);
  }

  // --- audit log ---

  async listAuditEntries(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map((row) => ({
      seq: Number(row.seq),
      at: row.at,
      actorId: row.actor_id,
      action: row.action as AuditEntry['action'],
      documentId: row.document_id,
      details: JSON.parse(row.details) as AuditEntry['details'],
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  async verifyAuditChain(): Promise<AuditVerification> {
    // Entries are only ever appended, each after the lock that orders them, so paging by seq
    // outside one long transaction sees a prefix of the log that only grows.
    let previous = { seq: 0, hash: GENESIS_HASH };
    let entries = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('seq', '>', previous.seq).orderBy('seq').limit(AUDIT_PAGE_ROWS).execute();
      for (const row of rows) {
        const checked = checkRow(
          {
            seq: Number(row.seq),
            at: row.at,
            actorId: row.actor_id,
            action: row.action,
            documentId: row.document_id,
            details: row.details,
            prevHash: row.prev_hash,
            hash: row.hash,
          },
          previous,
        );
        if (!checked.ok) {
          return { ok: false, entries, head: entries === 0 ? null : previous.hash, firstBroken: { seq: Number(row.seq), reason: checked.reason, message: checked.message } };
        }
        entries++;
        previous = { seq: checked.entry.seq, hash: checked.entry.hash };
      }
      if (rows.length < AUDIT_PAGE_ROWS) return { ok: true, entries, head: entries === 0 ? null : previous.hash };
    }
  }

  /** Appends one entry to the chain. Only inside auditedTransaction, which holds the audit lock. */
  private async appendAudit(trx: Trx, event: AuditEvent): Promise<void> {
    const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const entry: AuditEvent = { ...event, at: isoTime(event.at), details: JSON.parse(detailsText(event.details)) as AuditEvent['details'] };
    await trx
      .insertInto('audit_log')
      .values({
        seq,
        at: entry.at,
        actor_id: entry.actorId,
        action: entry.action,
        document_id: entry.documentId,
        details: detailsText(entry.details),
        prev_hash: prevHash,
        hash: entryHash(prevHash, seq, entry),
      })
      .execute();
  }

  private async setDocumentStatus(trx: Trx, documentId: string, status: DocumentRecord['status'], at: string): Promise<void> {
    await trx.updateTable('documents').set({ status, updated_at: isoTime(at) }).where('id', '=', documentId).execute();
  }

  /** The document's workflow as stored, read within the caller's transaction. */
  private async loadWorkflow(trx: Trx, documentId: string): Promise<WorkflowRecord | undefined> {
    const document = await trx.selectFrom('documents').select(['id', 'status']).where('id', '=', documentId).executeTakeFirst();
    if (!document) return undefined;
    const [rounds, steps, decisions, issue] = await Promise.all([
      trx.selectFrom('workflow_rounds').selectAll().where('document_id', '=', documentId).orderBy('number').execute(),
      trx.selectFrom('workflow_steps').selectAll().where('document_id', '=', documentId).execute(),
      trx.selectFrom('workflow_decisions').selectAll().where('document_id', '=', documentId).execute(),
      trx.selectFrom('document_issues').selectAll().where('document_id', '=', documentId).executeTakeFirst(),
    ]);
    const decisionOf = new Map(decisions.map((row) => [`${row.round_id}/${row.step_index}`, toDecision(row)]));
    return {
      documentId,
      status: document.status as DocumentRecord['status'],
      rounds: rounds.map((round): RoundRecord => {
        const roundSteps = steps
          .filter((step) => step.round_id === round.id)
          .sort((a, b) => Number(a.step_index) - Number(b.step_index))
          .map(
            (step): StepRecord => ({
              index: Number(step.step_index),
              kind: step.kind as StepKind,
              assigneeId: step.assignee_id,
              authority: step.authority as Authority | null,
              decision: decisionOf.get(`${round.id}/${step.step_index}`) ?? null,
            }),
          );
        return {
          id: round.id,
          documentId,
          number: Number(round.number),
          versionHash: round.version_hash,
          stateVector: round.state_vector,
          submittedBy: round.submitted_by,
          submittedAt: round.submitted_at,
          status: round.status as RoundRecord['status'],
          currentStep: round.current_step === null ? null : Number(round.current_step),
          steps: roundSteps,
        };
      }),
      issue: issue ? toIssue(issue) : null,
    };
  }

  // --- where the dialects differ ---

  /**
   * A write transaction for an audited action. On PostgreSQL it first takes the audit lock, held
   * to commit: entries get consecutive seqs each chained to the one committed before, and the
   * action's own checks (a document's status, a register's counter) see everything the previous
   * audited action wrote. On SQLite, BEGIN IMMEDIATE already makes writers take turns.
   */
  protected async auditedTransaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.writeTransaction(async (trx) => {
      if (this.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_NAMESPACE)}, ${sql.lit(AUDIT_LOCK)})`.execute(trx);
      }
      return fn(trx);
    });
  }

  /**
   * PostgreSQL hands out seq values when rows are inserted, not when they commit, so without this
   * lock a reader could see seq 11 committed while seq 10 is still in flight, move its change-feed
   * cursor past 10, or let compaction fold up to 11 and hide 10 behind the snapshot forever. Holding
   * one lock from the first insert to commit makes commit order equal seq order. The lock is held
   * for one short batch insert per relay tick. SQLite has a single writer, so it needs nothing.
   */
  protected async lockAppends(trx: Kysely<Database>): Promise<void> {
    if (this.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_NAMESPACE)}, ${sql.lit(APPEND_LOCK)})`.execute(trx);
    }
  }

  /**
   * A transaction that will write. On SQLite it begins IMMEDIATE, taking the write lock before the
   * first read: a deferred transaction that reads and then writes fails at once with SQLITE_BUSY
   * when another connection wrote in between, instead of waiting for busy_timeout. PostgreSQL uses
   * READ COMMITTED with explicit advisory locks where ordering matters.
   */
  protected async writeTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') return this.db.transaction().setIsolationLevel('read committed').execute(fn);
    return this.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      let result: T;
      try {
        result = await fn(conn);
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
      await sql`commit`.execute(conn);
      return result;
    });
  }

  /**
   * A transaction that only reads, from one snapshot. REPEATABLE READ on PostgreSQL; on SQLite in
   * WAL mode a read transaction already sees one snapshot from its first read to its end.
   */
  protected async readTransaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') {
      return this.db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
    }
    return this.db.transaction().execute(fn);
  }
}

/** The share rows that reach this user: addressed to the user or to the user's agency. */
function principalIs(eb: ExpressionBuilder<Database, 'shares'>, userId: string, agencyId: string): Expression<SqlBool> {
  return eb.or([
    eb.and([eb('principal_type', '=', 'user'), eb('principal_id', '=', userId)]),
    eb.and([eb('principal_type', '=', 'agency'), eb('principal_id', '=', agencyId)]),
  ]);
}

/**
 * Bytes that own their memory. pg decodes small bytea values into slices of Node's shared Buffer
 * pool, so `.buffer` of such a value is 8 KiB of unrelated data; code that views `.buffer` (or a
 * Buffer's non-copying `slice`) would then read or retain the neighbours. Values that already own
 * their whole ArrayBuffer (better-sqlite3's) are only re-viewed as a plain Uint8Array.
 */
function ownBytes(value: Uint8Array): Uint8Array {
  if (value.byteOffset === 0 && value.buffer.byteLength === value.byteLength) {
    return new Uint8Array(value.buffer, 0, value.byteLength);
  }
  return new Uint8Array(value);
}

/** Normalises an ISO 8601 time to `Date#toISOString` form (UTC, milliseconds), so text order is time order. */
function isoTime(value: string): string {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new RangeError(`not an ISO 8601 time: "${value}"`);
  return time.toISOString();
}

function fromUser(user: UserRecord): UsersTable {
  return {
    id: user.id,
    username: user.username,
    display_name: user.displayName,
    agency_id: user.agencyId,
    unit: user.unit,
    title: user.title,
    roles: JSON.stringify(user.roles),
    password_hash: user.passwordHash,
  };
}

function parseRoles(text: string): string[] {
  const roles: unknown = JSON.parse(text);
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    agencyId: row.agency_id,
    unit: row.unit,
    title: row.title,
    roles: parseRoles(row.roles),
    passwordHash: row.password_hash,
  };
}

function fromDocument(doc: DocumentRecord): DocumentsTable {
  return {
    id: doc.id,
    title: doc.title,
    type: doc.type,
    status: doc.status,
    agency_id: doc.agencyId,
    owner_id: doc.ownerId,
    created_at: isoTime(doc.createdAt),
    updated_at: isoTime(doc.updatedAt),
  };
}

function toDocument(row: Selectable<DocumentsTable>): DocumentRecord {
  return {
    id: row.id,
    title: row.title,
    type: row.type,
    status: row.status as DocumentRecord['status'],
    agencyId: row.agency_id,
    ownerId: row.owner_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toShare(row: Selectable<Database['shares']>): ShareRecord {
  return {
    documentId: row.document_id,
    principalType: row.principal_type as PrincipalType,
    principalId: row.principal_id,
    role: row.role as RoleName,
  };
}

function toSigningKey(row: Selectable<Database['signing_keys']>): SigningKeyRecord {
  return { keyId: row.key_id, userId: row.user_id, publicKey: row.public_key, createdAt: row.created_at };
}

function toDecision(row: Selectable<Database['workflow_decisions']>): DecisionRecord {
  return {
    decision: row.decision as Decision,
    comment: row.comment,
    decidedAt: row.decided_at,
    signerId: row.signer_id,
    keyId: row.key_id,
    signature: row.signature,
    versionHash: row.version_hash,
    recordedAt: row.recorded_at,
  };
}

function toIssue(row: Selectable<Database['document_issues']>): IssueRecord {
  return {
    documentId: row.document_id,
    requestId: row.request_id,
    agencyId: row.agency_id,
    register: row.register,
    year: Number(row.year),
    number: Number(row.number),
    numberText: row.number_text,
    issuedAt: row.issued_at,
    issuedBy: row.issued_by,
  };
}
