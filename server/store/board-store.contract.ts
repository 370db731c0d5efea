/**
 * The behaviour every BoardStore must have (issue 6), as one vitest suite that sqlite.test.ts and
 * postgres.test.ts run against their own database. Tests share the database, so each makes its own
 * agencies, users and boards and never assumes the tables start empty.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardRecord } from './board-store.ts';
import type { StoreHarness } from './store.contract.ts';
import type { AgencyRecord, Store, UserRecord } from './store.ts';

export function describeBoardStoreContract(name: string, createHarness: () => Promise<Pick<StoreHarness, 'open' | 'dispose'>>): void {
  describe(`${name} board store`, () => {
    let harness: Pick<StoreHarness, 'open' | 'dispose'>;
    let store: Store;

    beforeAll(async () => {
      harness = await createHarness();
      store = await harness.open();
      await store.migrate();
    });

    afterAll(async () => {
      await store?.close().catch(() => undefined);
      await harness?.dispose();
    });

    async function agency(): Promise<AgencyRecord> {
      const record: AgencyRecord = { id: `agency-${randomUUID()}`, name: 'Sở Nội vụ', abbreviation: 'SNV', parentId: null };
      await store.upsertAgency(record);
      return record;
    }

    async function user(agencyId: string): Promise<UserRecord> {
      const id = randomUUID();
      const record: UserRecord = {
        id,
        username: `user-${id}`,
        displayName: 'Trần Thị Bình',
        agencyId,
        unit: 'Văn phòng',
        title: 'Chuyên viên',
        roles: [],
        passwordHash: 'scrypt$test',
      };
      await store.upsertUser(record);
      return record;
    }

    async function board(owner: UserRecord, overrides: Partial<BoardRecord> = {}): Promise<BoardRecord> {
      const now = new Date().toISOString();
      const record: BoardRecord = { id: randomUUID(), title: 'Kế hoạch chuyển đổi số', agencyId: owner.agencyId, ownerId: owner.id, createdAt: now, updatedAt: now, ...overrides };
      const { created } = await store.boards.createBoard(record);
      expect(created).toBe(true);
      return record;
    }

    it('creating a board twice with one id keeps the first record and says it was not created again', async () => {
      const a = await agency();
      const owner = await user(a.id);
      const first = await board(owner, { title: 'Bảng đầu tiên' });
      const again = await store.boards.createBoard({ ...first, title: 'Tiêu đề khác', createdAt: new Date(Date.now() + 1000).toISOString() });
      expect(again).toEqual({ record: first, created: false });
      expect(await store.boards.getBoard(first.id)).toEqual(first);
      expect(await store.boards.getBoard(randomUUID())).toBeUndefined();
    });

    it('a board is visible to its owner and its members only, once each, newest change first', async () => {
      const a = await agency();
      const other = await agency();
      const [owner, colleague, member, stranger] = [await user(a.id), await user(a.id), await user(other.id), await user(other.id)];
      const older = await board(owner, { updatedAt: '2026-01-01T00:00:00.000Z', createdAt: '2026-01-01T00:00:00.000Z' });
      const newer = await board(owner, { updatedAt: '2026-01-02T00:00:00.000Z', createdAt: '2026-01-02T00:00:00.000Z' });
      expect((await store.boards.listBoardsVisibleTo(owner.id, a.id)).map((b) => b.id)).toEqual([newer.id, older.id]);
      // Same agency, no membership: nothing (agencies are tenants, and even inside one a board is private until shared).
      expect(await store.boards.listBoardsVisibleTo(colleague.id, a.id)).toEqual([]);

      await store.boards.putBoardMember({ boardId: older.id, principalType: 'user', principalId: member.id, role: 'viewer' });
      await store.boards.putBoardMember({ boardId: older.id, principalType: 'agency', principalId: other.id, role: 'editor' });
      expect((await store.boards.listBoardsVisibleTo(member.id, other.id)).map((b) => b.id)).toEqual([older.id]);
      expect((await store.boards.listBoardsVisibleTo(stranger.id, other.id)).map((b) => b.id)).toEqual([older.id]);
      expect(await store.boards.listBoardsVisibleTo(colleague.id, a.id)).toEqual([]);

      await store.boards.touchBoard(older.id, '2026-01-03T00:00:00.000Z');
      expect((await store.boards.listBoardsVisibleTo(owner.id, a.id)).map((b) => b.id)).toEqual([older.id, newer.id]);
      expect((await store.boards.getBoard(older.id))?.updatedAt).toBe('2026-01-03T00:00:00.000Z');
    });

    it('members are put, replaced and removed; only the rows that apply to a user are found for them', async () => {
      const a = await agency();
      const other = await agency();
      const owner = await user(a.id);
      const member = await user(other.id);
      const b = await board(owner);
      await store.boards.putBoardMember({ boardId: b.id, principalType: 'user', principalId: member.id, role: 'viewer' });
      await store.boards.putBoardMember({ boardId: b.id, principalType: 'user', principalId: member.id, role: 'editor' });
      await store.boards.putBoardMember({ boardId: b.id, principalType: 'agency', principalId: other.id, role: 'viewer' });
      expect(await store.boards.listBoardMembers(b.id)).toEqual([
        { boardId: b.id, principalType: 'agency', principalId: other.id, role: 'viewer' },
        { boardId: b.id, principalType: 'user', principalId: member.id, role: 'editor' },
      ]);
      expect((await store.boards.boardMembersFor(b.id, member.id, other.id)).map((m) => m.role).sort()).toEqual(['editor', 'viewer']);
      expect(await store.boards.boardMembersFor(b.id, owner.id, a.id)).toEqual([]);

      expect(await store.boards.deleteBoardMember(b.id, 'user', member.id)).toBe(true);
      expect(await store.boards.deleteBoardMember(b.id, 'user', member.id)).toBe(false);
      expect(await store.boards.listBoardMembers(b.id)).toEqual([{ boardId: b.id, principalType: 'agency', principalId: other.id, role: 'viewer' }]);
    });

    it('refuses a board whose owner or agency does not exist', async () => {
      const a = await agency();
      const now = new Date().toISOString();
      await expect(
        store.boards.createBoard({ id: randomUUID(), title: 'x', agencyId: a.id, ownerId: randomUUID(), createdAt: now, updatedAt: now }),
      ).rejects.toThrow();
      const owner = await user(a.id);
      await expect(
        store.boards.createBoard({ id: randomUUID(), title: 'x', agencyId: `missing-${randomUUID()}`, ownerId: owner.id, createdAt: now, updatedAt: now }),
      ).rejects.toThrow();
    });

    it('a member row needs an existing board', async () => {
      await expect(store.boards.putBoardMember({ boardId: randomUUID(), principalType: 'user', principalId: randomUUID(), role: 'viewer' })).rejects.toThrow();
    });
  });
}
