/**
 * Authentication hook: the `token` query parameter of a sync upgrade must be a valid, unexpired
 * login token of an existing user (CONTRACT.md: refused with 401 otherwise).
 */
import type { Store } from '../store/store.ts';
import { type AuthHook, type Principal, Refusal } from './hooks.ts';

export interface TokenVerifier {
  verify(token: string): Promise<{ readonly userId: string; readonly expiresAt: number }>;
}

export function tokenAuth(tokens: TokenVerifier, store: Pick<Store, 'getUserById'>): AuthHook {
  return {
    async authenticate(token): Promise<Principal> {
      if (!token) throw new Refusal(401, 'unauthorized', 'a token is required');
      let claims;
      try {
        claims = await tokens.verify(token);
      } catch (error) {
        const code = (error as { code?: string }).code === 'token_expired' ? 'token_expired' : 'unauthorized';
        throw new Refusal(401, code, code === 'token_expired' ? 'token expired' : 'invalid token');
      }
      const user = await store.getUserById(claims.userId);
      if (!user) throw new Refusal(401, 'unauthorized', 'unknown user');
      return { userId: user.id, displayName: user.displayName, agencyId: user.agencyId, expiresAt: claims.expiresAt };
    },
  };
}
