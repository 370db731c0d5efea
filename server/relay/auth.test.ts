import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../auth/tokens.ts';
import type { Store } from '../store/store.ts';
import { tokenAuth } from './auth.ts';
import { temporaryStore } from './hooks.test-support.ts';
import type { IncomingMessage } from 'node:http';

let store: Store;
let dispose: () => Promise<void>;
const request = {} as IncomingMessage;

beforeAll(async () => {
  ({ store, dispose } = await temporaryStore());
  await store.upsertAgency({ id: 'stttt', name: 'Sở', abbreviation: 'STTTT', parentId: null });
  await store.upsertUser({ id: 'u-an', username: 'an', displayName: 'Nguyễn Văn An', agencyId: 'stttt', unit: '', title: '', roles: [], passwordHash: 'x' });
});
afterAll(() => dispose());

describe('token auth hook', () => {
  it('turns a valid token into the user it names, with its expiry', async () => {
    const tokens = await TokenService.create(store, 60);
    const token = await tokens.issue({ id: 'u-an' });
    const principal = await tokenAuth(tokens, store).authenticate(token, request);
    expect(principal).toMatchObject({ userId: 'u-an', displayName: 'Nguyễn Văn An', agencyId: 'stttt' });
    expect(principal.expiresAt).toBeGreaterThan(Date.now());
  });

  it('refuses a missing, forged or expired token, or one for an unknown user, with 401', async () => {
    const tokens = await TokenService.create(store, 60);
    const auth = tokenAuth(tokens, store);
    await expect(auth.authenticate(null, request)).rejects.toMatchObject({ status: 401 });
    await expect(auth.authenticate('abc.def.ghi', request)).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    const past = await TokenService.create(store, 60, { now: () => Date.now() - 3_600_000 });
    await expect(auth.authenticate(await past.issue({ id: 'u-an' }), request)).rejects.toMatchObject({
      status: 401,
      code: 'token_expired',
    });
    await expect(auth.authenticate(await tokens.issue({ id: 'u-ghost' }), request)).rejects.toMatchObject({ status: 401 });
  });
});
