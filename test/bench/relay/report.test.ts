import { describe, expect, it } from 'vitest';
import { medianRound } from './report.ts';

describe('the round a relay target is judged on', () => {
  it('is the round of the median ratio, the same round for both servers', () => {
    // The p99s of relay-2026-11-29T03-29-51Z.json, 10×5: congvu lower in rounds 1 and 2.
    const judged = medianRound([4.82, 10.54, 10.23], [5.96, 13.55, 9.38]);
    expect(judged?.round).toBe(0);
    expect(judged?.ratios.map((r) => Number(r.toFixed(2)))).toEqual([0.81, 0.78, 1.09]);
    // Worse in two rounds of three: judged on a round where it is worse.
    expect(medianRound([12, 11, 5], [10, 10, 6])?.round).toBe(1);
  });

  it('takes the lower middle of an even count, leaves out rounds without both figures, and gives null without any', () => {
    expect(medianRound([1, 2, 3, 4], [1, 1, 1, 1])?.round).toBe(1);
    expect(medianRound([Number.NaN, 3, 1], [1, 1, 1])?.round).toBe(2);
    expect(medianRound([5, 2], [Number.NaN, 4])?.round).toBe(1);
    expect(medianRound([Number.NaN], [1])).toBeNull();
    expect(medianRound([], [])).toBeNull();
  });
});
