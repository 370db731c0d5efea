/**
 * The HTTP side of the approval procedure (issue 5): signing keys, submissions, signed decisions,
 * the clerk's issue with its number, "awaiting me", copies of documents, and the audit check.
 *
 * What is decided where: common/workflow.ts says what may happen next; the store applies it in one
 * transaction with its audit entry; this module checks what needs more than the store holds, before
 * anything is written: the caller's role, the Ed25519 signature against the caller's registered key,
 * the signing time against the clock, and that the server's copy of the content is exactly the
 * version under review (the content hash of the stored room, common/content-hash.ts).
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { atLeast, type DocumentRole } from '../../common/access.ts';
import {
  CopyDocumentRequest,
  DecisionRequest,
  DocumentParams,
  IssueRequest,
  RegisterKeyRequest,
  SubmissionRequest,
  UserParams,
  type ApiErrorCode,
  type ApprovalItem,
  type ApprovalsResponse,
  type AuditVerification as ApiAuditVerification,
  type DocumentIssue,
  type DocumentRecord as ApiDocument,
  type SigningKey,
  type SigningKeysResponse,
  type WorkflowResponse,
} from '../../common/api.ts';
import { contentHash } from '../../common/content-hash.ts';
import { applyAll, foldUpdates } from '../../common/fold-updates.ts';
import type { DocumentTypeCode } from '../../common/document-types.ts';
import { dateLine, DEFAULT_REGISTER, documentSymbol, isoDate, placeOfAgency, unitAbbreviation, vietnamDate } from '../../common/numbering.ts';
import { keyIdOf, normaliseBase64Url, verifyDecision, verifyKeyRegistration } from '../../common/signing.ts';
import { approvedRound, nextAction, type ChainStep } from '../../common/workflow.ts';
import type { Logger } from 'pino';
import type { AuditEvent, DocumentRecord, SigningKeyRecord, Store, StoreErrorCode, UserRecord, WorkflowRecord } from '../store/store.ts';
import { toWorkflowState } from '../store/store.ts';
import { ApiError, reply, type Router } from './router.ts';

/** How far in the future a signed decision's time may lie: clocks of offline laptops drift. */
export const DECISION_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface ApprovalDeps {
  readonly store: Store;
  readonly log: Logger;
  /** The server's clock; tests move it (numbering restarts on 1 January). */
  readonly now: () => Date;
  readonly onAccessChanged: (documentId: string) => void;
  /** Drafting-unit abbreviations that differ from the derived ones (common/numbering.ts). */
  readonly unitAbbreviations: Readonly<Record<string, string>>;
  /** The document and the caller's role on it, or 404 when the caller may not see it. */
  readonly visibleDocument: (id: string, user: UserRecord) => Promise<{ doc: DocumentRecord; role: DocumentRole } | ApiError>;
  readonly toApiDocument: (doc: DocumentRecord, role: DocumentRole) => ApiDocument;
}

/** HTTP status of each refusal the store (and common/workflow.ts through it) can answer. */
const STORE_ERROR_STATUS: Readonly<Record<StoreErrorCode, number>> = {
  not_found: 404,
  round_not_found: 404,
  conflict: 409,
  replayed: 409,
  already_issued: 409,
  wrong_status: 409,
  round_closed: 409,
  not_current_step: 409,
  already_decided: 409,
  version_mismatch: 409,
  not_assignee: 403,
  invalid_chain: 400,
  step_not_found: 400,
  comment_required: 400,
};

function storeError(error: { readonly code: StoreErrorCode; readonly message: string }): ApiError {
  return new ApiError(STORE_ERROR_STATUS[error.code], error.code satisfies ApiErrorCode, error.message);
}

const toSigningKey = (key: SigningKeyRecord): SigningKey => ({ ...key });

export function approvalRoutes<R extends Router<UserRecord>>(router: R, deps: Readonly<ApprovalDeps>): R {
  const { store, log } = deps;
  const nowIso = (): string => deps.now().toISOString();
  const event = (caller: UserRecord, action: AuditEvent['action'], documentId: string | null, details: AuditEvent['details']): AuditEvent => ({
    at: nowIso(),
    actorId: caller.id,
    action,
    documentId,
    details,
  });

  /** The version hash of the document's content as the server stores it. */
  async function storedContentHash(documentId: string): Promise<string> {
    const room = await store.loadRoom(`doc:${documentId}`);
    const doc = new Y.Doc();
    try {
      applyAll(doc, room.snapshot ? [room.snapshot, ...room.updates] : room.updates, null);
      return await contentHash(doc);
    } finally {
      doc.destroy();
    }
  }

  async function workflowResponse(workflow: WorkflowRecord, doc: DocumentRecord): Promise<WorkflowResponse> {
    const keyIds = new Set<string>();
    for (const round of workflow.rounds) for (const step of round.steps) if (step.decision) keyIds.add(step.decision.keyId);
    const keys: WorkflowResponse['keys'] = {};
    for (const keyId of keyIds) {
      const key = await store.getSigningKey(keyId);
      if (key) keys[keyId] = { userId: key.userId, publicKey: key.publicKey };
    }
    let issue: DocumentIssue | null = null;
    if (workflow.issue) {
      const agency = (await store.listAgencies()).find((a) => a.id === doc.agencyId);
      const date = vietnamDate(new Date(workflow.issue.issuedAt));
      const place = (agency && placeOfAgency(agency.name)) ?? agency?.name ?? '';
      issue = {
        number: workflow.issue.number,
        numberText: workflow.issue.numberText,
        register: workflow.issue.register,
        year: workflow.issue.year,
        issuedAt: workflow.issue.issuedAt,
        issuedBy: workflow.issue.issuedBy,
        issueDate: isoDate(date),
        dateLine: dateLine(place, date),
      };
    }
    return {
      documentId: workflow.documentId,
      status: workflow.status,
      rounds: workflow.rounds.map((round) => ({
        id: round.id,
        number: round.number,
        versionHash: round.versionHash,
        stateVector: round.stateVector,
        submittedBy: round.submittedBy,
        submittedAt: round.submittedAt,
        status: round.status,
        currentStep: round.currentStep,
        steps: round.steps.map((step) => ({ ...step, decision: step.decision ? { ...step.decision } : null })),
      })),
      issue,
      next: nextAction(toWorkflowState(workflow)),
      keys,
    };
  }

  async function currentWorkflow(doc: DocumentRecord): Promise<WorkflowResponse> {
    const workflow = await store.getWorkflow(doc.id);
    if (!workflow) throw new Error(`document ${doc.id} has no workflow`);
    return workflowResponse(workflow, doc);
  }

  return router
    .authenticated({
      method: 'POST',
      path: '/api/keys',
      body: RegisterKeyRequest,
      handler: async ({ body, caller }) => {
        // The proof shows the caller holds the private key: nobody registers someone else's key.
        if (!(await verifyKeyRegistration({ userId: caller.id, publicKey: body.publicKey }, body.proof))) {
          return new ApiError(400, 'bad_signature', 'proof: not a signature of {userId, publicKey} by this key');
        }
        const keyId = await keyIdOf(body.publicKey);
        const { record, created } = await store.putSigningKey(
          { keyId, userId: caller.id, publicKey: body.publicKey, createdAt: nowIso() },
          event(caller, 'key.registered', null, { keyId, publicKey: body.publicKey }),
        );
        if (record.userId !== caller.id) return new ApiError(409, 'conflict', 'this key is registered to another user');
        if (created) log.info({ userId: caller.id, keyId }, 'signing key registered');
        return reply(created ? 201 : 200, toSigningKey(record) satisfies SigningKey);
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/users/:id/keys',
      params: UserParams,
      // Public keys are public: anyone verifying a decision needs the signer's.
      handler: async ({ params }) => {
        if (!(await store.getUserById(params.id))) return new ApiError(404, 'not_found', 'no such user');
        return reply(200, { keys: (await store.listSigningKeys(params.id)).map(toSigningKey) } satisfies SigningKeysResponse);
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/documents/:id/workflow',
      params: DocumentParams,
      handler: async ({ params, caller }) => {
        const found = await deps.visibleDocument(params.id, caller);
        if (found instanceof ApiError) return found;
        return reply(200, await currentWorkflow(found.doc));
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/documents/:id/submissions',
      params: DocumentParams,
      body: SubmissionRequest,
      handler: async ({ params, body, caller }) => {
        const found = await deps.visibleDocument(params.id, caller);
        if (found instanceof ApiError) return found;
        const { doc } = found;
        if (!atLeast(found.role, 'editor')) return new ApiError(403, 'forbidden', 'only the owner or an editor may submit the document');
        const chain: ChainStep[] = body.chain.map((step) => ({ kind: step.kind, assigneeId: step.assigneeId, authority: step.authority ?? null }));
        for (const [index, step] of chain.entries()) {
          const assignee = await store.getUserById(step.assigneeId);
          if (!assignee || assignee.agencyId !== doc.agencyId) {
            return new ApiError(400, 'invalid_chain', `chain.${index}.assigneeId: no user of the document's agency has this id`);
          }
        }
        const stored = await storedContentHash(doc.id);
        if (stored !== body.versionHash) {
          return new ApiError(
            409,
            'version_mismatch',
            "the server's copy of the draft is not the version submitted: let the document finish syncing, then submit again",
          );
        }
        const roundId = body.id ?? randomUUID();
        const result = await store.submitForReview({
          documentId: doc.id,
          roundId,
          versionHash: body.versionHash,
          stateVector: body.stateVector,
          submittedBy: caller.id,
          submittedAt: nowIso(),
          chain,
          audit: event(caller, 'submission.created', doc.id, {
            roundId,
            versionHash: body.versionHash,
            chain: chain.map((step) => ({ kind: step.kind, assigneeId: step.assigneeId, authority: step.authority })),
          }),
        });
        if (!result.ok) return storeError(result.error);
        if (result.value.created) {
          log.info({ userId: caller.id, documentId: doc.id, roundId }, 'document submitted');
          // The content is frozen now, and the reviewers gain access: live connections learn it at once.
          deps.onAccessChanged(doc.id);
        }
        return reply(result.value.created ? 201 : 200, await workflowResponse(result.value.workflow, doc));
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/documents/:id/decisions',
      params: DocumentParams,
      body: DecisionRequest,
      handler: async ({ params, body, caller }) => {
        const found = await deps.visibleDocument(params.id, caller);
        if (found instanceof ApiError) return found;
        const { doc } = found;
        const key = await store.getSigningKey(body.keyId);
        if (!key || key.userId !== caller.id) return new ApiError(400, 'unknown_key', 'keyId: not a key registered by the caller');
        const signature = normaliseBase64Url(body.signature);
        const comment = body.comment === undefined || body.comment === '' ? null : body.comment.normalize('NFC');
        const statement = {
          documentId: doc.id,
          versionHash: body.versionHash,
          roundId: body.roundId,
          stepIndex: body.stepIndex,
          decision: body.decision,
          comment: comment ?? undefined,
          decidedAt: body.decidedAt,
          signerId: caller.id,
        };
        if (signature === null || !(await verifyDecision(key.publicKey, statement, signature))) {
          return new ApiError(400, 'bad_signature', 'signature: does not verify against the key for this decision');
        }
        const decidedAt = new Date(body.decidedAt).getTime();
        if (decidedAt > deps.now().getTime() + DECISION_CLOCK_SKEW_MS) {
          return new ApiError(400, 'clock_skew', 'decidedAt: lies in the future; check the clock of the signing device');
        }
        const workflow = await store.getWorkflow(doc.id);
        const round = workflow?.rounds.find((r) => r.id === body.roundId);
        if (round && decidedAt < new Date(round.submittedAt).getTime() - DECISION_CLOCK_SKEW_MS) {
          return new ApiError(400, 'clock_skew', 'decidedAt: lies before the submission it decides');
        }
        // An approval endorses the round's version: the stored content must still be exactly that.
        // A return endorses nothing and stays possible, so a draft whose stored copy drifted (an
        // edit that raced the submission) can always be given back to the drafter.
        if (
          body.decision === 'approve' &&
          round?.status === 'open' &&
          body.versionHash === round.versionHash &&
          (await storedContentHash(doc.id)) !== round.versionHash
        ) {
          return new ApiError(409, 'version_mismatch', 'the draft changed since it was submitted; it must be submitted again');
        }
        const result = await store.recordDecision({
          documentId: doc.id,
          roundId: body.roundId,
          stepIndex: body.stepIndex,
          decision: body.decision,
          comment,
          decidedAt: body.decidedAt,
          signerId: caller.id,
          keyId: key.keyId,
          signature,
          versionHash: body.versionHash,
          recordedAt: nowIso(),
          audit: event(caller, 'decision.recorded', doc.id, {
            roundId: body.roundId,
            stepIndex: body.stepIndex,
            decision: body.decision,
            comment: comment ?? undefined,
            versionHash: body.versionHash,
            decidedAt: body.decidedAt,
            keyId: key.keyId,
            signature,
          }),
        });
        if (!result.ok) return storeError(result.error);
        log.info({ userId: caller.id, documentId: doc.id, roundId: body.roundId, step: body.stepIndex, decision: body.decision }, 'decision recorded');
        // A return unfreezes the content; a round's end changes who may read and comment.
        deps.onAccessChanged(doc.id);
        return reply(200, await workflowResponse(result.value, { ...doc, status: result.value.status }));
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/documents/:id/issue',
      params: DocumentParams,
      body: IssueRequest,
      handler: async ({ params, body, caller }) => {
        const found = await deps.visibleDocument(params.id, caller);
        if (found instanceof ApiError) return found;
        const { doc } = found;
        if (!caller.roles.includes('clerk') || caller.agencyId !== doc.agencyId) {
          return new ApiError(403, 'forbidden', "only a clerk (văn thư) of the document's agency may issue it");
        }
        const workflow = await store.getWorkflow(doc.id);
        if (!workflow) return new ApiError(404, 'not_found', 'no such document');
        const round = approvedRound(toWorkflowState(workflow));
        if (!round) return new ApiError(409, 'wrong_status', `only an approved document can be issued; this one is ${workflow.status}`);
        // What is numbered must be exactly what was signed.
        if ((await storedContentHash(doc.id)) !== round.versionHash) {
          return new ApiError(409, 'version_mismatch', "the server's copy of the document is not the version that was signed");
        }
        const agency = (await store.listAgencies()).find((a) => a.id === doc.agencyId);
        const drafter = await store.getUserById(round.submittedBy);
        const symbol = documentSymbol({
          type: doc.type as DocumentTypeCode,
          agencyAbbreviation: agency?.abbreviation ?? '',
          unitAbbreviation: unitAbbreviation(drafter?.unit ?? '', deps.unitAbbreviations),
        });
        const issuedAt = deps.now();
        const result = await store.issueDocument({
          documentId: doc.id,
          requestId: body.requestId,
          register: body.register ?? DEFAULT_REGISTER,
          year: vietnamDate(issuedAt).year,
          symbol,
          issuedAt: issuedAt.toISOString(),
          issuedBy: caller.id,
          audit: event(caller, 'document.issued', doc.id, { versionHash: round.versionHash }),
        });
        if (!result.ok) return storeError(result.error);
        if (result.value.created) {
          log.info({ userId: caller.id, documentId: doc.id, number: result.value.issue.numberText }, 'document issued');
          // Frozen for everyone from now on: live editors become read-only at once.
          deps.onAccessChanged(doc.id);
        }
        return reply(200, await currentWorkflow(doc));
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/approvals',
      handler: async ({ caller }) => {
        const items: ApprovalItem[] = [];
        for (const pending of await store.listPendingSteps(caller.id)) {
          const [doc, workflow] = await Promise.all([store.getDocument(pending.documentId), store.getWorkflow(pending.documentId)]);
          const round = workflow?.rounds.find((r) => r.id === pending.roundId);
          const step = round?.steps[pending.stepIndex];
          const found = doc ? await deps.visibleDocument(doc.id, caller) : undefined;
          if (!found || found instanceof ApiError || !round || !step) continue;
          items.push({
            action: 'decide',
            document: deps.toApiDocument(found.doc, found.role),
            roundId: round.id,
            roundNumber: round.number,
            stepIndex: step.index,
            kind: step.kind,
            authority: step.authority,
            versionHash: round.versionHash,
            submittedBy: round.submittedBy,
            submittedAt: round.submittedAt,
          });
        }
        if (caller.roles.includes('clerk')) {
          for (const doc of await store.listAwaitingIssue(caller.agencyId)) {
            const found = await deps.visibleDocument(doc.id, caller);
            if (!(found instanceof ApiError)) items.push({ action: 'issue', document: deps.toApiDocument(found.doc, found.role) });
          }
        }
        return reply(200, { count: items.length, items } satisfies ApprovalsResponse);
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/documents/:id/copy',
      params: DocumentParams,
      body: CopyDocumentRequest,
      handler: async ({ params, body, caller }) => {
        const found = await deps.visibleDocument(params.id, caller);
        if (found instanceof ApiError) return found;
        const source = found.doc;
        const id = body.id ?? randomUUID();
        const existing = await store.getDocument(id);
        if (existing) {
          // A repeated call (an outbox replaying) gets the copy it made; anything else is a conflict.
          if (existing.ownerId !== caller.id || existing.type !== source.type) return new ApiError(409, 'conflict', 'another document already has this id');
          return reply(200, deps.toApiDocument(existing, 'owner'));
        }
        // The copy's first update is the whole stored state of the source, so it starts as the
        // source's content. It is written before the record: until the record exists the room is
        // invisible, and a retry after a failure in between writes the same update again, which
        // Yjs ignores.
        const room = await store.loadRoom(`doc:${source.id}`);
        const parts = room.snapshot ? [room.snapshot, ...room.updates] : [...room.updates];
        // Folded as the relay folds a log: the copy carries the text, not the source's deleted text.
        if (parts.length > 0) await store.appendUpdates([{ room: `doc:${id}`, update: foldUpdates(parts) }]);
        const now = nowIso();
        const { record, created } = await store.createDocument(
          { id, title: body.title ?? source.title, type: source.type, status: 'draft', agencyId: caller.agencyId, ownerId: caller.id, createdAt: now, updatedAt: now },
          event(caller, 'document.copied', id, { sourceId: source.id }),
        );
        if (!created && record.ownerId !== caller.id) return new ApiError(409, 'conflict', 'another document already has this id');
        log.info({ userId: caller.id, documentId: id, sourceId: source.id }, 'document copied');
        return reply(created ? 201 : 200, deps.toApiDocument(record, 'owner'));
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/admin/audit/verify',
      handler: async ({ caller }) => {
        if (!caller.roles.includes('admin')) return new ApiError(403, 'forbidden', 'only an administrator may verify the audit log');
        const result = await store.verifyAuditChain();
        if (!result.ok) log.error({ firstBroken: result.firstBroken }, 'audit chain broken');
        return reply(200, { ...result } satisfies ApiAuditVerification);
      },
    });
}
