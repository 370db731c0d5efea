// The relay benchmark: the same workload against Congvu's server (auth, access control and SQLite
// storage on), the reference y-websocket server and Hocuspocus, in one run, side by side.
//
// Method (every measurement on a freshly started server; the servers take turns measurement by
// measurement, so a disturbance on the machine falls on neighbouring figures of different servers;
// in a load round the servers are started together and take turns step by step, the warm-up and
// phase 1 in alternating blocks, see RelayConfig.interleave; with BENCH_PAIRED=1 they run at the
// same time):
// - Load (N rooms × M clients): the clients live in several forked client processes (worker.ts),
//   spread so that a room's clients sit in different processes. After a warm-up at the phase-1
//   rate (30 s: until V8 has optimized the hot path; reported, not judged), phase 1 edits at a
//   steady total rate (open loop); phase 2 is a closed loop: a client makes its next edit once it
//   has seen everyone else's previous one, so the rate climbs until something saturates. Each phase is followed by a drain (until every edit reached every other
//   client of its room, or 5 s). Fan-out latency of an edit = the moment the LAST other client of
//   the room saw it − the moment it was made. Server CPU (utime+stime from /proc, over the phase
//   and its drain) is divided by the edits made, also with the server's idle CPU (everyone
//   connected, nobody typing) taken out. After both phases the bench waits for
//   convergence: every client of a room must have the same state vector and the same text, and
//   the text must hold every edit that was made in the room.
// - 1 MB document: a client builds a ~1 MB text in 16 KB inserts at random places and stays
//   connected; a fresh client then connects until it holds the whole text (untimed: proves the
//   server has it all), then 5 timed fresh clients, from construction to the full text; median.
// - Idle connections: 1,000 clients over 100 rooms connect and sync; after 3 s of settling the
//   server's RSS (whole process tree) is read, and its growth over the freshly started server.
// Each phase also records the CPU that OTHER processes used meanwhile, so a figure taken while the
// machine was busy with something else is visible as such (report.ts marks it DISTURBED).
// All traffic stays on 127.0.0.1. Figures go to stdout and to test/bench/results/relay-<date>.json.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClientProcesses } from './client-processes.ts';
import { cpuSeconds, machineBusySeconds, peakRssMiB, rssMiB, RssSampler, threadCpuSeconds } from './process-usage.ts';
import { editKey, now, type ClientSpec, type CollectResult, type DigestResult, type ServerKind } from './protocol.ts';
import { printReport, writeResults, type Outcome, type RelayResults, type ServerRun } from './report.ts';
import { combineBlocks, type BlockPlace, type PhaseRun, type PhaseSamples } from './blocks.ts';
import { serverView, type ServerView } from './server-view.ts';
import { adapters, type RunningServer, type ServerAdapter, type ServerLog } from './servers.ts';
import { median, summarize, type Summary } from './stats.ts';
import { alternatingBlocks, blocksPerServer, Turns } from './turns.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

// ————————————————————————————————————————————— config —————————————————————————————————————————————

export interface Workload {
  readonly rooms: number;
  readonly clientsPerRoom: number;
  /** Total edits per second over all clients in phase 1. */
  readonly rate: number;
}

export interface RelayConfig {
  readonly quick: boolean;
  readonly servers: readonly ServerKind[];
  readonly parts: ReadonlySet<'load' | 'sync' | 'idle'>;
  readonly workloads: readonly Workload[];
  readonly workers: number;
  readonly warmupMs: number;
  /** Phase 1 (open loop, the judged one). */
  readonly phaseMs: number;
  /** Phase 2 (closed loop). */
  readonly closedLoopMs: number;
  readonly drainMs: number;
  readonly window: number;
  readonly stallMs: number;
  readonly docChars: number;
  readonly syncRepeats: number;
  readonly idleConnections: number;
  readonly idleRooms: number;
  /** Before each measurement, wait up to this long for the machine to be quiet (0: don't). */
  readonly quietWaitMs: number;
  /** Load measurements are repeated this often; the least disturbed round is reported. */
  readonly rounds: number;
  /**
   * BENCH_PAIRED=1: in each load round the servers run at the same time, each with its own client
   * processes, instead of one after the other. Whatever disturbs the machine then falls on all of
   * them alike, so their CPU per edit compares far more closely; latencies include each other's
   * load, and the targets are not judged on such a run (docs/benchmarks.md).
   */
  readonly paired: boolean;
  /**
   * Load rounds of several servers (unless paired): the servers and their client processes are
   * started together and take turns (turns.ts), one step at a time: connecting, the warm-up and
   * phase 1 in blocks of `blockMs` alternating A B B A A B …, phase 2, the convergence check. Never loaded
   * at the same time, they still meet the same machine: a neighbour on the VM's host that slows it
   * down for a minute falls on blocks of both, not on one server's whole phase
   * (docs/benchmarks.md, "Interleaved rounds"). BENCH_INTERLEAVE=0: one whole server after the other.
   */
  readonly interleave: boolean;
  /** About how long a block of an interleaved warm-up or phase 1 lasts (BENCH_BLOCK_S; their number is odd: turns.ts, blocksPerServer). */
  readonly blockMs: number;
  /** How long the server settles before its baseline RSS is read. */
  readonly settleMs: number;
  /** How long its CPU is read with everyone connected and nobody typing (BENCH_IDLE_MS; /proc counts 10-ms ticks). */
  readonly idleMs: number;
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return value;
}

function parseWorkloads(raw: string): Workload[] {
  return raw.split(',').map((item) => {
    const match = /^\s*(\d+)x(\d+)@(\d+)\s*$/.exec(item);
    if (match === null) throw new Error(`BENCH_WORKLOADS item "${item}": expected ROOMSxCLIENTS@RATE, e.g. 10x5@200`);
    return { rooms: Number(match[1]), clientsPerRoom: Number(match[2]), rate: Number(match[3]) };
  });
}

/** Reads the environment; BENCH_QUICK=1 makes a smoke run of about a minute and a half. */
export function relayConfig(): RelayConfig {
  const quick = process.env.BENCH_QUICK === '1';
  const defaultServers = process.env.BENCH_VARIANT ? 'congvu,variant,reference' : 'congvu,reference,hocuspocus';
  const servers = (process.env.BENCH_SERVERS ?? defaultServers).split(',').map((s) => s.trim());
  for (const s of servers) {
    if (!adapters.some((a) => a.kind === s)) {
      throw new Error(`BENCH_SERVERS: unknown server "${s}"${s === 'variant' ? ' (set BENCH_VARIANT to the checkout to measure)' : ''}`);
    }
  }
  const parts = (process.env.BENCH_PARTS ?? 'load,sync,idle').split(',').map((s) => s.trim());
  for (const p of parts) {
    if (p !== 'load' && p !== 'sync' && p !== 'idle') throw new Error(`BENCH_PARTS: unknown part "${p}"`);
  }
  return {
    quick,
    servers: servers as ServerKind[],
    parts: new Set(parts as Array<'load' | 'sync' | 'idle'>),
    workloads: parseWorkloads(process.env.BENCH_WORKLOADS ?? (quick ? '10x5@200' : '10x5@200,100x10@500')),
    workers: envNumber('BENCH_WORKERS', 3),
    // 30 s: at 200 edits/s V8 is still optimizing the relay's hot path for the first 20-30 s, and a
    // phase measured before that measures the JIT compiler (docs/benchmarks.md, "Warm-up").
    warmupMs: envNumber('BENCH_WARMUP_S', quick ? 1 : 30) * 1000,
    // 30 s: 6,000 edits at 10×5, so that a p99 is not decided by one or two stalls of a client
    // process (docs/benchmarks.md, "How long phase 1 runs").
    phaseMs: envNumber('BENCH_PHASE_S', quick ? 3 : 30) * 1000,
    closedLoopMs: envNumber('BENCH_CLOSED_LOOP_S', quick ? 3 : 10) * 1000,
    drainMs: 5000,
    window: envNumber('BENCH_WINDOW', 1),
    stallMs: 1000,
    docChars: envNumber('BENCH_DOC_KB', 1024) * 1024,
    syncRepeats: envNumber('BENCH_SYNC_REPEATS', 5),
    idleConnections: envNumber('BENCH_IDLE_CONNECTIONS', quick ? 300 : 1000),
    idleRooms: envNumber('BENCH_IDLE_ROOMS', quick ? 30 : 100),
    quietWaitMs: (process.env.BENCH_QUIET_WAIT_S === '0' ? 0 : envNumber('BENCH_QUIET_WAIT_S', 0)) * 1000,
    rounds: Math.floor(envNumber('BENCH_ROUNDS', 1)),
    paired: process.env.BENCH_PAIRED === '1',
    interleave: process.env.BENCH_INTERLEAVE !== '0',
    blockMs: envNumber('BENCH_BLOCK_S', quick ? 1 : 5) * 1000,
    settleMs: quick ? 1000 : 2000,
    idleMs: envNumber('BENCH_IDLE_MS', quick ? 1000 : 2000),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/**
 * Starts a fresh server and `workers` client processes (side by side), runs `measure` and stops
 * them all. The server's warnings and errors come back with the figures (and with the error,
 * should the measurement fail).
 */
async function withServer<T>(
  adapter: ServerAdapter,
  workers: number,
  measure: (server: RunningServer, clients: ClientProcesses) => Promise<T>,
): Promise<T & { log: ServerLog }> {
  const [server, clients] = await Promise.allSettled([adapter.start(), ClientProcesses.start(workers)]);
  if (server.status === 'rejected' || clients.status === 'rejected') {
    if (server.status === 'fulfilled') await server.value.stop();
    if (clients.status === 'fulfilled') await clients.value.stop();
    throw server.status === 'rejected' ? server.reason : (clients as PromiseRejectedResult).reason;
  }
  try {
    const figures = await measure(server.value, clients.value);
    await clients.value.all<'disconnect'>({ type: 'disconnect' });
    return { ...figures, log: server.value.log() };
  } catch (error) {
    const log = server.value.log();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\nserver warnings ${log.warnings}, errors ${log.errors}; notable lines:\n${log.notable.join('\n')}\nlast lines:\n${log.tail.join('\n')}`);
  } finally {
    await clients.value.stop();
    await server.value.stop();
  }
}

/** The server's RSS once settled: the lowest of samples over `ms` (startup garbage aside). */
async function settledRssMiB(pid: number, ms: number): Promise<number> {
  let lowest = rssMiB(pid);
  for (let waited = 0; waited < ms; waited += 100) {
    await sleep(100);
    lowest = Math.min(lowest, rssMiB(pid));
  }
  return lowest;
}

// —————————————————————————————————————————————— load ——————————————————————————————————————————————

export interface PhaseFigures {
  readonly durationS: number;
  readonly edits: number;
  readonly editsPerSecond: number;
  /** Edits × receivers delivered, per second of the phase. */
  readonly deliveriesPerSecond: number;
  /** Fan-out latency (ms) of the edits that reached every other client of their room. */
  readonly fanoutMs: Summary;
  /**
   * Latency (ms) to the quickest client process, i.e. until the last receiver in the process that
   * had them all first saw the edit: the server's part plus the least delayed process. A tail here
   * that fanoutMs's tail does not explain is the server's (absent from results before 2026-11-29 07:30).
   */
  readonly quickestProcessMs?: Summary;
  /** Edits that had not reached every other client when the drain ended. */
  readonly incomplete: number;
  readonly drainMs: number;
  readonly serverCpuSeconds: number;
  readonly cpuPerEditUs: number;
  /**
   * The server's CPU per edit by thread (µs): its main thread in user space and in the kernel
   * (socket and file writes are mostly kernel time), and all its other threads (V8's compiler
   * and GC helpers, libuv's pool, worker threads).
   */
  readonly cpuPerEditByThreadUs: { readonly mainUser: number; readonly mainSystem: number; readonly otherThreads: number };
  readonly peakRssMiB: number;
  readonly stalls: number;
  /** CPU seconds of the client processes over the phase and its drain. */
  readonly clientCpuSeconds: number;
  /**
   * CPU seconds used meanwhile by everything else on the machine (not server, clients or this
   * process): large values mean the figures were disturbed by other work.
   */
  readonly otherCpuSeconds: number;
  /** The same as a share of the whole machine (all CPUs) over the phase: 0.1 = 10 %. */
  readonly otherCpuShare: number;
  /** Worst client process's event-loop delay: high values mean the clients, not the server, lag. */
  readonly clientLoopDelayP99Ms: number;
  readonly clientLoopDelayMaxMs: number;
  /** Wall time over which the CPU figures were taken (phase and drain). */
  readonly measuredSeconds: number;
  /** What the server itself reported over the phase (Congvu's /metrics), if it reports. */
  readonly serverView?: ServerView;
  /**
   * Interleaved: of serverCpuSeconds (which runs from the first block's start to the last one's
   * end), what the server used between its blocks, while the other servers had their turns: work
   * it put off past a block, its timers, its idle clients' presence renewals (blocks.ts).
   */
  readonly betweenBlocksCpuSeconds?: number;
  /** Interleaved: seconds from the first block's start to the last one's end (measuredSeconds covers the blocks only). */
  readonly spanSeconds?: number;
  /** An interleaved warm-up's or phase 1's blocks, in order, each as a phase of its own (latencies summarized over the block's edits). */
  readonly blocks?: readonly PhaseFigures[];
}

export interface Convergence {
  readonly rooms: number;
  readonly converged: number;
  /** Edits made in all rooms, and the number missing from the (minimum) text of their room. */
  readonly editsMade: number;
  readonly editsMissing: number;
  readonly waitedMs: number;
  readonly problems: readonly string[];
}

export interface LoadFigures {
  readonly workload: Workload;
  readonly connectMs: number;
  readonly baselineRssMiB: number;
  /** Server CPU per second with every client connected and nobody editing (keepalives etc.). */
  readonly idleCpuPerSecond: number;
  /**
   * The warm-up: the phase-1 rate for `warmupMs` right after the clients connected. Not judged:
   * V8 is still compiling the hot path then (docs/benchmarks.md, "Warm-up"); reported so that the
   * cost of a cold server stays visible.
   */
  readonly warmup: PhaseFigures;
  readonly rate: PhaseFigures;
  readonly closedLoop: PhaseFigures;
  readonly convergence: Convergence;
  /** Connections lost by clients during the run, and why ("<close code> <reason>" → count). */
  readonly reconnects: number;
  readonly closeReasons: Readonly<Record<string, number>>;
  readonly peakRssMiB: number;
  readonly hwmMiB: number;
}

function clientSpecs(rooms: readonly { room: string; tokens: readonly string[] }[], perRoom: number): ClientSpec[] {
  const specs: ClientSpec[] = [];
  rooms.forEach((ticket, roomIndex) => {
    const indices = Array.from({ length: perRoom }, (_, j) => roomIndex * perRoom + j);
    indices.forEach((index, j) => {
      specs.push({
        index,
        roomIndex,
        room: ticket.room,
        token: ticket.tokens[j % ticket.tokens.length],
        peers: indices.filter((other) => other !== index),
      });
    });
  });
  return specs;
}

async function connectAll(clients: ClientProcesses, server: RunningServer, specs: readonly ClientSpec[], timeoutMs: number): Promise<number> {
  const started = now();
  // Client i goes to process i mod P: the clients of one room are spread over processes.
  const results = await clients.all<'connect'>((w) => ({
    type: 'connect',
    target: server.target,
    clients: specs.filter((s) => s.index % clients.count === w),
    timeoutMs,
  }));
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  if (failed > 0) {
    const firstError = results.find((r) => r.firstError !== undefined)?.firstError ?? 'unknown';
    throw new Error(`${failed} of ${specs.length} clients did not sync within ${timeoutMs} ms; first: ${firstError}`);
  }
  return now() - started;
}

/** Waits until every edit made reached every other client of its room (or the drain times out). */
async function drain(clients: ClientProcesses, receiversPerEdit: number, limitMs: number): Promise<number> {
  const started = now();
  while (now() - started < limitMs) {
    const states = await clients.all<'progress'>({ type: 'progress' });
    const sent = states.reduce((s, p) => s + p.sent, 0);
    const receipts = states.reduce((s, p) => s + p.receipts, 0);
    if (receipts >= sent * receiversPerEdit) break;
    await sleep(50);
  }
  return now() - started;
}

function phaseLatencies(
  collected: readonly CollectResult[],
  receiversPerEdit: number,
): { fanout: number[]; quickest: number[]; edits: number; incomplete: number; deliveries: number } {
  const merged = new Map<number, { sentAt: number; lastSeenAt: number; seenBy: number; quickest: number }>();
  let deliveries = 0;
  for (const c of collected) {
    for (let i = 0; i < c.keys.length; i++) {
      deliveries += c.seenBy[i];
      const known = merged.get(c.keys[i]);
      if (known === undefined) merged.set(c.keys[i], { sentAt: c.sentAt[i], lastSeenAt: c.lastSeenAt[i], seenBy: c.seenBy[i], quickest: c.lastSeenAt[i] });
      else {
        known.lastSeenAt = Math.max(known.lastSeenAt, c.lastSeenAt[i]);
        known.quickest = Math.min(known.quickest, c.lastSeenAt[i]);
        known.seenBy += c.seenBy[i];
      }
    }
  }
  const fanout: number[] = [];
  const quickest: number[] = [];
  let edits = 0;
  let incomplete = 0;
  for (const c of collected) {
    for (const [client, first, last] of c.sent) {
      for (let seq = first; seq <= last; seq++) {
        edits++;
        const r = merged.get(editKey(client, seq));
        if (r === undefined || r.seenBy < receiversPerEdit) incomplete++;
        else {
          fanout.push(r.lastSeenAt - r.sentAt);
          quickest.push(r.quickest - r.sentAt);
        }
      }
    }
  }
  return { fanout, quickest, edits, incomplete, deliveries };
}

/**
 * BENCH_TRACE=1 (diagnosis): one file per phase in test/bench/results/, `{startedAt, rows}`
 * (startedAt: the phase's start, ms since the epoch), one row per edit made:
 * [ms since the phase started, the client process that made it, then for each client process the
 * ms from the edit to when that process's last receiver saw it (null: no receiver there)]. An
 * edit that every process saw late was late at the server; one that a single process saw late was
 * late in that process.
 */
function writeTrace(kind: ServerKind, workload: Workload, phase: string, startAt: number, collected: readonly CollectResult[]): void {
  const seen = collected.map((c) => new Map(c.keys.map((key, i) => [key, c.lastSeenAt[i]])));
  const sentAt = new Map<number, number>();
  for (const c of collected) c.keys.forEach((key, i) => sentAt.set(key, c.sentAt[i]));
  const rows: (number | null)[][] = [];
  collected.forEach((c, sender) => {
    for (const [client, first, last] of c.sent) {
      for (let seq = first; seq <= last; seq++) {
        const key = editKey(client, seq);
        const at = sentAt.get(key);
        if (at === undefined) continue; // seen by nobody
        rows.push([round1(at - startAt), sender, ...seen.map((m) => (m.has(key) ? round1(m.get(key)! - at) : null))]);
      }
    }
  });
  rows.sort((a, b) => (a[0] as number) - (b[0] as number));
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  // The phase's start on the wall clock too, to set the rows against a server's own log (BENCH_SERVER_LOG).
  const startedAt = Date.now() - (now() - startAt);
  writeFileSync(join(dir, `trace-${kind}-${workload.rooms}x${workload.clientsPerRoom}-${phase}-${stamp}.json`), JSON.stringify({ startedAt, rows }));
}

function round1(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function mergeCounts(counts: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const c of counts) for (const [key, n] of Object.entries(c)) merged[key] = (merged[key] ?? 0) + n;
  return merged;
}

async function runPhase(
  clients: ClientProcesses,
  server: RunningServer,
  config: RelayConfig,
  workload: Workload,
  kind: 'rate' | 'closedLoop',
  durationMs: number,
  block?: BlockPlace,
): Promise<PhaseRun> {
  const receiversPerEdit = workload.clientsPerRoom - 1;
  const totalClients = workload.rooms * workload.clientsPerRoom;
  const startAt = now() + 100;
  const endAt = startAt + durationMs;
  // Read first: it also resets the server's event-loop delay histogram (prom-client does so). A
  // block reads /metrics only at the start of the first and the end of the last: a scrape costs
  // the server CPU, and between its blocks that would count in its CPU per edit (blocks.ts).
  const metricsBefore = block === undefined || block.first ? await server.metrics?.() : undefined;
  const measureStart = now();
  const cpuBefore = cpuSeconds(server.pid);
  const threadsBefore = threadCpuSeconds(server.pid);
  const clientCpuBefore = clients.pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const machineBefore = machineBusySeconds();
  const selfBefore = process.cpuUsage();
  const sampler = new RssSampler(server.pid);
  const results =
    kind === 'rate'
      ? await clients.all<'ratePhase'>({ type: 'ratePhase', intervalMs: (1000 * totalClients) / workload.rate, startAt, endAt })
      : await clients.all<'closedLoopPhase'>({ type: 'closedLoopPhase', window: config.window, stallMs: config.stallMs, startAt, endAt });
  const drainMs = await drain(clients, receiversPerEdit, config.drainMs);
  const cpuAfter = cpuSeconds(server.pid);
  const serverCpuSeconds = cpuAfter - cpuBefore;
  const threadsAfter = threadCpuSeconds(server.pid);
  const measureEnd = now();
  const measuredSeconds = (measureEnd - measureStart) / 1000;
  const clientCpuSeconds = clients.pids.reduce((s, pid) => s + cpuSeconds(pid), 0) - clientCpuBefore;
  const self = process.cpuUsage(selfBefore);
  const otherCpuSeconds = machineBusySeconds() - machineBefore - serverCpuSeconds - clientCpuSeconds - (self.user + self.system) / 1e6;
  const peak = sampler.stop();
  const metricsAfter = block === undefined || block.last ? await server.metrics?.() : undefined;
  const collected = await clients.all<'collect'>({ type: 'collect' });
  const { fanout, quickest, edits, incomplete, deliveries } = phaseLatencies(collected, receiversPerEdit);
  if (block !== undefined) {
    for (const ms of fanout) block.samples.fanout.push(ms);
    for (const ms of quickest) block.samples.quickest.push(ms);
  }
  if (process.env.BENCH_TRACE === '1') writeTrace(server.kind, workload, kind, startAt, collected);
  const seconds = durationMs / 1000;
  return {
    durationS: seconds,
    edits,
    editsPerSecond: edits / seconds,
    deliveriesPerSecond: deliveries / seconds,
    fanoutMs: summarize(fanout),
    quickestProcessMs: summarize(quickest),
    incomplete,
    drainMs,
    serverCpuSeconds,
    cpuPerEditUs: edits === 0 ? Number.NaN : (serverCpuSeconds * 1e6) / edits,
    cpuPerEditByThreadUs: {
      mainUser: ((threadsAfter.mainUser - threadsBefore.mainUser) * 1e6) / edits,
      mainSystem: ((threadsAfter.mainSystem - threadsBefore.mainSystem) * 1e6) / edits,
      otherThreads: ((threadsAfter.otherThreads - threadsBefore.otherThreads) * 1e6) / edits,
    },
    peakRssMiB: peak,
    stalls: results.reduce((s, r) => s + r.stalls, 0),
    clientCpuSeconds,
    otherCpuSeconds: Math.max(0, otherCpuSeconds),
    otherCpuShare: Math.max(0, otherCpuSeconds) / measuredSeconds / cpus().length,
    clientLoopDelayP99Ms: Math.max(...collected.map((c) => c.loopDelayP99Ms)),
    clientLoopDelayMaxMs: Math.max(...collected.map((c) => c.loopDelayMaxMs)),
    measuredSeconds,
    serverView: metricsBefore !== undefined && metricsAfter !== undefined ? serverView(metricsBefore, metricsAfter) : undefined,
    ...(block === undefined ? {} : { metrics: { before: metricsBefore, after: metricsAfter } }),
    // Counted since the clients connected, not per phase.
    reconnects: collected.reduce((s, c) => s + c.reconnects, 0),
    closeReasons: mergeCounts(collected.map((c) => c.closeReasons)),
    span: { cpu: [cpuBefore, cpuAfter], at: [measureStart, measureEnd] },
  };
}

function checkConvergence(digests: readonly DigestResult[], rooms: number): Omit<Convergence, 'waitedMs'> {
  const byRoom = new Map<number, DigestResult['clients'][number][]>();
  for (const d of digests) {
    for (const c of d.clients) {
      const list = byRoom.get(c.roomIndex) ?? [];
      list.push(c);
      byRoom.set(c.roomIndex, list);
    }
  }
  let converged = 0;
  let editsMade = 0;
  let editsMissing = 0;
  const problems: string[] = [];
  for (const [roomIndex, list] of byRoom) {
    const made = list.reduce((s, c) => s + c.made, 0);
    const minRecords = Math.min(...list.map((c) => c.records));
    editsMade += made;
    editsMissing += Math.max(0, made - minRecords);
    const same = list.every((c) => c.stateVector === list[0].stateVector && c.textHash === list[0].textHash);
    if (same && minRecords === made) converged++;
    else if (problems.length < 5) {
      problems.push(
        `room ${roomIndex}: ${same ? 'same state' : 'DIFFERENT states'}; edits made ${made}, found ${list.map((c) => c.records).join('/')}`,
      );
    }
  }
  return { rooms, converged, editsMade, editsMissing, problems };
}

async function waitForConvergence(clients: ClientProcesses, rooms: number, limitMs: number): Promise<Convergence> {
  const started = now();
  for (;;) {
    const result = checkConvergence(await clients.all<'digest'>({ type: 'digest' }), rooms);
    if (result.converged === rooms || now() - started > limitMs) return { ...result, waitedMs: now() - started };
    await sleep(250);
  }
}

/**
 * The order in which the servers of an interleaved load round take their turns: one turn each to
 * connect, the blocks of the warm-up and then of phase 1, each alternating (alternatingBlocks),
 * one turn each for phase 2 and for the convergence check (runLoad takes them in this order). The
 * warm-up is interleaved too so that no server comes to phase 1 after a long pause: with whole
 * warm-ups one after the other, the first server's phase 1 began after 30 s idle and it measured
 * 4-11 % more CPU per edit than an identical copy of itself (docs/benchmarks.md, "Interleaved rounds").
 */
export function loadTurns(kinds: readonly ServerKind[], config: RelayConfig): Turns<ServerKind> {
  const warmup = alternatingBlocks(kinds, blocksPerServer(config.warmupMs, config.blockMs));
  const phase = alternatingBlocks(kinds, blocksPerServer(config.phaseMs, config.blockMs));
  return new Turns([...kinds, ...warmup, ...phase, ...kinds, ...kinds]);
}

/** A phase as a sequence of blocks, each at the server's turn (an interleaved round), made one phase by combineBlocks. */
async function runInBlocks(
  name: string,
  durationMs: number,
  config: RelayConfig,
  block: (ms: number, place: BlockPlace, say: string) => Promise<PhaseRun>,
): Promise<PhaseRun> {
  const count = blocksPerServer(durationMs, config.blockMs);
  const samples: PhaseSamples = { fanout: [], quickest: [] };
  const blocks: PhaseRun[] = [];
  for (let k = 1; k <= count; k++) {
    blocks.push(await block(durationMs / count, { samples, first: k === 1, last: k === count }, `${name}, block ${k} of ${count}`));
  }
  return combineBlocks(blocks, samples);
}

/**
 * One load measurement of a server. With `turns` (an interleaved round), each step that loads the
 * machine waits for the server's turn, phase 1 runs in blocks (combineBlocks makes them one phase),
 * and the measurement ends only when every server's turns are over, so that no server stops while
 * another measures.
 */
async function runLoad(
  server: RunningServer,
  clients: ClientProcesses,
  config: RelayConfig,
  workload: Workload,
  turns?: Turns<ServerKind>,
): Promise<LoadFigures> {
  const step = <T>(run: () => Promise<T>): Promise<T> => (turns === undefined ? run() : turns.take(server.kind, run));
  // With several servers at once (paired, interleaved) their lines interleave: each says whose it is.
  const say = (message: string): void => progress(config.paired || turns !== undefined ? `${server.kind}: ${message}` : message);
  const { baselineRssMiB, specs, connectMs, idleCpuPerSecond } = await step(async () => {
    const baselineRssMiB = await settledRssMiB(server.pid, config.settleMs);
    const rooms = await server.prepareRooms(workload.rooms, 'Bench tải');
    const specs = clientSpecs(rooms, workload.clientsPerRoom);
    const connectMs = await connectAll(clients, server, specs, 60_000);
    const idleStart = now();
    const idleCpuBefore = cpuSeconds(server.pid);
    await sleep(config.idleMs);
    const idleCpuPerSecond = (cpuSeconds(server.pid) - idleCpuBefore) / ((now() - idleStart) / 1000);
    return { baselineRssMiB, specs, connectMs, idleCpuPerSecond };
  });
  say(`${specs.length} clients synced in ${connectMs.toFixed(0)} ms; warm-up ${config.warmupMs / 1000} s`);
  // The warm-up and phase 1 at the phase-1 rate: whole, or in blocks at the server's turns.
  const ratePhase = (name: string, durationMs: number): Promise<PhaseRun> => {
    if (turns === undefined) return runPhase(clients, server, config, workload, 'rate', durationMs);
    return runInBlocks(name, durationMs, config, (ms, place, block) =>
      step(() => {
        say(`${block}: ${workload.rate} edits/s for ${ms / 1000} s`);
        return runPhase(clients, server, config, workload, 'rate', ms, place);
      }),
    );
  };
  const warmup = await ratePhase('warm-up', config.warmupMs);
  if (turns === undefined) say(`phase 1: ${workload.rate} edits/s for ${config.phaseMs / 1000} s`);
  const rate = await ratePhase('phase 1', config.phaseMs);
  const closedLoop = await step(() => {
    say(`phase 2: closed loop (window ${config.window}) for ${config.closedLoopMs / 1000} s`);
    return runPhase(clients, server, config, workload, 'closedLoop', config.closedLoopMs);
  });
  const convergence = await step(() => waitForConvergence(clients, workload.rooms, 10_000));
  await turns?.over();
  const figures: LoadFigures = {
    workload,
    connectMs,
    baselineRssMiB,
    idleCpuPerSecond,
    warmup,
    rate,
    closedLoop,
    convergence,
    reconnects: closedLoop.reconnects,
    closeReasons: closedLoop.closeReasons,
    peakRssMiB: Math.max(rate.peakRssMiB, closedLoop.peakRssMiB),
    hwmMiB: peakRssMiB(server.pid),
  };
  return figures;
}

// ——————————————————————————————————————————— 1 MB sync ————————————————————————————————————————————

export interface SyncFigures {
  readonly textLength: number;
  readonly updateBytes: number;
  readonly fillMs: number;
  readonly firstFullMs: number;
  readonly ms: readonly number[];
  readonly medianMs: number;
}

async function runSync(server: RunningServer, clients: ClientProcesses, config: RelayConfig): Promise<SyncFigures> {
  const [ticket] = await server.prepareRooms(1, 'Bench 1 MB');
  const fill = await clients.request<'fill'>(0, {
    type: 'fill',
    target: server.target,
    room: ticket.room,
    token: ticket.tokens[0],
    chars: config.docChars,
    chunkChars: 16 * 1024,
  });
  const timed = await clients.request<'timedSync'>(1, {
    type: 'timedSync',
    target: server.target,
    room: ticket.room,
    token: ticket.tokens[1 % ticket.tokens.length],
    expectedLength: fill.textLength,
    repeats: config.syncRepeats,
    timeoutMs: 30_000,
  });
  return { textLength: fill.textLength, updateBytes: fill.updateBytes, fillMs: fill.ms, firstFullMs: timed.firstFullMs, ms: timed.ms, medianMs: median(timed.ms) };
}

// ———————————————————————————————————————— idle connections ————————————————————————————————————————

export interface IdleFigures {
  readonly connections: number;
  readonly rooms: number;
  readonly connectMs: number;
  readonly baselineRssMiB: number;
  readonly rssMiB: number;
  readonly deltaMiB: number;
  readonly perConnectionKiB: number;
  readonly settleCpuSeconds: number;
}

async function runIdle(server: RunningServer, clients: ClientProcesses, config: RelayConfig): Promise<IdleFigures> {
  const rooms = await server.prepareRooms(config.idleRooms, 'Bench chờ');
  const baselineRssMiB = await settledRssMiB(server.pid, config.settleMs);
  const specs = clientSpecs(rooms, Math.ceil(config.idleConnections / config.idleRooms)).slice(0, config.idleConnections);
  const connectMs = await connectAll(clients, server, specs, 120_000);
  const cpuBefore = cpuSeconds(server.pid);
  await sleep(3000);
  const settleCpuSeconds = cpuSeconds(server.pid) - cpuBefore;
  const rss = rssMiB(server.pid);
  return {
    connections: specs.length,
    rooms: rooms.length,
    connectMs,
    baselineRssMiB,
    rssMiB: rss,
    deltaMiB: rss - baselineRssMiB,
    perConnectionKiB: ((rss - baselineRssMiB) * 1024) / specs.length,
    settleCpuSeconds,
  };
}

// ————————————————————————————————————————————— the run ————————————————————————————————————————————

/**
 * Waits (up to `maxMs`) for a second in which other processes use under a quarter of one CPU, so
 * that a measurement does not start in the middle of someone's test run. Returns the time waited.
 */
async function waitForQuiet(maxMs: number): Promise<number> {
  const started = now();
  while (now() - started < maxMs) {
    const busyBefore = machineBusySeconds();
    const selfBefore = process.cpuUsage();
    await sleep(1000);
    const self = process.cpuUsage(selfBefore);
    const other = machineBusySeconds() - busyBefore - (self.user + self.system) / 1e6;
    if (other < 0.25) break;
  }
  return now() - started;
}

/**
 * Of several rounds of one load measurement (per server, the servers' rounds side by side), the
 * index of the round least disturbed by other work on the machine, judged by the most disturbed
 * server in it (like taking the fastest of repeated timings); a failed round only if all failed.
 */
function leastDisturbed(roundsByServer: ReadonlyArray<ReadonlyArray<Outcome<LoadFigures>>>): number {
  const worst = (k: number): number => Math.max(...roundsByServer.map((rounds) => disturbance(rounds[k])));
  let best = 0;
  for (let k = 1; k < roundsByServer[0].length; k++) if (worst(k) < worst(best)) best = k;
  return best;
}

/** The largest share of the machine that other processes took during a round's phases. */
function disturbance(o: Outcome<LoadFigures>): number {
  return 'error' in o ? Number.POSITIVE_INFINITY : Math.max(o.rate.otherCpuShare, o.closedLoop.otherCpuShare);
}

let quietWaitMs = 0;

async function attempt<T>(what: string, run: () => Promise<T>): Promise<T | { error: string }> {
  if (quietWaitMs > 0) {
    const waited = await waitForQuiet(quietWaitMs);
    if (waited > 1500) progress(`waited ${(waited / 1000).toFixed(0)} s for the machine to quieten`);
  }
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`FAILED ${what}: ${message.split('\n')[0]}`);
    return { error: message };
  }
}

export async function runRelayBench(): Promise<void> {
  const config = relayConfig();
  quietWaitMs = config.quietWaitMs;
  const started = new Date();
  const runs: ServerRun[] = [];
  const selected = adapters.filter((a) => config.servers.includes(a.kind));
  const runnable: ServerAdapter[] = [];
  for (const adapter of selected) {
    const run: ServerRun = { kind: adapter.kind, description: adapter.description, load: [], loadRounds: [], sync: null, idle: null, notes: [] };
    runs.push(run);
    if (adapter.kind === 'congvu' && !existsSync(join(repoRoot, 'server', 'main.ts'))) {
      run.notes.push('server/main.ts does not exist: congvu was not measured');
      progress('congvu: server/main.ts does not exist, skipped');
    } else runnable.push(adapter);
  }
  const runOf = (adapter: ServerAdapter): ServerRun => runs.find((r) => r.kind === adapter.kind) as ServerRun;
  // Measurement by measurement, the servers one after the other: a disturbance on the machine
  // then falls on neighbouring figures of different servers rather than on one server's all.
  if (config.parts.has('load')) {
    const interleaved = !config.paired && config.interleave && runnable.length > 1;
    for (let round = 1; round <= config.rounds; round++) {
      config.workloads.forEach((_, i) => runnable.forEach((adapter) => (runOf(adapter).loadRounds[i] ??= [])));
      for (const [i, workload] of config.workloads.entries()) {
        const of = config.rounds > 1 ? ` (round ${round} of ${config.rounds})` : '';
        const measure = (adapter: ServerAdapter, turns?: Turns<ServerKind>): Promise<Outcome<LoadFigures>> =>
          attempt(`${adapter.kind} load`, () =>
            withServer(adapter, config.workers, (server, clients) => runLoad(server, clients, config, workload, turns)),
          );
        if (config.paired) {
          progress(`${runnable.map((a) => a.kind).join(' + ')} at the same time: ${workload.rooms} rooms × ${workload.clientsPerRoom} clients${of}`);
          const outcomes = await Promise.all(runnable.map((adapter) => measure(adapter)));
          runnable.forEach((adapter, k) => runOf(adapter).loadRounds[i].push(outcomes[k]));
          continue;
        }
        if (interleaved) {
          progress(`${runnable.map((a) => a.kind).join(', ')} interleaved: ${workload.rooms} rooms × ${workload.clientsPerRoom} clients${of}`);
          const turns = loadTurns(
            runnable.map((a) => a.kind),
            config,
          );
          // A server whose measurement failed (or never started) gives up its turns.
          const outcomes = await Promise.all(runnable.map((adapter) => measure(adapter, turns).finally(() => turns.leave(adapter.kind))));
          runnable.forEach((adapter, k) => runOf(adapter).loadRounds[i].push(outcomes[k]));
          continue;
        }
        for (const adapter of runnable) {
          progress(`${adapter.kind}: ${workload.rooms} rooms × ${workload.clientsPerRoom} clients${of}`);
          runOf(adapter).loadRounds[i].push(await measure(adapter));
        }
      }
    }
    // Each server reports its least disturbed round; in a paired or interleaved run they report
    // the same round, the one in which the most disturbed of them was least so.
    const groups = config.paired || interleaved ? [runnable] : runnable.map((adapter) => [adapter]);
    for (const group of groups) {
      config.workloads.forEach((_, i) => {
        const best = leastDisturbed(group.map((adapter) => runOf(adapter).loadRounds[i]));
        for (const adapter of group) runOf(adapter).load[i] = runOf(adapter).loadRounds[i][best];
      });
    }
  }
  if (config.parts.has('sync')) {
    for (const adapter of runnable) {
      progress(`${adapter.kind}: ${(config.docChars / 1024).toFixed(0)} KiB document to fresh clients`);
      runOf(adapter).sync = await attempt(`${adapter.kind} sync`, () => withServer(adapter, 2, (server, clients) => runSync(server, clients, config)));
    }
  }
  if (config.parts.has('idle')) {
    for (const adapter of runnable) {
      progress(`${adapter.kind}: ${config.idleConnections} idle connections over ${config.idleRooms} rooms`);
      runOf(adapter).idle = await attempt(`${adapter.kind} idle`, () => withServer(adapter, config.workers, (server, clients) => runIdle(server, clients, config)));
    }
  }
  const results: RelayResults = {
    bench: 'relay',
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}` },
    config: { ...config, parts: [...config.parts] },
    servers: runs,
  };
  printReport(results);
  const file = writeResults(results, started);
  process.stdout.write(`\nResults written to ${file}\n`);
}
