import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { keyIdOf, verifyDecision, verifyKeyRegistration, type DecisionStatement } from '../../common/signing.ts';
import { openDb, type CongvuDb } from '../store/db.ts';
import { ensureSigningKey, loadSigningKey, markRegistered, signStatement } from './signing-key.ts';

const dbs: CongvuDb[] = [];
function freshDb(name = `test-${crypto.randomUUID()}`): CongvuDb {
  const db = openDb(name);
  dbs.push(db);
  return db;
}
afterEach(async () => {
  const all = dbs.splice(0);
  for (const db of all) db.close();
  for (const name of new Set(all.map((db) => db.name))) await Dexie.delete(name);
});

const USER = '6f1c1a52-1111-4c4c-8888-000000000001';

const statement = (signerId: string): DecisionStatement => ({
  documentId: '6f1c1a52-2222-4c4c-8888-000000000002',
  versionHash: 'a'.repeat(64),
  roundId: '6f1c1a52-3333-4c4c-8888-000000000003',
  stepIndex: 0,
  decision: 'approve',
  decidedAt: '2026-01-05T02:00:00.000Z',
  signerId,
});

describe('the device signing key', () => {
  it('is made once, with a non-extractable private key, and its registration waits in the outbox with a valid proof', async () => {
    const db = freshDb();
    const key = await ensureSigningKey(db, USER);
    expect(key.privateKey.extractable).toBe(false);
    expect(key.privateKey.type).toBe('private');
    expect(key.keyId).toBe(await keyIdOf(key.publicKey));
    expect(key.registeredAt).toBeNull();
    await expect(crypto.subtle.exportKey('pkcs8', key.privateKey)).rejects.toThrow();

    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    const entry = outbox[0];
    if (entry.kind !== 'registerKey') throw new Error(`unexpected ${entry.kind}`);
    expect(entry.payload.publicKey).toBe(key.publicKey);
    expect(await verifyKeyRegistration({ userId: USER, publicKey: key.publicKey }, entry.payload.proof)).toBe(true);
  });

  it('survives closing and reopening the database as a key that still signs and still cannot be exported', async () => {
    const name = `test-${crypto.randomUUID()}`;
    const first = freshDb(name);
    const made = await ensureSigningKey(first, USER);
    first.close();

    const again = freshDb(name);
    const loaded = await loadSigningKey(again, USER);
    expect(loaded?.keyId).toBe(made.keyId);
    expect(loaded?.privateKey.extractable).toBe(false);
    const signature = await signStatement(loaded!, statement(USER));
    expect(await verifyDecision(made.publicKey, statement(USER), signature)).toBe(true);
    await expect(crypto.subtle.exportKey('pkcs8', loaded!.privateKey)).rejects.toThrow();
  });

  it('asked for several times at once, gives one key and queues one registration', async () => {
    const db = freshDb();
    const keys = await Promise.all([ensureSigningKey(db, USER), ensureSigningKey(db, USER), ensureSigningKey(db, USER)]);
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    expect((await ensureSigningKey(db, USER)).keyId).toBe(keys[0].keyId);
    expect(await db.outbox.count()).toBe(1);
  });

  it('is remembered as registered once the server accepted it', async () => {
    const db = freshDb();
    const key = await ensureSigningKey(db, USER);
    await markRegistered(db, key.publicKey, '2026-01-05T02:00:00.000Z');
    expect((await loadSigningKey(db, USER))?.registeredAt).toBe('2026-01-05T02:00:00.000Z');
  });

  it('belongs to one user: another user on the same database gets none', async () => {
    const db = freshDb();
    await ensureSigningKey(db, USER);
    expect(await loadSigningKey(db, '6f1c1a52-9999-4c4c-8888-000000000009')).toBeNull();
  });
});
