import { describe, expect, it } from 'vitest';
import { awarenessPolicy } from './awareness-policy.ts';
import type { Principal } from './hooks.ts';
import type { RawAwarenessEntry } from './protocol.ts';

const dung: Principal = { userId: 'u-dung', displayName: 'Vũ Thị Dung', agencyId: 'ubnd-yenhoa', expiresAt: Date.now() + 60_000 };
const entry = (clientId: number, clock: number, state: unknown): RawAwarenessEntry => ({ clientId, clock, stateJson: JSON.stringify(state) });
const nobodyElse = () => false;

describe('awareness policy', () => {
  it('stamps presence with the authenticated user, whatever the client claims', () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 100 }).forConnection(dung);
    const verdict = filter.filter([entry(1, 1, { user: { id: 'u-an', name: 'Nguyễn Văn An', color: '#c00' }, name: 'An' })], 50, nobodyElse);
    expect(verdict).toEqual({
      entries: [{ clientId: 1, clock: 1, state: { user: { id: 'u-dung', name: 'Vũ Thị Dung', color: '#c00' }, name: 'Vũ Thị Dung' } }],
    });
  });

  it('binds a connection to the first client id it uses and drops the others', () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 100 }).forConnection(dung);
    filter.filter([entry(5, 1, {})], 10, nobodyElse);
    expect(filter.filter([entry(6, 1, {})], 10, nobodyElse)).toEqual({ dropped: 'foreign client id' });
    expect(filter.filter([entry(6, 2, {}), entry(5, 2, null)], 10, nobodyElse)).toEqual({ entries: [{ clientId: 5, clock: 2, state: null }] });
    expect(filter.clientId).toBe(5);
  });

  it("never binds to an id that belongs to someone else in the room, such as a peer's echoed presence", () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 100 }).forConnection(dung);
    const peers = new Set([42]);
    expect(filter.filter([entry(42, 3, { user: { name: 'An' } })], 10, (id) => peers.has(id))).toEqual({ dropped: 'foreign client id' });
    expect(filter.clientId).toBeNull();
    expect(filter.filter([entry(42, 3, {}), entry(7, 1, {})], 10, (id) => peers.has(id))).toMatchObject({ entries: [{ clientId: 7 }] });
    expect(filter.clientId).toBe(7);
  });

  it("does not charge echoes of other people's presence against the connection's own rate", () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 1 }).forConnection(dung);
    filter.filter([entry(5, 1, {})], 10, nobodyElse);
    for (let i = 0; i < 50; i++) filter.filter([entry(9, i, {})], 10, (id) => id === 9);
    expect(filter.filter([entry(5, 2, { cursor: 1 })], 10, nobodyElse)).toMatchObject({ entries: [{ clientId: 5 }] });
  });

  it('drops frames that are too large or too frequent', () => {
    const filter = awarenessPolicy({ maxBytes: 100, perSecond: 2 }).forConnection(dung);
    expect(filter.filter([entry(1, 1, {})], 101, nobodyElse)).toEqual({ dropped: 'too large' });
    const verdicts = Array.from({ length: 10 }, (_, i) => filter.filter([entry(1, i + 2, {})], 10, nobodyElse));
    expect(verdicts.filter((v) => 'dropped' in v && v.dropped === 'too frequent').length).toBeGreaterThan(0);
  });

  it('reports a state that is not a JSON object as malformed', () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 100 }).forConnection(dung);
    expect(filter.filter([{ clientId: 1, clock: 1, stateJson: '{' }], 10, nobodyElse)).toEqual({ malformed: 'awareness state is not JSON' });
    expect(filter.filter([{ clientId: 1, clock: 2, stateJson: '[1]' }], 10, nobodyElse)).toEqual({ malformed: 'awareness state must be an object or null' });
  });
});
