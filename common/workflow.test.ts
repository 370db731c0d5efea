import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvedRound,
  chainProblem,
  currentStepIndex,
  decide,
  EMPTY_WORKFLOW,
  isContentEditable,
  issue,
  nextAction,
  openRound,
  roundStatus,
  stepAwaiting,
  submit,
  type ChainStep,
  type DecisionInput,
  type DocumentStatus,
  type WorkflowResult,
  type WorkflowState,
} from './workflow.ts';

const HASH_1 = '1'.repeat(64);
const HASH_2 = '2'.repeat(64);
const chain: readonly ChainStep[] = [
  { kind: 'check', assigneeId: 'binh', authority: null },
  { kind: 'approve', assigneeId: 'binh', authority: null },
  { kind: 'sign', assigneeId: 'cuong', authority: 'KT.' },
];

function value<T>(result: WorkflowResult<T>): T {
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function errorCode<T>(result: WorkflowResult<T>): string {
  if (result.ok) throw new Error('expected a refusal');
  return result.error.code;
}

const submitted = (state: WorkflowState = EMPTY_WORKFLOW, roundId = 'r1', versionHash = HASH_1): WorkflowState =>
  value(submit(state, { roundId, submittedBy: 'an', submittedAt: '2026-01-05T01:00:00.000Z', versionHash, chain }));

const decision = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
  roundId: 'r1',
  stepIndex: 0,
  decision: 'approve',
  signerId: 'binh',
  versionHash: HASH_1,
  decidedAt: '2026-01-05T02:00:00.000Z',
  comment: null,
  ...overrides,
});

describe('chains', () => {
  it('accepts check, approve and sign steps in that order, ending with one sign step', () => {
    expect(chainProblem(chain)).toBeNull();
    expect(chainProblem([{ kind: 'sign', assigneeId: 'cuong', authority: null }])).toBeNull();
    expect(chainProblem([{ kind: 'check', assigneeId: 'binh', authority: null }, { kind: 'sign', assigneeId: 'cuong', authority: 'TUQ.' }])).toBeNull();
  });

  it('refuses empty, overlong, unordered or unsigned chains, and authorities off the sign step', () => {
    const sign: ChainStep = { kind: 'sign', assigneeId: 'cuong', authority: null };
    const check: ChainStep = { kind: 'check', assigneeId: 'binh', authority: null };
    const approve: ChainStep = { kind: 'approve', assigneeId: 'binh', authority: null };
    const bad: (readonly ChainStep[])[] = [
      [],
      Array.from({ length: 11 }, (_, i) => (i === 10 ? sign : check)),
      [check],
      [sign, check],
      [sign, sign],
      [approve, check, sign],
      [{ ...check, authority: 'KT.' }, sign],
    ];
    for (const candidate of bad) expect(chainProblem(candidate)?.code, JSON.stringify(candidate)).toBe('invalid_chain');
  });
});

describe('the procedure', () => {
  it('runs draft → in review → approved → issued, one step after the other', () => {
    let state = submitted();
    expect(state.status).toBe('in_review');
    expect(nextAction(state)).toEqual({ action: 'decide', roundId: 'r1', stepIndex: 0, assigneeId: 'binh', kind: 'check' });
    state = value(decide(state, decision()));
    expect(stepAwaiting(state, 'binh')).toEqual({ roundId: 'r1', stepIndex: 1 });
    state = value(decide(state, decision({ stepIndex: 1 })));
    expect(stepAwaiting(state, 'binh')).toBeNull();
    expect(stepAwaiting(state, 'cuong')).toEqual({ roundId: 'r1', stepIndex: 2 });
    state = value(decide(state, decision({ stepIndex: 2, signerId: 'cuong' })));
    expect(state.status).toBe('approved');
    expect(roundStatus(state.rounds[0])).toBe('completed');
    expect(approvedRound(state)?.id).toBe('r1');
    expect(nextAction(state)).toEqual({ action: 'issue' });
    state = value(issue(state));
    expect(state.status).toBe('issued');
    expect(nextAction(state)).toEqual({ action: 'none' });
    expect(approvedRound(state)?.id).toBe('r1');
  });

  it('a return ends the round and gives the draft back; a resubmission opens round 2', () => {
    let state = value(decide(submitted(), decision({ decision: 'return', comment: 'Bổ sung căn cứ.' })));
    expect(state.status).toBe('returned');
    expect(roundStatus(state.rounds[0])).toBe('returned');
    expect(openRound(state)).toBeNull();
    expect(nextAction(state)).toEqual({ action: 'submit' });

    state = submitted(state, 'r2', HASH_2);
    expect(state.rounds.map((round) => round.number)).toEqual([1, 2]);
    expect(openRound(state)?.id).toBe('r2');
    expect(currentStepIndex(state.rounds[1])).toBe(0);
    expect(errorCode(decide(state, decision()))).toBe('round_closed');
    expect(errorCode(decide(state, decision({ roundId: 'r2' })))).toBe('version_mismatch');
    expect(value(decide(state, decision({ roundId: 'r2', versionHash: HASH_2 }))).status).toBe('in_review');
  });

  it('a return at the signature, after earlier approvals, also goes back to the drafter', () => {
    let state = value(decide(submitted(), decision()));
    state = value(decide(state, decision({ stepIndex: 1 })));
    state = value(decide(state, decision({ stepIndex: 2, signerId: 'cuong', decision: 'return', comment: 'Sửa trích yếu.' })));
    expect(state.status).toBe('returned');
  });

  it('refuses to submit what is under review, approved or issued', () => {
    const inReview = submitted();
    expect(errorCode(submit(inReview, { roundId: 'r2', submittedBy: 'an', submittedAt: 'x', versionHash: HASH_1, chain }))).toBe('wrong_status');
    for (const status of ['approved', 'issued'] as const) {
      expect(errorCode(submit({ status, rounds: [] }, { roundId: 'r2', submittedBy: 'an', submittedAt: 'x', versionHash: HASH_1, chain }))).toBe('wrong_status');
    }
    expect(errorCode(submit(EMPTY_WORKFLOW, { roundId: 'r1', submittedBy: 'an', submittedAt: 'x', versionHash: HASH_1, chain: [] }))).toBe('invalid_chain');
  });

  it('refuses a decision by anyone but the step’s assignee, out of turn, twice, on another version or a return without a reason', () => {
    const state = submitted();
    expect(errorCode(decide(state, decision({ roundId: 'nope' })))).toBe('round_not_found');
    expect(errorCode(decide(state, decision({ stepIndex: 3 })))).toBe('step_not_found');
    expect(errorCode(decide(state, decision({ stepIndex: -1 })))).toBe('step_not_found');
    expect(errorCode(decide(state, decision({ stepIndex: 0.5 })))).toBe('step_not_found');
    expect(errorCode(decide(state, decision({ signerId: 'cuong' })))).toBe('not_assignee');
    expect(errorCode(decide(state, decision({ signerId: 'an' })))).toBe('not_assignee');
    expect(errorCode(decide(state, decision({ stepIndex: 2, signerId: 'cuong' })))).toBe('not_current_step');
    expect(errorCode(decide(state, decision({ stepIndex: 1 })))).toBe('not_current_step');
    expect(errorCode(decide(state, decision({ versionHash: HASH_2 })))).toBe('version_mismatch');
    expect(errorCode(decide(state, decision({ decision: 'return' })))).toBe('comment_required');
    expect(errorCode(decide(state, decision({ decision: 'return', comment: '   ' })))).toBe('comment_required');
    const once = value(decide(state, decision()));
    expect(errorCode(decide(once, decision()))).toBe('already_decided');
  });

  it('refuses to issue anything but an approved document', () => {
    for (const status of ['draft', 'in_review', 'returned', 'issued'] as const) {
      expect(errorCode(issue({ status, rounds: [] }))).toBe('wrong_status');
    }
  });

  it('lets the content change only while the draft is with the drafter', () => {
    const editable: Record<DocumentStatus, boolean> = { draft: true, in_review: false, returned: true, approved: false, issued: false };
    for (const [status, expected] of Object.entries(editable)) expect(isContentEditable(status as DocumentStatus)).toBe(expected);
  });
});

describe('invariants under any sequence of commands', () => {
  type Command =
    | { kind: 'submit'; hash: number }
    | { kind: 'decide'; signer: string; step: number; approve: boolean; round: number; hash: number }
    | { kind: 'issue' };
  const people = ['an', 'binh', 'cuong', 'chi'];
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ kind: fc.constant('submit' as const), hash: fc.nat(1) }),
    fc.record({
      kind: fc.constant('decide' as const),
      signer: fc.constantFrom(...people),
      step: fc.nat(3),
      approve: fc.boolean(),
      round: fc.nat(3),
      hash: fc.nat(1),
    }),
    fc.record({ kind: fc.constant('issue' as const) }),
  );

  it('the status always agrees with the rounds, and only the last round can be open', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 40 }), (commands) => {
        let state = EMPTY_WORKFLOW;
        let issuedOnce = false;
        for (const c of commands) {
          const before = state;
          let result: WorkflowResult<WorkflowState>;
          if (c.kind === 'submit') {
            result = submit(state, { roundId: `r${state.rounds.length + 1}`, submittedBy: 'an', submittedAt: 't', versionHash: [HASH_1, HASH_2][c.hash], chain });
          } else if (c.kind === 'decide') {
            result = decide(state, {
              roundId: `r${c.round}`,
              stepIndex: c.step,
              decision: c.approve ? 'approve' : 'return',
              signerId: c.signer,
              versionHash: [HASH_1, HASH_2][c.hash],
              decidedAt: 't',
              comment: c.approve ? null : 'lý do',
            });
          } else {
            result = issue(state);
          }
          if (!result.ok) {
            continue; // a refusal changes nothing: state is a value, and `before` is kept
          }
          state = result.value;
          // Past decisions are never rewritten.
          before.rounds.forEach((round, i) => round.decisions.forEach((d, j) => d !== null && expect(state.rounds[i].decisions[j]).toEqual(d)));
          if (state.status === 'issued') {
            expect(issuedOnce || before.status === 'approved').toBe(true);
            issuedOnce = true;
          }
        }
        const last = state.rounds.at(-1);
        state.rounds.slice(0, -1).forEach((round) => expect(roundStatus(round)).not.toBe('open'));
        const expected: Record<string, DocumentStatus[]> = {
          none: ['draft'],
          open: ['in_review'],
          returned: ['returned'],
          completed: ['approved', 'issued'],
        };
        expect(expected[last ? roundStatus(last) : 'none']).toContain(state.status);
        // Once issued, nothing more is accepted.
        if (state.status === 'issued') expect(nextAction(state)).toEqual({ action: 'none' });
      }),
      { numRuns: 500 },
    );
  });
});
