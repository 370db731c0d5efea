/**
 * The procedure of Decree 30/2020 (DOMAIN.md, "The procedure") as a pure state machine, shared by
 * the server (which enforces it, inside the transaction that records each step) and the client
 * (which only uses it to show who acts next and what they may do).
 *
 * A document goes draft → in_review → returned | approved → issued. Submitting it opens a round: an
 * ordered chain of steps (check by the head of unit, approve, sign for issue), each assigned to one
 * person, who approves or returns it. A return ends the round and gives the draft back to the
 * drafter, whose next submission opens a new round; approving the last step (the signature) ends the
 * round and leaves the document approved, waiting for the clerk to number and issue it.
 *
 * Every function here is total: refusals are values with a stable code, never exceptions.
 */

export const DOCUMENT_STATUSES = ['draft', 'in_review', 'returned', 'approved', 'issued'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Kiểm tra (head of unit), duyệt (the competent leader), ký ban hành (the signer). */
export const STEP_KINDS = ['check', 'approve', 'sign'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * Signing on someone's behalf (DOMAIN.md, layout): TM. (on behalf of a collective), Q. (acting),
 * KT. (deputy for the head), TL. (by order of), TUQ. (by authorisation). Null: the head signs.
 */
export const AUTHORITIES = ['TM.', 'Q.', 'KT.', 'TL.', 'TUQ.'] as const;
export type Authority = (typeof AUTHORITIES)[number];

export const DECISIONS = ['approve', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export const ROUND_STATUSES = ['open', 'returned', 'completed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** Longest chain accepted: long enough for any real procedure, short enough to bound the work. */
export const MAX_CHAIN_STEPS = 10;

export interface ChainStep {
  readonly kind: StepKind;
  readonly assigneeId: string;
  /** Only on the sign step. */
  readonly authority: Authority | null;
}

export interface StepDecision {
  readonly decision: Decision;
  readonly signerId: string;
  readonly versionHash: string;
  readonly decidedAt: string;
  readonly comment: string | null;
}

export interface Round {
  readonly id: string;
  /** 1 for the first submission of the document, 2 for the next, … */
  readonly number: number;
  readonly versionHash: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly steps: readonly ChainStep[];
  /** One entry per step, null until decided. */
  readonly decisions: readonly (StepDecision | null)[];
}

export interface WorkflowState {
  readonly status: DocumentStatus;
  /** Oldest first. */
  readonly rounds: readonly Round[];
}

export const WORKFLOW_ERROR_CODES = [
  /** The chain is empty, too long, out of order, or lacks its one final sign step. */
  'invalid_chain',
  /** The document's status does not allow this (submitting an approved draft, issuing a draft, …). */
  'wrong_status',
  'round_not_found',
  /** The round was returned or completed: nothing more can be decided in it. */
  'round_closed',
  'step_not_found',
  /** The step is not the caller's. */
  'not_assignee',
  /** The step is the caller's but an earlier step is still waiting. */
  'not_current_step',
  'already_decided',
  /** The decision names another version than the one submitted: the draft changed since it was read. */
  'version_mismatch',
  /** A return must say why. */
  'comment_required',
] as const;
export type WorkflowErrorCode = (typeof WORKFLOW_ERROR_CODES)[number];

export interface WorkflowError {
  readonly code: WorkflowErrorCode;
  readonly message: string;
}

export type WorkflowResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WorkflowError };

const ok = <T>(value: T): WorkflowResult<T> => ({ ok: true, value });
const refuse = <T>(code: WorkflowErrorCode, message: string): WorkflowResult<T> => ({ ok: false, error: { code, message } });

export const EMPTY_WORKFLOW: WorkflowState = { status: 'draft', rounds: [] };

const KIND_ORDER: Readonly<Record<StepKind, number>> = { check: 0, approve: 1, sign: 2 };

/**
 * Why a chain cannot be submitted, or null when it can: 1 to MAX_CHAIN_STEPS steps, checks before
 * approvals, exactly one sign step and it comes last, an authority only on the sign step.
 */
export function chainProblem(chain: readonly ChainStep[]): WorkflowError | null {
  const problem = (message: string): WorkflowError => ({ code: 'invalid_chain', message });
  if (chain.length === 0) return problem('the chain has no steps');
  if (chain.length > MAX_CHAIN_STEPS) return problem(`the chain has more than ${MAX_CHAIN_STEPS} steps`);
  for (let i = 0; i < chain.length; i++) {
    const step = chain[i];
    const last = i === chain.length - 1;
    if (step.kind === 'sign' && !last) return problem(`step ${i}: the sign step must be the last one`);
    if (last && step.kind !== 'sign') return problem('the last step must be the sign step (ký ban hành)');
    if (i > 0 && KIND_ORDER[step.kind] < KIND_ORDER[chain[i - 1].kind]) return problem(`step ${i}: a ${step.kind} step cannot follow a ${chain[i - 1].kind} step`);
    if (step.authority !== null && step.kind !== 'sign') return problem(`step ${i}: only the sign step carries an authority (${step.authority})`);
  }
  return null;
}

/** The round's status, from its decisions. */
export function roundStatus(round: Round): RoundStatus {
  if (round.decisions.some((decision) => decision?.decision === 'return')) return 'returned';
  return round.steps.every((_, i) => round.decisions[i]?.decision === 'approve') ? 'completed' : 'open';
}

/** Index of the step waiting for a decision in an open round, or null when the round is closed. */
export function currentStepIndex(round: Round): number | null {
  if (roundStatus(round) !== 'open') return null;
  const index = round.steps.findIndex((_, i) => round.decisions[i] == null);
  return index === -1 ? null : index;
}

export function latestRound(state: WorkflowState): Round | null {
  return state.rounds.length === 0 ? null : state.rounds[state.rounds.length - 1];
}

/** The round under review, if there is one. */
export function openRound(state: WorkflowState): Round | null {
  const round = latestRound(state);
  return round !== null && roundStatus(round) === 'open' ? round : null;
}

/** The completed round whose signature made the document approved (and then issued). */
export function approvedRound(state: WorkflowState): Round | null {
  if (state.status !== 'approved' && state.status !== 'issued') return null;
  const round = latestRound(state);
  return round !== null && roundStatus(round) === 'completed' ? round : null;
}

export interface Submission {
  readonly roundId: string;
  readonly submittedBy: string;
  readonly submittedAt: string;
  readonly versionHash: string;
  readonly chain: readonly ChainStep[];
}

/** Opens a new round: from a draft, or from a returned draft (a resubmission). */
export function submit(state: WorkflowState, submission: Submission): WorkflowResult<WorkflowState> {
  if (state.status !== 'draft' && state.status !== 'returned') {
    return refuse('wrong_status', `a document that is ${state.status} cannot be submitted; only a draft or a returned draft can`);
  }
  const problem = chainProblem(submission.chain);
  if (problem) return { ok: false, error: problem };
  const round: Round = {
    id: submission.roundId,
    number: state.rounds.length + 1,
    versionHash: submission.versionHash,
    submittedBy: submission.submittedBy,
    submittedAt: submission.submittedAt,
    steps: submission.chain,
    decisions: submission.chain.map(() => null),
  };
  return ok({ status: 'in_review', rounds: [...state.rounds, round] });
}

export interface DecisionInput {
  readonly roundId: string;
  readonly stepIndex: number;
  readonly decision: Decision;
  readonly signerId: string;
  /** The version the signer read and signed. */
  readonly versionHash: string;
  readonly decidedAt: string;
  readonly comment: string | null;
}

/**
 * Records one step's decision. Checked in this order, so each refusal names the first thing wrong:
 * the round exists and is open, the step exists and is the signer's, it is not decided yet, it is
 * the current one, the signer read the submitted version, and a return says why.
 */
export function decide(state: WorkflowState, input: DecisionInput): WorkflowResult<WorkflowState> {
  const index = state.rounds.findIndex((round) => round.id === input.roundId);
  if (index === -1) return refuse('round_not_found', 'no such round of this document');
  const round = state.rounds[index];
  if (roundStatus(round) !== 'open' || state.status !== 'in_review') {
    return refuse('round_closed', `round ${round.number} is ${roundStatus(round)}: nothing more can be decided in it`);
  }
  const step = round.steps[input.stepIndex];
  if (!Number.isInteger(input.stepIndex) || step === undefined) return refuse('step_not_found', `round ${round.number} has no step ${input.stepIndex}`);
  if (step.assigneeId !== input.signerId) return refuse('not_assignee', `step ${input.stepIndex} is assigned to someone else`);
  if (round.decisions[input.stepIndex] != null) return refuse('already_decided', `step ${input.stepIndex} has already been decided`);
  if (currentStepIndex(round) !== input.stepIndex) return refuse('not_current_step', `step ${input.stepIndex} waits for the steps before it`);
  if (input.versionHash !== round.versionHash) {
    return refuse('version_mismatch', 'the draft changed since you read it: the decision names another version than the one submitted');
  }
  // Kept as signed (an empty comment is no comment, as in the signed statement), so the stored
  // decision rebuilds the exact bytes its signature covers.
  const comment = input.comment === '' ? null : input.comment;
  if (input.decision === 'return' && !comment?.trim()) return refuse('comment_required', 'a return must say why in a comment');

  const decisions = round.decisions.map((existing, i) =>
    i === input.stepIndex
      ? { decision: input.decision, signerId: input.signerId, versionHash: input.versionHash, decidedAt: input.decidedAt, comment }
      : existing,
  );
  const decided: Round = { ...round, decisions };
  const after = roundStatus(decided);
  const status: DocumentStatus = after === 'returned' ? 'returned' : after === 'completed' ? 'approved' : 'in_review';
  return ok({ status, rounds: state.rounds.map((r, i) => (i === index ? decided : r)) });
}

/** Numbers and issues an approved document (the clerk's step); the document is then frozen. */
export function issue(state: WorkflowState): WorkflowResult<WorkflowState> {
  if (state.status !== 'approved') {
    return refuse('wrong_status', `only an approved document can be issued; this one is ${state.status}`);
  }
  return ok({ ...state, status: 'issued' });
}

/** What happens next, and who does it. */
export type NextAction =
  /** The drafter (owner or an editor) submits: a new draft, or a returned one. */
  | { readonly action: 'submit' }
  /** The assignee of the current step decides. */
  | { readonly action: 'decide'; readonly roundId: string; readonly stepIndex: number; readonly assigneeId: string; readonly kind: StepKind }
  /** A clerk of the document's agency numbers and issues it. */
  | { readonly action: 'issue' }
  /** Issued: nothing more. */
  | { readonly action: 'none' };

export function nextAction(state: WorkflowState): NextAction {
  switch (state.status) {
    case 'draft':
    case 'returned':
      return { action: 'submit' };
    case 'in_review': {
      const round = openRound(state);
      const index = round === null ? null : currentStepIndex(round);
      if (round === null || index === null) return { action: 'none' };
      const step = round.steps[index];
      return { action: 'decide', roundId: round.id, stepIndex: index, assigneeId: step.assigneeId, kind: step.kind };
    }
    case 'approved':
      return { action: 'issue' };
    case 'issued':
      return { action: 'none' };
  }
}

/** The step waiting for this user, if any: what "Chờ tôi xử lý" lists for a document. */
export function stepAwaiting(state: WorkflowState, userId: string): { roundId: string; stepIndex: number } | null {
  const next = nextAction(state);
  return next.action === 'decide' && next.assigneeId === userId ? { roundId: next.roundId, stepIndex: next.stepIndex } : null;
}

/** Whether the document's content may change: only while it is with the drafter. */
export function isContentEditable(status: DocumentStatus): boolean {
  return status === 'draft' || status === 'returned';
}
