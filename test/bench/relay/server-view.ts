// What Congvu says about itself during a phase, from its Prometheus /metrics read before and
// after: it tells whether a slow phase was the event loop, the store or dropped traffic. The
// peers have no such endpoint; the bench measures all servers from the outside regardless.

/** Congvu's own account of a phase, from /metrics before and after it. */
export interface ServerView {
  /** Event-loop delay as prom-client measures it (10 ms resolution: ~10 ms means no delay). */
  readonly eventLoopLagP99Ms: number;
  readonly eventLoopLagMaxMs: number;
  /** Batches of updates made durable, their mean time, and the bucket bound holding their p99. */
  readonly storeBatches: number;
  readonly updatesStored: number;
  readonly storeMeanMs: number;
  readonly storeP99AtMostMs: number;
  readonly storeFailures: number;
  readonly writesRefused: number;
  readonly awarenessDropped: Readonly<Record<string, number>>;
  /** Connections the server closed, by label set (close code). */
  readonly connectionsClosed: Readonly<Record<string, number>>;
}

export function serverView(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): ServerView {
  const delta = (name: string): number => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  /** Deltas of a labelled counter, by label set, leaving out the ones that did not move. */
  const byLabels = (prefix: string): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const key of after.keys()) {
      if (key !== prefix && !key.startsWith(`${prefix}{`)) continue;
      const n = delta(key);
      if (n > 0) counts[key.slice(prefix.length) || '{}'] = n;
    }
    return counts;
  };
  const batches = delta('congvu_relay_store_seconds_count');
  const buckets = [...after.keys()]
    .filter((k) => k.startsWith('congvu_relay_store_seconds_bucket{'))
    .map((k) => ({ le: Number(/le="([^"]+)"/.exec(k)?.[1] ?? 'NaN'), count: delta(k) }))
    .sort((a, b) => a.le - b.le);
  const p99Bucket = buckets.find((b) => b.count >= 0.99 * batches);
  return {
    eventLoopLagP99Ms: (after.get('congvu_process_nodejs_eventloop_lag_p99_seconds') ?? Number.NaN) * 1000,
    eventLoopLagMaxMs: (after.get('congvu_process_nodejs_eventloop_lag_max_seconds') ?? Number.NaN) * 1000,
    storeBatches: batches,
    updatesStored: delta('congvu_relay_updates_stored_total'),
    storeMeanMs: batches > 0 ? (delta('congvu_relay_store_seconds_sum') / batches) * 1000 : Number.NaN,
    storeP99AtMostMs: batches > 0 && p99Bucket !== undefined ? p99Bucket.le * 1000 : Number.NaN,
    storeFailures: delta('congvu_relay_store_failures_total'),
    writesRefused: delta('congvu_relay_writes_refused_total'),
    awarenessDropped: byLabels('congvu_relay_awareness_dropped_total'),
    connectionsClosed: byLabels('congvu_relay_connections_closed_total'),
  };
}
