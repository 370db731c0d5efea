/**
 * Presence policy: a connection speaks for one awareness client id only (the first it uses), its
 * presence is stamped with the user the server authenticated (so nobody can appear as someone
 * else), and its presence traffic is bounded in size and rate. Frames that break these rules are
 * dropped, not fatal: presence is advisory.
 */
import type { AwarenessEntry } from './protocol.ts';
import type { AwarenessPolicy, Principal } from './hooks.ts';
import { TokenBucket } from './rate.ts';

export interface AwarenessPolicyOptions {
  readonly maxBytes: number;
  readonly perSecond: number;
}

export function awarenessPolicy(options: AwarenessPolicyOptions): AwarenessPolicy {
  return {
    forConnection(principal: Principal) {
      const clientIds = new Set<number>();
      const bucket = new TokenBucket(options.perSecond, options.perSecond * 2);
      return {
        clientIds,
        filter(entries, bytes) {
          if (bytes > options.maxBytes) return { dropped: 'too large' };
          if (!bucket.take()) return { dropped: 'too frequent' };
          const accepted: AwarenessEntry[] = [];
          for (const entry of entries) {
            if (clientIds.size === 0) clientIds.add(entry.clientId);
            if (!clientIds.has(entry.clientId)) continue; // someone else's id: not this connection's to speak for
            accepted.push(entry.state === null ? entry : { ...entry, state: stamp(entry.state, principal) });
          }
          if (accepted.length === 0) return { dropped: 'foreign client id' };
          return { entries: accepted };
        },
      };
    },
  };
}

/**
 * Overwrites who the presence claims to be. `user` is our field; a top-level `name` is what
 * Lexical's collaboration cursors display, so it is stamped too when present.
 */
function stamp(state: Record<string, unknown>, principal: Principal): Record<string, unknown> {
  const user = typeof state.user === 'object' && state.user !== null && !Array.isArray(state.user) ? state.user : {};
  const stamped: Record<string, unknown> = {
    ...state,
    user: { ...user, id: principal.userId, name: principal.displayName },
  };
  if ('name' in state) stamped.name = principal.displayName;
  return stamped;
}
