// The messages between the orchestrator (relay.ts) and its client processes (worker.ts), over
// the child_process IPC channel. Each request carries an id; the worker answers it once.

export type ServerKind = 'congvu' | 'reference' | 'hocuspocus' | 'variant';

/** Where and how a client connects: the server's kind picks the client library. */
export interface Target {
  readonly kind: ServerKind;
  /** The URL handed to the client library (ws://127.0.0.1:PORT[/sync]). */
  readonly syncUrl: string;
}

export interface ClientSpec {
  /** Global client number, unique across workers: part of every edit id. */
  readonly index: number;
  readonly roomIndex: number;
  readonly room: string;
  readonly token: string;
  /** The other clients of the room (global numbers), for the closed-loop phase. */
  readonly peers: readonly number[];
}

export type Request =
  | { readonly type: 'connect'; readonly target: Target; readonly clients: readonly ClientSpec[]; readonly timeoutMs: number }
  | { readonly type: 'ratePhase'; readonly intervalMs: number; readonly startAt: number; readonly endAt: number }
  | { readonly type: 'closedLoopPhase'; readonly window: number; readonly stallMs: number; readonly startAt: number; readonly endAt: number }
  | { readonly type: 'progress' }
  | { readonly type: 'collect' }
  | { readonly type: 'digest' }
  | { readonly type: 'fill'; readonly target: Target; readonly room: string; readonly token: string; readonly chars: number; readonly chunkChars: number }
  | { readonly type: 'timedSync'; readonly target: Target; readonly room: string; readonly token: string; readonly expectedLength: number; readonly repeats: number; readonly timeoutMs: number }
  | { readonly type: 'disconnect' };

export type RequestType = Request['type'];

export interface ConnectResult { readonly connected: number; readonly failed: number; readonly firstError?: string; readonly ms: number }
export interface PhaseResult { readonly sent: number; readonly stalls: number }
export interface ProgressResult { readonly sent: number; readonly receipts: number }

/**
 * What one worker saw in a phase. Edits are keyed by `editKey(client, seq)`; for each edit its
 * send time, the latest time any local receiver saw it and how many local receivers saw it.
 * The orchestrator merges these over workers (max of latest, sum of counts).
 */
export interface CollectResult {
  /** [client index, first seq, last seq] of the edits each local client made in the phase. */
  readonly sent: ReadonlyArray<readonly [number, number, number]>;
  readonly keys: readonly number[];
  readonly sentAt: readonly number[];
  readonly lastSeenAt: readonly number[];
  readonly seenBy: readonly number[];
  /** Connections lost so far by the local clients (whole run), by "<code> <reason>". */
  readonly reconnects: number;
  readonly closeReasons: Readonly<Record<string, number>>;
  /** This client process's event-loop delay over the phase (ms): is the client the bottleneck? */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

export interface ClientDigest {
  readonly index: number;
  readonly roomIndex: number;
  readonly stateVector: string;
  readonly textHash: string;
  readonly textLength: number;
  /** Edit records found in the text. */
  readonly records: number;
  /** Edits this client made over the whole run. */
  readonly made: number;
}

export interface DigestResult { readonly clients: readonly ClientDigest[] }
export interface FillResult { readonly textLength: number; readonly updateBytes: number; readonly ms: number }
export interface TimedSyncResult { readonly firstFullMs: number; readonly ms: readonly number[] }
export interface DisconnectResult { readonly closed: number }

export interface ResultOf {
  connect: ConnectResult;
  ratePhase: PhaseResult;
  closedLoopPhase: PhaseResult;
  progress: ProgressResult;
  collect: CollectResult;
  digest: DigestResult;
  fill: FillResult;
  timedSync: TimedSyncResult;
  disconnect: DisconnectResult;
}

export interface RequestEnvelope { readonly id: number; readonly request: Request }
export type ResponseEnvelope =
  | { readonly id: number; readonly ok: true; readonly result: ResultOf[RequestType] }
  | { readonly id: number; readonly ok: false; readonly error: string };

/** Edit ids as numbers: client index × 10⁷ + sequence number (a client makes fewer than 10⁷). */
export const editKey = (client: number, seq: number): number => client * 10_000_000 + seq;

/** Time shared by all processes on the machine: CLOCK_MONOTONIC, in milliseconds. */
export const now = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;
