/**
 * Metrics hook: Prometheus counters and gauges of the relay, served at `/metrics`. Gauges that
 * describe current state (connections, rooms) are read from the relay at scrape time rather than
 * counted, so they can never drift.
 */
import { Counter, Gauge, Histogram, type Metric, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayObserver } from './hooks.ts';
import { PROM_CLIENT_MONITOR_OFF, registerLoopDelay } from './loop-delay.ts';

export interface RelayMetrics {
  readonly observer: RelayObserver;
  readonly registry: Registry;
  render(): Promise<string>;
}

export function relayMetrics(state: { connections(): number; rooms(): number }): RelayMetrics {
  const registry = new Registry();
  // Event-loop delay comes from loop-delay.ts (sampled every 100 ms and read without the interval)
  // instead of prom-client's monitor, which wakes the process every 10 ms.
  collectDefaultMetrics({ register: registry, prefix: 'congvu_process_', eventLoopMonitoringPrecision: PROM_CLIENT_MONITOR_OFF });
  registerLoopDelay(registry, 'congvu_process_');
  const registers = [registry];

  new Gauge({
    name: 'congvu_relay_connections',
    help: 'Open sync connections.',
    registers,
    collect() {
      this.set(state.connections());
    },
  });
  new Gauge({
    name: 'congvu_relay_rooms_loaded',
    help: 'Rooms held in memory.',
    registers,
    collect() {
      this.set(state.rooms());
    },
  });
  const connectionsOpened = new Counter({ name: 'congvu_relay_connections_opened_total', help: 'Sync connections admitted.', registers });
  const connectionsClosed = new Counter({
    name: 'congvu_relay_connections_closed_total',
    help: 'Sync connections closed, by close code.',
    labelNames: ['code'],
    registers,
  });
  const upgradesRefused = new Counter({
    name: 'congvu_relay_upgrades_refused_total',
    help: 'Sync upgrades refused, by HTTP status.',
    labelNames: ['status'],
    registers,
  });
  // Counted per frame and per update: plain numbers on the hot path, handed to prom-client only
  // when /metrics is scraped (an inc() costs more than the rest of the counting, per frame).
  const hot = { messagesIn: 0, bytesIn: 0, messagesOut: 0, bytesOut: 0, updatesIn: 0, updatesStored: 0 };
  const hotCounter = (name: string, help: string, key: keyof typeof hot): Counter =>
    new Counter({
      name,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(hot[key]);
      },
    });
  hotCounter('congvu_relay_messages_in_total', 'Frames received.', 'messagesIn');
  hotCounter('congvu_relay_bytes_in_total', 'Bytes received.', 'bytesIn');
  hotCounter('congvu_relay_messages_out_total', 'Frames sent by broadcast.', 'messagesOut');
  hotCounter('congvu_relay_bytes_out_total', 'Bytes sent by broadcast.', 'bytesOut');
  hotCounter('congvu_relay_updates_in_total', 'Document updates accepted from clients (applied at once or deferred).', 'updatesIn');
  hotCounter('congvu_relay_updates_stored_total', 'Document updates made durable.', 'updatesStored');
  const writesRefused = new Counter({
    name: 'congvu_relay_writes_refused_total',
    help: 'Document updates dropped because the connection may not write.',
    registers,
  });
  const awarenessDropped = new Counter({
    name: 'congvu_relay_awareness_dropped_total',
    help: 'Presence frames dropped by the policy, by reason.',
    labelNames: ['reason'],
    registers,
  });
  const storeFailures = new Counter({ name: 'congvu_relay_store_failures_total', help: 'Failed store attempts.', registers });
  const applyFailures = new Counter({
    name: 'congvu_relay_apply_failures_total',
    help: 'Stored updates that failed to apply to a room in memory (loading it, or applying deferred updates).',
    registers,
  });
  // Observed once per relay tick: plain bucket counts, read by prom-client only at scrape time
  // (Histogram#observe hashes its labels and walks its buckets through several calls per tick).
  const storeLatency = plainHistogram(registry, 'congvu_relay_store_seconds', 'Time to make one batch of updates durable.', [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
  ]);
  const loadLatency = new Histogram({
    name: 'congvu_relay_room_load_seconds',
    help: 'Time to load a room from the store.',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers,
  });

  const observer: RelayObserver = {
    connectionOpened: () => connectionsOpened.inc(),
    connectionClosed: (_conn, code) => connectionsClosed.inc({ code: String(code) }),
    upgradeRefused: (status) => upgradesRefused.inc({ status: String(status) }),
    messageReceived: (_conn, bytes) => {
      hot.messagesIn++;
      hot.bytesIn += bytes;
    },
    messageSent: (bytes, count) => {
      hot.messagesOut += count;
      hot.bytesOut += bytes;
    },
    updateReceived: () => {
      hot.updatesIn++;
    },
    updatesStored: (batch, ms) => {
      hot.updatesStored += batch.length;
      storeLatency.observe(ms / 1000);
    },
    storeFailed: () => storeFailures.inc(),
    applyFailed: () => applyFailures.inc(),
    writeRefused: () => writesRefused.inc(),
    awarenessDropped: (_conn, reason) => awarenessDropped.inc({ reason }),
    roomLoaded: (_room, ms) => loadLatency.observe(ms / 1000),
  };

  return { observer, registry, render: () => registry.metrics() };
}

/**
 * A histogram without labels in prom-client's text format, counted in plain numbers: `observe`
 * is a loop over the bucket bounds and two additions.
 */
function plainHistogram(registry: Registry, name: string, help: string, bounds: readonly number[]): { observe(value: number): void } {
  const counts = new Array<number>(bounds.length).fill(0);
  let count = 0;
  let sum = 0;
  registry.registerMetric({
    name,
    help,
    type: 'histogram',
    get() {
      const values: { value: number; labels: Record<string, string | number>; metricName: string }[] = [];
      let cumulative = 0;
      bounds.forEach((le, i) => {
        cumulative += counts[i];
        values.push({ value: cumulative, labels: { le }, metricName: `${name}_bucket` });
      });
      values.push({ value: count, labels: { le: '+Inf' }, metricName: `${name}_bucket` });
      values.push({ value: sum, labels: {}, metricName: `${name}_sum` });
      values.push({ value: count, labels: {}, metricName: `${name}_count` });
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
    reset() {
      counts.fill(0);
      count = 0;
      sum = 0;
    },
  } as unknown as Metric);
  return {
    observe(value) {
      count++;
      sum += value;
      for (let i = 0; i < bounds.length; i++) {
        if (value <= bounds[i]) {
          counts[i]++;
          return;
        }
      }
    },
  };
}
