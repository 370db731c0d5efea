/**
 * Signed decisions (DESIGN.md, "Approval, numbering and signatures"). Each user has an Ed25519 key
 * pair made on their own device with WebCrypto; the private key never leaves it (non-extractable),
 * the public key is registered with the server as raw bytes in base64url. A decision is a signature
 * over the canonical JSON (canonical-json.ts) of a statement naming the document, the version hash,
 * the round and step, the decision, the optional comment, the time and the signer, so anyone holding
 * the public keys can verify a document's whole approval history offline.
 *
 * Every statement carries a `statement` member naming its kind and version, so a signature made for
 * one purpose (registering a key) can never be presented as another (approving a draft).
 */
import { fromBase64Url, toBase64Url } from './base64.ts';
import { canonicalJsonBytes } from './canonical-json.ts';
import { ED25519, sha256, subtle, type CryptoKeyLike, type CryptoKeyPairLike } from './webcrypto.ts';

export type { CryptoKeyLike, CryptoKeyPairLike } from './webcrypto.ts';

export const DECISION_STATEMENT = 'congvu.decision/1';
export const KEY_REGISTRATION_STATEMENT = 'congvu.key-registration/1';

/** The decision a step's assignee signs. */
export interface DecisionStatement {
  readonly documentId: string;
  /** The version hash of the round being decided (content-hash.ts). */
  readonly versionHash: string;
  readonly roundId: string;
  readonly stepIndex: number;
  readonly decision: 'approve' | 'return';
  /** Left out of the signed bytes when absent or empty. */
  readonly comment?: string;
  /** ISO 8601 UTC, when the signer decided (possibly offline, long before the server hears of it). */
  readonly decidedAt: string;
  readonly signerId: string;
}

/** What a user signs with a new key to prove they hold it when registering it. */
export interface KeyRegistrationStatement {
  readonly userId: string;
  /** The public key being registered, raw, base64url. */
  readonly publicKey: string;
}

/** The exact bytes signed for a decision. */
export function decisionStatementBytes(statement: DecisionStatement): Uint8Array {
  return canonicalJsonBytes({
    statement: DECISION_STATEMENT,
    documentId: statement.documentId,
    versionHash: statement.versionHash,
    roundId: statement.roundId,
    stepIndex: statement.stepIndex,
    decision: statement.decision,
    comment: statement.comment === undefined || statement.comment === '' ? undefined : statement.comment,
    decidedAt: statement.decidedAt,
    signerId: statement.signerId,
  });
}

/** The exact bytes signed to register a key. */
export function keyRegistrationBytes(statement: KeyRegistrationStatement): Uint8Array {
  return canonicalJsonBytes({ statement: KEY_REGISTRATION_STATEMENT, userId: statement.userId, publicKey: statement.publicKey });
}

/**
 * A new key pair. The private key is not extractable: it can sign, be kept in IndexedDB (structured
 * clone keeps the restriction) and never be read out, not even by the app's own code.
 */
export async function generateSigningKeyPair(): Promise<CryptoKeyPairLike> {
  return subtle().generateKey(ED25519, false, ['sign', 'verify']);
}

/** The public key as registered with the server: its 32 raw bytes in base64url, no padding. */
export async function exportPublicKey(publicKey: CryptoKeyLike): Promise<string> {
  return toBase64Url(new Uint8Array(await subtle().exportKey('raw', publicKey)));
}

/** Whether the text is a raw Ed25519 public key in base64url (32 bytes). */
export function isPublicKey(text: string): boolean {
  return decodeBase64Url(text)?.byteLength === 32;
}

/** Whether the text is an Ed25519 signature in base64url (64 bytes). */
export function isSignature(text: string): boolean {
  return decodeBase64Url(text)?.byteLength === 64;
}

/**
 * The key's id: the first 16 bytes of SHA-256 over the raw public key, base64url (22 characters).
 * Derived, not assigned, so a device knows its key id before it has ever reached the server.
 */
export async function keyIdOf(publicKey: string): Promise<string> {
  const raw = decodeBase64Url(publicKey);
  if (raw === null) throw new RangeError('not a base64url public key');
  return toBase64Url((await sha256(raw)).subarray(0, 16));
}

/** Signs bytes; the signature is base64url. */
export async function signBytes(privateKey: CryptoKeyLike, bytes: Uint8Array): Promise<string> {
  return toBase64Url(new Uint8Array(await subtle().sign(ED25519, privateKey, bytes)));
}

/**
 * Whether `signature` is the holder of `publicKey` signing exactly `bytes`. Malformed keys or
 * signatures answer false rather than throwing: to a verifier they are simply not valid.
 */
export async function verifyBytes(publicKey: string, bytes: Uint8Array, signature: string): Promise<boolean> {
  const raw = decodeBase64Url(publicKey);
  const sig = decodeBase64Url(signature);
  if (raw?.byteLength !== 32 || sig?.byteLength !== 64) return false;
  try {
    const key = await subtle().importKey('raw', raw, ED25519, false, ['verify']);
    return await subtle().verify(ED25519, key, sig, bytes);
  } catch {
    return false;
  }
}

export function signDecision(privateKey: CryptoKeyLike, statement: DecisionStatement): Promise<string> {
  return signBytes(privateKey, decisionStatementBytes(statement));
}

export function verifyDecision(publicKey: string, statement: DecisionStatement, signature: string): Promise<boolean> {
  return verifyBytes(publicKey, decisionStatementBytes(statement), signature);
}

export function signKeyRegistration(privateKey: CryptoKeyLike, statement: KeyRegistrationStatement): Promise<string> {
  return signBytes(privateKey, keyRegistrationBytes(statement));
}

export function verifyKeyRegistration(statement: KeyRegistrationStatement, proof: string): Promise<boolean> {
  return verifyBytes(statement.publicKey, keyRegistrationBytes(statement), proof);
}

/**
 * The one spelling of a base64url value: decoded and encoded again. Base64 leaves a few unused bits
 * in its last character, so one signature can be written several ways; replays are recognised by
 * this spelling, never by the text a client sent. Null when the text is not base64url.
 */
export function normaliseBase64Url(text: string): string | null {
  const bytes = decodeBase64Url(text);
  return bytes === null ? null : toBase64Url(bytes);
}

function decodeBase64Url(text: string): Uint8Array | null {
  return fromBase64Url(text);
}
