import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { AuthError, TokenService } from './tokens.ts';

const user = { id: '3f1b2c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d' };

let dir: string;
let dbUrl: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'congvu-tokens-'));
  dbUrl = `sqlite:${path.join(dir, 'congvu.db')}`;
  store = await openStore(dbUrl);
  await store.migrate();
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => new Error('the token was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('TokenService', () => {
  it('issues a token that names the user and when it expires', async () => {
    const tokens = await TokenService.create(store, 3600);
    const before = Date.now();
    const verified = await tokens.verify(await tokens.issue(user));
    expect(verified.userId).toBe(user.id);
    expect(verified.expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    expect(verified.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
  });

  it('refuses an expired token with token_expired', async () => {
    const past = await TokenService.create(store, 60, { now: () => Date.now() - 3600_000 });
    const present = await TokenService.create(store, 60);
    const error = await refusal(present.verify(await past.issue(user)));
    expect(error.code).toBe('token_expired');
  });

  it('refuses a token whose payload was tampered with', async () => {
    const tokens = await TokenService.create(store, 3600);
    const [header, , signature] = (await tokens.issue(user)).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'someone-else', iss: 'congvu', exp: 4_000_000_000 })).toString('base64url');
    expect((await refusal(tokens.verify(`${header}.${forged}.${signature}`))).code).toBe('unauthorized');
  });

  it('refuses garbage, unsigned tokens and tokens signed with another secret', async () => {
    const tokens = await TokenService.create(store, 3600);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: user.id, exp: 4_000_000_000 })).toString('base64url')}.`;
    const otherDir = mkdtempSync(path.join(tmpdir(), 'congvu-tokens-other-'));
    const otherStore = await openStore(`sqlite:${path.join(otherDir, 'congvu.db')}`);
    try {
      await otherStore.migrate();
      const foreign = await (await TokenService.create(otherStore, 3600)).issue(user);
      for (const token of ['', 'not-a-token', unsigned, foreign]) {
        expect((await refusal(tokens.verify(token))).code).toBe('unauthorized');
      }
    } finally {
      await otherStore.close();
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('keeps tokens valid for a second service built from the same store, as after a restart', async () => {
    const token = await (await TokenService.create(store, 3600)).issue(user);
    await store.close();
    store = await openStore(dbUrl);
    await store.migrate();
    const restarted = await TokenService.create(store, 3600);
    expect((await restarted.verify(token)).userId).toBe(user.id);
  });

  it('refuses a lifetime that is not a positive number of seconds', async () => {
    await expect(TokenService.create(store, 0)).rejects.toThrow(RangeError);
    await expect(TokenService.create(store, 1.5)).rejects.toThrow(RangeError);
  });
});
