import { describe, expect, it } from 'vitest';
import { DecisionRequest } from '../../common/api.ts';
import { signDecision, verifyDecision } from '../../common/signing.ts';
import {
  buildDecision,
  decisionRequest,
  isAwaitingMe,
  mayApprove,
  normaliseComment,
  signatureStatus,
  verifyAll,
  verifyRecordedDecision,
} from './statements.ts';
import { CHAIN, DOC, DRAFTER, HASH_1, HASH_2, HEAD, LEADER, makeSigner, round, signedStep, withDecision, workflow } from './test-workflows.ts';

const R1 = '0b6f6f1e-0000-4000-8000-00000000f001';
const R2 = '0b6f6f1e-0000-4000-8000-00000000f002';
const AT = new Date('2026-01-05T02:30:00.000Z');

describe('building a decision', () => {
  it('names the round’s version, round and current step, and is what the assignee signs', async () => {
    const flow = workflow([round(R1, 1, HASH_1, CHAIN)]);
    const built = buildDecision({ workflow: flow, signerId: HEAD, decision: 'approve', decidedAt: AT });
    expect(built).toEqual({
      ok: true,
      statement: { documentId: DOC, versionHash: HASH_1, roundId: R1, stepIndex: 0, decision: 'approve', decidedAt: AT.toISOString(), signerId: HEAD },
    });
  });

  it('refuses someone who is not the current step’s assignee, and a return without a comment', () => {
    const flow = workflow([round(R1, 1, HASH_1, CHAIN)]);
    expect(buildDecision({ workflow: flow, signerId: LEADER, decision: 'approve', decidedAt: AT })).toEqual({ ok: false, reason: 'not_your_step' });
    expect(buildDecision({ workflow: flow, signerId: HEAD, decision: 'return', comment: '   ', decidedAt: AT })).toEqual({ ok: false, reason: 'comment_required' });
    expect(buildDecision({ workflow: workflow([]), signerId: HEAD, decision: 'approve', decidedAt: AT })).toEqual({ ok: false, reason: 'nothing_to_decide' });
  });

  it('signs a comment trimmed and in NFC, so the server (which stores NFC) verifies the same bytes', async () => {
    const nfd = '  Đề nghị bổ sung căn cứ pháp lý.  '.normalize('NFD');
    expect(normaliseComment(nfd)).toBe('Đề nghị bổ sung căn cứ pháp lý.'.normalize('NFC'));
    const flow = workflow([round(R1, 1, HASH_1, CHAIN)]);
    const built = buildDecision({ workflow: flow, signerId: HEAD, decision: 'return', comment: nfd, decidedAt: AT });
    if (!built.ok) throw new Error(built.reason);
    const signer = await makeSigner(HEAD);
    const signature = await signDecision(signer.pair.privateKey, built.statement);
    const request = DecisionRequest.parse(decisionRequest(built.statement, signer.keyId, signature));
    // What the server rebuilds from the request, NFC comment included, verifies.
    const rebuilt = { ...built.statement, comment: request.comment?.normalize('NFC') };
    expect(await verifyDecision(signer.publicKey, rebuilt, request.signature)).toBe(true);
  });

  it('allows approving only the exact version under review', () => {
    const flow = workflow([round(R1, 1, HASH_1, CHAIN)]);
    expect(mayApprove(flow, HASH_1)).toBe(true);
    expect(mayApprove(flow, HASH_2)).toBe(false);
    expect(mayApprove(flow, null)).toBe(false);
    expect(isAwaitingMe(flow, HEAD)).toBe(true);
    expect(isAwaitingMe(flow, LEADER)).toBe(false);
  });
});

describe('verifying the history offline', () => {
  it('verifies every recorded decision against the signer’s registered key, and calls a changed version no longer matching', async () => {
    const head = await makeSigner(HEAD);
    const leader = await makeSigner(LEADER);
    let first = round(R1, 1, HASH_1, CHAIN);
    first = withDecision(first, 0, await signedStep(first, 0, head, 'return', 'Bổ sung căn cứ.'));
    let second = round(R2, 2, HASH_2, CHAIN);
    second = withDecision(second, 0, await signedStep(second, 0, head, 'approve'));
    second = withDecision(second, 1, await signedStep(second, 1, leader, 'approve'));
    const flow = workflow([first, second], [head, leader]);
    expect(flow.status).toBe('approved');

    const verified = await verifyAll(flow);
    expect([...verified.values()]).toEqual([true, true, true]);
    const returned = first.steps[0].decision!;
    expect(signatureStatus(verified.get(returned.signature)!, returned.versionHash, HASH_2)).toBe('stale');
    const approved = second.steps[1].decision!;
    expect(signatureStatus(verified.get(approved.signature)!, approved.versionHash, HASH_2)).toBe('valid');
    expect(signatureStatus(true, HASH_2, null)).toBe('unknown');
  });

  it('does not verify a changed comment, another signer’s key, or a key the workflow does not carry', async () => {
    const head = await makeSigner(HEAD);
    const intruder = await makeSigner(DRAFTER);
    let r = round(R1, 1, HASH_1, CHAIN);
    r = withDecision(r, 0, await signedStep(r, 0, head, 'return', 'Bổ sung căn cứ.'));
    const flow = workflow([r], [head, intruder]);
    expect(await verifyRecordedDecision(flow, r, r.steps[0])).toBe(true);

    const edited = withDecision(r, 0, { ...r.steps[0].decision!, comment: 'Đồng ý.' });
    expect(await verifyRecordedDecision(flow, edited, edited.steps[0])).toBe(false);

    let forged = round(R1, 1, HASH_1, CHAIN);
    const byIntruder = await signedStep(forged, 0, intruder, 'approve');
    forged = withDecision(forged, 0, { ...byIntruder, signerId: HEAD });
    expect(await verifyRecordedDecision(flow, forged, forged.steps[0])).toBe(false);

    expect(await verifyRecordedDecision(workflow([r], []), r, r.steps[0])).toBe(false);
  });
});
