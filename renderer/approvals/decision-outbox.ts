/**
 * The approval procedure's commands in the workspace's outbox: registering this device's public
 * key, and a signed decision. A decision is signed on the device at the moment the user decides,
 * with or without a network, written to the outbox in that same moment (so a closed tab or an
 * outage loses nothing), shown as "Đang chờ gửi" while it waits, and sent in order when the
 * server answers. The server's answer, acceptance or refusal with its reason, is kept beside the
 * document's workflow (workflow-cache.ts) for the user to see.
 *
 * Only failures that say nothing about the command (no network, a server error, an expired
 * session) keep it waiting; any other answer is final. `replayed` after a lost answer means the
 * decision is already recorded, so it counts as accepted; `unknown_key` means the server does not
 * know this device's key (its registration was lost): the registration is queued again, then the
 * decision, once.
 */
import type { DecisionRequest, SigningKey, WorkflowResponse } from '../../common/api.ts';
import type { ApiFailure, ApiResult } from '../api/client.ts';
import { getKv, type CongvuDb, type DecisionOutcome, type OutboxEntry } from '../store/db.ts';
import { markRegistered, requeueRegistration } from './signing-key.ts';
import { recordOutcome, refreshWorkflow, storeWorkflow } from './workflow-cache.ts';

export type ApprovalOutboxEntry = Extract<OutboxEntry, { readonly kind: 'registerKey' | 'decide' }>;
export type DecideEntry = Extract<OutboxEntry, { readonly kind: 'decide' }>;

export function isApprovalCommand(entry: OutboxEntry): entry is ApprovalOutboxEntry {
  return entry.kind === 'registerKey' || entry.kind === 'decide';
}

/** What the outbox needs of the API client. */
export interface ApprovalApi {
  registerKey(request: { readonly publicKey: string; readonly proof: string }): Promise<ApiResult<SigningKey>>;
  decide(documentId: string, request: DecisionRequest): Promise<ApiResult<WorkflowResponse>>;
  workflow(documentId: string): Promise<ApiResult<WorkflowResponse>>;
}

/** A failure that says nothing about the command itself: keep it and try again later. */
export function isTransient(error: ApiFailure): boolean {
  return error.kind === 'network' || error.status >= 500 || error.status === 401 || error.status === 429;
}

/** Puts a signed decision in the outbox; the previous answer about this document is cleared. */
export async function queueDecision(db: CongvuDb, documentId: string, request: DecisionRequest): Promise<void> {
  await db.transaction('rw', db.outbox, db.workflows, async () => {
    const entry: OutboxEntry = { kind: 'decide', documentId, payload: request, createdAt: new Date().toISOString(), attempts: 0 };
    await db.outbox.add(entry);
    await db.workflows.update(documentId, { outcome: undefined });
  });
}

/** Signed decisions still waiting to be sent, for one document or all. */
export async function pendingDecisions(db: CongvuDb, documentId?: string): Promise<DecideEntry[]> {
  const entries = await db.outbox.orderBy('seq').toArray();
  return entries.filter((e): e is DecideEntry => e.kind === 'decide' && (documentId === undefined || e.documentId === documentId));
}

/**
 * Sends one approval command. Null when it is done with (accepted, or refused with the reason
 * recorded), and removed from the outbox; otherwise the transient failure, and the command stays.
 */
export async function sendApprovalCommand(db: CongvuDb, api: ApprovalApi, entry: ApprovalOutboxEntry): Promise<ApiFailure | null> {
  const seq = entry.seq as number;
  if (entry.kind === 'registerKey') {
    const result = await api.registerKey(entry.payload);
    if (!result.ok && isTransient(result.error)) return result.error;
    if (result.ok) await markRegistered(db, entry.payload.publicKey, result.value.createdAt);
    else console.warn('signing key registration refused', result.error);
    await db.outbox.delete(seq);
    return null;
  }

  const { documentId, payload } = entry;
  const result = await api.decide(documentId, payload);
  if (!result.ok && isTransient(result.error)) return result.error;
  const base = { roundId: payload.roundId, stepIndex: payload.stepIndex, decision: payload.decision, decidedAt: payload.decidedAt, at: new Date().toISOString() };

  if (result.ok) {
    await storeWorkflow(db, result.value);
    await finish(db, seq, documentId, { ...base, result: 'accepted' });
    return null;
  }
  const { code, message } = result.error as Extract<ApiFailure, { kind: 'http' }>;
  if (code === 'replayed') {
    // Recorded before; only the answer was lost.
    await refreshWorkflow(api, db, documentId);
    await finish(db, seq, documentId, { ...base, result: 'accepted' });
    return null;
  }
  if (code === 'unknown_key' && entry.reregistered !== true) {
    const key = await getKv(db, 'signingKey');
    if (key && key.keyId === payload.keyId) {
      // Registration first, then the same signed decision behind it.
      const { seq: _seq, ...again } = entry;
      await requeueRegistration(db, key);
      await db.transaction('rw', db.outbox, async () => {
        await db.outbox.delete(seq);
        const retry: OutboxEntry = { ...again, reregistered: true, attempts: entry.attempts + 1 };
        await db.outbox.add(retry);
      });
      return null;
    }
  }
  // Refused: the reason reaches the user; the workflow is read again so the panel shows what is true now.
  await refreshWorkflow(api, db, documentId);
  await finish(db, seq, documentId, { ...base, result: 'refused', code, message });
  return null;
}

async function finish(db: CongvuDb, seq: number, documentId: string, outcome: DecisionOutcome): Promise<void> {
  await db.transaction('rw', db.outbox, db.workflows, async () => {
    await db.outbox.delete(seq);
    await recordOutcome(db, documentId, outcome);
  });
}
