// The approval procedure over HTTP against real SQLite, with a clock the tests move: keys,
// submissions, signed decisions and every way one is refused, the clerk's numbers (concurrent,
// retried, across a new year), "awaiting me", copies, and the audit log with tampering.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  ApprovalsResponse,
  AuditVerification,
  DocumentRecord,
  DocumentsResponse,
  ErrorBody,
  SigningKey,
  SigningKeysResponse,
  WorkflowResponse,
  type ApiErrorCode,
  type ChainStepRequest,
} from '../../common/api.ts';
import * as schemas from '../../common/api.ts';
import { contentHash, stateVectorBase64 } from '../../common/content-hash.ts';
import { CONTENT_ROOT, META_MAP } from '../../common/document-content.ts';
import {
  exportPublicKey,
  generateSigningKeyPair,
  keyIdOf,
  signDecision,
  signKeyRegistration,
  verifyDecision,
  verifyKeyRegistration,
  type CryptoKeyPairLike,
} from '../../common/signing.ts';
import { TokenService } from '../auth/tokens.ts';
import { DEMO_USER_IDS, seedDemo, type DemoUsername } from '../demo.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { createApi } from './api.ts';
import { describedExamples } from './openapi.ts';

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

let dir: string;
let dbFile: string;
let store: Store;
let base: string;
let server: http.Server;
let clock = new Date('2026-01-05T02:00:00.000Z');
const accessChanged: string[] = [];
const token: Partial<Record<DemoUsername, string>> = {};
const keys: Partial<Record<DemoUsername, { pair: CryptoKeyPairLike; keyId: string }>> = {};
const id = (user: DemoUsername): string => DEMO_USER_IDS[user];

async function call(method: string, url: string, as?: DemoUsername, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${token[as]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

function expectError(answer: Answer, status: number, code: ApiErrorCode): string {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  const body = ErrorBody.parse(answer.json);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

function ok<T>(answer: Answer, schema: { parse(value: unknown): T }, status = 200): T {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  return schema.parse(answer.json);
}

/** A document as @lexical/yjs writes one: paragraphs of text nodes, and the meta map. */
function draftContent(paragraphs: readonly string[], title: string): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    const root = doc.get(CONTENT_ROOT, Y.XmlText);
    paragraphs.forEach((text, i) => {
      const paragraph = new Y.XmlText();
      root.insertEmbed(i, paragraph);
      paragraph.setAttribute('__type', 'paragraph');
      const node = new Y.Map<unknown>();
      paragraph.insertEmbed(0, node);
      node.set('__type', 'text');
      node.set('__format', 0);
      paragraph.insert(1, text);
    });
    doc.getMap(META_MAP).set('title', title);
  });
  return doc;
}

/** A drafter's document with content stored on the server, as the relay would have stored it. */
async function draft(owner: DemoUsername = 'an.nguyen', type = 'QĐ', text = 'Điều 1. Ban hành quy chế.'): Promise<{ id: string; content: Y.Doc }> {
  const documentId = randomUUID();
  ok(await call('POST', '/api/documents', owner, { id: documentId, title: 'Quy chế sử dụng chữ ký số', type }), DocumentRecord, 201);
  const content = draftContent([text], 'Quy chế sử dụng chữ ký số');
  await store.appendUpdates([{ room: `doc:${documentId}`, update: Y.encodeStateAsUpdate(content) }]);
  return { id: documentId, content };
}

/** Changes the stored content the way an editor's sync would. */
async function edit(documentId: string, content: Y.Doc, text: string): Promise<void> {
  const before = Y.encodeStateVector(content);
  const paragraph = (content.get(CONTENT_ROOT, Y.XmlText).toDelta()[0] as { insert: Y.XmlText }).insert;
  paragraph.insert(paragraph.length, text);
  await store.appendUpdates([{ room: `doc:${documentId}`, update: Y.encodeStateAsUpdate(content, before) }]);
}

const checkAndSign: ChainStepRequest[] = [
  { kind: 'check', assigneeId: id('binh.tran') },
  { kind: 'sign', assigneeId: id('cuong.pham'), authority: null },
];

async function submit(documentId: string, content: Y.Doc, chain: ChainStepRequest[] = checkAndSign, as: DemoUsername = 'an.nguyen', roundId?: string): Promise<Answer> {
  return call('POST', `/api/documents/${documentId}/submissions`, as, {
    id: roundId,
    versionHash: await contentHash(content),
    stateVector: stateVectorBase64(content),
    chain,
  });
}

interface DecisionOptions {
  readonly decision?: 'approve' | 'return';
  readonly comment?: string;
  readonly versionHash?: string;
  readonly decidedAt?: string;
  /** Whose key signs (default: the caller's own). */
  readonly signer?: DemoUsername;
  readonly signedAs?: string;
  readonly tamper?: (body: Record<string, unknown>) => void;
}

async function registerKey(user: DemoUsername): Promise<{ pair: CryptoKeyPairLike; keyId: string }> {
  const existing = keys[user];
  if (existing) return existing;
  const pair = await generateSigningKeyPair();
  const publicKey = await exportPublicKey(pair.publicKey);
  const proof = await signKeyRegistration(pair.privateKey, { userId: id(user), publicKey });
  const key = ok(await call('POST', '/api/keys', user, { publicKey, proof }), SigningKey, 201);
  keys[user] = { pair, keyId: key.keyId };
  return keys[user];
}

/** Signs a decision as `as` would on their device and sends it. */
async function decide(as: DemoUsername, documentId: string, roundId: string, stepIndex: number, options: DecisionOptions = {}) {
  const key = await registerKey(options.signer ?? as);
  const body: Record<string, unknown> = {
    roundId,
    stepIndex,
    decision: options.decision ?? 'approve',
    comment: options.comment,
    versionHash: options.versionHash ?? (await roundHash(documentId, roundId, as)),
    decidedAt: options.decidedAt ?? clock.toISOString(),
    keyId: key.keyId,
  };
  body.signature = await signDecision(key.pair.privateKey, {
    documentId,
    versionHash: body.versionHash as string,
    roundId,
    stepIndex,
    decision: body.decision as 'approve' | 'return',
    comment: options.comment,
    decidedAt: body.decidedAt as string,
    signerId: options.signedAs ?? id(as),
  });
  options.tamper?.(body);
  return { body, answer: await call('POST', `/api/documents/${documentId}/decisions`, as, body) };
}

async function roundHash(documentId: string, roundId: string, as: DemoUsername): Promise<string> {
  const workflow = await call('GET', `/api/documents/${documentId}/workflow`, as);
  const round = workflow.status === 200 ? WorkflowResponse.parse(workflow.json).rounds.find((r) => r.id === roundId) : undefined;
  return round?.versionHash ?? '0'.repeat(64);
}

/** A document taken through check and signature: approved, waiting for the clerk. */
async function approved(type = 'QĐ', chain: ChainStepRequest[] = [{ kind: 'sign', assigneeId: id('cuong.pham') }]): Promise<string> {
  const { id: documentId, content } = await draft('an.nguyen', type);
  const workflow = ok(await submit(documentId, content, chain), WorkflowResponse, 201);
  let state = workflow;
  for (const step of workflow.rounds[0].steps) {
    const as = (Object.keys(DEMO_USER_IDS) as DemoUsername[]).find((user) => id(user) === step.assigneeId)!;
    state = ok((await decide(as, documentId, workflow.rounds[0].id, step.index)).answer, WorkflowResponse);
  }
  expect(state.status).toBe('approved');
  return documentId;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'congvu-approval-'));
  dbFile = path.join(dir, 'congvu.db');
  store = await openStore(`sqlite:${dbFile}`);
  await seedDemo(store);
  const tokens = await TokenService.create(store, 3600);
  const api = createApi({ store, tokens, log: pino({ level: 'silent' }), onAccessChanged: (documentId) => accessChanged.push(documentId), now: () => clock });
  server = http.createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const user of Object.keys(DEMO_USER_IDS) as DemoUsername[]) token[user] = await tokens.issue({ id: id(user) });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('signing keys', () => {
  it('a user registers the public key of a key pair made on their device, once, with proof of holding it', async () => {
    const pair = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(pair.publicKey);
    const proof = await signKeyRegistration(pair.privateKey, { userId: id('dung.vu'), publicKey });
    const first = ok(await call('POST', '/api/keys', 'dung.vu', { publicKey, proof }), SigningKey, 201);
    expect(first).toMatchObject({ keyId: await keyIdOf(publicKey), userId: id('dung.vu'), publicKey, createdAt: clock.toISOString() });
    expect(ok(await call('POST', '/api/keys', 'dung.vu', { publicKey, proof }), SigningKey, 200)).toEqual(first);
    expect(ok(await call('GET', `/api/users/${id('dung.vu')}/keys`, 'an.nguyen'), SigningKeysResponse).keys).toEqual([first]);
  });

  it('a key is refused without a valid proof, or with the proof of another user', async () => {
    const pair = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(pair.publicKey);
    const proofForAn = await signKeyRegistration(pair.privateKey, { userId: id('an.nguyen'), publicKey });
    expectError(await call('POST', '/api/keys', 'dung.vu', { publicKey, proof: proofForAn }), 400, 'bad_signature');
    expectError(await call('POST', '/api/keys', 'dung.vu', { publicKey: 'abc', proof: proofForAn }), 400, 'invalid_body');
    expectError(await call('GET', `/api/users/${randomUUID()}/keys`, 'an.nguyen'), 404, 'not_found');
    expectError(await call('POST', '/api/keys', undefined, { publicKey, proof: proofForAn }), 401, 'unauthorized');
  });
});

describe('submission', () => {
  it('the drafter submits a version; the document goes in review, its reviewers can read it and find it awaiting them', async () => {
    const { id: documentId, content } = await draft();
    expectError(await call('GET', `/api/documents/${documentId}`, 'binh.tran'), 404, 'not_found');
    const before = accessChanged.length;
    const workflow = ok(await submit(documentId, content), WorkflowResponse, 201);
    expect(workflow.status).toBe('in_review');
    expect(workflow.rounds).toHaveLength(1);
    expect(workflow.rounds[0]).toMatchObject({ number: 1, versionHash: await contentHash(content), submittedBy: id('an.nguyen'), status: 'open', currentStep: 0 });
    expect(workflow.next).toEqual({ action: 'decide', roundId: workflow.rounds[0].id, stepIndex: 0, assigneeId: id('binh.tran'), kind: 'check' });
    expect(accessChanged.slice(before)).toContain(documentId);

    expect(ok(await call('GET', `/api/documents/${documentId}`, 'binh.tran'), DocumentRecord)).toMatchObject({ status: 'in_review', role: 'commenter' });
    expect(ok(await call('GET', `/api/documents/${documentId}`, 'cuong.pham'), DocumentRecord).role).toBe('commenter');
    const listed = ok(await call('GET', '/api/documents', 'an.nguyen'), DocumentsResponse).documents.find((d) => d.id === documentId);
    expect(listed?.status).toBe('in_review');
    expect(ok(await call('GET', '/api/documents', 'binh.tran'), DocumentsResponse).documents.map((d) => d.id)).toContain(documentId);
    const awaiting = ok(await call('GET', '/api/approvals', 'binh.tran'), ApprovalsResponse);
    expect(awaiting.items).toContainEqual(expect.objectContaining({ action: 'decide', roundId: workflow.rounds[0].id, stepIndex: 0, kind: 'check' }));
    expect(awaiting.count).toBe(awaiting.items.length);
    expect(ok(await call('GET', '/api/approvals', 'cuong.pham'), ApprovalsResponse).items.map((i) => i.document.id)).not.toContain(documentId);
  });

  it('a retried submission with the same id gets its round back; another one while in review is refused', async () => {
    const { id: documentId, content } = await draft();
    const roundId = randomUUID();
    const first = ok(await submit(documentId, content, checkAndSign, 'an.nguyen', roundId), WorkflowResponse, 201);
    expect(ok(await submit(documentId, content, checkAndSign, 'an.nguyen', roundId), WorkflowResponse, 200)).toEqual(first);
    expectError(await submit(documentId, content), 409, 'wrong_status');
  });

  it('only the owner or an editor submits; a stranger does not even see the document', async () => {
    const { id: documentId, content } = await draft();
    expectError(await submit(documentId, content, checkAndSign, 'dung.vu'), 404, 'not_found');
    ok(await call('POST', `/api/documents/${documentId}/shares`, 'an.nguyen', { principal: { type: 'user', id: id('dung.vu') }, role: 'viewer' }), schemas.SharesResponse);
    expectError(await submit(documentId, content, checkAndSign, 'dung.vu'), 403, 'forbidden');
    ok(await call('POST', `/api/documents/${documentId}/shares`, 'an.nguyen', { principal: { type: 'user', id: id('binh.tran') }, role: 'editor' }), schemas.SharesResponse);
    ok(await submit(documentId, content, checkAndSign, 'binh.tran'), WorkflowResponse, 201);
  });

  it('a chain must be in order, end with the signature, and name people of the document’s agency', async () => {
    const { id: documentId, content } = await draft();
    expectError(await submit(documentId, content, [{ kind: 'check', assigneeId: id('binh.tran') }]), 400, 'invalid_chain');
    expectError(await submit(documentId, content, [...checkAndSign].reverse()), 400, 'invalid_chain');
    const message = expectError(await submit(documentId, content, [{ kind: 'sign', assigneeId: id('dung.vu') }]), 400, 'invalid_chain');
    expect(message).toContain('chain.0.assigneeId');
    expectError(await submit(documentId, content, [{ kind: 'sign', assigneeId: randomUUID() }]), 400, 'invalid_chain');
    expectError(await submit(documentId, content, [{ kind: 'sign', assigneeId: id('cuong.pham'), authority: 'XX.' } as unknown as ChainStepRequest]), 400, 'invalid_body');
  });

  it('a version the server does not hold is refused: the draft must finish syncing first', async () => {
    const { id: documentId, content } = await draft();
    const ahead = new Y.Doc();
    Y.applyUpdate(ahead, Y.encodeStateAsUpdate(content));
    (ahead.get(CONTENT_ROOT, Y.XmlText).toDelta()[0] as { insert: Y.XmlText }).insert.insert(1, 'Chưa đồng bộ. ');
    expect(expectError(await submit(documentId, ahead), 409, 'version_mismatch')).toContain('sync');
    expect(ok(await call('GET', `/api/documents/${documentId}`, 'an.nguyen'), DocumentRecord).status).toBe('draft');
  });
});

describe('decisions', () => {
  let documentId: string;
  let content: Y.Doc;
  let roundId: string;

  beforeAll(async () => {
    ({ id: documentId, content } = await draft());
    ok(await call('POST', `/api/documents/${documentId}/shares`, 'an.nguyen', { principal: { type: 'user', id: id('dung.vu') }, role: 'viewer' }), schemas.SharesResponse);
    roundId = ok(await submit(documentId, content), WorkflowResponse, 201).rounds[0].id;
  });

  it('a stranger cannot decide a step: the document does not exist for them', async () => {
    const { answer } = await decide('chi.le', documentId, roundId, 0);
    expectError(answer, 404, 'not_found');
  });

  it('a viewer who is not the assignee cannot decide a step', async () => {
    expectError((await decide('dung.vu', documentId, roundId, 0)).answer, 403, 'not_assignee');
  });

  it('the wrong person cannot decide a step, and the right one not before their turn', async () => {
    expectError((await decide('cuong.pham', documentId, roundId, 0)).answer, 403, 'not_assignee');
    expectError((await decide('an.nguyen', documentId, roundId, 0)).answer, 403, 'not_assignee');
    expectError((await decide('cuong.pham', documentId, roundId, 1)).answer, 409, 'not_current_step');
    expectError((await decide('binh.tran', documentId, roundId, 5)).answer, 400, 'step_not_found');
    expectError((await decide('binh.tran', documentId, randomUUID(), 0)).answer, 404, 'round_not_found');
  });

  it('a forged signature is refused: another key, another signer, a changed field, or noise', async () => {
    await registerKey('cuong.pham');
    // binh's request signed with cuong's key (and cuong's key id is not binh's to use).
    expectError((await decide('binh.tran', documentId, roundId, 0, { signer: 'cuong.pham' })).answer, 400, 'unknown_key');
    // binh's own key, but cuong's key id claimed.
    expectError(
      (await decide('binh.tran', documentId, roundId, 0, { tamper: (body) => void (body.keyId = keys['cuong.pham']!.keyId) })).answer,
      400,
      'unknown_key',
    );
    // Signed as if by someone else: the server puts the caller in the statement.
    expectError((await decide('binh.tran', documentId, roundId, 0, { signedAs: id('cuong.pham') })).answer, 400, 'bad_signature');
    // A field changed after signing.
    expectError((await decide('binh.tran', documentId, roundId, 0, { tamper: (body) => void (body.decision = 'return') , decision: 'approve' })).answer, 400, 'bad_signature');
    expectError((await decide('binh.tran', documentId, roundId, 0, { tamper: (body) => void (body.comment = 'thêm') })).answer, 400, 'bad_signature');
    expectError((await decide('binh.tran', documentId, roundId, 0, { tamper: (body) => void (body.signature = 'A'.repeat(86)) })).answer, 400, 'bad_signature');
    expectError((await decide('binh.tran', documentId, roundId, 0, { tamper: (body) => void (body.signature = 'not base64!') })).answer, 400, 'invalid_body');
  });

  it('a decision dated in the future, or before the submission, is refused', async () => {
    const future = new Date(clock.getTime() + 10 * 60 * 1000).toISOString();
    expectError((await decide('binh.tran', documentId, roundId, 0, { decidedAt: future })).answer, 400, 'clock_skew');
    expectError((await decide('binh.tran', documentId, roundId, 0, { decidedAt: '2025-01-01T00:00:00.000Z' })).answer, 400, 'clock_skew');
  });

  it('a decision about an outdated version is refused with a clear reason', async () => {
    const message = expectError((await decide('binh.tran', documentId, roundId, 0, { versionHash: 'e'.repeat(64) })).answer, 409, 'version_mismatch');
    expect(message).toContain('the draft changed since you read it');
  });

  it('a return must say why', async () => {
    expectError((await decide('binh.tran', documentId, roundId, 0, { decision: 'return' })).answer, 400, 'comment_required');
  });

  it('the assignee’s signed approval is recorded and moves the round on; replaying it is refused', async () => {
    const before = accessChanged.length;
    const { body, answer } = await decide('binh.tran', documentId, roundId, 0, { comment: 'Đã kiểm tra nội dung.' });
    const workflow = ok(answer, WorkflowResponse);
    expect(workflow.rounds[0].currentStep).toBe(1);
    expect(workflow.rounds[0].steps[0].decision).toMatchObject({ decision: 'approve', comment: 'Đã kiểm tra nội dung.', signerId: id('binh.tran'), decidedAt: clock.toISOString() });
    expect(accessChanged.slice(before)).toContain(documentId);

    expectError(await call('POST', `/api/documents/${documentId}/decisions`, 'binh.tran', body), 409, 'replayed');
    // The same signature spelt differently is still the same signature.
    const signature = body.signature as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelt = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.slice(-1)) ^ 1];
    expect(respelt).not.toBe(signature);
    expectError(await call('POST', `/api/documents/${documentId}/decisions`, 'binh.tran', { ...body, signature: respelt }), 409, 'replayed');
    expectError((await decide('binh.tran', documentId, roundId, 0)).answer, 409, 'already_decided');

    const awaiting = ok(await call('GET', '/api/approvals', 'cuong.pham'), ApprovalsResponse);
    expect(awaiting.items).toContainEqual(expect.objectContaining({ action: 'decide', roundId, stepIndex: 1, kind: 'sign' }));
    expect(ok(await call('GET', '/api/approvals', 'binh.tran'), ApprovalsResponse).items.map((i) => i.document.id)).not.toContain(documentId);
  });

  it('anyone who can read the workflow can verify every decision in it, offline, from the answer alone', async () => {
    const workflow = ok(await call('GET', `/api/documents/${documentId}/workflow`, 'dung.vu'), WorkflowResponse);
    const decided = workflow.rounds.flatMap((round) => round.steps.filter((step) => step.decision).map((step) => ({ round, step })));
    expect(decided.length).toBeGreaterThan(0);
    for (const { round, step } of decided) {
      const decision = step.decision!;
      const statement = {
        documentId,
        versionHash: decision.versionHash,
        roundId: round.id,
        stepIndex: step.index,
        decision: decision.decision,
        comment: decision.comment ?? undefined,
        decidedAt: decision.decidedAt,
        signerId: decision.signerId,
      };
      expect(await verifyDecision(workflow.keys[decision.keyId].publicKey, statement, decision.signature)).toBe(true);
      expect(await verifyDecision(workflow.keys[decision.keyId].publicKey, { ...statement, versionHash: 'f'.repeat(64) }, decision.signature)).toBe(false);
    }
  });

  it('a draft whose stored content changed after submission cannot be approved, only returned', async () => {
    const other = await draft();
    const round = ok(await submit(other.id, other.content), WorkflowResponse, 201).rounds[0];
    await edit(other.id, other.content, ' (sửa sau khi trình)');
    const message = expectError((await decide('binh.tran', other.id, round.id, 0, { versionHash: round.versionHash })).answer, 409, 'version_mismatch');
    expect(message).toContain('changed since it was submitted');
    // It can still be given back, so the drafter can submit what the document really holds.
    const returned = await decide('binh.tran', other.id, round.id, 0, { versionHash: round.versionHash, decision: 'return', comment: 'Nội dung đã thay đổi.' });
    expect(ok(returned.answer, WorkflowResponse).status).toBe('returned');
    ok(await submit(other.id, other.content), WorkflowResponse, 201);
  });
});

describe('return and resubmission', () => {
  it('a return goes back to the drafter with its comment; the changed draft opens round 2; decisions on round 1 are refused', async () => {
    const { id: documentId, content } = await draft();
    const first = ok(await submit(documentId, content), WorkflowResponse, 201).rounds[0];
    const returned = ok((await decide('binh.tran', documentId, first.id, 0, { decision: 'return', comment: 'Bổ sung căn cứ pháp lý.' })).answer, WorkflowResponse);
    expect(returned.status).toBe('returned');
    expect(returned.next).toEqual({ action: 'submit' });
    expect(returned.rounds[0].steps[0].decision?.comment).toBe('Bổ sung căn cứ pháp lý.');
    expect(ok(await call('GET', '/api/approvals', 'binh.tran'), ApprovalsResponse).items.map((i) => i.document.id)).not.toContain(documentId);

    await edit(documentId, content, ' Căn cứ Nghị định 30/2020/NĐ-CP.');
    const second = ok(await submit(documentId, content), WorkflowResponse, 201);
    expect(second.rounds.map((round) => [round.number, round.status])).toEqual([
      [1, 'returned'],
      [2, 'open'],
    ]);
    expect(second.rounds[1].versionHash).toBe(await contentHash(content));
    expect(second.rounds[1].versionHash).not.toBe(first.versionHash);
    // A reviewer who read round 1 offline and signs it now is told the draft changed.
    expectError((await decide('binh.tran', documentId, first.id, 0, { versionHash: first.versionHash })).answer, 409, 'round_closed');
    expect(expectError((await decide('binh.tran', documentId, second.rounds[1].id, 0, { versionHash: first.versionHash })).answer, 409, 'version_mismatch')).toContain('changed');
    ok((await decide('binh.tran', documentId, second.rounds[1].id, 0)).answer, WorkflowResponse);
  });
});

describe('issue', () => {
  it('the clerk numbers an approved decision 01/QĐ-STTTT with the date line; a retry gets the same number', async () => {
    clock = new Date('2026-01-05T02:00:00.000Z');
    const documentId = await approved('QĐ', checkAndSign);
    const awaiting = ok(await call('GET', '/api/approvals', 'chi.le'), ApprovalsResponse);
    expect(awaiting.items).toContainEqual(expect.objectContaining({ action: 'issue', document: expect.objectContaining({ id: documentId, role: 'viewer' }) }));
    expectError(await call('POST', `/api/documents/${documentId}/issue`, 'an.nguyen', { requestId: randomUUID() }), 403, 'forbidden');
    expectError(await call('POST', `/api/documents/${documentId}/issue`, 'dung.vu', { requestId: randomUUID() }), 404, 'not_found');

    const before = accessChanged.length;
    const requestId = randomUUID();
    const issued = ok(await call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId }), WorkflowResponse);
    expect(issued.status).toBe('issued');
    expect(issued.issue).toEqual({
      number: 1,
      numberText: '01/QĐ-STTTT',
      register: 'main',
      year: 2026,
      issuedAt: '2026-01-05T02:00:00.000Z',
      issuedBy: id('chi.le'),
      issueDate: '2026-01-05',
      dateLine: 'Ninh Bình, ngày 05 tháng 01 năm 2026',
    });
    expect(issued.next).toEqual({ action: 'none' });
    expect(accessChanged.slice(before)).toContain(documentId);

    clock = new Date('2026-01-06T02:00:00.000Z');
    expect(ok(await call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId }), WorkflowResponse).issue).toEqual(issued.issue);
    expect(expectError(await call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId: randomUUID() }), 409, 'already_issued')).toContain('01/QĐ-STTTT');
    expect(ok(await call('GET', `/api/documents/${documentId}`, 'an.nguyen'), DocumentRecord).status).toBe('issued');
    expect(ok(await call('GET', '/api/approvals', 'chi.le'), ApprovalsResponse).items.map((i) => i.document.id)).not.toContain(documentId);
  });

  it('a công văn takes the agency and the drafting unit: 0N/STTTT-BCVT, numbered in the same yearly sequence', async () => {
    clock = new Date('2026-01-07T02:00:00.000Z');
    const documentId = await approved('CV');
    const issued = ok(await call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId: randomUUID() }), WorkflowResponse);
    expect(issued.issue?.numberText).toBe('02/STTTT-BCVT');
  });

  it('a document that is not approved cannot be issued, and the attempt consumes no number', async () => {
    clock = new Date('2026-01-08T02:00:00.000Z');
    const { id: documentId, content } = await draft();
    ok(await call('POST', `/api/documents/${documentId}/shares`, 'an.nguyen', { principal: { type: 'user', id: id('chi.le') }, role: 'viewer' }), schemas.SharesResponse);
    expectError(await call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId: randomUUID() }), 409, 'wrong_status');
    ok(await submit(documentId, content), WorkflowResponse, 201);
    expectError(await call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId: randomUUID() }), 409, 'wrong_status');
    const next = await approved();
    expect(ok(await call('POST', `/api/documents/${next}/issue`, 'chi.le', { requestId: randomUUID() }), WorkflowResponse).issue?.number).toBe(3);
  });

  it('50 concurrent issue requests yield 50 consecutive, distinct numbers', async () => {
    clock = new Date('2031-03-02T02:00:00.000Z');
    const documents: string[] = [];
    for (let i = 0; i < 50; i++) documents.push(await approved());
    const answers = await Promise.all(documents.map((documentId) => call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId: randomUUID() })));
    const numbers = answers.map((answer) => ok(answer, WorkflowResponse).issue!.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const texts = new Set(answers.map((answer) => WorkflowResponse.parse(answer.json).issue!.numberText));
    expect(texts.size).toBe(50);
  });

  it('retries of one request racing each other all get the first number back', async () => {
    clock = new Date('2031-03-03T02:00:00.000Z');
    const documentId = await approved();
    const requestId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 5 }, () => call('POST', `/api/documents/${documentId}/issue`, 'chi.le', { requestId })));
    const numbers = new Set(answers.map((answer) => ok(answer, WorkflowResponse).issue!.numberText));
    expect([...numbers]).toEqual(['51/QĐ-STTTT']);
  });

  it('numbering restarts at 01 when the year turns in Vietnam (midnight UTC+7)', async () => {
    const [late, early] = [await approved(), await approved()];
    clock = new Date('2032-12-31T16:59:59.000Z'); // 23:59:59 on 31 December in Ninh Bình
    const old = ok(await call('POST', `/api/documents/${late}/issue`, 'chi.le', { requestId: randomUUID() }), WorkflowResponse).issue!;
    expect([old.numberText, old.year, old.dateLine]).toEqual(['01/QĐ-STTTT', 2032, 'Ninh Bình, ngày 31 tháng 12 năm 2032']);
    clock = new Date('2032-12-31T17:00:00.000Z'); // 00:00 on 1 January
    const fresh = ok(await call('POST', `/api/documents/${early}/issue`, 'chi.le', { requestId: randomUUID() }), WorkflowResponse).issue!;
    expect([fresh.numberText, fresh.year, fresh.dateLine]).toEqual(['01/QĐ-STTTT', 2033, 'Ninh Bình, ngày 01 tháng 01 năm 2033']);
  });

  it('an issued document can be copied into a new draft with the same content, by anyone who can read it', async () => {
    clock = new Date('2026-02-01T02:00:00.000Z');
    const source = await approved();
    ok(await call('POST', `/api/documents/${source}/issue`, 'chi.le', { requestId: randomUUID() }), WorkflowResponse);
    const copyId = randomUUID();
    const copy = ok(await call('POST', `/api/documents/${source}/copy`, 'an.nguyen', { id: copyId, title: 'Dự thảo sửa đổi' }), DocumentRecord, 201);
    expect(copy).toMatchObject({ id: copyId, title: 'Dự thảo sửa đổi', type: 'QĐ', status: 'draft', ownerId: id('an.nguyen'), role: 'owner' });
    expect(ok(await call('POST', `/api/documents/${source}/copy`, 'an.nguyen', { id: copyId, title: 'Dự thảo sửa đổi' }), DocumentRecord, 200)).toEqual(copy);
    const load = async (documentId: string) => {
      const room = await store.loadRoom(`doc:${documentId}`);
      const doc = new Y.Doc();
      for (const update of [room.snapshot, ...room.updates]) if (update) Y.applyUpdate(doc, update);
      return contentHash(doc);
    };
    expect(await load(copyId)).toBe(await load(source));
    // The clerk can read the issued source and copy it too; a stranger cannot.
    ok(await call('POST', `/api/documents/${source}/copy`, 'chi.le', {}), DocumentRecord, 201);
    expectError(await call('POST', `/api/documents/${source}/copy`, 'dung.vu', {}), 404, 'not_found');
    expectError(await call('POST', `/api/documents/${source}/copy`, 'chi.le', { id: copyId }), 409, 'conflict');
  });
});

describe('audit log', () => {
  it('every submission, decision, issue, share and key is in the audit log, chained, and the chain verifies', async () => {
    const entries = await store.listAuditEntries(0, 100_000);
    const actions = new Set(entries.map((entry) => entry.action));
    for (const action of ['key.registered', 'submission.created', 'decision.recorded', 'document.issued', 'share.put', 'document.copied']) {
      expect(actions, action).toContain(action);
    }
    const decision = entries.find((entry) => entry.action === 'decision.recorded');
    expect(decision?.details).toMatchObject({ decision: expect.any(String), signature: expect.any(String), keyId: expect.any(String) });
    const verified = ok(await call('GET', '/api/admin/audit/verify', 'admin'), AuditVerification);
    expect(verified).toEqual({ ok: true, entries: entries.length, head: entries[entries.length - 1].hash });
    expectError(await call('GET', '/api/admin/audit/verify', 'an.nguyen'), 403, 'forbidden');
  });

  it('removing a share is audited, and removing one that is not there is not', async () => {
    const { id: documentId } = await draft();
    const principal = { type: 'user', id: id('dung.vu') };
    ok(await call('POST', `/api/documents/${documentId}/shares`, 'an.nguyen', { principal, role: 'editor' }), schemas.SharesResponse);
    for (let i = 0; i < 2; i++) ok(await call('DELETE', `/api/documents/${documentId}/shares/user/${id('dung.vu')}`, 'an.nguyen'), schemas.SharesResponse);
    const mine = (await store.listAuditEntries(0, 100_000)).filter((entry) => entry.documentId === documentId);
    expect(mine.map((entry) => [entry.action, entry.actorId, entry.details])).toEqual([
      ['share.put', id('an.nguyen'), { principalType: 'user', principalId: id('dung.vu'), role: 'editor' }],
      ['share.deleted', id('an.nguyen'), { principalType: 'user', principalId: id('dung.vu') }],
    ]);
  });

  it('tampering with any audit row in the database is detected and the row is named, by the API and by npm run audit:verify', async () => {
    const entries = await store.listAuditEntries(0, 100_000);
    const cli = () =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/audit-verify.ts'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, CONGVU_DATABASE_URL: `sqlite:${dbFile}` },
      }).then(
        ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      );
    const clean = await cli();
    expect(clean.code).toBe(0);
    expect(AuditVerification.parse(JSON.parse(clean.stdout))).toMatchObject({ ok: true, entries: entries.length });

    const raw = new BetterSqlite3(dbFile);
    try {
      for (const [column, value] of [
        ['details', '{"forged":true}'],
        ['actor_id', id('dung.vu')],
        ['at', '2020-01-01T00:00:00.000Z'],
        ['action', 'share.deleted'],
      ] as const) {
        const target = entries[Math.floor(entries.length / 2)];
        const original = raw.prepare(`select ${column} as value from audit_log where seq = ?`).get(target.seq) as { value: string };
        raw.prepare(`update audit_log set ${column} = ? where seq = ?`).run(value, target.seq);
        const broken = ok(await call('GET', '/api/admin/audit/verify', 'admin'), AuditVerification);
        expect(broken, column).toMatchObject({ ok: false, entries: target.seq - 1, firstBroken: { seq: target.seq, reason: 'hash_mismatch' } });
        if (column === 'details') {
          const failed = await cli();
          expect(failed.code).toBe(1);
          expect(AuditVerification.parse(JSON.parse(failed.stdout)).firstBroken?.seq).toBe(target.seq);
          expect(failed.stderr).toContain(`entry ${target.seq}`);
        }
        raw.prepare(`update audit_log set ${column} = ? where seq = ?`).run(original.value, target.seq);
      }
      const first = entries[0];
      raw.prepare('update audit_log set hash = ? where seq = ?').run('a'.repeat(64), first.seq);
      expect(ok(await call('GET', '/api/admin/audit/verify', 'admin'), AuditVerification).firstBroken).toMatchObject({ seq: first.seq, reason: 'hash_mismatch' });
      raw.prepare('update audit_log set hash = ? where seq = ?').run(first.hash, first.seq);
    } finally {
      raw.close();
    }
    expect(ok(await call('GET', '/api/admin/audit/verify', 'admin'), AuditVerification).ok).toBe(true);
  });
});

describe('OpenAPI', () => {
  it('describes the approval routes with examples that parse as their schemas', async () => {
    const answer = await call('GET', '/api/openapi.json');
    const doc = answer.json as { paths: Record<string, Record<string, unknown>> };
    for (const path of ['/api/keys', '/api/documents/{id}/submissions', '/api/documents/{id}/decisions', '/api/documents/{id}/issue', '/api/approvals', '/api/admin/audit/verify']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const examples = describedExamples();
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const { where, schema, example } of examples) {
      const zod = (schemas as unknown as Record<string, { safeParse(value: unknown): { success: boolean; error?: unknown } }>)[schema];
      expect(zod, where).toBeDefined();
      const parsed = zod.safeParse(example);
      expect(parsed.success, `${where}: ${JSON.stringify(parsed.error)}`).toBe(true);
    }
  });

  it('the example workflow’s signatures and the example key proof really verify', async () => {
    const workflow = WorkflowResponse.parse(describedExamples().find((e) => e.schema === 'WorkflowResponse')!.example);
    for (const round of workflow.rounds) {
      for (const step of round.steps) {
        if (!step.decision) continue;
        const statement = { documentId: workflow.documentId, versionHash: step.decision.versionHash, roundId: round.id, stepIndex: step.index, decision: step.decision.decision, comment: step.decision.comment ?? undefined, decidedAt: step.decision.decidedAt, signerId: step.decision.signerId };
        expect(await verifyDecision(workflow.keys[step.decision.keyId].publicKey, statement, step.decision.signature)).toBe(true);
      }
    }
    const registration = describedExamples().find((e) => e.schema === 'RegisterKeyRequest')!.example as { publicKey: string; proof: string };
    expect(await verifyKeyRegistration({ userId: id('binh.tran'), publicKey: registration.publicKey }, registration.proof)).toBe(true);
  });
});
