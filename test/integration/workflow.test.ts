/**
 * The approval procedure end to end against a real server process, with the stock y-websocket
 * client for the content and the HTTP API for the procedure, as the demo users would run it:
 * an.nguyen drafts and submits, binh.tran returns it with a comment, an.nguyen changes it and
 * submits again, binh.tran approves, cuong.pham signs (his decision made while the server was
 * down and sent after it came back), chi.le issues it and gets `01/STTTT-BCVT`; afterwards every
 * write to the document is refused by the relay and nothing of it is stored.
 */
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { ApprovalsResponse, AuditVerification, DocumentRecord, SigningKey, WorkflowResponse } from '../../common/api.ts';
import { contentHash, stateVectorBase64 } from '../../common/content-hash.ts';
import { CONTENT_ROOT, META_MAP, contentText } from '../../common/document-content.ts';
import { exportPublicKey, generateSigningKeyPair, signDecision, signKeyRegistration, type CryptoKeyPairLike } from '../../common/signing.ts';
import { api, connect, createDocument, login, synced, waitFor, type Session } from '../support/clients.ts';
import { spawnServer, type ServerProcess } from '../support/server.ts';

let server: ServerProcess;
let an: Session;
let binh: Session;
let cuong: Session;
let chi: Session;
let admin: Session;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  server = await spawnServer();
  [an, binh, cuong, chi, admin] = await Promise.all(['an.nguyen', 'binh.tran', 'cuong.pham', 'chi.le', 'admin'].map((name) => login(server.url, name)));
});

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await server?.dispose();
});

function open(room: string, session: Session): WebsocketProvider {
  const provider = connect(server.wsUrl, room, session.token);
  providers.push(provider);
  return provider;
}

/** Types a paragraph the way the editor's binding stores one. */
function typeParagraph(doc: Y.Doc, text: string): void {
  doc.transact(() => {
    const root = doc.get(CONTENT_ROOT, Y.XmlText);
    const paragraph = new Y.XmlText();
    root.insertEmbed(root.length, paragraph);
    paragraph.setAttribute('__type', 'paragraph');
    const node = new Y.Map<unknown>();
    paragraph.insertEmbed(0, node);
    node.set('__type', 'text');
    node.set('__format', 0);
    paragraph.insert(1, text);
  });
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a fresh client reads from the server: the stored content, as anyone else would see it. */
async function readThroughServer(documentId: string, session: Session): Promise<Y.Doc> {
  const reader = connect(server.wsUrl, `doc:${documentId}`, session.token);
  try {
    await synced(reader);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader.doc));
    return copy;
  } finally {
    reader.destroy();
  }
}

/** The room as stored in the server's SQLite file, read behind its back. */
function storedText(documentId: string): string {
  const db = new BetterSqlite3(path.join(server.dataDir, 'congvu.db'), { readonly: true });
  try {
    const room = `doc:${documentId}`;
    const snapshot = db.prepare('select snapshot from room_snapshots where room = ?').pluck().get(room) as Buffer | undefined;
    const updates = db.prepare('select "update" from room_updates where room = ? order by seq').pluck().all(room) as Buffer[];
    const doc = new Y.Doc();
    for (const update of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(doc, update);
    return contentText(doc);
  } finally {
    db.close();
  }
}

const keys = new Map<string, { pair: CryptoKeyPairLike; keyId: string }>();

async function registerKey(session: Session): Promise<{ pair: CryptoKeyPairLike; keyId: string }> {
  const known = keys.get(session.user.id);
  if (known) return known;
  const pair = await generateSigningKeyPair();
  const publicKey = await exportPublicKey(pair.publicKey);
  const proof = await signKeyRegistration(pair.privateKey, { userId: session.user.id, publicKey });
  const { status, body } = await api(server.url, 'POST', '/api/keys', { publicKey, proof }, session.token);
  expect(status).toBe(201);
  const key = { pair, keyId: SigningKey.parse(body).keyId };
  keys.set(session.user.id, key);
  return key;
}

async function workflowOf(documentId: string, session: Session): Promise<WorkflowResponse> {
  const { status, body } = await api(server.url, 'GET', `/api/documents/${documentId}/workflow`, undefined, session.token);
  expect(status).toBe(200);
  return WorkflowResponse.parse(body);
}

/**
 * What the approval panel does: the reviewer reads the version through sync, checks it is the one
 * submitted, and signs the decision on their device. Sending is separate (the outbox).
 */
async function signedDecision(session: Session, documentId: string, decision: 'approve' | 'return', comment?: string) {
  const workflow = await workflowOf(documentId, session);
  if (workflow.next.action !== 'decide') throw new Error(`nothing to decide: ${workflow.next.action}`);
  const round = workflow.rounds.find((r) => r.id === (workflow.next as { roundId: string }).roundId)!;
  const read = await readThroughServer(documentId, session);
  expect(await contentHash(read)).toBe(round.versionHash);
  const key = await registerKey(session);
  const statement = {
    documentId,
    versionHash: round.versionHash,
    roundId: round.id,
    stepIndex: workflow.next.stepIndex,
    decision,
    comment,
    decidedAt: new Date().toISOString(),
    signerId: session.user.id,
  };
  return { ...statement, keyId: key.keyId, signature: await signDecision(key.pair.privateKey, statement) };
}

async function send(session: Session, documentId: string, body: object): Promise<WorkflowResponse> {
  const { status, body: answer } = await api(server.url, 'POST', `/api/documents/${documentId}/decisions`, body, session.token);
  expect(status, JSON.stringify(answer)).toBe(200);
  return WorkflowResponse.parse(answer);
}

/** Submits the drafter's current local version once the server holds it. */
async function submitWhenSynced(documentId: string, doc: Y.Doc, chain: object[]): Promise<WorkflowResponse> {
  const versionHash = await contentHash(doc);
  await eventually(async () => (await contentHash(await readThroughServer(documentId, an))) === versionHash, 'the draft stored on the server');
  const { status, body } = await api(
    server.url,
    'POST',
    `/api/documents/${documentId}/submissions`,
    { versionHash, stateVector: stateVectorBase64(doc), chain },
    an.token,
  );
  expect(status, JSON.stringify(body)).toBe(201);
  return WorkflowResponse.parse(body);
}

describe('from draft to issued document', () => {
  it('the demo procedure runs from draft to 01/STTTT-BCVT, and the issued document is frozen', async () => {
    const documentId = await createDocument(server.url, an, 'Công văn về việc triển khai chữ ký số');
    const editor = open(`doc:${documentId}`, an);
    await synced(editor);
    editor.doc.getMap(META_MAP).set('title', 'Công văn về việc triển khai chữ ký số');
    typeParagraph(editor.doc, 'Kính gửi: Các phòng, đơn vị thuộc Sở.');
    const chain = [
      { kind: 'check', assigneeId: binh.user.id },
      { kind: 'sign', assigneeId: cuong.user.id },
    ];

    // an.nguyen submits; the content is frozen while it is in review.
    const first = await submitWhenSynced(documentId, editor.doc, chain);
    expect(first.status).toBe('in_review');
    const intruder = open(`doc:${documentId}`, an);
    await synced(intruder);
    typeParagraph(intruder.doc, 'Sửa trong khi đang trình.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    intruder.destroy();
    expect(contentText(await readThroughServer(documentId, binh))).not.toContain('Sửa trong khi đang trình');
    expect(storedText(documentId)).not.toContain('Sửa trong khi đang trình');

    // binh.tran finds it awaiting him and returns it with a comment.
    const awaiting = ApprovalsResponse.parse((await api(server.url, 'GET', '/api/approvals', undefined, binh.token)).body);
    expect(awaiting.items.map((item) => item.document.id)).toContain(documentId);
    const returned = await send(binh, documentId, await signedDecision(binh, documentId, 'return', 'Đề nghị bổ sung căn cứ pháp lý.'));
    expect(returned.status).toBe('returned');

    // an.nguyen changes the draft (writable again) and submits round 2.
    typeParagraph(editor.doc, 'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư.');
    const second = await submitWhenSynced(documentId, editor.doc, chain);
    expect(second.rounds.map((round) => [round.number, round.status])).toEqual([
      [1, 'returned'],
      [2, 'open'],
    ]);

    // binh.tran approves the new version.
    expect((await send(binh, documentId, await signedDecision(binh, documentId, 'approve'))).next).toMatchObject({ action: 'decide', assigneeId: cuong.user.id });

    // cuong.pham decides while the server is down; his signed decision goes through when it is back.
    const offline = await signedDecision(cuong, documentId, 'approve');
    expect(await server.stop()).toBe(0);
    server = await server.restart();
    const approved = await send(cuong, documentId, offline);
    expect(approved.status).toBe('approved');
    expect(approved.next).toEqual({ action: 'issue' });

    // chi.le sees it waiting and issues it.
    const clerkQueue = ApprovalsResponse.parse((await api(server.url, 'GET', '/api/approvals', undefined, chi.token)).body);
    expect(clerkQueue.items).toContainEqual(expect.objectContaining({ action: 'issue', document: expect.objectContaining({ id: documentId }) }));
    const { status, body } = await api(server.url, 'POST', `/api/documents/${documentId}/issue`, { requestId: crypto.randomUUID() }, chi.token);
    expect(status, JSON.stringify(body)).toBe(200);
    const issued = WorkflowResponse.parse(body);
    expect(issued.status).toBe('issued');
    expect(issued.issue?.numberText).toBe('01/STTTT-BCVT');
    expect(issued.issue?.dateLine).toMatch(/^Ninh Bình, ngày \d{2} tháng (0[12]|[3-9]|1[0-2]) năm \d{4}$/);
    const record = DocumentRecord.parse((await api(server.url, 'GET', `/api/documents/${documentId}`, undefined, an.token)).body);
    expect(record.status).toBe('issued');

    // A later edit, by the owner's live connection, is refused: never stored, never seen.
    await synced(editor);
    const signedText = contentText(await readThroughServer(documentId, an));
    typeParagraph(editor.doc, 'Sửa sau khi ban hành.');
    const comments = open(`doc:${documentId}:comments`, an);
    await synced(comments);
    comments.doc.getArray('threads').push(['Bình luận sau khi ban hành']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(contentText(await readThroughServer(documentId, chi))).toBe(signedText);
    expect(storedText(documentId)).toBe(signedText);
    expect(storedText(documentId)).not.toContain('Sửa sau khi ban hành');
    expect(await contentHash(await readThroughServer(documentId, cuong))).toBe(issued.rounds[1].versionHash);

    // The audit log has every step, unbroken.
    const audit = AuditVerification.parse((await api(server.url, 'GET', '/api/admin/audit/verify', undefined, admin.token)).body);
    expect(audit).toMatchObject({ ok: true });
    expect(audit.entries).toBeGreaterThanOrEqual(7);
  });

  it('the next công văn of the agency takes number 02, and a copy of an issued document starts a new, writable draft', async () => {
    const documentId = await createDocument(server.url, an, 'Công văn về việc sử dụng chữ ký số');
    const editor = open(`doc:${documentId}`, an);
    await synced(editor);
    typeParagraph(editor.doc, 'Điều 1. Ban hành kèm theo Quyết định này Quy chế sử dụng chữ ký số.');
    await submitWhenSynced(documentId, editor.doc, [{ kind: 'sign', assigneeId: cuong.user.id, authority: 'KT.' }]);
    await send(cuong, documentId, await signedDecision(cuong, documentId, 'approve'));
    const issued = WorkflowResponse.parse(
      (await api(server.url, 'POST', `/api/documents/${documentId}/issue`, { requestId: crypto.randomUUID() }, chi.token)).body,
    );
    expect(issued.issue?.numberText).toBe('02/STTTT-BCVT');

    const copy = await api(server.url, 'POST', `/api/documents/${documentId}/copy`, { title: 'Dự thảo sửa đổi quy chế' }, an.token);
    expect(copy.status).toBe(201);
    const copyId = DocumentRecord.parse(copy.body).id;
    const draft = open(`doc:${copyId}`, an);
    await synced(draft);
    expect(contentText(draft.doc)).toContain('Điều 1. Ban hành kèm theo');
    typeParagraph(draft.doc, 'Điều 2. Sửa đổi.');
    await waitFor(() => contentText(draft.doc).includes('Điều 2'), 'local edit');
    await eventually(async () => storedText(copyId).includes('Điều 2. Sửa đổi.'), 'the copy’s edit stored');
  });

  it('a quyết định takes the next number of the same yearly sequence: 03/QĐ-STTTT', async () => {
    const documentId = crypto.randomUUID();
    const created = await api(server.url, 'POST', '/api/documents', { id: documentId, title: 'Quyết định thành lập tổ công tác', type: 'QĐ' }, an.token);
    expect(created.status).toBe(201);
    const editor = open(`doc:${documentId}`, an);
    await synced(editor);
    typeParagraph(editor.doc, 'Điều 1. Thành lập Tổ công tác chuyển đổi số.');
    await submitWhenSynced(documentId, editor.doc, [{ kind: 'sign', assigneeId: cuong.user.id }]);
    await send(cuong, documentId, await signedDecision(cuong, documentId, 'approve'));
    const issued = WorkflowResponse.parse(
      (await api(server.url, 'POST', `/api/documents/${documentId}/issue`, { requestId: crypto.randomUUID() }, chi.token)).body,
    );
    expect(issued.issue?.numberText).toBe('03/QĐ-STTTT');
  });
});
