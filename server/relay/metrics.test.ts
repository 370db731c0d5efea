import { describe, expect, it } from 'vitest';
import { relayMetrics } from './metrics.ts';

describe('relay metrics', () => {
  it('exposes connections and rooms as read at scrape time, and counts what observers report', async () => {
    let connections = 3;
    const metrics = relayMetrics({ connections: () => connections, rooms: () => 2 });
    const conn = { id: 1, room: 'doc:x', principal: { userId: 'u', displayName: 'U', agencyId: 'a', expiresAt: 0 }, canWrite: false };
    metrics.observer.messageReceived!(conn, 120);
    metrics.observer.writeRefused!(conn, 'read-only');
    metrics.observer.updatesStored!([{ room: 'doc:x', update: new Uint8Array(3) }], 2);
    metrics.observer.upgradeRefused!(401, 'unauthorized');
    connections = 4;
    const text = await metrics.render();
    expect(text).toMatch(/^congvu_relay_connections 4$/m);
    expect(text).toMatch(/^congvu_relay_rooms_loaded 2$/m);
    expect(text).toMatch(/^congvu_relay_bytes_in_total 120$/m);
    expect(text).toMatch(/^congvu_relay_writes_refused_total 1$/m);
    expect(text).toMatch(/^congvu_relay_updates_stored_total 1$/m);
    expect(text).toMatch(/^congvu_relay_upgrades_refused_total\{status="401"\} 1$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_count 1$/m);
    expect(text).toMatch(/^# TYPE congvu_relay_store_seconds histogram$/m);
  });

  it('the store histogram has cumulative buckets, a sum and a count, as Prometheus expects', async () => {
    const metrics = relayMetrics({ connections: () => 0, rooms: () => 0 });
    const batch = [{ room: 'doc:x', update: new Uint8Array(1) }];
    for (const ms of [0.2, 0.7, 0.7, 3, 2000]) metrics.observer.updatesStored!(batch, ms);
    const text = await metrics.render();
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket\{le="0.0005"\} 1$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket\{le="0.001"\} 3$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket\{le="0.0025"\} 3$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket\{le="0.005"\} 4$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket\{le="1"\} 4$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket\{le="\+Inf"\} 5$/m);
    expect(text).toMatch(/^congvu_relay_store_seconds_count 5$/m);
    expect(Number(/^congvu_relay_store_seconds_sum (\S+)$/m.exec(text)?.[1])).toBeCloseTo(2.0046, 6);
  });

  it('per-frame counts are totals at every scrape, neither reset nor counted twice by scraping', async () => {
    const metrics = relayMetrics({ connections: () => 0, rooms: () => 0 });
    const conn = { id: 1, room: 'doc:x', principal: { userId: 'u', displayName: 'U', agencyId: 'a', expiresAt: 0 }, canWrite: true };
    metrics.observer.messageReceived!(conn, 10);
    metrics.observer.updateReceived!(conn, 7);
    metrics.observer.messageSent!(30, 3);
    expect(await metrics.render()).toMatch(/^congvu_relay_messages_out_total 3$/m);
    metrics.observer.messageReceived!(conn, 5);
    metrics.observer.messageSent!(20, 2);
    metrics.observer.updatesStored!([{ room: 'doc:x', update: new Uint8Array(1) }, { room: 'doc:x', update: new Uint8Array(1) }], 1);
    await metrics.render();
    const text = await metrics.render();
    expect(text).toMatch(/^congvu_relay_messages_in_total 2$/m);
    expect(text).toMatch(/^congvu_relay_bytes_in_total 15$/m);
    expect(text).toMatch(/^congvu_relay_messages_out_total 5$/m);
    expect(text).toMatch(/^congvu_relay_bytes_out_total 50$/m);
    expect(text).toMatch(/^congvu_relay_updates_in_total 1$/m);
    expect(text).toMatch(/^congvu_relay_updates_stored_total 2$/m);
  });
});
