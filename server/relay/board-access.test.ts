import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.ts';
import { storeAccess } from './access.ts';
import { temporaryStore } from './hooks.test-support.ts';
import type { Principal } from './hooks.ts';

let store: Store;
let dispose: () => Promise<void>;
const boardId = randomUUID();
const person = (userId: string, agencyId: string): Principal => ({ userId, displayName: userId, agencyId, expiresAt: Date.now() + 60_000 });
const an = person('an', 'stttt');
const binh = person('binh', 'stttt');
const chi = person('chi', 'stttt');
const dung = person('dung', 'yenhoa');
const em = person('em', 'yenhoa');

beforeAll(async () => {
  ({ store, dispose } = await temporaryStore());
  for (const agency of ['stttt', 'yenhoa']) await store.upsertAgency({ id: agency, name: agency, abbreviation: agency, parentId: null });
  for (const { userId, agencyId } of [an, binh, chi, dung, em]) {
    await store.upsertUser({ id: userId, username: userId, displayName: userId, agencyId, unit: '', title: '', roles: [], passwordHash: 'x' });
  }
  const now = new Date().toISOString();
  await store.boards.createBoard({ id: boardId, title: 'Bảng', agencyId: 'stttt', ownerId: 'an', createdAt: now, updatedAt: now });
  await store.boards.putBoardMember({ boardId, principalType: 'user', principalId: 'binh', role: 'editor' });
  await store.boards.putBoardMember({ boardId, principalType: 'agency', principalId: 'yenhoa', role: 'viewer' });
  await store.boards.putBoardMember({ boardId, principalType: 'user', principalId: 'em', role: 'editor' });
});
afterAll(() => dispose());

describe('board room access', () => {
  const access = () => storeAccess(store);

  it('lets the owner and editors write a board room', async () => {
    expect(await access().authorize(an, `board:${boardId}`)).toEqual({ canWrite: true });
    expect(await access().authorize(binh, `board:${boardId}`)).toEqual({ canWrite: true });
  });

  it('lets viewers (here through their agency) in read-only, and takes the strongest of several memberships', async () => {
    expect(await access().authorize(dung, `board:${boardId}`)).toEqual({ canWrite: false });
    expect(await access().authorize(em, `board:${boardId}`)).toEqual({ canWrite: true });
  });

  it('answers null (404) for non-members, even of the owner’s agency, and for boards that do not exist', async () => {
    expect(await access().authorize(chi, `board:${boardId}`)).toBeNull();
    expect(await access().authorize(an, `board:${randomUUID()}`)).toBeNull();
  });

  it('follows member changes at once', async () => {
    await store.boards.putBoardMember({ boardId, principalType: 'user', principalId: 'chi', role: 'viewer' });
    expect(await access().authorize(chi, `board:${boardId}`)).toEqual({ canWrite: false });
    await store.boards.deleteBoardMember(boardId, 'user', 'chi');
    expect(await access().authorize(chi, `board:${boardId}`)).toBeNull();
  });
});
