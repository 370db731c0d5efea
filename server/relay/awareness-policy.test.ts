import { describe, expect, it } from 'vitest';
import { awarenessPolicy } from './awareness-policy.ts';
import type { Principal } from './hooks.ts';

const dung: Principal = { userId: 'u-dung', displayName: 'Vũ Thị Dung', agencyId: 'ubnd-yenhoa', expiresAt: Date.now() + 60_000 };

describe('awareness policy', () => {
  it('stamps presence with the authenticated user, whatever the client claims', () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 100 }).forConnection(dung);
    const verdict = filter.filter([{ clientId: 1, clock: 1, state: { user: { id: 'u-an', name: 'Nguyễn Văn An', color: '#c00' }, name: 'An' } }], 50);
    expect(verdict).toEqual({
      entries: [{ clientId: 1, clock: 1, state: { user: { id: 'u-dung', name: 'Vũ Thị Dung', color: '#c00' }, name: 'Vũ Thị Dung' } }],
    });
  });

  it('binds a connection to the first client id it uses and drops the others', () => {
    const filter = awarenessPolicy({ maxBytes: 1024, perSecond: 100 }).forConnection(dung);
    filter.filter([{ clientId: 5, clock: 1, state: {} }], 10);
    expect(filter.filter([{ clientId: 6, clock: 1, state: {} }], 10)).toEqual({ dropped: 'foreign client id' });
    const mixed = filter.filter(
      [
        { clientId: 6, clock: 2, state: {} },
        { clientId: 5, clock: 2, state: null },
      ],
      10,
    );
    expect(mixed).toEqual({ entries: [{ clientId: 5, clock: 2, state: null }] });
    expect([...filter.clientIds]).toEqual([5]);
  });

  it('drops frames that are too large or too frequent', () => {
    const filter = awarenessPolicy({ maxBytes: 100, perSecond: 2 }).forConnection(dung);
    expect(filter.filter([{ clientId: 1, clock: 1, state: {} }], 101)).toEqual({ dropped: 'too large' });
    const verdicts = Array.from({ length: 10 }, (_, i) => filter.filter([{ clientId: 1, clock: i + 2, state: {} }], 10));
    expect(verdicts.filter((v) => 'dropped' in v && v.dropped === 'too frequent').length).toBeGreaterThan(0);
  });
});
