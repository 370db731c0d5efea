/**
 * The sync relay: rooms of Y.Docs served over the y-websocket protocol at `/sync/<room>`.
 *
 * Its promises: a connection is admitted only with a valid token and a role in the room (checked
 * at the upgrade); a read-only connection's document updates are dropped, never applied, stored
 * or forwarded; every update is durable in the store before any other client sees it (so what a
 * client has seen survives a crash of the server); a room is never served before its stored state
 * is loaded; a client that breaks a limit is closed with a code and a reason while the room carries
 * on. Everything else (auth, access, storage, presence policy, metrics, fan-out) is a hook.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, WebSocket } from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { applyAll, foldUpdates } from '../../common/fold-updates.ts';
import type { Limits } from '../config.ts';
import { CloseCode } from './close-codes.ts';
import { DeferredUpdates } from './deferred-updates.ts';
import {
  type AccessHook,
  type AuthHook,
  type AwarenessFilter,
  type AwarenessPolicy,
  type ConnectionInfo,
  type PersistenceHook,
  type Principal,
  Refusal,
  type RelayObserver,
  type RoomUpdate,
} from './hooks.ts';
import {
  KEEPALIVE_FRAME,
  ProtocolError,
  awarenessFrame,
  decodeClientMessage,
  encodeAwarenessUpdate,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from './protocol.ts';
import { TokenBucket } from './rate.ts';
import { MalformedUpdate, type UpdateShape, updateShape } from './update-shape.ts';

export interface RelayOptions {
  readonly auth: AuthHook;
  readonly access: AccessHook;
  readonly persistence: PersistenceHook;
  readonly awareness: AwarenessPolicy;
  readonly observers?: readonly RelayObserver[];
  readonly limits: Limits;
  /** How long a room without connections stays in memory. */
  readonly roomIdleMs: number;
  readonly log: Logger;
  /** Keep-alive cadence; the stock client gives up after 30 s of silence. */
  readonly keepaliveMs?: number;
}

/** Origin of updates read from the store: not forwarded, not stored again, not undoable. */
const LOADED = Symbol('loaded');
/** Origin of updates that another relay process stored and published. */
const REMOTE = Symbol('remote');
/** Origin of deferred updates when they are finally applied (see Relay.defer). */
const DEFERRED = Symbol('deferred');

/**
 * A room applies its deferred updates at its turn in the keepalive tick (rooms take turns, one
 * slot in ten, so each room once per keepalive interval and never all rooms at once), or sooner
 * once it holds this many, or this many bytes of them: the bound on the memory they take and on
 * the pause their application makes between turns. 1,000 one-keystroke updates applied in one
 * transaction in ~2 ms once V8 had compiled the code (7-10 ms before).
 *
 * Turns rather than a count alone (100, in 835b965): rooms that start together and edit at the same
 * rate reach a count together, and would all apply at once. (A 230-ms p99 at 100 rooms × 10
 * clients, relay-2026-11-29T03-55-47Z.json, first looked like that; the server's own event-loop
 * delay stayed under 21 ms in that round while a client process stalled for 202 ms, so it was not.)
 */
const MAX_DEFERRED_UPDATES = 1000;
const MAX_DEFERRED_BYTES = 1024 * 1024;

const STORE_RETRY_DELAYS_MS = [50, 250, 1000];
/**
 * Keep-alive pings go out in this many slices of the cadence, not all at once: at 1,000
 * connections one tick used to write 1,000 pings in a row, 20-30 ms with the event loop stopped
 * every 10 s, which every edit arriving meanwhile waited out.
 */
const KEEPALIVE_SLOTS = 10;
/** A client that stops reading is closed before its backlog can exhaust the server's memory. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/** A batch on its way to the store, and what becomes durable with it. */
interface PendingBatch {
  readonly batch: readonly RoomUpdate[];
  /** Each room of the batch with its applied-update count at the time the batch was taken. */
  readonly marks: readonly (readonly [Room, number])[];
  readonly started: number;
  /** Attempts that already failed. */
  readonly attempt: number;
}

/** What sendFrame relies on inside ws 8 (pinned in package.json): its socket and its sender's state. */
interface WebSocketInternals {
  readonly _socket?: Duplex;
  readonly _sender?: { readonly _state: number; readonly _queue: readonly unknown[] };
}

/**
 * A binary message as one unmasked, final WebSocket frame (RFC 6455 §5.2): the header ws would
 * write before it, and the payload, in one buffer.
 */
export function webSocketFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const wire = Buffer.allocUnsafe(header + length);
  wire[0] = 0x82; // FIN, binary
  if (length < 126) {
    wire[1] = length;
  } else if (length < 0x10000) {
    wire[1] = 126;
    wire.writeUInt16BE(length, 2);
  } else {
    wire[1] = 127;
    wire.writeUInt32BE(Math.floor(length / 0x100000000), 2);
    wire.writeUInt32BE(length >>> 0, 6);
  }
  wire.set(payload, header);
  return wire;
}

/**
 * Writes a framed message straight to the connection's socket, in one write, instead of through
 * ws.send: ws builds the header and its options per call and writes header and payload as two
 * corked writes (a writev) to every connection. Only when ws's sender is idle, which it always is
 * here (no compression), so the frame cannot overtake anything ws has queued; `bufferedAmount`
 * still counts it (ws reads the socket's buffer). False when the frame must go through ws.send.
 */
function sendFrame(ws: WebSocket, wire: Buffer): boolean {
  const internals = ws as unknown as WebSocketInternals;
  const socket = internals._socket;
  const sender = internals._sender;
  if (!socket || !sender || sender._state !== 0 || sender._queue.length > 0) return false;
  socket.write(wire);
  return true;
}

class Connection implements ConnectionInfo {
  ready = false;
  readonly queue: Uint8Array[] = [];
  lastSentAt = Date.now();
  lastPongAt = Date.now();
  closed = false;
  expiryTimer: NodeJS.Timeout | undefined;
  readonly messages: TokenBucket;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly room: string,
    readonly principal: Principal,
    public canWrite: boolean,
    readonly awareness: AwarenessFilter,
    limits: Limits,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messagesPerSecond * 2);
  }
}

class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<Connection>();
  /** Which local connection speaks for each presence client id. */
  readonly owners = new Map<number, Connection>();
  /** Updates accepted (applied or deferred) but not yet stored, in order. */
  pending: Uint8Array[] = [];
  /** Count of updates accepted from clients (applied or deferred), and how many of them are durable. */
  appliedSeq = 0;
  storedSeq = 0;
  /** Actions (sends) waiting until the update count they follow is durable, in order. */
  private readonly waiting: { seq: number; run: () => void }[] = [];
  bytes = 0;
  /** The doc's last transaction, kept by its 'afterTransactionCleanup' listener (see Relay.integrate). */
  lastTransaction: Y.Transaction | null = null;
  /** Updates stored (or on their way) and forwarded, but not yet applied to `doc`, in order (Relay.defer). */
  readonly deferred = new DeferredUpdates();
  /** Per writer of the deferred updates, the clock after its last struct in them; `doc` knows the rest. */
  readonly deferredState = new Map<number, number>();
  loaded = false;
  ready: Promise<void> = Promise.resolve();
  idleTimer: NodeJS.Timeout | undefined;
  destroyed = false;

  /**
   * @param slot the keepalive tick's slot in which the room applies its deferred updates
   */
  constructor(
    readonly name: string,
    readonly slot: number,
  ) {
    // The server speaks for no one in presence.
    this.awareness.setLocalState(null);
  }

  /** Runs `action` once everything applied so far is durable: never earlier, never out of order. */
  afterStored(action: () => void): void {
    if (this.storedSeq >= this.appliedSeq) action();
    else this.waiting.push({ seq: this.appliedSeq, run: action });
  }

  markStored(seq: number): void {
    this.storedSeq = Math.max(this.storedSeq, seq);
    if (this.waiting.length === 0) return;
    let i = 0;
    while (i < this.waiting.length && this.waiting[i].seq <= this.storedSeq) i++;
    for (const entry of this.waiting.splice(0, i)) entry.run();
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.idleTimer);
    this.waiting.length = 0;
    this.deferred.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** Whether a transaction changed its doc: new structs or deletions (what Yjs checks before its 'update' event). */
function changed(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}

export class Relay {
  private readonly rooms = new Map<string, Room>();
  private readonly connectionsByUser = new Map<string, number>();
  private readonly wss: WebSocketServer;
  private readonly observers: readonly RelayObserver[];
  /**
   * The observers of the per-message events, collected once: `notify` looks each handler up, spreads
   * its arguments and checks for a promise on every call, several times per edit.
   */
  private readonly hot: {
    readonly messageReceived: readonly NonNullable<RelayObserver['messageReceived']>[];
    readonly updateReceived: readonly NonNullable<RelayObserver['updateReceived']>[];
    readonly messageSent: readonly NonNullable<RelayObserver['messageSent']>[];
  };
  private readonly dirty = new Set<Room>();
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private nextConnectionId = 1;
  private nextRoomSlot = 0;
  private accepting = true;
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly options: RelayOptions) {
    this.observers = options.observers ?? [];
    const handlers = <K extends 'messageReceived' | 'updateReceived' | 'messageSent'>(event: K) =>
      this.observers.flatMap((observer) => {
        const handler = observer[event];
        return handler ? [handler.bind(observer) as NonNullable<RelayObserver[K]>] : [];
      });
    this.hot = { messageReceived: handlers('messageReceived'), updateReceived: handlers('updateReceived'), messageSent: handlers('messageSent') };
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxMessageBytes,
      perMessageDeflate: false,
    });
    const keepaliveMs = options.keepaliveMs ?? 10_000;
    let slot = 0;
    this.keepalive = setInterval(() => this.tick(keepaliveMs, slot++ % KEEPALIVE_SLOTS), keepaliveMs / KEEPALIVE_SLOTS);
    this.keepalive.unref();
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  get connectionCount(): number {
    let n = 0;
    for (const room of this.rooms.values()) n += room.connections.size;
    return n;
  }

  /** Whether the request is for the relay; the HTTP server routes upgrades with it. */
  static matches(request: IncomingMessage): boolean {
    return (request.url ?? '').startsWith('/sync/');
  }

  /** Handles an HTTP upgrade to `/sync/<room>?token=…`: authenticates, authorizes, connects. */
  async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    try {
      if (!this.accepting) throw new Refusal(503, 'shutting_down', 'server is shutting down');
      const url = new URL(request.url ?? '/', 'http://relay');
      const room = decodeURIComponent(url.pathname.slice('/sync/'.length));
      const principal = await this.options.auth.authenticate(url.searchParams.get('token'), request);
      const grant = await this.options.access.authorize(principal, room);
      if (!grant) throw new Refusal(404, 'not_found', 'no such room');
      const held = this.connectionsByUser.get(principal.userId) ?? 0;
      if (held >= this.options.limits.connectionsPerUser) {
        throw new Refusal(429, 'too_many_connections', 'too many open connections for this user');
      }
      if (!this.accepting) throw new Refusal(503, 'shutting_down', 'server is shutting down');
      this.wss.handleUpgrade(request, socket, head, (ws) => this.attach(ws, principal, room, grant.canWrite));
    } catch (error) {
      const refusal =
        error instanceof Refusal ? error : new Refusal(503, 'unavailable', 'server could not admit the connection');
      if (!(error instanceof Refusal)) this.options.log.error({ err: error }, 'upgrade failed');
      this.notify('upgradeRefused', refusal.status, refusal.code);
      const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
      const statusText = { 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[
        refusal.status
      ];
      if (socket.writable) {
        socket.end(
          `HTTP/1.1 ${refusal.status} ${statusText}\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        socket.destroy();
      }
    }
  }

  private attach(ws: WebSocket, principal: Principal, roomName: string, canWrite: boolean): void {
    const conn = new Connection(
      this.nextConnectionId++,
      ws,
      roomName,
      principal,
      canWrite,
      this.options.awareness.forConnection(principal),
      this.options.limits,
    );
    this.connectionsByUser.set(principal.userId, (this.connectionsByUser.get(principal.userId) ?? 0) + 1);
    const room = this.openRoom(roomName);
    room.connections.add(conn);
    clearTimeout(room.idleTimer);
    this.notify('connectionOpened', conn);

    ws.on('message', (frame: Buffer, isBinary: boolean) => {
      if (!isBinary) return this.close(conn, CloseCode.malformedMessage, 'text frames are not part of the protocol');
      if (conn.ready) this.receive(room, conn, frame);
      else conn.queue.push(frame);
    });
    ws.on('pong', () => {
      conn.lastPongAt = Date.now();
    });
    ws.on('close', (code, reason) => this.detach(room, conn, code, reason.toString()));
    ws.on('error', (error) => this.options.log.warn({ err: error, conn: conn.id }, 'websocket error'));

    const untilExpiry = principal.expiresAt - Date.now();
    conn.expiryTimer = setTimeout(
      () => this.close(conn, CloseCode.tokenExpired, 'token expired'),
      Math.max(0, Math.min(untilExpiry, 2 ** 31 - 1)),
    );

    room.ready.then(
      () => {
        if (conn.closed || room.destroyed) return;
        conn.ready = true;
        this.settle(room);
        // Ask for what the client has that we lack; a viewer's answer would be dropped anyway.
        if (conn.canWrite) this.send(conn, syncStep1Frame(Y.encodeStateVector(room.doc)));
        if (room.awareness.getStates().size > 0) {
          this.send(
            conn,
            awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()])),
          );
        }
        for (const frame of conn.queue.splice(0)) {
          if (conn.closed) break;
          this.receive(room, conn, frame);
        }
      },
      () => this.close(conn, CloseCode.storageUnavailable, 'room could not be loaded'),
    );
  }

  private openRoom(name: string): Room {
    const existing = this.rooms.get(name);
    if (existing) return existing;
    const room = new Room(name, this.nextRoomSlot++ % KEEPALIVE_SLOTS);
    this.rooms.set(name, room);
    // No 'update' listener: Yjs would encode every transaction again for it. `integrate` works out
    // what an applied update added from the transaction instead.
    room.doc.on('afterTransactionCleanup', (transaction: Y.Transaction) => {
      room.lastTransaction = transaction;
    });
    room.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed);
        this.broadcast(room, awarenessFrame(update), null);
        if (origin !== REMOTE) this.notify('awarenessChanged', room.name, update);
      },
    );
    room.ready = this.load(room);
    room.ready.catch((error: unknown) => {
      this.options.log.error({ err: error, room: name }, 'room load failed');
      if (this.rooms.get(name) === room) this.rooms.delete(name);
      room.destroy();
    });
    return room;
  }

  private async load(room: Room): Promise<void> {
    const started = performance.now();
    for (const observer of this.observers) await observer.roomLoading?.(room.name);
    const stored = await this.options.persistence.load(room.name);
    if (room.destroyed) return;
    // One transaction for the snapshot and the log (merging them first cost far more: common/fold-updates.ts).
    // An update that fails to apply is logged and the rest still load, so the room stays available.
    if (stored.updates.length > 0) applyAll(room.doc, stored.updates, LOADED, (error) => this.applyFailed(room, error, 'loading'));
    room.bytes = stored.bytes;
    room.loaded = true;
    this.notify('roomLoaded', room.name, performance.now() - started, stored.bytes);
  }

  /**
   * Applies an update to the room's doc and returns what it added to the doc, to be stored and
   * forwarded: null when it added nothing (a duplicate). Throws what Y.applyUpdate throws, with
   * `added` on the error when part of the update was integrated before it failed.
   *
   * What an update added is usually the update itself: when nothing was held back for missing
   * dependencies, before or after, every struct and deletion in it was integrated (or already
   * known, and a known struct forwarded again is ignored by every client). Only then is it stored
   * and forwarded as the client sent it; otherwise what the transaction added is encoded from the
   * doc, as Yjs's own 'update' event would, which the common case no longer pays for.
   */
  private integrate(room: Room, update: Uint8Array, origin: unknown): Uint8Array | null {
    const store = room.doc.store;
    const settledBefore = store.pendingStructs === null && store.pendingDs === null;
    room.lastTransaction = null;
    try {
      Y.applyUpdate(room.doc, update, origin);
    } catch (error) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { added: this.addedBy(room.lastTransaction) });
    }
    const transaction = room.lastTransaction as Y.Transaction | null;
    if (transaction === null || !changed(transaction)) return null;
    if (settledBefore && store.pendingStructs === null && store.pendingDs === null) return update;
    return this.addedBy(transaction);
  }

  /** What a transaction added to its doc, encoded as an update (structs since its start, and deletions). */
  private addedBy(transaction: Y.Transaction | null): Uint8Array | null {
    if (transaction === null || !changed(transaction)) return null;
    return Y.encodeStateAsUpdate(transaction.doc, Y.encodeStateVector(transaction.beforeState));
  }

  /**
   * Takes a client's update without applying it, when it is the shape of a client's own fresh
   * typing: regular (update-shape.ts), new structs only, continuing for every writer in it exactly
   * where the room's state ends, so it cannot be a duplicate and cannot fail to apply. It is
   * stored and forwarded as it came, and applied later, many at a time (settle), before anything
   * reads the doc.
   *
   * Applied one at a time between the socket reads and writes of each edit, an update cost 25-150 µs
   * inside the server at 10 rooms × 5 clients; a hundred at a time, a few µs each. The whole relay
   * saved ~3 % of its CPU per edit by it (docs/benchmarks.md, "Deferred integration"). Anything
   * else (a duplicate, a gap, deletions, a state sent on reconnect, an irregular update) is applied
   * at once, as before: false.
   */
  private defer(room: Room, shape: UpdateShape, update: Uint8Array): boolean {
    // Deletions are applied at once: whether one is new (worth storing and forwarding) only the doc
    // can tell. So are updates while the doc holds structs waiting for missing ones: what arrives
    // may complete them, and what they add must be forwarded with it (integrate).
    if (!shape.regular || shape.deletes || shape.ranges.length === 0) return false;
    const store = room.doc.store;
    if (store.pendingStructs !== null || store.pendingDs !== null) return false;
    for (const [client, from] of shape.ranges) {
      if ((room.deferredState.get(client) ?? Y.getState(store, client)) !== from) return false;
    }
    for (const [client, , to] of shape.ranges) room.deferredState.set(client, to);
    room.deferred.push(update);
    return true;
  }

  /** Applies the room's deferred updates to its doc, in one transaction: before anything reads the doc. */
  private settle(room: Room): void {
    if (room.deferred.count === 0) return;
    const updates = room.deferred.take();
    room.deferredState.clear();
    applyAll(room.doc, updates, DEFERRED, (error) => this.applyFailed(room, error, 'applying deferred updates'));
  }

  /** An update that was stored could not be applied: nothing else is lost, but it must be looked into. */
  private applyFailed(room: Room, error: unknown, when: string): void {
    this.notify('applyFailed', room.name);
    this.options.log.error({ err: error, room: room.name }, `an update failed while ${when}`);
  }

  /**
   * `sent`: the client's message when it is exactly the update message to forward (a sync update
   * whose update was integrated whole): forwarded as it came, without encoding it again.
   */
  private onDocUpdate(room: Room, update: Uint8Array, origin: unknown, sent?: Uint8Array): void {
    if (origin === REMOTE) {
      // Already durable in the process that received it; only forward.
      room.afterStored(() => this.broadcast(room, updateFrame(update), null));
      return;
    }
    room.appliedSeq++;
    room.bytes += update.byteLength;
    const from = origin instanceof Connection ? origin : null;
    const frame = sent ?? updateFrame(update);
    if (this.storeAtOnce(room, update, frame, from)) return;
    room.pending.push(update);
    this.dirty.add(room);
    this.scheduleFlush();
    room.afterStored(() => this.broadcast(room, frame, from));
  }

  /**
   * The fast path: when nothing is waiting to be stored or on its way to the store, and the store
   * can write synchronously (SQLite's journal: one write(2)), the update is made durable and then
   * forwarded in this same call, as the reference server forwards at once, without waiting for the
   * end of the tick. Returns false when the update must take the per-tick path instead (something
   * is queued ahead of it, or the store cannot write right now). A failed write is retried through
   * the asynchronous path, like a failed batch.
   */
  private storeAtOnce(room: Room, update: Uint8Array, frame: Uint8Array, from: Connection | null): boolean {
    if (!this.options.persistence.storeNow || this.flushing || this.dirty.size > 0 || room.storedSeq + 1 !== room.appliedSeq) return false;
    const pending: PendingBatch = { batch: [{ room: room.name, update }], marks: [[room, room.appliedSeq]], started: performance.now(), attempt: 0 };
    const outcome = this.storeSynchronously(pending);
    if (outcome === 'later') return false;
    if (outcome === 'failed') {
      room.afterStored(() => this.broadcast(room, frame, from));
      this.flushing = this.flush({ ...pending, attempt: 1 }).finally(() => (this.flushing = null));
      return true;
    }
    this.broadcast(room, frame, from);
    return true;
  }

  private receive(room: Room, conn: Connection, frame: Uint8Array): void {
    if (conn.closed) return;
    for (const handler of this.hot.messageReceived) this.guarded(handler, 'messageReceived', conn, frame.byteLength);
    if (!conn.messages.take()) return this.close(conn, CloseCode.rateLimited, 'too many messages');
    let message;
    try {
      message = decodeClientMessage(frame);
    } catch (error) {
      const reason = error instanceof ProtocolError ? error.message : 'malformed message';
      return this.close(conn, CloseCode.malformedMessage, reason.slice(0, 120));
    }
    switch (message.type) {
      case 'sync-step1': {
        let reply: Uint8Array;
        this.settle(room);
        try {
          reply = syncStep2Frame(Y.encodeStateAsUpdate(room.doc, message.stateVector));
        } catch {
          return this.close(conn, CloseCode.malformedMessage, 'invalid state vector');
        }
        // The answer reflects the doc in memory; it may only leave once that state is durable.
        room.afterStored(() => this.send(conn, reply));
        return;
      }
      case 'sync-step2':
      case 'sync-update': {
        if (!conn.canWrite) {
          this.notify('writeRefused', conn, 'read-only');
          return;
        }
        if (room.bytes + message.update.byteLength > this.options.limits.maxDocumentBytes) {
          return this.close(conn, CloseCode.documentTooLarge, 'document size limit reached');
        }
        let shape: UpdateShape;
        try {
          shape = updateShape(message.update);
        } catch (error) {
          if (!(error instanceof MalformedUpdate)) throw error;
          return this.close(conn, CloseCode.malformedMessage, 'invalid update');
        }
        for (const handler of this.hot.updateReceived) this.guarded(handler, 'updateReceived', conn, message.update.byteLength);
        if (shape.ranges.length === 0 && !shape.deletes) return; // nothing in it (clients send these on connect)
        if (this.defer(room, shape, message.update)) {
          this.onDocUpdate(room, message.update, conn, message.type === 'sync-update' ? frame : undefined);
          if (room.deferred.count >= MAX_DEFERRED_UPDATES || room.deferred.byteLength >= MAX_DEFERRED_BYTES) this.settle(room);
          return;
        }
        this.settle(room);
        let added: Uint8Array | null;
        try {
          added = this.integrate(room, message.update, conn);
        } catch (error) {
          // What was integrated before the update failed is in the doc: it is stored and forwarded
          // like any other change, so memory and store never disagree.
          const partial = (error as { added?: Uint8Array | null }).added;
          if (partial) this.onDocUpdate(room, partial, conn);
          return this.close(conn, CloseCode.malformedMessage, 'invalid update');
        }
        // A sync update integrated whole is forwarded as the very message it came in.
        if (added !== null) this.onDocUpdate(room, added, conn, added === message.update && message.type === 'sync-update' ? frame : undefined);
        return;
      }
      case 'awareness': {
        const verdict = conn.awareness.filter(message.entries, message.bytes, (clientId) => {
          const owner = room.owners.get(clientId);
          return owner ? owner !== conn : room.awareness.getStates().has(clientId);
        });
        if ('malformed' in verdict) return this.close(conn, CloseCode.malformedMessage, verdict.malformed);
        if ('dropped' in verdict) {
          this.notify('awarenessDropped', conn, verdict.dropped);
          return;
        }
        const clientId = conn.awareness.clientId;
        if (clientId !== null && !room.owners.has(clientId)) room.owners.set(clientId, conn);
        awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessUpdate(verdict.entries), conn);
        return;
      }
      case 'query-awareness': {
        const clients = [...room.awareness.getStates().keys()];
        this.send(conn, awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(room.awareness, clients)));
        return;
      }
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One transaction per tick: everything that arrived in this turn of the event loop.
    setImmediate(() => {
      this.flushScheduled = false;
      // A flush in progress picks up what arrived meanwhile, after its own batch: order is kept.
      if (this.flushing) return;
      const carried = this.flushNow();
      if (carried) this.flushing = this.flush(carried).finally(() => (this.flushing = null));
    });
  }

  /** Takes everything applied but not yet stored, from every dirty room, as one batch. */
  private takeBatch(): PendingBatch {
    const rooms = [...this.dirty];
    this.dirty.clear();
    const batch: RoomUpdate[] = [];
    const marks: [Room, number][] = [];
    for (const room of rooms) {
      for (const update of room.pending) batch.push({ room: room.name, update });
      marks.push([room, room.appliedSeq]);
      room.pending = [];
    }
    return { batch, marks, started: performance.now(), attempt: 0 };
  }

  private stored({ batch, marks, started }: PendingBatch): void {
    this.notify('updatesStored', batch, performance.now() - started);
    for (const [room, seq] of marks) room.markStored(seq);
  }

  /**
   * The happy path on a synchronous store (SQLite): the batch is committed and the broadcasts it
   * held back are released in this same callback, without a promise per batch. Returns the batch
   * the asynchronous path must take over (the store cannot write synchronously right now, or the
   * write failed and is retried after a delay), or null when everything was stored.
   */
  private flushNow(): PendingBatch | null {
    while (this.dirty.size > 0) {
      const pending = this.takeBatch();
      const outcome = this.storeSynchronously(pending);
      if (outcome === 'later') return pending;
      if (outcome === 'failed') return { ...pending, attempt: 1 };
    }
    return null;
  }

  /**
   * One synchronous write of the batch, if the store offers it: 'stored' (durable, and what waited
   * for it released), 'later' (the store cannot write synchronously right now: the asynchronous
   * path must take the batch) or 'failed' (logged; the asynchronous path retries it).
   */
  private storeSynchronously(pending: PendingBatch): 'stored' | 'later' | 'failed' {
    const storeNow = this.options.persistence.storeNow;
    if (!storeNow) return 'later';
    try {
      if (!storeNow.call(this.options.persistence, pending.batch)) return 'later';
    } catch (error) {
      this.storeFailed(error, 1, pending.batch.length);
      return 'failed';
    }
    this.stored(pending);
    return 'stored';
  }

  private async flush(first: PendingBatch): Promise<void> {
    for (let pending: PendingBatch | null = first; pending; pending = this.dirty.size > 0 ? this.takeBatch() : null) {
      if (await this.storeWithRetry(pending.batch, pending.attempt)) {
        this.stored(pending);
      } else {
        for (const [room] of pending.marks) this.failRoom(room);
      }
    }
  }

  /** Stores the batch, retrying after growing delays; `attempt` counts the attempts already failed. */
  private async storeWithRetry(batch: readonly RoomUpdate[], attempt: number): Promise<boolean> {
    for (; ; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_DELAYS_MS[attempt - 1]));
      try {
        await this.options.persistence.store(batch);
        return true;
      } catch (error) {
        this.storeFailed(error, attempt + 1, batch.length);
        if (attempt >= STORE_RETRY_DELAYS_MS.length) return false;
      }
    }
  }

  private storeFailed(error: unknown, attempt: number, updates: number): void {
    this.notify('storeFailed', error, attempt);
    this.options.log.error({ err: error, attempt, updates }, 'storing updates failed');
  }

  /**
   * The store refused the room's updates: they must not reach anyone, so the room leaves memory
   * and its clients are disconnected. Each client still holds its edits and resends them on
   * reconnect, when the next load starts from what is durable.
   */
  private failRoom(room: Room): void {
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    for (const conn of room.connections) this.close(conn, CloseCode.storageUnavailable, 'storage unavailable');
    room.destroy();
  }

  private broadcast(room: Room, frame: Uint8Array, except: Connection | null): void {
    // One WebSocket frame, built once, for every connection (see sendFrame).
    let wire: Buffer | undefined;
    const now = Date.now();
    let count = 0;
    for (const conn of room.connections) {
      if (conn === except || !conn.ready) continue;
      wire ??= webSocketFrame(frame);
      if (this.send(conn, frame, now, wire)) count++;
    }
    if (count > 0) for (const handler of this.hot.messageSent) this.guarded(handler, 'messageSent', frame.byteLength * count, count);
  }

  /** `wire`: the same message already framed for the WebSocket (broadcasts frame it once for all). */
  private send(conn: Connection, frame: Uint8Array, now = Date.now(), wire?: Buffer): boolean {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return false;
    if (conn.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(conn, CloseCode.rateLimited, 'client is not reading');
      return false;
    }
    if (!wire || !sendFrame(conn.ws, wire)) conn.ws.send(frame);
    conn.lastSentAt = now;
    return true;
  }

  private close(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return;
    conn.closed = true;
    conn.ready = false;
    try {
      conn.ws.close(code, reason);
    } catch {
      conn.ws.terminate();
    }
    // A peer that never completes the closing handshake is cut off.
    setTimeout(() => conn.ws.terminate(), 5_000).unref();
  }

  private detach(room: Room, conn: Connection, code: number, reason: string): void {
    conn.closed = true;
    clearTimeout(conn.expiryTimer);
    if (!room.connections.delete(conn)) return;
    const held = (this.connectionsByUser.get(conn.principal.userId) ?? 1) - 1;
    if (held > 0) this.connectionsByUser.set(conn.principal.userId, held);
    else this.connectionsByUser.delete(conn.principal.userId);
    this.notify('connectionClosed', conn, code, reason);
    if (room.destroyed) return;
    const clientId = conn.awareness.clientId;
    if (clientId !== null && room.owners.get(clientId) === conn) {
      room.owners.delete(clientId);
      if (room.awareness.getStates().has(clientId)) awarenessProtocol.removeAwarenessStates(room.awareness, [clientId], conn);
    }
    if (room.connections.size === 0) this.scheduleUnload(room);
  }

  private scheduleUnload(room: Room): void {
    clearTimeout(room.idleTimer);
    room.idleTimer = setTimeout(() => this.unload(room), this.options.roomIdleMs);
    room.idleTimer.unref();
  }

  private unload(room: Room): void {
    if (room.connections.size > 0 || room.destroyed) return;
    if (room.storedSeq < room.appliedSeq) {
      // Writes still in flight; the room leaves once they are durable.
      room.afterStored(() => this.scheduleUnload(room));
      return;
    }
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    room.destroy();
    this.notify('roomUnloaded', room.name);
    this.options.persistence.unloaded?.(room.name);
  }

  /** Pings one slot's connections (id modulo KEEPALIVE_SLOTS): each connection once per `keepaliveMs`. */
  private tick(keepaliveMs: number, slot: number): void {
    const now = Date.now();
    // A peer is cut off only after 30 s without a pong (like the reference server), so a client
    // whose machine is busy for a few seconds keeps its connection.
    const deadAfter = Math.max(30_000, keepaliveMs * 3);
    for (const room of this.rooms.values()) {
      // The room's turn to apply what it deferred (MAX_DEFERRED_UPDATES).
      if (room.slot === slot) this.settle(room);
      for (const conn of room.connections) {
        if (conn.id % KEEPALIVE_SLOTS !== slot) continue;
        // Any frame from the peer proves it alive as well as a pong does: a connection heard from
        // in the last half interval needs no ping (under load, none does). Half, so that the pong
        // to the last ping, which comes a little after it, does not skip the next one.
        const heard = Math.max(conn.lastPongAt, conn.messages.lastAsked);
        if (now - heard > deadAfter) {
          conn.ws.terminate();
          continue;
        }
        if (now - heard >= keepaliveMs / 2) conn.ws.ping();
        if (conn.ready && now - conn.lastSentAt >= keepaliveMs * 1.5) this.send(conn, KEEPALIVE_FRAME);
      }
    }
  }

  /**
   * Re-checks the rights of every live connection in the matching rooms, after a share changed:
   * a connection that lost access is closed (4403); one that gained write access is asked for
   * the edits it made while it could not send them.
   */
  async refreshAccess(matches: (room: string) => boolean): Promise<void> {
    const checks: Promise<void>[] = [];
    for (const room of this.rooms.values()) {
      if (!matches(room.name)) continue;
      for (const conn of room.connections) {
        checks.push(
          this.options.access.authorize(conn.principal, room.name).then(
            (grant) => {
              if (conn.closed) return;
              if (!grant) return this.close(conn, CloseCode.accessRevoked, 'access revoked');
              const gained = grant.canWrite && !conn.canWrite;
              conn.canWrite = grant.canWrite;
              if (!gained || !conn.ready) return;
              this.settle(room);
              this.send(conn, syncStep1Frame(Y.encodeStateVector(room.doc)));
            },
            (error: unknown) => this.options.log.error({ err: error }, 'access check failed'),
          ),
        );
      }
    }
    await Promise.all(checks);
  }

  /** Applies an update that another relay process stored and published (fan-out). */
  applyRemoteUpdate(roomName: string, update: Uint8Array): void {
    const room = this.rooms.get(roomName);
    if (!room || room.destroyed) return;
    void room.ready.then(() => {
      if (room.destroyed) return;
      this.integrateRemote(room, update);
    });
  }

  /** An update that is already durable (another process stored it): applied, and what it added forwarded. */
  private integrateRemote(room: Room, update: Uint8Array): void {
    let added: Uint8Array | null;
    this.settle(room);
    try {
      added = this.integrate(room, update, REMOTE);
    } catch (error) {
      added = (error as { added?: Uint8Array | null }).added ?? null;
      this.options.log.warn({ err: error, room: room.name }, 'remote update rejected');
    }
    if (added !== null) this.onDocUpdate(room, added, REMOTE);
  }

  /** Applies presence published by another relay process (fan-out). */
  applyRemoteAwareness(roomName: string, update: Uint8Array): void {
    const room = this.rooms.get(roomName);
    if (!room || room.destroyed) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE);
    } catch (error) {
      this.options.log.warn({ err: error, room: roomName }, 'remote awareness rejected');
    }
  }

  /**
   * Applies each loaded room's stored state again and forwards what was missing: the recovery
   * after a fan-out outage, when other processes' updates may not have reached this one.
   */
  async resyncFromStore(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      if (room.destroyed || !room.loaded) continue;
      try {
        const stored = await this.options.persistence.load(room.name);
        if (room.destroyed || stored.updates.length === 0) continue;
        this.integrateRemote(room, foldUpdates(stored.updates));
      } catch (error) {
        this.options.log.warn({ err: error, room: room.name }, 'resync from store failed');
      }
    }
  }

  /** Whether a room is loaded here (a fan-out only relays rooms that some process serves). */
  hasRoom(roomName: string): boolean {
    return this.rooms.has(roomName);
  }

  /**
   * Stops accepting connections, makes every received update durable, then closes all
   * connections with 1001 so clients reconnect elsewhere or later.
   */
  async shutdown(): Promise<void> {
    this.accepting = false;
    clearInterval(this.keepalive);
    while (this.flushing || this.dirty.size > 0) {
      if (this.flushing) await this.flushing;
      else await new Promise((resolve) => setImmediate(resolve));
    }
    for (const room of this.rooms.values()) {
      for (const conn of room.connections) this.close(conn, CloseCode.goingAway, 'server shutting down');
    }
    for (const room of [...this.rooms.values()]) {
      this.rooms.delete(room.name);
      room.destroy();
      this.options.persistence.unloaded?.(room.name);
    }
    await this.options.persistence.drain?.();
    this.wss.close();
  }

  /** One call of a per-message observer (they return nothing); a throw is logged and ignored. */
  private guarded<A, B>(handler: (a: A, b: B) => void, event: string, a: A, b: B): void {
    try {
      handler(a, b);
    } catch (error) {
      this.options.log.warn({ err: error, event }, 'observer failed');
    }
  }

  private notify<K extends keyof RelayObserver>(event: K, ...args: Parameters<NonNullable<RelayObserver[K]>>): void {
    for (const observer of this.observers) {
      const handler = observer[event] as ((...a: unknown[]) => unknown) | undefined;
      if (!handler) continue;
      try {
        const result = handler.apply(observer, args);
        if (result instanceof Promise) result.catch((error: unknown) => this.options.log.warn({ err: error, event }, 'observer failed'));
      } catch (error) {
        this.options.log.warn({ err: error, event }, 'observer failed');
      }
    }
  }
}
