/**
 * Test support for the approval modules: workflows as the server answers them, with decisions
 * really signed by Ed25519 keys made here, so verification is exercised for real. Used by tests only.
 */
import type { StepDecision, WorkflowResponse, WorkflowRound } from '../../common/api.ts';
import { exportPublicKey, generateSigningKeyPair, keyIdOf, signDecision, type CryptoKeyPairLike } from '../../common/signing.ts';
import { nextAction, type ChainStep } from '../../common/workflow.ts';

export const DOC = '0b6f6f1e-0000-4000-8000-000000000001';
export const DRAFTER = '0b6f6f1e-0000-4000-8000-0000000000a1';
export const HEAD = '0b6f6f1e-0000-4000-8000-0000000000b1';
export const LEADER = '0b6f6f1e-0000-4000-8000-0000000000c1';
export const HASH_1 = '1'.repeat(64);
export const HASH_2 = '2'.repeat(64);

export interface TestSigner {
  readonly userId: string;
  readonly pair: CryptoKeyPairLike;
  readonly publicKey: string;
  readonly keyId: string;
}

export async function makeSigner(userId: string): Promise<TestSigner> {
  const pair = await generateSigningKeyPair();
  const publicKey = await exportPublicKey(pair.publicKey);
  return { userId, pair, publicKey, keyId: await keyIdOf(publicKey) };
}

export function round(id: string, number: number, versionHash: string, chain: readonly ChainStep[]): WorkflowRound {
  return {
    id,
    number,
    versionHash,
    stateVector: 'AA==',
    submittedBy: DRAFTER,
    submittedAt: '2026-01-05T01:00:00.000Z',
    status: 'open',
    currentStep: 0,
    steps: chain.map((step, index) => ({ index, kind: step.kind, assigneeId: step.assigneeId, authority: step.authority, decision: null })),
  };
}

export const CHAIN: readonly ChainStep[] = [
  { kind: 'check', assigneeId: HEAD, authority: null },
  { kind: 'sign', assigneeId: LEADER, authority: 'KT.' },
];

/** A recorded decision, signed by the signer over what the step says. */
export async function signedStep(
  r: WorkflowRound,
  stepIndex: number,
  signer: TestSigner,
  decision: 'approve' | 'return',
  comment?: string,
): Promise<StepDecision> {
  const decidedAt = '2026-01-05T02:00:00.000Z';
  const signature = await signDecision(signer.pair.privateKey, {
    documentId: DOC,
    versionHash: r.versionHash,
    roundId: r.id,
    stepIndex,
    decision,
    ...(comment === undefined ? {} : { comment }),
    decidedAt,
    signerId: signer.userId,
  });
  return {
    decision,
    comment: comment ?? null,
    decidedAt,
    signerId: signer.userId,
    keyId: signer.keyId,
    signature,
    versionHash: r.versionHash,
    recordedAt: '2026-01-05T02:00:01.000Z',
  };
}

/** Puts a decision on a step of a round, with the round's status and current step following. */
export function withDecision(r: WorkflowRound, stepIndex: number, decision: StepDecision): WorkflowRound {
  const steps = r.steps.map((s) => (s.index === stepIndex ? { ...s, decision } : s));
  const returned = steps.some((s) => s.decision?.decision === 'return');
  const done = steps.every((s) => s.decision?.decision === 'approve');
  const waiting = steps.findIndex((s) => s.decision === null);
  return { ...r, steps, status: returned ? 'returned' : done ? 'completed' : 'open', currentStep: returned || done ? null : waiting };
}

/** The workflow answer for these rounds, its status and `next` derived as the server derives them. */
export function workflow(rounds: readonly WorkflowRound[], signers: readonly TestSigner[] = [], issued = false): WorkflowResponse {
  const last = rounds.at(-1);
  const status = issued
    ? 'issued'
    : last === undefined
      ? 'draft'
      : last.status === 'returned'
        ? 'returned'
        : last.status === 'completed'
          ? 'approved'
          : 'in_review';
  const state = {
    status,
    rounds: rounds.map((r) => ({
      id: r.id,
      number: r.number,
      versionHash: r.versionHash,
      submittedBy: r.submittedBy,
      submittedAt: r.submittedAt,
      steps: r.steps.map((s) => ({ kind: s.kind, assigneeId: s.assigneeId, authority: s.authority })),
      decisions: r.steps.map((s) => s.decision),
    })),
  } as const;
  return {
    documentId: DOC,
    status,
    rounds: [...rounds],
    issue: issued
      ? {
          number: 1,
          numberText: '01/STTTT-BCVT',
          register: 'main',
          year: 2026,
          issuedAt: '2026-01-05T03:00:00.000Z',
          issuedBy: DRAFTER,
          issueDate: '2026-01-05',
          dateLine: 'Ninh Bình, ngày 05 tháng 01 năm 2026',
        }
      : null,
    next: nextAction(state),
    keys: Object.fromEntries(signers.map((s) => [s.keyId, { userId: s.userId, publicKey: s.publicKey }])),
  };
}
