/**
 * Event-loop delay for /metrics, sampled every 100 ms instead of prom-client's 10 ms.
 *
 * prom-client's default monitor wakes the process 100 times a second whatever it is doing: on the
 * benchmark VM 5-7 ms of CPU per second, the whole of an idle server's CPU and ~20 µs of every edit
 * at 200 edits/s (docs/benchmarks.md). At 100 ms it wakes 10 times a second. What that costs in
 * sight: a stall of 100 ms or more is always seen, a shorter one only when it spans a sample
 * (a 30 ms stall about a third of the time). The utilization gauge, free to read, shows a loop
 * that is busy all the time however its work is cut up.
 *
 * Node records each sample as the time since the previous one, the interval included, so
 * prom-client's gauges read "10 ms" on an idle loop. These subtract the interval: they read the
 * delay itself, 0 on an idle loop. Same metric names as prom-client's.
 */
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { Gauge, type Registry } from 'prom-client';

export const LOOP_DELAY_RESOLUTION_MS = 100;

/** prom-client's own monitor, which these gauges replace, is set to a cadence at which it never samples. */
export const PROM_CLIENT_MONITOR_OFF = 2 ** 31 - 1;

const STATISTICS = ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99'] as const;

/**
 * Registers `<prefix>nodejs_eventloop_lag_{min,max,mean,stddev,p50,p90,p99}_seconds` (replacing
 * prom-client's, which must already be registered with PROM_CLIENT_MONITOR_OFF) and
 * `<prefix>nodejs_eventloop_utilization`, each covering the time since the previous scrape.
 */
export function registerLoopDelay(registry: Registry, prefix: string): void {
  for (const statistic of STATISTICS) registry.removeSingleMetric(`${prefix}nodejs_eventloop_lag_${statistic}_seconds`);
  const histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  histogram.enable();
  /** A sample (ns, interval included) as the delay beyond the interval, in seconds. */
  const delay = (ns: number): number => Math.max(0, ns / 1e6 - LOOP_DELAY_RESOLUTION_MS) / 1000;
  const gauges = new Map<(typeof STATISTICS)[number], Gauge>();
  for (const statistic of STATISTICS) {
    gauges.set(
      statistic,
      new Gauge({
        name: `${prefix}nodejs_eventloop_lag_${statistic}_seconds`,
        help: `Event-loop delay beyond the ${LOOP_DELAY_RESOLUTION_MS} ms sampling interval since the last scrape: ${statistic}.`,
        registers: [registry],
        // The first gauge reads the histogram for all of them and resets it, as prom-client does.
        collect: statistic === 'min' ? collectAll : undefined,
      }),
    );
  }
  function collectAll(): void {
    const set = (statistic: (typeof STATISTICS)[number], value: number): void => gauges.get(statistic)?.set(value);
    if (histogram.count === 0) {
      for (const statistic of STATISTICS) set(statistic, 0);
    } else {
      set('min', delay(histogram.min));
      set('max', delay(histogram.max));
      set('mean', delay(histogram.mean));
      set('stddev', histogram.stddev / 1e9);
      set('p50', delay(histogram.percentile(50)));
      set('p90', delay(histogram.percentile(90)));
      set('p99', delay(histogram.percentile(99)));
    }
    histogram.reset();
  }

  let since: EventLoopUtilization = performance.eventLoopUtilization();
  new Gauge({
    name: `${prefix}nodejs_eventloop_utilization`,
    help: 'Share of the time since the last scrape the event loop spent working (0-1).',
    registers: [registry],
    collect() {
      const now = performance.eventLoopUtilization();
      this.set(performance.eventLoopUtilization(now, since).utilization);
      since = now;
    },
  });
}
