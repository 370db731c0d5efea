/**
 * The chain of a submission as the submit dialog builds it: checks (kiểm tra) by heads of unit,
 * then approvals (duyệt), then exactly one signature for issue (ký ban hành), with the signer's
 * authority (none, KT., TL., TUQ., TM., Q.). The dialog keeps the three groups apart, so the order
 * rule of common/workflow.ts holds by construction; what can still be wrong (a step without a
 * person, too many steps) is named here as codes the UI translates, before anything is sent.
 */
import type { ChainStepRequest, User } from '../../common/api.ts';
import { chainProblem, MAX_CHAIN_STEPS, type Authority } from '../../common/workflow.ts';

export interface ChainDraft {
  /** Assignee ids, '' while no one is chosen. */
  readonly checks: readonly string[];
  readonly approvals: readonly string[];
  readonly signer: string;
  readonly authority: Authority | null;
}

export type ChainIssue = 'missing_person' | 'missing_signer' | 'too_many_steps' | 'invalid';

/** People who can take a step: the users of the document's agency (the server refuses others). */
export function eligibleAssignees(users: readonly User[], agencyId: string): User[] {
  return users
    .filter((u) => u.agencyId === agencyId)
    // The system administrator's account is not a person of the procedure.
    .filter((u) => !(u.roles.length > 0 && u.roles.every((role) => role === 'admin')))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'vi'));
}

/**
 * A first proposal: a check by a head of the drafter's unit, the signature of the agency's leader
 * (the people the roles name), so the common case is one click. Nobody is guessed when no role
 * says who: the drafter chooses.
 */
export function proposeChain(users: readonly User[], me: User, agencyId: string): ChainDraft {
  const people = eligibleAssignees(users, agencyId).filter((u) => u.id !== me.id);
  const head = people.find((u) => u.roles.includes('head_of_unit') && u.unit === me.unit) ?? people.find((u) => u.roles.includes('head_of_unit'));
  const leader = people.find((u) => u.roles.includes('leader'));
  return { checks: head ? [head.id] : [], approvals: [], signer: leader?.id ?? '', authority: null };
}

export function stepCount(draft: ChainDraft): number {
  return draft.checks.length + draft.approvals.length + 1;
}

/** What must be fixed before the chain can be sent, or null. */
export function chainIssue(draft: ChainDraft): ChainIssue | null {
  if (stepCount(draft) > MAX_CHAIN_STEPS) return 'too_many_steps';
  if (draft.checks.some((id) => id === '') || draft.approvals.some((id) => id === '')) return 'missing_person';
  if (draft.signer === '') return 'missing_signer';
  return chainProblem(toChain(draft).map((s) => ({ ...s, authority: s.authority ?? null }))) === null ? null : 'invalid';
}

/** The chain as the API takes it, in order. */
export function toChain(draft: ChainDraft): ChainStepRequest[] {
  return [
    ...draft.checks.map((assigneeId): ChainStepRequest => ({ kind: 'check', assigneeId, authority: null })),
    ...draft.approvals.map((assigneeId): ChainStepRequest => ({ kind: 'approve', assigneeId, authority: null })),
    { kind: 'sign', assigneeId: draft.signer, authority: draft.authority },
  ];
}
