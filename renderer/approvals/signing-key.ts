/**
 * This device's signing key for the signed-in user (DESIGN.md, "Approval, numbering and
 * signatures"). An Ed25519 pair is made here with WebCrypto on first need; the private key is not
 * extractable and is kept as the CryptoKey object itself in IndexedDB (structured clone keeps it
 * usable for signing and unreadable, even by this app's own code). The public key is registered
 * with the server through the outbox, so a key made offline is registered when the link returns,
 * always before any decision signed with it (the outbox runs in order).
 */
import { exportPublicKey, generateSigningKeyPair, keyIdOf, signDecision, signKeyRegistration, type DecisionStatement } from '../../common/signing.ts';
import { getKv, setKv, type CongvuDb, type DeviceSigningKey } from '../store/db.ts';

export type { DeviceSigningKey } from '../store/db.ts';

/** One key generation at a time per database: StrictMode and several components may ask at once. */
const making = new WeakMap<CongvuDb, Promise<DeviceSigningKey>>();

/** The key this device signs with for this user, if it has one. */
export async function loadSigningKey(db: CongvuDb, userId: string): Promise<DeviceSigningKey | null> {
  const key = await getKv(db, 'signingKey');
  return key !== undefined && key.userId === userId ? key : null;
}

/**
 * The key this device signs with, made (and its registration queued) the first time. Safe to call
 * from several tabs at once: the check and the write are one transaction, and a tab that loses the
 * race uses the key the other one stored.
 */
export function ensureSigningKey(db: CongvuDb, userId: string): Promise<DeviceSigningKey> {
  const pending = making.get(db);
  if (pending) return pending;
  const made = makeKey(db, userId).finally(() => making.delete(db));
  making.set(db, made);
  return made;
}

async function makeKey(db: CongvuDb, userId: string): Promise<DeviceSigningKey> {
  const existing = await loadSigningKey(db, userId);
  if (existing) return existing;
  // WebCrypto work happens outside the transaction: IndexedDB commits a transaction that waits
  // on anything else.
  const pair = await generateSigningKeyPair();
  const publicKey = await exportPublicKey(pair.publicKey);
  const keyId = await keyIdOf(publicKey);
  const proof = await signKeyRegistration(pair.privateKey, { userId, publicKey });
  const now = new Date().toISOString();
  return db.transaction('rw', db.kv, db.outbox, async () => {
    const stored = await loadSigningKey(db, userId);
    if (stored) return stored;
    const key: DeviceSigningKey = {
      userId,
      keyId,
      publicKey,
      privateKey: pair.privateKey as CryptoKey,
      createdAt: now,
      registeredAt: null,
    };
    await setKv(db, 'signingKey', key);
    await db.outbox.add({ kind: 'registerKey', payload: { publicKey, proof }, createdAt: now, attempts: 0 });
    return key;
  });
}

/** Queues the registration again (the server answered `unknown_key`: it lost or never got it). */
export async function requeueRegistration(db: CongvuDb, key: DeviceSigningKey): Promise<void> {
  const proof = await signKeyRegistration(key.privateKey, { userId: key.userId, publicKey: key.publicKey });
  await db.outbox.add({ kind: 'registerKey', payload: { publicKey: key.publicKey, proof }, createdAt: new Date().toISOString(), attempts: 0 });
}

/** The server accepted the key: remembered so the UI can say the device can sign. */
export async function markRegistered(db: CongvuDb, publicKey: string, at: string): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const key = await getKv(db, 'signingKey');
    if (key && key.publicKey === publicKey && key.registeredAt === null) await setKv(db, 'signingKey', { ...key, registeredAt: at });
  });
}

export function signStatement(key: DeviceSigningKey, statement: DecisionStatement): Promise<string> {
  return signDecision(key.privateKey, statement);
}
