import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from './auth/password.ts';
import { DEMO_PASSWORD, DEMO_USER_IDS, seedDemo, uuidV5 } from './demo.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/store.ts';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'congvu-demo-'));
  store = await openStore(`sqlite:${path.join(dir, 'congvu.db')}`);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo workspace', () => {
  it('derives the same user ids on every run, so tests and benchmarks can name them', () => {
    // Fixed here on purpose: changing them breaks every script that relies on them.
    expect(DEMO_USER_IDS).toEqual({
      'an.nguyen': '2d7ddeda-8a3c-5138-8838-57e59b41bf81',
      'binh.tran': '7c75a511-6ee3-5029-b224-a4a0d255a3dd',
      'cuong.pham': 'f59628d3-6c20-5d52-98a2-a8df62a23698',
      'chi.le': '9d06e20b-920d-569d-8a70-37b01af66132',
      'dung.vu': '4e091ee2-0758-54fa-bb13-0bb24cb21b9c',
      admin: 'ea51f607-1aec-57c7-98eb-9f703acaa978',
    });
  });

  it('makes standard version-5 UUIDs', () => {
    // The RFC 9562 DNS namespace example, as every uuid library computes it.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('creates the agencies and users of the contract on an empty store, with the demo password', async () => {
    expect(await seedDemo(store)).toBe(true);
    const agencies = await store.listAgencies();
    expect(agencies.map((agency) => [agency.id, agency.abbreviation, agency.parentId]).sort()).toEqual([
      ['stttt-ninhbinh', 'STTTT', 'ubnd-ninhbinh'],
      ['ubnd-ninhbinh', 'UBND', null],
      ['ubnd-yenhoa', 'UBND', null],
    ]);
    const users = await store.listUsers();
    expect(users).toHaveLength(6);
    const dung = await store.getUserByUsername('dung.vu');
    expect(dung).toMatchObject({ id: DEMO_USER_IDS['dung.vu'], displayName: 'Vũ Thị Dung', agencyId: 'ubnd-yenhoa', unit: 'Văn phòng', roles: [] });
    expect(await store.getUserByUsername('cuong.pham')).toMatchObject({ unit: 'Ban Giám đốc', title: 'giám đốc', roles: ['leader'] });
    expect(await store.getUserByUsername('admin')).toMatchObject({ displayName: 'Quản trị hệ thống', roles: ['admin'] });
    for (const user of users) expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash), user.username).toBe(true);
  });

  it('leaves a store that already has users alone', async () => {
    expect(await seedDemo(store)).toBe(true);
    const before = await store.getUserByUsername('an.nguyen');
    expect(await seedDemo(store)).toBe(false);
    expect((await store.getUserByUsername('an.nguyen'))?.passwordHash).toBe(before?.passwordHash);
  });
});
