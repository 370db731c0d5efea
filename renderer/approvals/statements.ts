/**
 * The signed statements of the approval procedure as the client makes and checks them
 * (docs/approval.md, "Decide" and "Verifying offline"): the decision a step's assignee signs,
 * built from the workflow this device last read, and the status of every signature in a
 * document's history, verified here against the public keys the workflow carries, with no server.
 *
 * A statement always names the round's version hash, never the hash of whatever this device
 * happens to hold: the signer endorses the version under review. Whether the local copy IS that
 * version is checked separately (`mayApprove`), because an approval of content one has not read
 * must not be signed, while a return stays possible (docs/decisions.md).
 */
import type { DecisionRequest, WorkflowResponse, WorkflowRound, WorkflowStep } from '../../common/api.ts';
import { verifyDecision, type DecisionStatement } from '../../common/signing.ts';
import type { Decision } from '../../common/workflow.ts';

/** Why this user cannot decide now, as a code the UI translates. */
export type DecideRefusal = 'nothing_to_decide' | 'not_your_step' | 'comment_required';

export type BuiltDecision =
  | { readonly ok: true; readonly statement: DecisionStatement }
  | { readonly ok: false; readonly reason: DecideRefusal };

/** A comment as signed and sent: trimmed, in NFC (the server stores NFC and verifies that), empty as absent. */
export function normaliseComment(comment: string | undefined): string | undefined {
  const text = comment?.trim().normalize('NFC') ?? '';
  return text === '' ? undefined : text;
}

/** The round and step waiting for a decision, from the workflow's `next`. */
export function currentStep(workflow: WorkflowResponse): { readonly round: WorkflowRound; readonly step: WorkflowStep } | null {
  const next = workflow.next;
  if (next.action !== 'decide') return null;
  const round = workflow.rounds.find((r) => r.id === next.roundId);
  const step = round?.steps[next.stepIndex];
  return round && step ? { round, step } : null;
}

/** Whether this user is the assignee of the step waiting now. */
export function isAwaitingMe(workflow: WorkflowResponse, userId: string): boolean {
  return workflow.next.action === 'decide' && workflow.next.assigneeId === userId;
}

/** The statement this user signs to decide the current step. */
export function buildDecision(input: {
  readonly workflow: WorkflowResponse;
  readonly signerId: string;
  readonly decision: Decision;
  readonly comment?: string;
  readonly decidedAt: Date;
}): BuiltDecision {
  const current = currentStep(input.workflow);
  if (current === null) return { ok: false, reason: 'nothing_to_decide' };
  if (current.step.assigneeId !== input.signerId) return { ok: false, reason: 'not_your_step' };
  const comment = normaliseComment(input.comment);
  if (input.decision === 'return' && comment === undefined) return { ok: false, reason: 'comment_required' };
  return {
    ok: true,
    statement: {
      documentId: input.workflow.documentId,
      versionHash: current.round.versionHash,
      roundId: current.round.id,
      stepIndex: current.step.index,
      decision: input.decision,
      ...(comment === undefined ? {} : { comment }),
      decidedAt: input.decidedAt.toISOString(),
      signerId: input.signerId,
    },
  };
}

/** The request body that carries a signed statement (exactly the signed fields, plus key and signature). */
export function decisionRequest(statement: DecisionStatement, keyId: string, signature: string): DecisionRequest {
  return {
    roundId: statement.roundId,
    stepIndex: statement.stepIndex,
    decision: statement.decision,
    ...(statement.comment === undefined ? {} : { comment: statement.comment }),
    versionHash: statement.versionHash,
    decidedAt: statement.decidedAt,
    keyId,
    signature,
  };
}

/**
 * Whether the local copy may be approved: it must be exactly the version under review. A return
 * does not need this (it endorses nothing).
 */
export function mayApprove(workflow: WorkflowResponse, localHash: string | null): boolean {
  const current = currentStep(workflow);
  return current !== null && localHash !== null && localHash === current.round.versionHash;
}

/**
 * A decided step's signature, as the timeline shows it:
 * - `valid`: verifies against the signer's registered key, and the content shown is the version
 *   signed;
 * - `stale`: verifies, but the content shown is not the version signed ("không còn khớp"), e.g.
 *   a return of an earlier round, or a copy that changed since;
 * - `invalid`: does not verify, or the key is not the signer's;
 * - `unknown`: the content shown is not known yet (still loading), so matching cannot be told.
 */
export type SignatureStatus = 'valid' | 'stale' | 'invalid' | 'unknown';

/** The statement a recorded decision was signed over, rebuilt from the workflow. */
export function recordedStatement(documentId: string, round: WorkflowRound, step: WorkflowStep): DecisionStatement | null {
  const d = step.decision;
  if (d === null) return null;
  return {
    documentId,
    versionHash: d.versionHash,
    roundId: round.id,
    stepIndex: step.index,
    decision: d.decision,
    ...(d.comment === null ? {} : { comment: d.comment }),
    decidedAt: d.decidedAt,
    signerId: d.signerId,
  };
}

/** Verifies one recorded decision against the key the workflow names; false when anything is off. */
export async function verifyRecordedDecision(workflow: WorkflowResponse, round: WorkflowRound, step: WorkflowStep): Promise<boolean> {
  const statement = recordedStatement(workflow.documentId, round, step);
  if (statement === null || step.decision === null) return false;
  const key = workflow.keys[step.decision.keyId];
  if (!key || key.userId !== step.decision.signerId || step.decision.signerId !== step.assigneeId) return false;
  return verifyDecision(key.publicKey, statement, step.decision.signature);
}

/** The status shown for a decision that did (or did not) verify, against the content now shown. */
export function signatureStatus(verified: boolean, signedHash: string, shownHash: string | null): SignatureStatus {
  if (!verified) return 'invalid';
  if (shownHash === null) return 'unknown';
  return shownHash === signedHash ? 'valid' : 'stale';
}

/** Verifies every decision of a workflow at once; keyed by signature. */
export async function verifyAll(workflow: WorkflowResponse): Promise<ReadonlyMap<string, boolean>> {
  const checks: Promise<readonly [string, boolean]>[] = [];
  for (const round of workflow.rounds) {
    for (const step of round.steps) {
      if (step.decision === null) continue;
      const signature = step.decision.signature;
      checks.push(verifyRecordedDecision(workflow, round, step).then((ok) => [signature, ok] as const));
    }
  }
  return new Map(await Promise.all(checks));
}
