// Percentiles and summaries for the relay benchmark. Nearest-rank percentiles over the full
// sample (no histograms, no interpolation): with a few thousand samples per phase the exact
// order statistic is cheap, and "p99 = the value 99 % of samples do not exceed" is easy to check.

export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** The nearest-rank percentile `p` (0–100) of an ascending array; NaN when empty. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sortedAscending[rank - 1];
}

/** The arithmetic mean; NaN when empty. */
export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = Float64Array.from(samples).sort();
  const values = Array.from(sorted);
  return {
    count: values.length,
    mean: mean(values),
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length === 0 ? Number.NaN : values[values.length - 1],
  };
}

export function median(samples: readonly number[]): number {
  return percentile(Array.from(Float64Array.from(samples).sort()), 50);
}
