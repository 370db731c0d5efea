/**
 * The relay's extension points. The relay loop (relay.ts) knows only these interfaces; what a
 * token means, who may enter a room, where updates are stored, how presence is policed and who
 * watches (metrics, logs, fan-out to other processes) are separate hook modules, each with its own
 * tests, in the manner of Hocuspocus extensions.
 */
import type { IncomingMessage } from 'node:http';
import type { AwarenessEntry, RawAwarenessEntry } from './protocol.ts';

/** The authenticated user behind a connection. */
export interface Principal {
  readonly userId: string;
  readonly displayName: string;
  readonly agencyId: string;
  /** When the token that admitted the connection expires (ms since epoch). */
  readonly expiresAt: number;
}

export interface RoomGrant {
  /** False for viewers (and commenters on content, and everyone on an issued document). */
  readonly canWrite: boolean;
}

/** A refusal at the WebSocket upgrade, answered with this HTTP status. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly status: 401 | 404 | 429 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface AuthHook {
  /** Resolves the caller of a sync upgrade or throws Refusal(401). */
  authenticate(token: string | null, request: IncomingMessage): Promise<Principal>;
}

export interface AccessHook {
  /** The caller's rights in the room, or null when the room does not exist for them (404). */
  authorize(principal: Principal, room: string): Promise<RoomGrant | null>;
}

export interface RoomUpdate {
  readonly room: string;
  readonly update: Uint8Array;
}

export interface PersistenceHook {
  /** Everything stored for the room, in order, and its stored size. */
  load(room: string): Promise<{ readonly updates: readonly Uint8Array[]; readonly bytes: number }>;
  /** Stores the batch in one transaction; resolves only when all of it is durable. */
  store(batch: readonly RoomUpdate[]): Promise<void>;
  /**
   * Optional fast path for stores that write synchronously: stores the batch in one transaction
   * before returning and answers true, or answers false having written nothing (then `store` is
   * used). Throws when the write failed; the relay then retries through `store`.
   */
  storeNow?(batch: readonly RoomUpdate[]): boolean;
  /** The room left memory: a moment to compact its log in the background. */
  unloaded?(room: string): void;
  /** Waits for background work (compaction) at shutdown. */
  drain?(): Promise<void>;
}

/** Decides, per connection, which presence entries are passed on, and rewrites them. */
export interface AwarenessPolicy {
  forConnection(principal: Principal): AwarenessFilter;
}
export interface AwarenessFilter {
  /**
   * The entries to apply (parsed, possibly rewritten), why the frame is dropped, or why it is
   * malformed (the connection is then closed). `isForeign` tells whether an id already belongs
   * to someone else in the room (another connection, or a client of another relay process).
   */
  filter(
    entries: readonly RawAwarenessEntry[],
    bytes: number,
    isForeign: (clientId: number) => boolean,
  ): { readonly entries: AwarenessEntry[] } | { readonly dropped: string } | { readonly malformed: string };
  /** The client id this connection speaks for (once it has used one), removed when it closes. */
  readonly clientId: number | null;
}

export interface ConnectionInfo {
  readonly id: number;
  readonly room: string;
  readonly principal: Principal;
  readonly canWrite: boolean;
}

/**
 * Watchers of the relay: metrics, logs, and the fan-out between relay processes. All methods are
 * optional; they must not throw (the relay logs and ignores it if they do).
 */
export interface RelayObserver {
  connectionOpened?(conn: ConnectionInfo): void;
  connectionClosed?(conn: ConnectionInfo, code: number, reason: string): void;
  upgradeRefused?(status: number, code: string): void;
  /** Before a room is loaded from the store; a fan-out subscribes here so nothing is missed. */
  roomLoading?(room: string): Promise<void> | void;
  roomLoaded?(room: string, milliseconds: number, bytes: number): void;
  roomUnloaded?(room: string): void;
  messageReceived?(conn: ConnectionInfo, bytes: number): void;
  messageSent?(bytes: number, count: number): void;
  /** After a batch became durable, before it is forwarded; a fan-out publishes here. */
  updatesStored?(batch: readonly RoomUpdate[], milliseconds: number): void;
  storeFailed?(error: unknown, attempt: number): void;
  /** An update arrived and was accepted: applied, or deferred (bytes of the client's update). */
  updateReceived?(conn: ConnectionInfo, bytes: number): void;
  /** An update that was already stored failed to apply to the room's doc (loading it, or applying deferred ones). */
  applyFailed?(room: string): void;
  /** A write from a connection without write access was dropped. */
  writeRefused?(conn: ConnectionInfo, reason: string): void;
  /** Presence changed through a local connection (not through fan-out); `update` is encoded. */
  awarenessChanged?(room: string, update: Uint8Array): void;
  awarenessDropped?(conn: ConnectionInfo, reason: string): void;
}
