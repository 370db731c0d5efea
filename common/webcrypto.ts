/**
 * The part of WebCrypto (`globalThis.crypto.subtle`) that common/ uses: SHA-256 and Ed25519. Node 20
 * and every current browser provide it under the same name; it is declared here rather than taken
 * from the DOM or Node typings because common/ compiles with neither (DESIGN.md, layers). A real
 * `CryptoKey` and `CryptoKeyPair` fit these shapes, so the renderer can pass its own keys in.
 */

/** A WebCrypto key, opaque here: only the subtle API reads it. */
export interface CryptoKeyLike {
  readonly type: string;
  readonly extractable: boolean;
  readonly algorithm: { readonly name: string };
  readonly usages: readonly string[];
}

export interface CryptoKeyPairLike {
  readonly publicKey: CryptoKeyLike;
  readonly privateKey: CryptoKeyLike;
}

export const ED25519 = { name: 'Ed25519' } as const;
type Ed25519 = typeof ED25519;

interface SubtleCryptoLike {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
  generateKey(algorithm: Ed25519, extractable: boolean, usages: readonly ('sign' | 'verify')[]): Promise<CryptoKeyPairLike>;
  exportKey(format: 'raw', key: CryptoKeyLike): Promise<ArrayBuffer>;
  importKey(format: 'raw', keyData: Uint8Array, algorithm: Ed25519, extractable: boolean, usages: readonly 'verify'[]): Promise<CryptoKeyLike>;
  sign(algorithm: Ed25519, key: CryptoKeyLike, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: Ed25519, key: CryptoKeyLike, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

/** WebCrypto's subtle API; throws where the platform has none (an insecure browser context). */
export function subtle(): SubtleCryptoLike {
  const found = (globalThis as { crypto?: { subtle?: SubtleCryptoLike } }).crypto?.subtle;
  if (!found) throw new Error('WebCrypto (crypto.subtle) is not available here');
  return found;
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}
