import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PROM_CLIENT_MONITOR_OFF, registerLoopDelay } from './loop-delay.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function metricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 't_', eventLoopMonitoringPrecision: PROM_CLIENT_MONITOR_OFF });
  registerLoopDelay(registry, 't_');
  return registry;
}

const value = (text: string, name: string): number => {
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} missing`);
  return Number(match[1]);
};

describe('event-loop delay', () => {
  it('reads about 0 on an idle loop: the sampling interval is not counted as delay', async () => {
    const registry = metricsRegistry();
    await registry.metrics();
    await wait(450);
    const text = await registry.metrics();
    // Read with the interval, as prom-client reads it, the median would be 0.1 s or more.
    expect(value(text, 't_nodejs_eventloop_lag_p50_seconds')).toBeLessThan(0.05);
    expect(value(text, 't_nodejs_eventloop_utilization')).toBeLessThan(0.5);
    // prom-client's scrape-time lag stays; its histogram gauges are replaced, not doubled.
    expect(text).toMatch(/^t_nodejs_eventloop_lag_seconds /m);
    expect(text.match(/^t_nodejs_eventloop_lag_p99_seconds /gm)).toHaveLength(1);
  });

  it('sees a stall longer than the interval, and the busy loop in the utilization', async () => {
    const registry = metricsRegistry();
    await wait(150);
    await registry.metrics();
    await wait(120);
    const until = performance.now() + 250;
    while (performance.now() < until) {
      // the stall
    }
    await wait(120);
    const text = await registry.metrics();
    const max = value(text, 't_nodejs_eventloop_lag_max_seconds');
    expect(max).toBeGreaterThanOrEqual(0.1);
    expect(max).toBeLessThan(1);
    expect(value(text, 't_nodejs_eventloop_utilization')).toBeGreaterThan(0.25);
  });
});
