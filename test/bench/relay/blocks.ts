// The blocks of an interleaved warm-up or phase 1 (relay.ts, RelayConfig.interleave) made into one
// phase, as if the server had run it whole.

import { cpus } from 'node:os';
import type { PhaseFigures } from './relay.ts';
import { serverView } from './server-view.ts';
import { summarize } from './stats.ts';

/** A phase's figures and what the clients said about their connections (runPhase's result). */
export type PhaseRun = PhaseFigures & {
  reconnects: number;
  closeReasons: Record<string, number>;
  /** When the phase's measurement began and ended: the server's CPU seconds (/proc) and the time (ms, `now()`). */
  span?: { readonly cpu: readonly [number, number]; readonly at: readonly [number, number] };
  /** The server's /metrics samples read before and after the phase, where it offers them and they were read. */
  metrics?: { readonly before?: ReadonlyMap<string, number>; readonly after?: ReadonlyMap<string, number> };
};

/** Every latency of a phase (ms), for pooling the blocks of an interleaved phase. */
export interface PhaseSamples {
  readonly fanout: number[];
  readonly quickest: number[];
}

/** Where a block stands in its phase, and where its latencies go (relay.ts, runPhase). */
export interface BlockPlace {
  readonly samples: PhaseSamples;
  readonly first: boolean;
  readonly last: boolean;
}

/**
 * The blocks of an interleaved phase as one phase: counts summed, the server's CPU over the whole
 * span of its blocks (see below; the split by thread is its blocks' only) ÷ all their edits,
 * latencies summarized over every block's edits together, worst values kept.
 */
export function combineBlocks(blocks: readonly PhaseRun[], samples: PhaseSamples): PhaseRun {
  const sum = (pick: (b: PhaseRun) => number): number => blocks.reduce((s, b) => s + pick(b), 0);
  const max = (pick: (b: PhaseRun) => number): number => Math.max(...blocks.map(pick));
  const durationS = sum((b) => b.durationS);
  const edits = sum((b) => b.edits);
  const blocksCpuSeconds = sum((b) => b.serverCpuSeconds);
  const measuredSeconds = sum((b) => b.measuredSeconds);
  const otherCpuSeconds = sum((b) => b.otherCpuSeconds);
  const byThread = (pick: (t: PhaseFigures['cpuPerEditByThreadUs']) => number): number =>
    edits === 0 ? Number.NaN : sum((b) => pick(b.cpuPerEditByThreadUs) * b.edits) / edits;
  const first = blocks[0];
  const last = blocks[blocks.length - 1];
  const before = first.metrics?.before;
  const after = last.metrics?.after;
  // Everything the server used from its first block's start to its last one's end, the time
  // between its blocks included: work it put off past a block (a compaction, a journal move, a
  // checkpoint, deferred updates applied later) is counted as it would be in a phase run whole.
  // So is its idle cost while the others had their turns, which only counts against it.
  const from = first.span;
  const to = last.span;
  const spanned = from !== undefined && to !== undefined;
  const serverCpuSeconds = spanned ? to.cpu[1] - from.cpu[0] : blocksCpuSeconds;
  const spanSeconds = spanned ? (to.at[1] - from.at[0]) / 1000 : Number.NaN;
  return {
    durationS,
    edits,
    editsPerSecond: edits / durationS,
    deliveriesPerSecond: sum((b) => b.deliveriesPerSecond * b.durationS) / durationS,
    fanoutMs: summarize(samples.fanout),
    quickestProcessMs: summarize(samples.quickest),
    incomplete: sum((b) => b.incomplete),
    drainMs: max((b) => b.drainMs),
    serverCpuSeconds,
    cpuPerEditUs: edits === 0 ? Number.NaN : (serverCpuSeconds * 1e6) / edits,
    cpuPerEditByThreadUs: { mainUser: byThread((t) => t.mainUser), mainSystem: byThread((t) => t.mainSystem), otherThreads: byThread((t) => t.otherThreads) },
    peakRssMiB: max((b) => b.peakRssMiB),
    stalls: sum((b) => b.stalls),
    clientCpuSeconds: sum((b) => b.clientCpuSeconds),
    otherCpuSeconds,
    // The share over the blocks only: the other server's blocks are not "other work" here.
    otherCpuShare: otherCpuSeconds / measuredSeconds / cpus().length,
    clientLoopDelayP99Ms: max((b) => b.clientLoopDelayP99Ms),
    clientLoopDelayMaxMs: max((b) => b.clientLoopDelayMaxMs),
    measuredSeconds,
    // Read at the first block's start and the last one's end only (relay.ts, runPhase).
    serverView: before !== undefined && after !== undefined ? serverView(before, after) : undefined,
    betweenBlocksCpuSeconds: spanned ? serverCpuSeconds - blocksCpuSeconds : Number.NaN,
    spanSeconds,
    reconnects: last.reconnects,
    closeReasons: last.closeReasons,
    blocks: blocks.map(({ reconnects: _r, closeReasons: _c, serverView: _v, span: _s, metrics: _m, ...block }) => block),
  };
}

