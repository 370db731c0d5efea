/**
 * Login tokens: HS256 JWTs naming the user (`sub`) and their expiry. The signing secret lives in
 * the store, so a token stays valid across restarts and on every server process sharing the
 * database, until it expires (CONTRACT.md).
 */
import { randomBytes } from 'node:crypto';
import { SignJWT, errors, jwtVerify } from 'jose';
import type { Store, UserRecord } from '../store/store.ts';

export type AuthErrorCode = 'unauthorized' | 'token_expired';

/** Why a token was refused; `code` is what the API and the sync endpoint report. */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface VerifiedToken {
  readonly userId: string;
  /** Expiry, milliseconds since the epoch: the relay closes a connection (4401) when it passes. */
  readonly expiresAt: number;
}

export interface TokenServiceOptions {
  /** The clock, in milliseconds since the epoch; tests move it to make expired tokens. */
  readonly now?: () => number;
}

const SETTING_KEY = 'token-secret';
const ISSUER = 'congvu';
const ALGORITHM = 'HS256';

export class TokenService {
  private constructor(
    private readonly secret: Uint8Array,
    readonly ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /**
   * Loads the secret from the store, creating it on first use. getOrCreateSetting is race-free, so
   * processes starting together agree on one secret.
   */
  static async create(store: Store, ttlSeconds: number, options: Readonly<TokenServiceOptions> = {}): Promise<TokenService> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError(`token lifetime must be a positive integer, got ${ttlSeconds}`);
    const encoded = await store.getOrCreateSetting(SETTING_KEY, randomBytes(32).toString('base64url'));
    const secret = Buffer.from(encoded, 'base64url');
    if (secret.length < 32) throw new Error(`the stored ${SETTING_KEY} is shorter than 32 bytes`);
    return new TokenService(new Uint8Array(secret), ttlSeconds, options.now ?? Date.now);
  }

  async issue(user: Pick<UserRecord, 'id'>): Promise<string> {
    const nowSeconds = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(user.id)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + this.ttlSeconds)
      .sign(this.secret);
  }

  /** The user and expiry named by a token this service (or one sharing its store) issued. */
  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(this.now()),
      });
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
        throw new AuthError('unauthorized', 'token without subject or expiry');
      }
      return { userId: payload.sub, expiresAt: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof AuthError) throw error;
      if (error instanceof errors.JWTExpired) throw new AuthError('token_expired', 'the token has expired');
      // Signature, format and claim failures all mean the same to the caller: not a token of ours.
      throw new AuthError('unauthorized', 'invalid token');
    }
  }
}
