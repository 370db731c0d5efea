/**
 * What the approval panel and its dialogs do, as plain functions over the workspace:
 *
 * - decide: sign on this device and queue in the outbox, with or without a network (the only
 *   step that works offline: the statement is complete when signed, and the server checks it
 *   whenever it arrives);
 * - submit: online only. The server refuses a submission unless its stored copy is exactly the
 *   version named, so a queued submission could only be refused later, or name content the
 *   drafter kept editing after pressing "Trình". We wait for the document to reach the server,
 *   hash it then, and retry a refused hash a few times while the relay stores the last edits.
 * - issue: online only, never queued: the number is the server's to give (Decree 30).
 * - copy: online only: the copy is made from the server's stored state.
 *
 * Every refusal is a value with a code that approval.vi.ts translates.
 */
import type { ChainStepRequest, DocumentRecord, WorkflowResponse } from '../../common/api.ts';
import { contentHash, stateVectorBase64 } from '../../common/content-hash.ts';
import type { Decision } from '../../common/workflow.ts';
import type { ApiFailure } from '../api/client.ts';
import { getDocState } from '../store/update-log.ts';
import type { DocSession } from '../sync/doc-session.ts';
import type { Workspace } from '../sync/workspace.ts';
import { approvalServiceOf } from './approval-service.ts';
import { queueDecision } from './decision-outbox.ts';
import { ensureSigningKey, signStatement } from './signing-key.ts';
import { buildDecision, decisionRequest } from './statements.ts';
import { storeWorkflow } from './workflow-cache.ts';

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string };

const failed = (error: ApiFailure): { ok: false; code: string } => ({ ok: false, code: error.kind === 'network' ? 'offline' : error.code });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Signs the decision on this device and puts it in the outbox; sent at once if the server answers. */
export async function decide(
  workspace: Workspace,
  workflow: WorkflowResponse,
  decision: Decision,
  comment: string | undefined,
): Promise<Outcome<void>> {
  const built = buildDecision({ workflow, signerId: workspace.user.id, decision, comment, decidedAt: new Date() });
  if (!built.ok) return { ok: false, code: built.reason };
  const key = await ensureSigningKey(workspace.db, workspace.user.id);
  const signature = await signStatement(key, built.statement);
  await queueDecision(workspace.db, workflow.documentId, decisionRequest(built.statement, key.keyId, signature));
  // Sent now if the server answers; then "awaiting me" no longer lists this step.
  void workspace.flushOutbox().then(() => approvalServiceOf(workspace).refresh());
  return { ok: true, value: undefined };
}

/** Waits until the open document has nothing waiting for the server and its connection is live. */
async function untilSent(workspace: Workspace, session: DocSession, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await session.whenSaved();
    const state = await getDocState(workspace.db, session.docId);
    if (session.connection.live && session.snapshot.synced && state.pending === 0) return true;
    if (Date.now() > deadline || workspace.connectivity.state !== 'online') return false;
    await sleep(200);
  }
}

export type SubmitPhase = 'syncing' | 'sending';

/** Submits the version open in this session for review along the chain. */
export async function submit(
  workspace: Workspace,
  session: DocSession,
  chain: readonly ChainStepRequest[],
  onPhase: (phase: SubmitPhase) => void = () => {},
): Promise<Outcome<WorkflowResponse>> {
  if (workspace.connectivity.state !== 'online') return { ok: false, code: 'offline' };
  onPhase('syncing');
  if (!(await untilSent(workspace, session, 15_000))) {
    return { ok: false, code: workspace.connectivity.state === 'online' ? 'not_synced' : 'offline' };
  }
  onPhase('sending');
  // One round id for every attempt: a retried request is recognised, never a second round.
  const id = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    const versionHash = await contentHash(session.ydoc);
    const result = await workspace.api.submit(session.docId, { id, versionHash, stateVector: stateVectorBase64(session.ydoc), chain: [...chain] });
    if (result.ok) {
      await storeWorkflow(workspace.db, result.value);
      return result;
    }
    // The relay stores in ticks: our last edit may be a moment behind on the server.
    if (result.error.kind === 'http' && result.error.code === 'version_mismatch' && attempt < 8) {
      await sleep(400);
      await untilSent(workspace, session, 5_000);
      continue;
    }
    return failed(result.error);
  }
}

/** Numbers and issues the document (the clerk); the request id makes a retry get the same number. */
export async function issue(workspace: Workspace, documentId: string, requestId: string): Promise<Outcome<WorkflowResponse>> {
  const result = await workspace.api.issue(documentId, { requestId });
  if (!result.ok) return failed(result.error);
  await storeWorkflow(workspace.db, result.value);
  return result;
}

/** A new draft with the content of this one, owned by the caller; its record is stored here. */
export async function copy(workspace: Workspace, documentId: string): Promise<Outcome<DocumentRecord>> {
  const result = await workspace.api.copyDocument(documentId, { id: crypto.randomUUID() });
  if (!result.ok) return failed(result.error);
  // Through the workspace, so the new draft's content is fetched like any document never seen.
  await workspace.fetchDocument(result.value.id);
  return result;
}
