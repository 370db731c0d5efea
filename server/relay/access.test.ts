import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';
import { storeAccess } from './access.ts';
import { temporaryStore } from './hooks.test-support.ts';
import type { Principal } from './hooks.ts';

let store: Store;
let dispose: () => Promise<void>;
const docId = randomUUID();
const issuedId = randomUUID();
const person = (userId: string, agencyId: string): Principal => ({ userId, displayName: userId, agencyId, expiresAt: Date.now() + 60_000 });
const an = person('an', 'stttt');
const binh = person('binh', 'stttt');
const dung = person('dung', 'yenhoa');

beforeAll(async () => {
  ({ store, dispose } = await temporaryStore());
  const now = new Date().toISOString();
  for (const agency of ['stttt', 'yenhoa']) await store.upsertAgency({ id: agency, name: agency, abbreviation: agency, parentId: null });
  for (const [id, agencyId] of [
    ['an', 'stttt'],
    ['binh', 'stttt'],
    ['dung', 'yenhoa'],
  ]) {
    await store.upsertUser({ id, username: id, displayName: id, agencyId, unit: '', title: '', roles: [], passwordHash: 'x' });
  }
  for (const [id, status] of [
    [docId, 'draft'],
    [issuedId, 'issued'],
  ] as const) {
    await store.createDocument({ id, title: 't', type: 'CV', status, agencyId: 'stttt', ownerId: 'an', createdAt: now, updatedAt: now });
  }
  await store.putShare({ documentId: docId, principalType: 'user', principalId: 'dung', role: 'viewer' });
  await store.putShare({ documentId: docId, principalType: 'agency', principalId: 'stttt', role: 'commenter' });
});
afterAll(() => dispose());

describe('store access hook', () => {
  const access = () => storeAccess(store);

  it('lets the owner write content and comments', async () => {
    expect(await access().authorize(an, `doc:${docId}`)).toEqual({ canWrite: true });
    expect(await access().authorize(an, `doc:${docId}:comments`)).toEqual({ canWrite: true });
  });

  it('admits a viewer read-only and a commenter to write comments only', async () => {
    expect(await access().authorize(dung, `doc:${docId}`)).toEqual({ canWrite: false });
    expect(await access().authorize(dung, `doc:${docId}:comments`)).toEqual({ canWrite: false });
    expect(await access().authorize(binh, `doc:${docId}`)).toEqual({ canWrite: false });
    expect(await access().authorize(binh, `doc:${docId}:comments`)).toEqual({ canWrite: true });
  });

  it('answers null for unknown documents, bad room names and people without a share', async () => {
    expect(await access().authorize(an, `doc:${randomUUID()}`)).toBeNull();
    expect(await access().authorize(an, 'lobby')).toBeNull();
    expect(await access().authorize(dung, `doc:${issuedId}`)).toBeNull();
  });

  it('freezes an issued document for everyone, the owner included', async () => {
    expect(await access().authorize(an, `doc:${issuedId}`)).toEqual({ canWrite: false });
  });

  it('lets the reviewers of a submitted draft read and comment, freezes its content, and gives it back on a return', async () => {
    const now = new Date().toISOString();
    const id = randomUUID();
    await store.createDocument({ id, title: 't', type: 'CV', status: 'draft', agencyId: 'stttt', ownerId: 'an', createdAt: now, updatedAt: now });
    await store.putSigningKey({ keyId: 'binh-key', userId: 'binh', publicKey: 'binh-pk', createdAt: now }, { at: now, actorId: 'binh', action: 'key.registered', documentId: null, details: {} });
    expect(await access().authorize(binh, `doc:${id}`)).toBeNull();
    const submitted = await store.submitForReview({
      documentId: id,
      roundId: randomUUID(),
      versionHash: 'a'.repeat(64),
      stateVector: 'AA==',
      submittedBy: 'an',
      submittedAt: now,
      chain: [{ kind: 'sign', assigneeId: 'binh', authority: null }],
      audit: { at: now, actorId: 'an', action: 'submission.created', documentId: id, details: {} },
    });
    if (!submitted.ok) throw new Error(submitted.error.code);
    expect(await access().authorize(binh, `doc:${id}`)).toEqual({ canWrite: false });
    expect(await access().authorize(binh, `doc:${id}:comments`)).toEqual({ canWrite: true });
    expect(await access().authorize(an, `doc:${id}`)).toEqual({ canWrite: false });
    expect(await access().authorize(an, `doc:${id}:comments`)).toEqual({ canWrite: true });
    expect(await access().authorize(dung, `doc:${id}`)).toBeNull();

    const returned = await store.recordDecision({
      documentId: id,
      roundId: submitted.value.workflow.rounds[0].id,
      stepIndex: 0,
      decision: 'return',
      comment: 'Sửa lại.',
      decidedAt: now,
      signerId: 'binh',
      keyId: 'binh-key',
      signature: `sig-${id}`,
      versionHash: 'a'.repeat(64),
      recordedAt: now,
      audit: { at: now, actorId: 'binh', action: 'decision.recorded', documentId: id, details: {} },
    });
    expect(returned.ok).toBe(true);
    expect(await access().authorize(an, `doc:${id}`)).toEqual({ canWrite: true });
    // Someone who took part may still read what they decided on, no longer comment.
    expect(await access().authorize(binh, `doc:${id}`)).toEqual({ canWrite: false });
    expect(await access().authorize(binh, `doc:${id}:comments`)).toEqual({ canWrite: false });
  });
});
