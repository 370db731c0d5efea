import { describe, expect, it } from 'vitest';
import {
  decisionStatementBytes,
  exportPublicKey,
  generateSigningKeyPair,
  isPublicKey,
  isSignature,
  keyIdOf,
  normaliseBase64Url,
  signDecision,
  signKeyRegistration,
  verifyDecision,
  verifyKeyRegistration,
  type DecisionStatement,
} from './signing.ts';

const statement: DecisionStatement = {
  documentId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  versionHash: 'a'.repeat(64),
  roundId: '0b7a3c1d-2e4f-4a5b-8c6d-7e8f9a0b1c2d',
  stepIndex: 1,
  decision: 'return',
  comment: 'Đề nghị bổ sung căn cứ pháp lý.',
  decidedAt: '2026-01-05T02:30:00.000Z',
  signerId: '5d0c8f1e-9a2b-4c3d-8e4f-5a6b7c8d9e0f',
};

describe('signed decisions', () => {
  it('a decision signed with a new key verifies with its exported public key', async () => {
    const keys = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(keys.publicKey);
    expect(isPublicKey(publicKey)).toBe(true);
    const signature = await signDecision(keys.privateKey, statement);
    expect(isSignature(signature)).toBe(true);
    expect(await verifyDecision(publicKey, statement, signature)).toBe(true);
  });

  it('the private key cannot be exported', async () => {
    const keys = await generateSigningKeyPair();
    expect(keys.privateKey.extractable).toBe(false);
  });

  it('any change to any field of the statement breaks the signature', async () => {
    const keys = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(keys.publicKey);
    const signature = await signDecision(keys.privateKey, statement);
    const changes: Partial<DecisionStatement>[] = [
      { documentId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e50' },
      { versionHash: 'b'.repeat(64) },
      { roundId: '0b7a3c1d-2e4f-4a5b-8c6d-7e8f9a0b1c20' },
      { stepIndex: 0 },
      { decision: 'approve' },
      { comment: 'Đồng ý.' },
      { comment: undefined },
      { decidedAt: '2026-01-05T02:30:00.001Z' },
      { signerId: '5d0c8f1e-9a2b-4c3d-8e4f-5a6b7c8d9e00' },
    ];
    for (const change of changes) {
      expect(await verifyDecision(publicKey, { ...statement, ...change }, signature), JSON.stringify(change)).toBe(false);
    }
  });

  it('a signature made with another key is refused', async () => {
    const [signer, other] = await Promise.all([generateSigningKeyPair(), generateSigningKeyPair()]);
    const signature = await signDecision(signer.privateKey, statement);
    expect(await verifyDecision(await exportPublicKey(other.publicKey), statement, signature)).toBe(false);
  });

  it('malformed keys and signatures are simply not valid', async () => {
    const keys = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(keys.publicKey);
    const signature = await signDecision(keys.privateKey, statement);
    for (const [key, sig] of [
      ['', signature],
      ['!!!', signature],
      [publicKey.slice(1), signature],
      [publicKey, ''],
      [publicKey, signature.slice(2)],
      [publicKey, `${signature}==`],
      [publicKey, signature.replace(/.$/, '+')],
    ]) {
      expect(await verifyDecision(key, statement, sig)).toBe(false);
    }
  });

  it('an absent and an empty comment sign the same bytes; the statement names its kind', () => {
    const { comment: _comment, ...bare } = statement;
    expect(decisionStatementBytes(bare)).toEqual(decisionStatementBytes({ ...bare, comment: '' }));
    expect(new TextDecoder().decode(decisionStatementBytes(bare))).toContain('"statement":"congvu.decision/1"');
  });

  it('a comment typed in NFD signs the same bytes as in NFC', () => {
    expect(decisionStatementBytes({ ...statement, comment: 'Ho\u0300a' })).toEqual(decisionStatementBytes({ ...statement, comment: 'Hòa' }));
  });
});

describe('keys', () => {
  it('a key id is derived from the public key: stable, short and different per key', async () => {
    const [a, b] = await Promise.all([generateSigningKeyPair(), generateSigningKeyPair()]);
    const [pa, pb] = await Promise.all([exportPublicKey(a.publicKey), exportPublicKey(b.publicKey)]);
    const id = await keyIdOf(pa);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await keyIdOf(pa)).toBe(id);
    expect(await keyIdOf(pb)).not.toBe(id);
  });

  it('a registration proof shows the holder of the key registers it for one user only', async () => {
    const keys = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(keys.publicKey);
    const proof = await signKeyRegistration(keys.privateKey, { userId: 'an', publicKey });
    expect(await verifyKeyRegistration({ userId: 'an', publicKey }, proof)).toBe(true);
    expect(await verifyKeyRegistration({ userId: 'binh', publicKey }, proof)).toBe(false);
  });

  it('a registration proof is not a valid decision signature and the other way round', async () => {
    const keys = await generateSigningKeyPair();
    const publicKey = await exportPublicKey(keys.publicKey);
    const decision = await signDecision(keys.privateKey, statement);
    expect(await verifyKeyRegistration({ userId: statement.signerId, publicKey }, decision)).toBe(false);
  });

  it('every spelling of one base64url value normalises to one', () => {
    // 64 bytes leave 4 unused bits in the last character: 'A' and 'B' there decode alike.
    const spelling = `${'A'.repeat(85)}A`;
    const variant = `${'A'.repeat(85)}B`;
    expect(normaliseBase64Url(variant)).toBe(normaliseBase64Url(spelling));
    expect(normaliseBase64Url('a+b')).toBeNull();
  });
});
