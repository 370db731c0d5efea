/**
 * Fan-out between relay processes through Redis pub/sub, so any process can serve any room with
 * no sticky routing. It is a relay observer and nothing more: it subscribes to a room before the
 * room is loaded (so no update published meanwhile is missed), publishes each batch after it is
 * durable (the store stays the authority; Redis only carries what is already stored), and relays
 * presence and access changes. Frames: kind byte, 16-byte process id, then the payload.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RelayObserver, RoomUpdate } from './hooks.ts';

const KIND_UPDATE = 1;
const KIND_AWARENESS = 2;
const ROOM_PREFIX = 'congvu:room:';
const ACCESS_CHANNEL = 'congvu:access';

export interface FanoutTarget {
  applyRemoteUpdate(room: string, update: Uint8Array): void;
  applyRemoteAwareness(room: string, update: Uint8Array): void;
  refreshAccess(matches: (room: string) => boolean): Promise<void>;
  /** Re-reads every loaded room from the store: after a Redis outage, messages may be missing. */
  resyncFromStore(): Promise<void>;
}

export interface RedisFanout {
  readonly observer: RelayObserver;
  /** Connects the relay that receives what other processes publish (set once, before use). */
  attach(target: FanoutTarget): void;
  /** Tells every other process that a document's shares (or, given `board:<id>`, a board's members) changed. */
  publishAccessChange(documentId: string): void;
  close(): Promise<void>;
}

export async function redisFanout(url: string, log: Logger): Promise<RedisFanout> {
  const self = randomBytes(16);
  const options = { lazyConnect: true, maxRetriesPerRequest: null, enableAutoPipelining: true } as const;
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  for (const [name, client] of [
    ['publisher', pub],
    ['subscriber', sub],
  ] as const) {
    client.on('error', (error: Error) => log.warn({ err: error, client: name }, 'redis error'));
  }
  await Promise.all([pub.connect(), sub.connect()]);
  await sub.subscribe(ACCESS_CHANNEL);
  let target: FanoutTarget | undefined;
  // ioredis resubscribes by itself after a reconnect, but what was published meanwhile is gone.
  let connectedOnce = false;
  sub.on('ready', () => {
    if (connectedOnce) void target?.resyncFromStore();
    connectedOnce = true;
  });

  sub.on('messageBuffer', (channelBuffer: Buffer, message: Buffer) => {
    const channel = channelBuffer.toString();
    if (channel === ACCESS_CHANNEL) {
      // A document id stands for its two rooms; a board's change names its room (`board:<id>`).
      const documentId = message.toString();
      const rooms = documentId.startsWith('board:') ? new Set([documentId]) : new Set([`doc:${documentId}`, `doc:${documentId}:comments`]);
      void target?.refreshAccess((room) => rooms.has(room));
      return;
    }
    if (message.length < 17 || message.subarray(1, 17).equals(self)) return;
    const room = channel.slice(ROOM_PREFIX.length);
    const payload = new Uint8Array(message.buffer, message.byteOffset + 17, message.length - 17);
    if (message[0] === KIND_UPDATE) target?.applyRemoteUpdate(room, payload);
    else if (message[0] === KIND_AWARENESS) target?.applyRemoteAwareness(room, payload);
  });

  function publish(room: string, kind: number, payload: Uint8Array): void {
    const frame = Buffer.concat([Buffer.from([kind]), self, payload]);
    pub.publish(ROOM_PREFIX + room, frame).catch((error: unknown) => log.warn({ err: error, room }, 'redis publish failed'));
  }

  const observer: RelayObserver = {
    async roomLoading(room) {
      await sub.subscribe(ROOM_PREFIX + room);
    },
    roomUnloaded(room) {
      sub.unsubscribe(ROOM_PREFIX + room).catch(() => undefined);
    },
    updatesStored(batch: readonly RoomUpdate[]) {
      for (const { room, update } of batch) publish(room, KIND_UPDATE, update);
    },
    awarenessChanged(room, update) {
      publish(room, KIND_AWARENESS, update);
    },
  };

  return {
    observer,
    attach(relay) {
      target = relay;
    },
    publishAccessChange(documentId) {
      pub.publish(ACCESS_CHANNEL, documentId).catch((error: unknown) => log.warn({ err: error }, 'redis publish failed'));
    },
    async close() {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}
