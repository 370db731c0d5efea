import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecisionRequest, SigningKey, WorkflowResponse } from '../../common/api.ts';
import type { ApiFailure, ApiResult } from '../api/client.ts';
import { openDb, type CongvuDb, type OutboxEntry } from '../store/db.ts';
import { isApprovalCommand, pendingDecisions, queueDecision, sendApprovalCommand, type ApprovalApi } from './decision-outbox.ts';
import { ensureSigningKey, loadSigningKey, signStatement } from './signing-key.ts';
import { buildDecision, decisionRequest } from './statements.ts';
import { CHAIN, DOC, HASH_1, HEAD, makeSigner, round, signedStep, withDecision, workflow } from './test-workflows.ts';
import { progressOf, storeWorkflow, UNCHANGED_REWRITE_MS } from './workflow-cache.ts';

const dbs: CongvuDb[] = [];
afterEach(async () => {
  const all = dbs.splice(0);
  for (const db of all) db.close();
  for (const name of new Set(all.map((db) => db.name))) await Dexie.delete(name);
});

const R1 = '0b6f6f1e-0000-4000-8000-00000000f001';
const open = round(R1, 1, HASH_1, CHAIN);
const inReview = workflow([open]);

/** A fake API that answers decisions with the queued answers, in order, and records the calls. */
function fakeApi(decisionAnswers: ApiResult<WorkflowResponse>[], current: WorkflowResponse = inReview) {
  const calls: string[] = [];
  const api: ApprovalApi = {
    async registerKey(request): Promise<ApiResult<SigningKey>> {
      calls.push('registerKey');
      return { ok: true, value: { keyId: 'k'.repeat(22), userId: HEAD, publicKey: request.publicKey, createdAt: '2026-01-05T02:00:00.000Z' } };
    },
    async decide(documentId: string, request: DecisionRequest): Promise<ApiResult<WorkflowResponse>> {
      calls.push(`decide ${documentId} ${request.decision}`);
      return decisionAnswers.shift() ?? { ok: false, error: { kind: 'network' } };
    },
    async workflow(): Promise<ApiResult<WorkflowResponse>> {
      calls.push('workflow');
      return { ok: true, value: current };
    },
  };
  return { api, calls };
}

const refused = (status: number, code: Extract<ApiFailure, { kind: 'http' }>['code'], message: string = code): ApiResult<WorkflowResponse> => ({
  ok: false,
  error: { kind: 'http', status, code, message },
});

/** A database where HEAD has the document in review, and has signed a decision about it. */
async function setUp(decision: 'approve' | 'return' = 'approve'): Promise<CongvuDb> {
  const db = openDb(`test-${crypto.randomUUID()}`);
  dbs.push(db);
  await db.documents.put({
    id: DOC,
    title: 'Công văn',
    type: 'CV',
    status: 'in_review',
    agencyId: 'stttt-ninhbinh',
    ownerId: HEAD,
    role: 'commenter',
    createdAt: '2026-01-05T00:00:00.000Z',
    updatedAt: '2026-01-05T00:00:00.000Z',
  });
  await storeWorkflow(db, inReview);
  const key = await ensureSigningKey(db, HEAD);
  const built = buildDecision({ workflow: inReview, signerId: HEAD, decision, comment: decision === 'return' ? 'Bổ sung.' : undefined, decidedAt: new Date() });
  if (!built.ok) throw new Error(built.reason);
  await queueDecision(db, DOC, decisionRequest(built.statement, key.keyId, await signStatement(key, built.statement)));
  return db;
}

/** Runs the outbox the way the workspace does: in order, stopping at the first transient failure. */
async function runOutbox(db: CongvuDb, api: ApprovalApi): Promise<ApiFailure | null> {
  for (;;) {
    const entry = (await db.outbox.orderBy('seq').first()) as OutboxEntry | undefined;
    if (!entry) return null;
    if (!isApprovalCommand(entry)) throw new Error(`unexpected ${entry.kind}`);
    const failure = await sendApprovalCommand(db, api, entry);
    if (failure) return failure;
  }
}

describe('signed decisions in the outbox', () => {
  it('wait while the server cannot be reached, shown as pending, in order behind the key registration', async () => {
    const db = await setUp();
    const { api, calls } = fakeApi([]);
    const failure = await runOutbox(db, { ...api, registerKey: async () => ({ ok: false, error: { kind: 'network' } }) });
    expect(failure).toEqual({ kind: 'network' });
    expect((await db.outbox.toArray()).map((e) => e.kind)).toEqual(['registerKey', 'decide']);
    expect(await pendingDecisions(db, DOC)).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it('once accepted leave the outbox, and the workflow, the record’s status and the answer are kept', async () => {
    const db = await setUp();
    const head = await makeSigner(HEAD);
    const after = workflow([withDecision(open, 0, await signedStep(open, 0, head, 'approve'))], [head]);
    const { api, calls } = fakeApi([{ ok: true, value: after }]);
    expect(await runOutbox(db, api)).toBeNull();
    expect(calls).toEqual(['registerKey', `decide ${DOC} approve`]);
    expect(await db.outbox.count()).toBe(0);
    expect((await loadSigningKey(db, HEAD))?.registeredAt).not.toBeNull();
    const row = await db.workflows.get(DOC);
    expect(progressOf(row!.workflow)).toBe(2);
    expect(row?.outcome).toMatchObject({ result: 'accepted', decision: 'approve', roundId: R1, stepIndex: 0 });
  });

  it('refused because the draft changed, reach the user with the reason, and are not sent again', async () => {
    const db = await setUp();
    const { api, calls } = fakeApi([refused(409, 'version_mismatch', 'the draft changed since you read it')]);
    expect(await runOutbox(db, api)).toBeNull();
    expect(calls).toEqual(['registerKey', `decide ${DOC} approve`, 'workflow']);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.workflows.get(DOC))?.outcome).toMatchObject({ result: 'refused', code: 'version_mismatch', message: 'the draft changed since you read it' });
  });

  it('answered "replayed" after a lost answer count as recorded', async () => {
    const db = await setUp('return');
    const { api } = fakeApi([refused(409, 'replayed')]);
    expect(await runOutbox(db, api)).toBeNull();
    expect((await db.workflows.get(DOC))?.outcome).toMatchObject({ result: 'accepted', decision: 'return' });
  });

  it('stay waiting through a server error or an expired session', async () => {
    const db = await setUp();
    await db.outbox.where('seq').equals((await db.outbox.orderBy('seq').first())!.seq!).delete();
    const { api } = fakeApi([refused(503, 'unavailable'), refused(401, 'token_expired')]);
    expect(await runOutbox(db, api)).toMatchObject({ status: 503 });
    expect(await runOutbox(db, api)).toMatchObject({ status: 401 });
    expect(await pendingDecisions(db)).toHaveLength(1);
  });

  it('refused for an unknown key register the key again and are sent once more behind it', async () => {
    const db = await setUp();
    const head = await makeSigner(HEAD);
    const after = workflow([withDecision(open, 0, await signedStep(open, 0, head, 'approve'))], [head]);
    const { api, calls } = fakeApi([refused(400, 'unknown_key'), { ok: true, value: after }]);
    expect(await runOutbox(db, api)).toBeNull();
    expect(calls).toEqual(['registerKey', `decide ${DOC} approve`, 'registerKey', `decide ${DOC} approve`]);
    expect((await db.workflows.get(DOC))?.outcome?.result).toBe('accepted');
  });
});

describe('the workflow cache', () => {
  it('keeps the newest workflow when answers arrive out of order, and brings the record’s status along', async () => {
    const db = openDb(`test-${crypto.randomUUID()}`);
    dbs.push(db);
    await db.documents.put({
      id: DOC,
      title: 'Công văn',
      type: 'CV',
      status: 'draft',
      agencyId: 'stttt-ninhbinh',
      ownerId: HEAD,
      role: 'owner',
      createdAt: '2026-01-05T00:00:00.000Z',
      updatedAt: '2026-01-05T00:00:00.000Z',
    });
    const head = await makeSigner(HEAD);
    const later = workflow([withDecision(open, 0, await signedStep(open, 0, head, 'return', 'Sửa lại.'))], [head]);
    await storeWorkflow(db, later);
    await storeWorkflow(db, inReview);
    expect((await db.workflows.get(DOC))?.workflow.status).toBe('returned');
    expect((await db.documents.get(DOC))?.status).toBe('returned');
  });

  it('does not write an unchanged answer again within a minute (the page polls every few seconds), but does after it, and always a changed one', async () => {
    const db = openDb(`test-${crypto.randomUUID()}`);
    dbs.push(db);
    const t0 = new Date('2026-01-05T03:00:00.000Z');
    await storeWorkflow(db, inReview, t0);
    const writes: unknown[] = [];
    db.workflows.hook('updating', (changes) => void writes.push(changes));
    db.workflows.hook('creating', (key) => void writes.push(key));
    await storeWorkflow(db, inReview, new Date(t0.getTime() + 4_000));
    await storeWorkflow(db, structuredClone(inReview), new Date(t0.getTime() + UNCHANGED_REWRITE_MS - 1));
    expect(writes).toHaveLength(0);
    expect((await db.workflows.get(DOC))?.fetchedAt).toBe(t0.toISOString());
    await storeWorkflow(db, inReview, new Date(t0.getTime() + UNCHANGED_REWRITE_MS));
    expect((await db.workflows.get(DOC))?.fetchedAt).toBe(new Date(t0.getTime() + UNCHANGED_REWRITE_MS).toISOString());
    const head = await makeSigner(HEAD);
    const changed = workflow([withDecision(open, 0, await signedStep(open, 0, head, 'approve'))], [head]);
    await storeWorkflow(db, changed, new Date(t0.getTime() + UNCHANGED_REWRITE_MS + 1_000));
    expect((await db.workflows.get(DOC))?.workflow).toEqual(changed);
  });
});
