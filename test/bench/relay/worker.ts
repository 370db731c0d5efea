// A client process of the relay benchmark (forked by relay.ts; several run side by side so that no
// single client process is the bottleneck). It holds many clients, makes edits when told and
// records, for every edit it sees arrive, when that was.
//
// An edit appends `<client>.<seq>@<sent ms>;` to the Y.Text 'bench' of its room: the id and the
// send time travel inside the document, so a receiver in any process can compute the delay on
// the clock all processes share (CLOCK_MONOTONIC, see protocol.ts `now`).

import { createHash } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { connectClient, type BenchClient } from './servers.ts';
import {
  editKey,
  now,
  type ClientSpec,
  type CollectResult,
  type ConnectResult,
  type DigestResult,
  type FillResult,
  type PhaseResult,
  type Request,
  type RequestEnvelope,
  type ResponseEnvelope,
  type ResultOf,
  type Target,
  type TimedSyncResult,
} from './protocol.ts';

interface LiveClient {
  readonly spec: ClientSpec;
  readonly client: BenchClient;
  /** Edits made so far over the run; also the last sequence number used. */
  made: number;
  /** First sequence number of the current phase. */
  phaseFirst: number;
  /** Highest sequence number seen from each peer (closed-loop phase). */
  readonly seen: Map<number, number>;
  /** When the closed loop started waiting for peers, or null when not waiting. */
  waitingSince: number | null;
  sendQueued: boolean;
}

interface Receipt {
  sentAt: number;
  lastSeenAt: number;
  seenBy: number;
}

const record = /(\d+)\.(\d+)@(\d+(?:\.\d+)?);/g;
const live: LiveClient[] = [];
/** Clients kept connected outside the edit phases (the writer of the 1 MB document). */
const keepers: BenchClient[] = [];
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let receipts = new Map<number, Receipt>();
let receiptCount = 0;
let sentInPhase = 0;

/** The closed loop currently running, if any. */
let closedLoop: { window: number; stallMs: number; endAt: number; stalls: number } | null = null;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function makeEdit(l: LiveClient): void {
  const seq = ++l.made;
  const text = l.client.text;
  text.insert(text.length, `${l.spec.index}.${seq}@${now().toFixed(3)};`);
  sentInPhase++;
  l.waitingSince = null;
}

function onRemoteText(l: LiveClient, event: Y.YTextEvent): void {
  const seenAt = now();
  for (const op of event.delta) {
    if (typeof op.insert !== 'string') continue;
    for (const match of op.insert.matchAll(record)) {
      const sender = Number(match[1]);
      const seq = Number(match[2]);
      const key = editKey(sender, seq);
      const known = receipts.get(key);
      if (known === undefined) receipts.set(key, { sentAt: Number(match[3]), lastSeenAt: seenAt, seenBy: 1 });
      else {
        known.lastSeenAt = Math.max(known.lastSeenAt, seenAt);
        known.seenBy++;
      }
      receiptCount++;
      if (seq > (l.seen.get(sender) ?? 0)) l.seen.set(sender, seq);
    }
  }
  if (closedLoop !== null) queueSend(l);
}

// ————————————————————————————————————————————— phases —————————————————————————————————————————————

/**
 * Closed loop: a client makes its next edit as soon as it has seen, from every other client of
 * its room, the edit of `window` rounds before (window 1: everyone's previous edit). So the number
 * of edits in flight is bounded and the rate rises until the system (server, clients, network)
 * saturates. A client that waited longer than `stallMs` goes on anyway and a stall is counted.
 */
function canSend(l: LiveClient, window: number): boolean {
  const next = l.made + 1;
  for (const peer of l.spec.peers) {
    if ((l.seen.get(peer) ?? 0) < next - window) return false;
  }
  return true;
}

function queueSend(l: LiveClient): void {
  if (l.sendQueued) return;
  l.sendQueued = true;
  // Not from inside the Yjs observer: let the current message's transaction finish first.
  queueMicrotask(() => {
    l.sendQueued = false;
    const loop = closedLoop;
    if (loop === null || now() >= loop.endAt) return;
    if (canSend(l, loop.window)) makeEdit(l);
    else if (l.waitingSince === null) l.waitingSince = now();
  });
}

async function closedLoopPhase(window: number, stallMs: number, startAt: number, endAt: number): Promise<PhaseResult> {
  await sleep(startAt - now());
  const loop = { window, stallMs, endAt, stalls: 0 };
  closedLoop = loop;
  for (const l of live) {
    // The phase starts from what everyone has made so far.
    for (const peer of l.spec.peers) l.seen.set(peer, Math.max(l.seen.get(peer) ?? 0, 0));
    l.waitingSince = null;
    queueSend(l);
  }
  const stallCheck = setInterval(() => {
    const t = now();
    for (const l of live) {
      if (l.waitingSince !== null && t - l.waitingSince > stallMs && t < endAt) {
        loop.stalls++;
        makeEdit(l);
      }
    }
  }, Math.min(50, stallMs));
  await sleep(endAt - now());
  clearInterval(stallCheck);
  closedLoop = null;
  return { sent: sentInPhase, stalls: loop.stalls };
}

/** Open loop: every client edits every `intervalMs`, at a random phase offset. */
async function ratePhase(intervalMs: number, startAt: number, endAt: number): Promise<PhaseResult> {
  const timers: NodeJS.Timeout[] = [];
  for (const l of live) {
    const offset = Math.random() * intervalMs;
    let k = 0;
    const schedule = (): void => {
      const due = startAt + offset + k * intervalMs;
      if (due >= endAt) return;
      const timer = setTimeout(() => {
        makeEdit(l);
        k++;
        schedule();
      }, Math.max(0, due - now()));
      timers.push(timer);
    };
    schedule();
  }
  await sleep(endAt - now() + 5);
  for (const timer of timers) clearTimeout(timer);
  return { sent: sentInPhase, stalls: 0 };
}

function collect(): CollectResult {
  const keys: number[] = [];
  const sentAt: number[] = [];
  const lastSeenAt: number[] = [];
  const seenBy: number[] = [];
  for (const [key, r] of receipts) {
    keys.push(key);
    sentAt.push(r.sentAt);
    lastSeenAt.push(r.lastSeenAt);
    seenBy.push(r.seenBy);
  }
  const sent: Array<readonly [number, number, number]> = [];
  let reconnects = 0;
  const closeReasons: Record<string, number> = {};
  for (const l of live) {
    if (l.made >= l.phaseFirst) sent.push([l.spec.index, l.phaseFirst, l.made]);
    l.phaseFirst = l.made + 1;
    reconnects += l.client.reconnects();
    for (const [reason, count] of l.client.closeReasons()) closeReasons[reason] = (closeReasons[reason] ?? 0) + count;
  }
  receipts = new Map();
  receiptCount = 0;
  sentInPhase = 0;
  const loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
  const loopDelayMaxMs = loopDelay.max / 1e6;
  loopDelay.reset();
  return { sent, keys, sentAt, lastSeenAt, seenBy, reconnects, closeReasons, loopDelayP99Ms, loopDelayMaxMs };
}

// ——————————————————————————————————————————— connections ——————————————————————————————————————————

function withTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function connect(target: Target, clients: readonly ClientSpec[], timeoutMs: number): Promise<ConnectResult> {
  const started = now();
  let failed = 0;
  let firstError: string | undefined;
  // In batches, as a crowd of people would open their documents, not one SYN flood.
  const batchSize = 50;
  for (let first = 0; first < clients.length; first += batchSize) {
    const batch = clients.slice(first, first + batchSize).map(async (spec) => {
      const client = connectClient(target, spec.room, spec.token);
      const ok = await withTimeout(client.synced, Math.max(1000, timeoutMs - (now() - started)));
      if (!ok) {
        failed++;
        firstError ??= `${spec.room}: ${client.lastError() ?? 'no sync'}`;
        client.destroy();
        return;
      }
      const l: LiveClient = { spec, client, made: 0, phaseFirst: 1, seen: new Map(), waitingSince: null, sendQueued: false };
      client.text.observe((event, transaction) => {
        if (!transaction.local) onRemoteText(l, event);
      });
      live.push(l);
    });
    await Promise.all(batch);
  }
  return { connected: clients.length - failed, failed, firstError, ms: now() - started };
}

function digest(): DigestResult {
  return {
    clients: live.map((l) => {
      const content = l.client.text.toString();
      return {
        index: l.spec.index,
        roomIndex: l.spec.roomIndex,
        stateVector: Buffer.from(Y.encodeStateVector(l.client.doc)).toString('base64'),
        textHash: createHash('sha256').update(content).digest('hex'),
        textLength: content.length,
        records: content.split(';').length - 1,
        made: l.made,
      };
    }),
  };
}

// ————————————————————————————————————————— 1 MB document ——————————————————————————————————————————

/** Deterministic word-like filler, so that every run stores the same document. */
function filler(chars: number, seed: number): string {
  let x = seed;
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const word = 'abcdefghiklmnopqrstuvxy'.repeat(2).slice(x % 23, (x % 23) + 2 + (x % 7));
    out.push(word, ' ');
    length += word.length + 1;
  }
  return out.join('').slice(0, chars);
}

/** Builds the document through a client, in chunks at random places (as editing would). */
async function fill(target: Target, room: string, token: string, chars: number, chunkChars: number): Promise<FillResult> {
  const started = now();
  const writer = connectClient(target, room, token);
  if (!(await withTimeout(writer.synced, 30_000))) throw new Error(`writer could not sync: ${writer.lastError() ?? 'timeout'}`);
  keepers.push(writer);
  let seed = 1;
  while (writer.text.length < chars) {
    const chunk = filler(Math.min(chunkChars, chars - writer.text.length), seed++);
    writer.text.insert(Math.floor(Math.random() * (writer.text.length + 1)), chunk);
    await sleep(5);
  }
  return { textLength: writer.text.length, updateBytes: Y.encodeStateAsUpdate(writer.doc).byteLength, ms: now() - started };
}

/** Connect a fresh client and wait until it has the whole text: resolves with the time taken. */
async function syncOnce(target: Target, room: string, token: string, expectedLength: number, timeoutMs: number): Promise<number> {
  const started = now();
  const client = connectClient(target, room, token);
  try {
    const complete = new Promise<void>((resolve) => {
      const check = (): void => {
        if (client.text.length >= expectedLength) resolve();
      };
      void client.synced.then(check);
      client.text.observe(() => {
        void client.synced.then(check);
      });
    });
    if (!(await withTimeout(complete, timeoutMs))) {
      throw new Error(`fresh client had ${client.text.length} of ${expectedLength} characters after ${timeoutMs} ms (${client.lastError() ?? 'no error'})`);
    }
    return now() - started;
  } finally {
    client.destroy();
  }
}

async function timedSync(target: Target, room: string, token: string, expectedLength: number, repeats: number, timeoutMs: number): Promise<TimedSyncResult> {
  // The first fresh client also proves the server holds the whole document.
  const firstFullMs = await syncOnce(target, room, token, expectedLength, timeoutMs);
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await sleep(200);
    ms.push(await syncOnce(target, room, token, expectedLength, timeoutMs));
  }
  return { firstFullMs, ms };
}

function disconnectAll(): number {
  const closed = live.length + keepers.length;
  for (const l of live) l.client.destroy();
  for (const k of keepers) k.destroy();
  live.length = 0;
  keepers.length = 0;
  receipts = new Map();
  receiptCount = 0;
  sentInPhase = 0;
  return closed;
}

// ————————————————————————————————————————————— dispatch ———————————————————————————————————————————

async function handle(request: Request): Promise<ResultOf[Request['type']]> {
  switch (request.type) {
    case 'connect':
      return connect(request.target, request.clients, request.timeoutMs);
    case 'ratePhase':
      return ratePhase(request.intervalMs, request.startAt, request.endAt);
    case 'closedLoopPhase':
      return closedLoopPhase(request.window, request.stallMs, request.startAt, request.endAt);
    case 'progress':
      return { sent: sentInPhase, receipts: receiptCount };
    case 'collect':
      return collect();
    case 'digest':
      return digest();
    case 'fill':
      return fill(request.target, request.room, request.token, request.chars, request.chunkChars);
    case 'timedSync':
      return timedSync(request.target, request.room, request.token, request.expectedLength, request.repeats, request.timeoutMs);
    case 'disconnect':
      return { closed: disconnectAll() };
  }
}

function reply(envelope: ResponseEnvelope): void {
  process.send?.(envelope);
}

// y-websocket adds a process 'exit' listener per provider; hundreds of clients are intended here.
process.setMaxListeners(0);
process.on('message', (message: unknown) => {
  const { id, request } = message as RequestEnvelope;
  handle(request).then(
    (result) => reply({ id, ok: true, result }),
    (error: unknown) => reply({ id, ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The orchestrator went away: nothing left to do.
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
