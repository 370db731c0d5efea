/**
 * Presence policy: a connection speaks for one awareness client id only (the first id it uses
 * that nobody else in the room holds), its presence is stamped with the user the server
 * authenticated (so nobody can appear as someone else), and its presence traffic is bounded in
 * size and rate. Entries for other ids are dropped unparsed: the stock client echoes every peer's
 * presence back to the server, and those echoes neither cost a parse nor count against the
 * connection's own rate. Presence is advisory, so breaking the bounds drops frames; only a state
 * that is not a JSON object is malformed.
 */
import { type AwarenessEntry, ProtocolError, parseAwarenessState } from './protocol.ts';
import type { AwarenessFilter, AwarenessPolicy, Principal } from './hooks.ts';
import { TokenBucket } from './rate.ts';

export interface AwarenessPolicyOptions {
  readonly maxBytes: number;
  readonly perSecond: number;
}

export function awarenessPolicy(options: AwarenessPolicyOptions): AwarenessPolicy {
  return {
    forConnection(principal: Principal): AwarenessFilter {
      const bucket = new TokenBucket(options.perSecond, options.perSecond * 2);
      const filter: AwarenessFilter & { clientId: number | null } = {
        clientId: null,
        filter(entries, bytes, isForeign) {
          if (bytes > options.maxBytes) return { dropped: 'too large' };
          if (filter.clientId === null) {
            const first = entries.find((entry) => !isForeign(entry.clientId));
            if (first) filter.clientId = first.clientId;
          }
          const own = entries.filter((entry) => entry.clientId === filter.clientId);
          if (own.length === 0) return { dropped: 'foreign client id' };
          if (!bucket.take()) return { dropped: 'too frequent' };
          const accepted: AwarenessEntry[] = [];
          try {
            for (const entry of own) {
              const state = parseAwarenessState(entry.stateJson);
              accepted.push({ clientId: entry.clientId, clock: entry.clock, state: state && stamp(state, principal) });
            }
          } catch (error) {
            return { malformed: error instanceof ProtocolError ? error.message : 'malformed presence' };
          }
          return { entries: accepted };
        },
      };
      return filter;
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
