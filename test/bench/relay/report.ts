// The relay benchmark's output: one plain-text table (servers side by side, with the ratio
// Congvu ÷ reference) plus PASS/FAIL lines for Congvu's targets, and the same figures as JSON.

import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IdleFigures, LoadFigures, PhaseFigures, RelayConfig, SyncFigures } from './relay.ts';
import type { ServerView } from './server-view.ts';
import { mean } from './stats.ts';
import type { ServerKind } from './protocol.ts';
import type { ServerLog } from './servers.ts';

/** A measurement's figures with the server's log summary, or why it could not be made. */
export type Outcome<T> = (T & { readonly log: ServerLog }) | { readonly error: string };

export interface ServerRun {
  readonly kind: ServerKind;
  readonly description: string;
  /** Per workload, the reported (least disturbed) round. */
  readonly load: Array<Outcome<LoadFigures>>;
  /** Per workload, every round (BENCH_ROUNDS), kept in the JSON. */
  readonly loadRounds: Array<Array<Outcome<LoadFigures>>>;
  sync: Outcome<SyncFigures> | null;
  idle: Outcome<IdleFigures> | null;
  readonly notes: string[];
}

export interface RelayResults {
  readonly bench: 'relay';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string; readonly platform: string };
  readonly config: Omit<RelayConfig, 'parts'> & { readonly parts: readonly string[] };
  readonly servers: readonly ServerRun[];
}

/** Congvu's targets, with the figures they were judged on. */
export interface TargetCheck {
  /** null: not judged (a peer was not measured, or the run was too small for the target). */
  readonly pass: boolean | null;
  readonly text: string;
}

// Figures where smaller is better are compared with ≤; the table shows ratios for all of them.
const order: readonly ServerKind[] = ['congvu', 'variant', 'reference', 'hocuspocus'];

function ok<T>(outcome: Outcome<T> | null | undefined): (T & { log: ServerLog }) | undefined {
  return outcome === null || outcome === undefined || 'error' in outcome ? undefined : (outcome as T & { log: ServerLog });
}

function fmt(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value.toFixed(digits);
}

class Table {
  readonly lines: string[] = [];
  constructor(private readonly kinds: readonly ServerKind[]) {}

  header(title: string): void {
    const ratio = this.kinds.includes('congvu') && this.kinds.includes('reference') ? 'congvu/ref'.padStart(12) : '';
    const columns = `${this.kinds.map((k) => k.padStart(12)).join('')}${ratio}`;
    if (title.length <= 44) this.lines.push('', `${title.padEnd(44)}${columns}`);
    else this.lines.push('', title, `${''.padEnd(44)}${columns}`);
  }

  row(label: string, values: ReadonlyMap<ServerKind, number | undefined>, digits: number): void {
    const cells = this.kinds.map((k) => fmt(values.get(k), digits).padStart(12)).join('');
    const congvu = values.get('congvu');
    const ref = values.get('reference');
    const ratio =
      this.kinds.includes('congvu') && this.kinds.includes('reference')
        ? (congvu !== undefined && ref !== undefined && Number.isFinite(congvu / ref) ? `${(congvu / ref).toFixed(2)}×` : '–').padStart(12)
        : '';
    this.lines.push(`  ${label.padEnd(42)}${cells}${ratio}`);
  }

  text(label: string, values: ReadonlyMap<ServerKind, string>): void {
    this.lines.push(`  ${label.padEnd(42)}${this.kinds.map((k) => (values.get(k) ?? '–').padStart(12)).join('')}`);
  }
}

function mapOf<T>(runs: readonly ServerRun[], pick: (run: ServerRun) => T): Map<ServerKind, T> {
  return new Map(runs.map((run) => [run.kind, pick(run)]));
}

/** Server CPU per edit with the cost of idling (keepalives, timers) over the same time removed. */
export function netCpuPerEditUs(load: LoadFigures, p: PhaseFigures): number {
  const seconds = p.spanSeconds ?? p.measuredSeconds;
  return p.edits === 0 ? Number.NaN : ((p.serverCpuSeconds - load.idleCpuPerSecond * seconds) * 1e6) / p.edits;
}

function phaseRows(table: Table, runs: readonly ServerRun[], index: number, which: 'rate' | 'closedLoop'): void {
  const phase = (run: ServerRun): PhaseFigures | undefined => ok(run.load[index])?.[which];
  const row = (label: string, pick: (p: PhaseFigures) => number, digits: number): void =>
    table.row(label, mapOf(runs, (run) => {
      const p = phase(run);
      return p === undefined ? undefined : pick(p);
    }), digits);
  row('edits made per second', (p) => p.editsPerSecond, 0);
  row('deliveries per second (edit × receiver)', (p) => p.deliveriesPerSecond, 0);
  row('fan-out latency p50 (ms)', (p) => p.fanoutMs.p50, 2);
  row('fan-out latency p95 (ms)', (p) => p.fanoutMs.p95, 2);
  row('fan-out latency p99 (ms)', (p) => p.fanoutMs.p99, 2);
  row('fan-out latency max (ms)', (p) => p.fanoutMs.max, 2);
  row('  to the quickest client process p50 (ms)', (p) => p.quickestProcessMs?.p50 ?? Number.NaN, 2);
  row('  to the quickest client process p99 (ms)', (p) => p.quickestProcessMs?.p99 ?? Number.NaN, 2);
  row('edits not delivered to all after drain', (p) => p.incomplete, 0);
  if (which === 'closedLoop') row('stalls (waited > 1 s for peers)', (p) => p.stalls, 0);
  row('server CPU (s)', (p) => p.serverCpuSeconds, 2);
  row('server CPU per edit (µs)', (p) => p.cpuPerEditUs, 0);
  table.row('  same, idle cost removed (µs)', mapOf(runs, (run) => {
    const load = ok(run.load[index]);
    return load === undefined ? undefined : netCpuPerEditUs(load, load[which]);
  }), 0);
  row('  main thread, user (µs)', (p) => p.cpuPerEditByThreadUs.mainUser, 0);
  row('  main thread, kernel (µs)', (p) => p.cpuPerEditByThreadUs.mainSystem, 0);
  row('  other threads: V8 compiler and GC, libuv, workers (µs)', (p) => p.cpuPerEditByThreadUs.otherThreads, 0);
  if (runs.some((run) => phase(run)?.betweenBlocksCpuSeconds !== undefined)) {
    // Interleaved: of the CPU per edit, what each server used while the others had their turns.
    row('  of which between its blocks (µs)', (p) => ((p.betweenBlocksCpuSeconds ?? Number.NaN) * 1e6) / p.edits, 0);
  }
  row('server peak RSS (MiB)', (p) => p.peakRssMiB, 1);
  row('client processes CPU (s)', (p) => p.clientCpuSeconds, 2);
  row('client event-loop delay p99, worst (ms)', (p) => p.clientLoopDelayP99Ms, 1);
  row('other processes on the machine CPU (s)', (p) => p.otherCpuSeconds, 2);
  row('  as a share of the machine (%)', (p) => p.otherCpuShare * 100, 0);
  const view = (pick: (v: ServerView) => number) => (p: PhaseFigures): number => (p.serverView === undefined ? Number.NaN : pick(p.serverView));
  if (runs.some((run) => phase(run)?.serverView !== undefined)) {
    row('server says: event-loop delay p99 (ms)', view((v) => v.eventLoopLagP99Ms), 1);
    row('server says: event-loop delay max (ms)', view((v) => v.eventLoopLagMaxMs), 1);
    row('server says: store batches', view((v) => v.storeBatches), 0);
    row('server says: store batch mean (ms)', view((v) => v.storeMeanMs), 2);
    row('server says: store batch p99 at most (ms)', view((v) => v.storeP99AtMostMs), 1);
  }
}

/** Phase-1 blocks per server of an interleaved run, as the results hold them. */
function phaseBlocks(results: RelayResults): number {
  for (const run of results.servers) {
    for (const load of run.load) {
      const blocks = ok(load)?.rate.blocks?.length;
      if (blocks !== undefined) return blocks;
    }
  }
  return Number.NaN;
}

/** Whether the load rounds were interleaved: their phases hold blocks. */
function interleaved(results: RelayResults): boolean {
  return Number.isFinite(phaseBlocks(results));
}

/** Above this share of the machine used by other processes, a comparison is marked disturbed. */
const disturbedShare = 0.1;

/**
 * The round a target is judged on: the one whose ratio congvu ÷ reference is the median of the
 * rounds' ratios (of an even count, the lower middle one), so that both servers are compared in the
 * same round, run back to back, and a round that went badly for either of them decides nothing.
 * Rounds without a figure from both are left out; null when none is left.
 *
 * Until 2026-11-29 each server's own least disturbed round was judged: in
 * relay-2026-11-29T03-29-51Z.json that set congvu's round 3 (10.23 ms) against the reference's
 * round 1 (5.96 ms), while congvu's p99 was lower in rounds 1 and 2 (docs/benchmarks.md).
 */
export function medianRound(ours: readonly number[], theirs: readonly number[]): { round: number; ratios: number[] } | null {
  const ratios = ours.map((a, k) => a / theirs[k]);
  const rounds = ratios.map((_, k) => k).filter((k) => Number.isFinite(ratios[k]));
  if (rounds.length === 0) return null;
  rounds.sort((x, y) => ratios[x] - ratios[y]);
  return { round: rounds[Math.floor((rounds.length - 1) / 2)], ratios };
}

/** Phase 1's figures of one workload in every round of a server; undefined where a round failed. */
function roundPhases(run: ServerRun, workload: number): (PhaseFigures | undefined)[] {
  return (run.loadRounds[workload] ?? []).map((o) => ok(o)?.rate);
}

/** One measure of phase 1 in every round; NaN where a round failed. */
function roundValues(phases: readonly (PhaseFigures | undefined)[], pick: (p: PhaseFigures) => number): number[] {
  return phases.map((p) => (p === undefined ? Number.NaN : pick(p)));
}

/** Judges Congvu against its targets; a missing figure fails. */
export function checkTargets(results: RelayResults): TargetCheck[] {
  const run = (kind: ServerKind): ServerRun | undefined => results.servers.find((s) => s.kind === kind);
  const ours = run('congvu');
  const ref = run('reference');
  if (ours === undefined) return [];
  const checks: TargetCheck[] = [];
  results.config.workloads.forEach((w, i) => {
    const name = `${w.rooms}×${w.clientsPerRoom} at ${w.rate} edits/s`;
    const warm = `after ${results.config.warmupMs / 1000} s of warm-up`;
    const o = ok(ours.load[i])?.rate;
    const r = ok(ref?.load[i])?.rate;
    const compare = (what: string, unit: string, digits: number, pick: (p: PhaseFigures) => number): void => {
      if (o === undefined || r === undefined) {
        // Congvu failing to produce a figure fails; the reference not being measured is no verdict.
        checks.push({ pass: o === undefined ? false : null, text: `${what}, ${name}: no figure (${o === undefined ? 'congvu' : 'reference'} did not run)` });
        return;
      }
      if (results.config.paired) {
        checks.push({ pass: null, text: `${what}, ${name}: not judged, the servers ran at the same time (BENCH_PAIRED)` });
        return;
      }
      const ourRounds = roundPhases(ours, i);
      const refRounds = roundPhases(ref as ServerRun, i);
      const judged = medianRound(roundValues(ourRounds, pick), roundValues(refRounds, pick));
      if (judged === null) {
        checks.push({ pass: false, text: `${what}, ${name}: no round in which both servers produced a figure` });
        return;
      }
      const { round, ratios } = judged;
      const a = pick(ourRounds[round] as PhaseFigures);
      const b = pick(refRounds[round] as PhaseFigures);
      const disturbance = Math.max((ourRounds[round] as PhaseFigures).otherCpuShare, (refRounds[round] as PhaseFigures).otherCpuShare);
      const note = disturbance > disturbedShare ? ` [DISTURBED: other work took up to ${(disturbance * 100).toFixed(0)} % of the machine]` : '';
      const of =
        ratios.length > 1
          ? ` (round ${round + 1}, the median of congvu ÷ reference over the rounds: ${ratios.map((x) => fmt(x, 2)).join(' / ')})`
          : '';
      checks.push({ pass: a <= b, text: `${what}, ${name} ${warm}: ${a.toFixed(digits)} ${unit} vs reference ${b.toFixed(digits)} ${unit}${of}${note}` });
    };
    compare('p99 fan-out latency no worse than the reference', 'ms', 2, (p) => p.fanoutMs.p99);
    compare('server CPU per edit no worse than the reference', 'µs', 0, (p) => p.cpuPerEditUs);
    const load = ok(ours.load[i]);
    if (load !== undefined) {
      const c = load.convergence;
      checks.push({
        pass: c.converged === c.rooms && c.editsMissing === 0,
        text: `every room converged with every edit, ${name}: ${c.converged}/${c.rooms} rooms, ${c.editsMissing} of ${c.editsMade} edits missing`,
      });
    }
  });
  if (results.config.parts.includes('sync')) {
    const sync = ok(ours.sync);
    checks.push(
      sync === undefined
        ? { pass: false, text: '1 MB document to a new client under 100 ms: no figure' }
        : { pass: sync.medianMs < 100, text: `1 MB document to a new client under 100 ms: median ${sync.medianMs.toFixed(1)} ms` },
    );
  }
  if (results.config.parts.includes('idle')) {
    const idle = ok(ours.idle);
    checks.push(
      idle === undefined
        ? { pass: false, text: '1,000 idle connections under 150 MB: no figure' }
        : {
            pass: idle.connections < 1000 ? null : idle.rssMiB < 150,
            text: `${idle.connections} idle connections under 150 MB${idle.connections < 1000 ? ' (fewer than 1,000: not judged)' : ''}: ${idle.rssMiB.toFixed(1)} MiB`,
          },
    );
  }
  return checks;
}

/**
 * Phase 1's server CPU per edit and fan-out p99 in every round, and round by round the ratio
 * congvu ÷ each other server. In a paired run (BENCH_PAIRED) the servers of one round ran at the
 * same time, so these per-round ratios are the figures to read: the noise between rounds mostly
 * cancels out in them. One after the other, they show how far apart the rounds of one server are,
 * next to the round the targets judge (medianRound); and the client processes' own
 * event-loop delay (worker.ts samples it every 10 ms, and Node counts the interval in), which is
 * in every latency: a p99 difference no larger than that delay less the 10 ms says little.
 */
function roundRows(t: Table, results: RelayResults, runs: readonly ServerRun[]): void {
  const when = results.config.paired
    ? 'the servers of a round at the same time'
    : interleaved(results)
      ? `the servers of a round interleaved in ${phaseBlocks(results)} blocks each`
      : 'the servers of a round one after the other';
  const congvu = runs.find((run) => run.kind === 'congvu');
  const measures = [
    { title: 'server CPU per edit by round (µs)', digits: 0, pick: (p: PhaseFigures) => p.cpuPerEditUs },
    { title: 'fan-out latency p99 by round (ms)', digits: 2, pick: (p: PhaseFigures) => p.fanoutMs.p99 },
    // The server's part plus the least delayed client process (see PhaseFigures.quickestProcessMs).
    { title: 'latency to the quickest client process p99 by round (ms)', digits: 2, pick: (p: PhaseFigures) => p.quickestProcessMs?.p99 ?? Number.NaN },
    // The measuring side's own jitter: a receiving client's delay is part of every fan-out latency.
    { title: "client processes' event-loop delay p99, worst, 10-ms sampling interval included, by round (ms)", digits: 1, pick: (p: PhaseFigures) => p.clientLoopDelayP99Ms, noRatio: true },
  ];
  results.config.workloads.forEach((w, i) => {
    for (const { title, digits, pick, noRatio } of measures) {
      const perRound = (run: ServerRun): number[] => roundValues(roundPhases(run, i), pick);
      const ours = congvu === undefined ? [] : perRound(congvu);
      t.lines.push('', `Phase 1 ${title}, ${w.rooms}×${w.clientsPerRoom} at ${w.rate} edits/s (${when})`);
      for (const run of runs) {
        const values = perRound(run);
        let line = `  ${run.kind.padEnd(12)}${values.map((v) => fmt(v, digits).padStart(7)).join('')}   mean ${fmt(mean(values), digits)}`;
        if (congvu !== undefined && run !== congvu && noRatio !== true) {
          const ratios = values.map((v, k) => ours[k] / v);
          line += `   congvu ÷ ${run.kind}: ${ratios.map((r) => fmt(r, 2)).join(' ')}, mean ${fmt(mean(ratios), 2)}`;
        }
        t.lines.push(line);
      }
    }
  });
}

export function formatReport(results: RelayResults): string {
  const runs = order.map((k) => results.servers.find((s) => s.kind === k)).filter((r): r is ServerRun => r !== undefined);
  const kinds = runs.map((r) => r.kind);
  const t = new Table(kinds);
  const m = results.machine;
  t.lines.push(
    `Relay benchmark, ${results.startedAt} (${m.cpus} CPUs ${m.cpuModel}, Node ${m.node}, ${results.config.workers} client processes${results.config.quick ? ', QUICK' : ''})`,
  );
  for (const run of runs) t.lines.push(`  ${run.kind.padEnd(11)} ${run.description}`);
  if (results.config.paired) {
    t.lines.push('  PAIRED: in each load round the servers ran at the same time, each with its own clients; latencies include each other\'s load');
  } else if (interleaved(results)) {
    t.lines.push(
      `  INTERLEAVED: in each load round the servers took turns, never loaded together; the warm-up and phase 1 in blocks alternating A B B A … (phase 1: ${phaseBlocks(results)} of ${fmt(results.config.phaseMs / phaseBlocks(results) / 1000, 1)} s each)`,
    );
  }

  results.config.workloads.forEach((w, i) => {
    const rounds = results.config.rounds > 1 ? `, least disturbed of ${results.config.rounds} rounds` : '';
    t.header(`Load: ${w.rooms} rooms × ${w.clientsPerRoom} clients${rounds}`);
    t.row('clients connected and synced in (ms)', mapOf(runs, (r) => ok(r.load[i])?.connectMs), 0);
    t.row('server CPU, all connected, idle (ms/s)', mapOf(runs, (r) => (ok(r.load[i])?.idleCpuPerSecond ?? Number.NaN) * 1000), 1);
    const warmup = (pick: (p: PhaseFigures) => number) => mapOf(runs, (r) => {
      const p = ok(r.load[i])?.warmup;
      return p === undefined ? undefined : pick(p);
    });
    t.lines.push(`  warm-up: ${w.rate} edits/s for the first ${results.config.warmupMs / 1000} s (not judged: V8 is still compiling the hot path)`);
    t.row('server CPU per edit (µs)', warmup((p) => p.cpuPerEditUs), 0);
    t.row('  other threads: V8 compiler and GC, libuv, workers (µs)', warmup((p) => p.cpuPerEditByThreadUs.otherThreads), 0);
    t.row('fan-out latency p99 (ms)', warmup((p) => p.fanoutMs.p99), 2);
    t.lines.push(`  phase 1: ${w.rate} edits/s in total for ${results.config.phaseMs / 1000} s`);
    phaseRows(t, runs, i, 'rate');
    // Results written before closedLoopMs existed ran both phases for phaseMs.
    t.lines.push(`  phase 2: closed loop, window ${results.config.window}, ${(results.config.closedLoopMs ?? results.config.phaseMs) / 1000} s`);
    phaseRows(t, runs, i, 'closedLoop');
    t.text(
      'converged rooms',
      mapOf(runs, (r) => {
        const c = ok(r.load[i])?.convergence;
        return c === undefined ? 'error' : `${c.converged}/${c.rooms}`;
      }),
    );
    t.row('edits missing after quiescence', mapOf(runs, (r) => ok(r.load[i])?.convergence.editsMissing), 0);
    t.row('client reconnects', mapOf(runs, (r) => ok(r.load[i])?.reconnects), 0);
    t.row('server RSS at start (MiB)', mapOf(runs, (r) => ok(r.load[i])?.baselineRssMiB), 1);
    t.row('server RSS peak during the phases (MiB)', mapOf(runs, (r) => ok(r.load[i])?.peakRssMiB), 1);
    t.row('server VmHWM (MiB)', mapOf(runs, (r) => ok(r.load[i])?.hwmMiB), 1);
  });

  if (results.config.rounds > 1) roundRows(t, results, runs);

  if (results.config.parts.includes('sync')) {
    t.header(`${(results.config.docChars / 1024).toFixed(0)} KiB document to a fresh client`);
    t.row('encoded document (KiB)', mapOf(runs, (r) => (ok(r.sync)?.updateBytes ?? Number.NaN) / 1024), 0);
    t.row(`median of ${results.config.syncRepeats} fresh clients (ms)`, mapOf(runs, (r) => ok(r.sync)?.medianMs), 1);
    t.row('fastest (ms)', mapOf(runs, (r) => (ok(r.sync) === undefined ? undefined : Math.min(...(ok(r.sync)?.ms ?? [])))), 1);
    t.row('slowest (ms)', mapOf(runs, (r) => (ok(r.sync) === undefined ? undefined : Math.max(...(ok(r.sync)?.ms ?? [])))), 1);
    t.row('first fresh client after writing (ms)', mapOf(runs, (r) => ok(r.sync)?.firstFullMs), 1);
  }

  if (results.config.parts.includes('idle')) {
    t.header(`${results.config.idleConnections} idle connections, ${results.config.idleRooms} rooms`);
    t.row('connected and synced in (ms)', mapOf(runs, (r) => ok(r.idle)?.connectMs), 0);
    t.row('server RSS before (MiB)', mapOf(runs, (r) => ok(r.idle)?.baselineRssMiB), 1);
    t.row('server RSS with the connections (MiB)', mapOf(runs, (r) => ok(r.idle)?.rssMiB), 1);
    t.row('growth (MiB)', mapOf(runs, (r) => ok(r.idle)?.deltaMiB), 1);
    t.row('growth per connection (KiB)', mapOf(runs, (r) => ok(r.idle)?.perConnectionKiB), 1);
    t.row('server CPU over 3 s idle (s)', mapOf(runs, (r) => ok(r.idle)?.settleCpuSeconds), 2);
  }

  const checks = checkTargets(results);
  if (checks.length > 0) {
    t.lines.push('', 'Targets (congvu, with auth, access control and storage on)');
    for (const c of checks) t.lines.push(`  ${c.pass === null ? 'SKIP' : c.pass ? 'PASS' : 'FAIL'}  ${c.text}`);
  }

  const problems: string[] = [];
  for (const run of runs) {
    for (const note of run.notes) problems.push(`${run.kind}: ${note}`);
    const outcomes: Array<[string, Outcome<object> | null]> = [
      ...run.load.map((o, i): [string, Outcome<object>] => [`load ${i + 1}`, o]),
      ['sync', run.sync],
      ['idle', run.idle],
    ];
    for (const [what, outcome] of outcomes) {
      if (outcome === null) continue;
      if ('error' in outcome) problems.push(`${run.kind} ${what}: ${outcome.error}`);
      else if (outcome.log.warnings + outcome.log.errors > 0) {
        problems.push(
          `${run.kind} ${what}: server logged ${outcome.log.warnings} warnings, ${outcome.log.errors} errors; messages ${JSON.stringify(outcome.log.messages)}; first:\n    ${outcome.log.notable.slice(0, 5).join('\n    ')}`,
        );
      }
    }
    run.load.forEach((o, i) => {
      const load = ok(o);
      if (load === undefined) return;
      if (load.convergence.problems.length > 0) problems.push(`${run.kind} load ${i + 1}: ${load.convergence.problems.join('; ')}`);
      for (const [name, p] of [['phase 1', load.rate], ['phase 2', load.closedLoop]] as const) {
        const v = p.serverView;
        if (v === undefined) continue;
        const odd: string[] = [];
        if (v.storeFailures > 0) odd.push(`${v.storeFailures} store failures`);
        if (v.writesRefused > 0) odd.push(`${v.writesRefused} writes refused`);
        if (Object.keys(v.awarenessDropped).length > 0) odd.push(`presence frames dropped ${JSON.stringify(v.awarenessDropped)}`);
        if (Object.keys(v.connectionsClosed).length > 0) odd.push(`connections closed ${JSON.stringify(v.connectionsClosed)}`);
        if (odd.length > 0) problems.push(`${run.kind} load ${i + 1} ${name}: server metrics: ${odd.join(', ')}`);
      }
      if (load.reconnects > 0) {
        const why = Object.entries(load.closeReasons).map(([reason, n]) => `${n}× "${reason}"`).join(', ');
        problems.push(`${run.kind} load ${i + 1}: ${load.reconnects} connections lost during the run (close code, reason: ${why})`);
      }
    });
  }
  if (problems.length > 0) t.lines.push('', 'Problems seen', ...problems.map((p) => `  ${p}`));
  return t.lines.join('\n');
}

export function printReport(results: RelayResults): void {
  process.stdout.write(`${formatReport(results)}\n`);
}

/** Writes test/bench/results/relay-<date>.json and returns its path. */
export function writeResults(results: RelayResults, started: Date): string {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = started.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const file = `${dir}relay-${stamp}.json`;
  writeFileSync(file, `${JSON.stringify({ ...results, targets: checkTargets(results) }, null, 2)}\n`);
  return file;
}
