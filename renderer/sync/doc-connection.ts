/**
 * One document's connection to the relay: the stock y-websocket client, plus what it does not
 * tell us. y-websocket's `synced` only means the server's sync step 2 arrived; there are no
 * acknowledgements. What we need to know is when this device's own edits have gone out: that is
 * the moment we have answered the server's sync step 1 (our step 2 carries everything the server
 * lacks, deletions included), or, while live, the moment an update is written to the socket.
 *
 * Close codes of the relay (CONTRACT.md, server/relay/close-codes.ts): 4401 token expired, 4403
 * access revoked, 4413 document too large, 4429 rate limited, 4400 malformed. y-websocket treats
 * the whole 44xx range as final; we resume after a pause on 4429 only.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ObservableV2 } from 'lib0/observable';
import { Awareness } from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected';

/** Why the server ended the connection for good; the UI translates these. */
export type ConnectionProblem = 'token_expired' | 'access_revoked' | 'too_large' | 'rate_limited' | 'malformed' | 'not_found';

export interface DocConnectionOptions {
  readonly serverUrl: string; // ws://host:port/sync
  readonly room: string;
  readonly token: () => string | null;
  readonly maxBackoffMs?: number;
  readonly awareness?: Awareness;
  /**
   * A viewer's connection: the relay sends it no sync step 1 (its updates would be dropped), so
   * "flushed" is simply "synced", and nothing is ever pushed.
   */
  readonly readOnly?: boolean;
}

type Events = {
  status: (status: ConnectionStatus) => void;
  /** The server has everything this device had (at this moment). */
  flushed: () => void;
  /** The server's state has arrived (sync step 2). */
  synced: (synced: boolean) => void;
  problem: (problem: ConnectionProblem) => void;
  /**
   * A read-only connection was sent the server's sync step 1: the relay does that only when the
   * connection has just been given write access (server/relay refreshAccess), so the user's role
   * has changed and the page should read the document's record again.
   */
  writeOffered: () => void;
};

const MESSAGE_SYNC = 0;
const RATE_LIMIT_PAUSE_MS = 5_000;

export class DocConnection extends ObservableV2<Events> {
  readonly provider: WebsocketProvider;
  private answeredServerStep1 = false;
  private fallbackTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private wanted = false;
  private destroyed = false;
  /** holdRemote() callers still holding; while above zero, remote changes wait in `held`. */
  private holds = 0;
  private held: Uint8Array[] = [];
  problem: ConnectionProblem | null = null;

  constructor(
    readonly doc: Y.Doc,
    private readonly options: DocConnectionOptions,
  ) {
    super();
    this.provider = new WebsocketProvider(options.serverUrl, options.room, doc, {
      connect: false,
      // Tabs of one origin would otherwise sync through BroadcastChannel, hiding the server from
      // the "changes waiting" count; every exchange goes through the relay.
      disableBc: true,
      params: {},
      maxBackoffTime: options.maxBackoffMs ?? 10_000,
      awareness: options.awareness ?? new Awareness(doc),
    });
    this.wrapSyncHandler();
    this.provider.on('status', ({ status }) => {
      if (status !== 'connected') this.answeredServerStep1 = false;
      this.emit('status', [status]);
    });
    this.provider.on('sync', (synced: boolean) => {
      this.emit('synced', [synced]);
      if (synced && this.options.readOnly) {
        this.onFlushed();
      } else if (synced && !this.answeredServerStep1) {
        // A server that never sends its own step 1 still gets everything: our full state.
        clearTimeout(this.fallbackTimer);
        this.fallbackTimer = setTimeout(() => this.sendFullState(), 2_000);
      }
    });
    this.provider.on('closed', ({ code }) => this.onFinalClose(code));
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  get status(): ConnectionStatus {
    if (this.provider.wsconnected) return 'connected';
    return this.provider.wsconnecting ? 'connecting' : 'disconnected';
  }

  /** A local edit made now goes straight to the server. */
  get live(): boolean {
    return this.provider.wsconnected && this.answeredServerStep1;
  }

  get synced(): boolean {
    return this.provider.synced;
  }

  connect(): void {
    if (this.destroyed) return;
    this.wanted = true;
    this.problem = null;
    clearTimeout(this.resumeTimer);
    this.provider.params = { token: this.options.token() ?? '' };
    this.provider.connect();
  }

  disconnect(): void {
    this.wanted = false;
    clearTimeout(this.resumeTimer);
    clearTimeout(this.fallbackTimer);
    this.answeredServerStep1 = false;
    this.provider.disconnect();
  }

  /** Connects at once when waiting for a reconnect (the network came back). */
  nudge(): void {
    if (!this.wanted || this.destroyed || this.problem !== null) return;
    if (!this.provider.wsconnected && !this.provider.wsconnecting) {
      this.provider.params = { token: this.options.token() ?? '' };
      this.provider.wsUnsuccessfulReconnects = 0;
      this.provider.connect();
    }
  }

  /**
   * Keeps remote changes out of the Y.Doc until the returned function is called (each hold is
   * released once; holds nest). The editor holds them during an IME composition: a remote change
   * applied mid-composition re-renders the text node the input method is composing in, the browser
   * loses its composition range, and a composed letter is left behind ("V" + "Việt"; PITFALLS.md,
   * Vietnamese input). Held messages are applied in arrival order on release; the server already
   * has them, so nothing is at risk while they wait. Sync step 1 is answered at once (it changes
   * nothing here).
   */
  holdRemote(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) this.applyHeld();
    };
  }

  private applyHeld(): void {
    const held = this.held;
    this.held = [];
    const original = this.originalSyncHandler;
    for (const message of held) {
      if (this.destroyed) return;
      // Updates and step 2 write no reply; the encoder is only there because the handler wants one.
      original(encoding.createEncoder(), decoding.createDecoder(message), this.provider, true, MESSAGE_SYNC);
    }
  }

  override destroy(): void {
    this.destroyed = true;
    this.disconnect();
    this.provider.destroy();
    super.destroy();
  }

  private originalSyncHandler!: WebsocketProvider['messageHandlers'][number];

  private wrapSyncHandler(): void {
    const handlers = this.provider.messageHandlers;
    const original = handlers[MESSAGE_SYNC];
    this.originalSyncHandler = original;
    handlers[MESSAGE_SYNC] = (encoder, decoder, provider, emitSynced, messageType) => {
      const syncType = decoding.peekVarUint(decoder);
      if (this.holds > 0 && syncType !== syncProtocol.messageYjsSyncStep1) {
        this.held.push(decoder.arr.slice(decoder.pos));
        return;
      }
      original(encoder, decoder, provider, emitSynced, messageType);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        // The reply (our step 2) is written to the socket right after this handler returns.
        queueMicrotask(() => this.onFlushed());
        if (this.options.readOnly) this.emit('writeOffered', []);
      }
    };
  }

  private onFlushed(): void {
    if (!this.provider.wsconnected) return;
    this.answeredServerStep1 = true;
    clearTimeout(this.fallbackTimer);
    this.emit('flushed', []);
  }

  private sendFullState(): void {
    const ws = this.provider.ws;
    if (!ws || ws.readyState !== ws.OPEN || this.answeredServerStep1) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep2(encoder, this.doc);
    ws.send(encoding.toUint8Array(encoder));
    this.onFlushed();
  }

  private onFinalClose(code: number): void {
    const problem: ConnectionProblem | null =
      code === 4401
        ? 'token_expired'
        : code === 4403
          ? 'access_revoked'
          : code === 4413
            ? 'too_large'
            : code === 4429
              ? 'rate_limited'
              : code === 4400
                ? 'malformed'
                : code === 4404
                  ? 'not_found'
                  : null;
    if (problem === 'rate_limited') {
      clearTimeout(this.resumeTimer);
      this.resumeTimer = setTimeout(() => {
        if (this.wanted) this.connect();
      }, RATE_LIMIT_PAUSE_MS);
      return;
    }
    this.problem = problem;
    if (problem) this.emit('problem', [problem]);
  }
}
