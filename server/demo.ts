/**
 * The demo workspace of CONTRACT.md (`CONGVU_DEMO=1`): three agencies of Ninh Bình and six users,
 * all with the password `congvu-demo`. User ids are derived from the usernames (UUID version 5),
 * so tests and benchmarks can name the same users on every run and every machine.
 */
import { createHash } from 'node:crypto';
import { hashPassword } from './auth/password.ts';
import type { AgencyRecord, Store, UserRecord } from './store/store.ts';

export const DEMO_PASSWORD = 'congvu-demo';

/** RFC 9562 namespace for URLs; the name is `urn:congvu:demo-user:<username>`. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A version-5 (SHA-1, name-based) UUID: the same name always gives the same id. */
export function uuidV5(name: string, namespace: string = URL_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function demoUserId(username: string): string {
  return uuidV5(`urn:congvu:demo-user:${username}`);
}

export const DEMO_AGENCIES: readonly AgencyRecord[] = [
  { id: 'ubnd-ninhbinh', name: 'Ủy ban nhân dân tỉnh Ninh Bình', abbreviation: 'UBND', parentId: null },
  { id: 'stttt-ninhbinh', name: 'Sở Thông tin và Truyền thông tỉnh Ninh Bình', abbreviation: 'STTTT', parentId: 'ubnd-ninhbinh' },
  { id: 'ubnd-yenhoa', name: 'Ủy ban nhân dân xã Yên Hòa', abbreviation: 'UBND', parentId: null },
];

export const DEMO_USERNAMES = ['an.nguyen', 'binh.tran', 'cuong.pham', 'chi.le', 'dung.vu', 'admin'] as const;
export type DemoUsername = (typeof DEMO_USERNAMES)[number];

export type DemoUser = Omit<UserRecord, 'passwordHash'> & { readonly username: DemoUsername };

const PTBCVT = 'Phòng Bưu chính - Viễn thông';

// Units and titles as CONTRACT.md writes them. Application roles follow the Decree 30 procedure:
// the drafter drafts, the head of unit checks, the leader approves and signs, the clerk numbers
// and issues; the user of another agency has none here.
const PROFILES: readonly Omit<DemoUser, 'id'>[] = [
  { username: 'an.nguyen', displayName: 'Nguyễn Văn An', agencyId: 'stttt-ninhbinh', unit: PTBCVT, title: 'chuyên viên', roles: ['drafter'] },
  { username: 'binh.tran', displayName: 'Trần Thị Bình', agencyId: 'stttt-ninhbinh', unit: PTBCVT, title: 'trưởng phòng', roles: ['head_of_unit'] },
  { username: 'cuong.pham', displayName: 'Phạm Quốc Cường', agencyId: 'stttt-ninhbinh', unit: 'Ban Giám đốc', title: 'giám đốc', roles: ['leader'] },
  { username: 'chi.le', displayName: 'Lê Minh Chi', agencyId: 'stttt-ninhbinh', unit: 'Văn phòng', title: 'văn thư', roles: ['clerk'] },
  { username: 'dung.vu', displayName: 'Vũ Thị Dung', agencyId: 'ubnd-yenhoa', unit: 'Văn phòng', title: 'công chức', roles: [] },
  { username: 'admin', displayName: 'Quản trị hệ thống', agencyId: 'stttt-ninhbinh', unit: '', title: '', roles: ['admin'] },
];

export const DEMO_USERS: readonly DemoUser[] = PROFILES.map((profile) => ({ ...profile, id: demoUserId(profile.username) }));

/** Ids of the demo users by username. */
export const DEMO_USER_IDS: Readonly<Record<DemoUsername, string>> = Object.fromEntries(
  DEMO_USERS.map((user) => [user.username, user.id]),
) as Record<DemoUsername, string>;

/**
 * Creates the demo workspace when the store has no users yet; returns whether it did. Two
 * processes racing on an empty database both write the same ids, so the result is one workspace.
 */
export async function seedDemo(store: Store): Promise<boolean> {
  if ((await store.countUsers()) > 0) return false;
  for (const agency of DEMO_AGENCIES) await store.upsertAgency(agency);
  // One hash at a time: each takes 32 MiB while it runs.
  for (const user of DEMO_USERS) {
    await store.upsertUser({ ...user, roles: [...user.roles], passwordHash: await hashPassword(DEMO_PASSWORD) });
  }
  return true;
}
