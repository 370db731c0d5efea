import { describe, expect, it } from 'vitest';
import { combineBlocks, type PhaseRun } from './blocks.ts';
import { summarize } from './stats.ts';

/** A block of `edits` edits that cost `cpuSeconds`, with its own latencies. */
function block(edits: number, cpuSeconds: number, fanout: number[], extra: Partial<PhaseRun> = {}): PhaseRun {
  return {
    durationS: 5,
    edits,
    editsPerSecond: edits / 5,
    deliveriesPerSecond: (edits * 4) / 5,
    fanoutMs: summarize(fanout),
    quickestProcessMs: summarize(fanout.map((ms) => ms / 2)),
    incomplete: 0,
    drainMs: 40,
    serverCpuSeconds: cpuSeconds,
    cpuPerEditUs: (cpuSeconds * 1e6) / edits,
    cpuPerEditByThreadUs: { mainUser: (cpuSeconds * 1e6) / edits, mainSystem: 0, otherThreads: 0 },
    peakRssMiB: 100,
    stalls: 0,
    clientCpuSeconds: 1,
    otherCpuSeconds: 0,
    otherCpuShare: 0,
    clientLoopDelayP99Ms: 11,
    clientLoopDelayMaxMs: 12,
    measuredSeconds: 5.1,
    reconnects: 0,
    closeReasons: {},
    ...extra,
  };
}

describe('combineBlocks', () => {
  it('makes CPU per edit all the CPU over all the edits, not a mean of the blocks', () => {
    const combined = combineBlocks([block(1000, 0.2, [1]), block(3000, 0.9, [1])], { fanout: [1], quickest: [1] });
    expect(combined.edits).toBe(4000);
    expect(combined.cpuPerEditUs).toBeCloseTo(275, 6); // (0.2 + 0.9) s / 4000; the mean of 200 and 300 would be 250
    expect(combined.cpuPerEditByThreadUs.mainUser).toBeCloseTo(275, 6);
    expect(combined.durationS).toBe(10);
    expect(combined.blocks).toHaveLength(2);
  });

  it('counts the CPU the server used between its blocks too, and says how much it was', () => {
    const combined = combineBlocks(
      [
        block(1000, 0.2, [1], { span: { cpu: [10, 10.2], at: [0, 5_000] } }),
        block(1000, 0.3, [1], { span: { cpu: [10.5, 10.8], at: [10_000, 15_000] } }),
      ],
      { fanout: [1], quickest: [1] },
    );
    // 10.2 → 10.5 while the others had their turns: work put off past a block cannot hide.
    expect(combined.serverCpuSeconds).toBeCloseTo(0.8, 9);
    expect(combined.cpuPerEditUs).toBeCloseTo(400, 6);
    expect(combined.betweenBlocksCpuSeconds).toBeCloseTo(0.3, 9);
    expect(combined.spanSeconds).toBe(15);
    // The split by thread is the blocks' own.
    expect(combined.cpuPerEditByThreadUs.mainUser).toBeCloseTo(250, 6);
  });

  it('takes percentiles over every block’s edits pooled, and the worst of the per-block maxima', () => {
    const quick = Array.from({ length: 99 }, () => 1);
    const slow = Array.from({ length: 99 }, () => 1).concat([50]);
    const fanout = [...quick, ...slow];
    const combined = combineBlocks(
      [block(99, 0.02, quick, { clientLoopDelayMaxMs: 30 }), block(100, 0.02, slow, { peakRssMiB: 140 })],
      { fanout, quickest: fanout },
    );
    expect(combined.fanoutMs.max).toBe(50);
    expect(combined.fanoutMs.p99).toBe(summarize(fanout).p99);
    expect(combined.clientLoopDelayMaxMs).toBe(30);
    expect(combined.peakRssMiB).toBe(140);
  });
});
