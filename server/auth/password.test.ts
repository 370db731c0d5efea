import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword } from './password.ts';

// A cheap cost keeps the suite fast; the format and comparison are the same at any cost.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('writes a self-describing scrypt hash with its parameters, salt and key', async () => {
    const hash = await hashPassword('congvu-demo', FAST);
    const parts = hash.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(parts[4], 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5], 'base64')).toHaveLength(32);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('congvu-demo', FAST);
    expect(await verifyPassword('congvu-demo', hash)).toBe(true);
    expect(await verifyPassword('congvu-dem0', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash, so one password never hashes the same twice', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const hash = await hashPassword('mật khẩu', { N: 2 ** 11, r: 4, p: 2 });
    expect(await verifyPassword('mật khẩu', hash)).toBe(true);
  });

  it('treats precomposed and combining Vietnamese diacritics as the same password', async () => {
    const hash = await hashPassword('Việt Nam'.normalize('NFC'), FAST);
    expect(await verifyPassword('Việt Nam'.normalize('NFD'), hash)).toBe(true);
  });

  it('matches nothing against a malformed or hostile hash', async () => {
    const good = await hashPassword('x', FAST);
    const [, , r, p, salt, key] = good.split('$');
    for (const bad of [
      '',
      'plain-text',
      `bcrypt$1024$${r}$${p}$${salt}$${key}`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, // would allocate gigabytes
      `scrypt$1024$${r}$${p}$$${key}`,
      `scrypt$1024$${r}$${p}$${salt}`,
    ]) {
      expect(await verifyPassword('x', bad), bad).toBe(false);
    }
  });

  it('asks for a rehash when a stored hash is weaker than the current parameters', async () => {
    expect(needsRehash(await hashPassword('x', FAST))).toBe(true);
    expect(needsRehash(await hashPassword('x', DEFAULT_SCRYPT))).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });
});
