/**
 * Each document's workflow (rounds, decisions, issue, who acts next) as this device last read it
 * from the server, kept in the local store so that a leader can read a submitted version and
 * decide with no network. Storing a workflow also brings the document's record up to its status,
 * so the list and the editor's lock follow the procedure without waiting for the next list refresh.
 *
 * Answers can arrive out of order (a slow poll after a decision's answer): a workflow is only
 * replaced by one at least as far along. Every step of the procedure adds one round, one decision
 * or the issue, so that count never goes back.
 */
import type { WorkflowResponse } from '../../common/api.ts';
import type { ApiResult } from '../api/client.ts';
import type { CongvuDb, DecisionOutcome, LocalWorkflow } from '../store/db.ts';

/** An unchanged workflow's "read at" time is renewed at most this often. */
export const UNCHANGED_REWRITE_MS = 60_000;

/** How far the procedure has gone: rounds submitted + decisions recorded + issued. */
export function progressOf(workflow: WorkflowResponse): number {
  let decisions = 0;
  for (const round of workflow.rounds) for (const step of round.steps) if (step.decision !== null) decisions++;
  return workflow.rounds.length + decisions + (workflow.issue === null ? 0 : 1);
}

/** Keeps the workflow (unless a newer one is already here) and the record's status in step with it. */
export async function storeWorkflow(db: CongvuDb, workflow: WorkflowResponse, at: Date = new Date()): Promise<void> {
  await db.transaction('rw', db.workflows, db.documents, async () => {
    const existing = await db.workflows.get(workflow.documentId);
    if (existing && progressOf(existing.workflow) > progressOf(workflow)) return;
    // The page polls every few seconds; an unchanged answer is not written again within a minute
    // ("read at" is shown to the minute), so the panel and its signature checks do not re-render
    // for nothing while the user types (a React commit walks the focused editor's DOM).
    if (
      existing &&
      at.getTime() - Date.parse(existing.fetchedAt) < UNCHANGED_REWRITE_MS &&
      JSON.stringify(existing.workflow) === JSON.stringify(workflow)
    ) {
      return;
    }
    const row: LocalWorkflow = { ...existing, documentId: workflow.documentId, workflow, fetchedAt: at.toISOString() };
    await db.workflows.put(row);
    const record = await db.documents.get(workflow.documentId);
    if (record && record.status !== workflow.status) await db.documents.update(workflow.documentId, { status: workflow.status });
  });
}

export function loadWorkflow(db: CongvuDb, documentId: string): Promise<LocalWorkflow | undefined> {
  return db.workflows.get(documentId);
}

/** Reads the workflow from the server and keeps it; the answer tells the caller what happened. */
export async function refreshWorkflow(
  api: { workflow(id: string): Promise<ApiResult<WorkflowResponse>> },
  db: CongvuDb,
  documentId: string,
): Promise<ApiResult<WorkflowResponse>> {
  const result = await api.workflow(documentId);
  if (result.ok) await storeWorkflow(db, result.value);
  return result;
}

/** The server's answer to this user's last decision on the document, shown until dismissed. */
export async function recordOutcome(db: CongvuDb, documentId: string, outcome: DecisionOutcome | undefined): Promise<void> {
  await db.workflows.update(documentId, { outcome });
}
