/**
 * The relay loop's ordering promises, checked with a store the test controls: nothing leaves the
 * server before the store confirmed it, a room is never served before it is loaded, a failing
 * store disconnects the room instead of forwarding what it could not keep. The clients are the
 * stock y-websocket client over a real socket; only the store is a stand-in, because its timing
 * and failures have to be steered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { loadConfig } from '../config.ts';
import type { PersistenceHook, Principal, RoomUpdate } from './hooks.ts';
import { Refusal } from './hooks.ts';
import { awarenessPolicy } from './awareness-policy.ts';
import { Relay, webSocketFrame } from './relay.ts';

/** A store whose writes and loads wait until the test lets them through. */
class GatedStore implements PersistenceHook {
  readonly rows = new Map<string, Uint8Array[]>();
  storeGate: Promise<void> = Promise.resolve();
  loadGate: Promise<void> = Promise.resolve();
  failures = 0;
  stores = 0;

  async load(room: string) {
    await this.loadGate;
    const updates = this.rows.get(room) ?? [];
    return { updates, bytes: updates.reduce((n, u) => n + u.byteLength, 0) };
  }
  async store(batch: readonly RoomUpdate[]) {
    this.stores++;
    await this.storeGate;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('disk full');
    }
    for (const { room, update } of batch) this.rows.set(room, [...(this.rows.get(room) ?? []), update]);
  }
  text(room: string): string {
    const doc = new Y.Doc();
    for (const u of this.rows.get(room) ?? []) Y.applyUpdate(doc, u);
    return doc.getText('t').toString();
  }
}

/**
 * A store that also writes synchronously, as SQLite does between transactions, unless `now` is
 * off (it must wait) or a synchronous write is set to fail.
 */
class SyncStore extends GatedStore {
  now = true;
  nowFailures = 0;
  storedNow = 0;
  storeNow(batch: readonly RoomUpdate[]): boolean {
    if (!this.now) return false;
    if (this.nowFailures > 0) {
      this.nowFailures--;
      throw new Error('database is locked');
    }
    this.storedNow++;
    for (const { room, update } of batch) this.rows.set(room, [...(this.rows.get(room) ?? []), update]);
    return true;
  }
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(predicate: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > 5000) throw new Error(`timed out: ${what}`);
    await wait(10);
  }
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function relayWith(store: GatedStore, keepaliveMs?: number): Promise<{ relay: Relay; url: string }> {
  const config = loadConfig({});
  const relay = new Relay({
    auth: {
      async authenticate(token): Promise<Principal> {
        if (!token) throw new Refusal(401, 'unauthorized', 'no token');
        return { userId: token, displayName: token, agencyId: 'a', expiresAt: Date.now() + 60_000 };
      },
    },
    access: { authorize: async (principal) => ({ canWrite: principal.userId !== 'viewer' }) },
    persistence: store,
    awareness: awarenessPolicy({ maxBytes: 4096, perSecond: 100 }),
    limits: config.limits,
    roomIdleMs: 50,
    log: pino({ level: 'silent' }),
    keepaliveMs,
  });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => void relay.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    await relay.shutdown();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { relay, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/sync` };
}

function client(url: string, user: string, room = 'r', connect = true): WebsocketProvider {
  const provider = new WebsocketProvider(url, room, new Y.Doc(), {
    connect,
    params: { token: user },
    disableBc: true,
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 100,
  });
  cleanup.push(() => provider.destroy());
  return provider;
}

describe('relay ordering', () => {
  it('forwards an update only after the store has made it durable', async () => {
    const store = new GatedStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    const b = client(url, 'binh');
    await until(() => a.synced && b.synced, 'both synced');

    const held = gate();
    store.storeGate = held.promise;
    a.doc.getText('t').insert(0, 'Việt Nam');
    await wait(200);
    expect(b.doc.getText('t').toString()).toBe('');
    expect(store.text('r')).toBe('');

    held.open();
    await until(() => b.doc.getText('t').toString() === 'Việt Nam', 'forwarded after storing');
    expect(store.text('r')).toBe('Việt Nam');
  });

  it('answers a newcomer only with state that is already durable', async () => {
    const store = new GatedStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    await until(() => a.synced, 'synced');
    const held = gate();
    store.storeGate = held.promise;
    a.doc.getText('t').insert(0, 'Nghị định');
    await wait(50);

    const late = client(url, 'chi');
    await wait(200);
    expect(late.synced).toBe(false);
    held.open();
    await until(() => late.synced, 'late client synced');
    expect(late.doc.getText('t').toString()).toBe('Nghị định');
  });

  it('serves a room only once its stored state is loaded', async () => {
    const store = new GatedStore();
    const source = new Y.Doc();
    source.getText('t').insert(0, 'Quyết định');
    store.rows.set('r', [Y.encodeStateAsUpdate(source)]);
    const held = gate();
    store.loadGate = held.promise;
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    await wait(200);
    expect(a.synced).toBe(false);
    held.open();
    await until(() => a.synced, 'synced after load');
    expect(a.doc.getText('t').toString()).toBe('Quyết định');
  });

  it('never forwards what the store refused, and recovers the edit when the client comes back', async () => {
    const store = new GatedStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    const b = client(url, 'binh');
    await until(() => a.synced && b.synced, 'both synced');

    const closes: number[] = [];
    a.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code));
    store.failures = 4; // the first try and all three retries fail
    a.doc.getText('t').insert(0, 'không được mất');
    await until(() => closes.includes(1011), 'closed with 1011');
    expect(b.doc.getText('t').toString()).toBe('');
    // The stock client reconnects and resends what the server lacks; now the store works.
    await until(() => store.text('r') === 'không được mất', 'stored after reconnect');
    await until(() => b.doc.getText('t').toString() === 'không được mất', 'forwarded after reconnect');
  });

  it('makes everything durable before it finishes shutting down', async () => {
    const store = new GatedStore();
    const { relay, url } = await relayWith(store);
    const a = client(url, 'an');
    await until(() => a.synced, 'synced');
    const held = gate();
    store.storeGate = held.promise;
    a.doc.getText('t').insert(0, 'lưu trước khi dừng');
    await until(() => store.stores > 0, 'a store in flight');
    let finished = false;
    const stopping = relay.shutdown().then(() => (finished = true));
    await wait(100);
    expect(finished).toBe(false);
    held.open();
    await stopping;
    expect(store.text('r')).toBe('lưu trước khi dừng');
  });

  it("drops a read-only connection's updates without storing them", async () => {
    const store = new GatedStore();
    const { url } = await relayWith(store);
    const v = client(url, 'viewer');
    const a = client(url, 'an');
    await until(() => v.synced && a.synced, 'synced');
    v.doc.getText('t').insert(0, 'không được ghi');
    a.doc.getText('t').insert(0, 'ok');
    await until(() => v.doc.getText('t').toString().includes('ok'), 'viewer receives');
    await wait(100);
    expect(store.text('r')).toBe('ok');
    expect(a.doc.getText('t').toString()).toBe('ok');
  });

  it("keeps each person's presence their own when clients echo their peers' presence back", async () => {
    const store = new GatedStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    a.awareness.setLocalStateField('user', { color: '#b00' });
    await until(() => a.synced, 'a synced');
    // b starts with no presence of its own: the first presence frame it sends is an echo of a's.
    const b = client(url, 'binh', 'r', false);
    b.awareness.setLocalState(null);
    b.connect();
    await until(() => b.awareness.getStates().has(a.awareness.clientID), 'b sees a');
    await wait(100);
    b.awareness.setLocalState({ user: { color: '#00b' } });
    await until(() => a.awareness.getStates().has(b.awareness.clientID), 'a sees b');
    expect(a.awareness.getStates().get(b.awareness.clientID)).toMatchObject({ user: { name: 'binh' } });
    expect(b.awareness.getStates().get(a.awareness.clientID)).toMatchObject({ user: { name: 'an' } });
  });

  it('stores through the synchronous path when the store has one, and forwards', async () => {
    const store = new SyncStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    const b = client(url, 'binh');
    await until(() => a.synced && b.synced, 'both synced');
    a.doc.getText('t').insert(0, 'Hà Nội');
    await until(() => b.doc.getText('t').toString() === 'Hà Nội', 'forwarded');
    expect(store.text('r')).toBe('Hà Nội');
    expect(store.storedNow).toBeGreaterThan(0);
    expect(store.stores).toBe(0);
  });

  it('falls back to the asynchronous store when a synchronous write must wait, and keeps the order', async () => {
    const store = new SyncStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    const b = client(url, 'binh');
    await until(() => a.synced && b.synced, 'both synced');
    const held = gate();
    store.storeGate = held.promise;
    store.now = false;
    a.doc.getText('t').insert(0, 'một ');
    await until(() => store.stores > 0, 'an asynchronous store in flight');
    // The store could write at once again, but the batch in flight must stay first.
    store.now = true;
    a.doc.getText('t').insert(4, 'hai');
    await wait(100);
    expect(b.doc.getText('t').toString()).toBe('');
    expect(store.storedNow).toBe(0);
    held.open();
    await until(() => b.doc.getText('t').toString() === 'một hai', 'both forwarded');
    expect(store.rows.get('r')).toHaveLength(2);
    expect(store.text('r')).toBe('một hai');
  });

  it('retries a failed synchronous write through the store before forwarding, and gives up like the async path', async () => {
    const store = new SyncStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    const b = client(url, 'binh');
    await until(() => a.synced && b.synced, 'both synced');
    store.nowFailures = 1;
    a.doc.getText('t').insert(0, 'thử lại');
    await until(() => b.doc.getText('t').toString() === 'thử lại', 'forwarded after the retry');
    expect(store.stores).toBe(1);
    expect(store.text('r')).toBe('thử lại');

    const closes: number[] = [];
    a.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code));
    store.nowFailures = 1;
    store.failures = 3; // the synchronous try and all three retries fail
    a.doc.getText('t').insert(0, 'không ');
    await until(() => closes.includes(1011), 'closed with 1011');
    expect(b.doc.getText('t').toString()).toBe('thử lại');
  });

  it('passes updates stored by another process to local clients without storing them again', async () => {
    const store = new GatedStore();
    const { relay, url } = await relayWith(store);
    const a = client(url, 'an');
    await until(() => a.synced, 'synced');
    const elsewhere = new Y.Doc();
    elsewhere.getText('t').insert(0, 'từ máy chủ khác');
    relay.applyRemoteUpdate('r', Y.encodeStateAsUpdate(elsewhere));
    await until(() => a.doc.getText('t').toString() === 'từ máy chủ khác', 'remote update delivered');
    expect(store.rows.get('r') ?? []).toHaveLength(0);
  });
});

/**
 * A raw connection that sends sync updates as given, and keeps every update the server sends it,
 * the sync step 2 answers it got, its close codes and when it was pinged.
 */
async function rawClient(url: string, user: string, room = 'r') {
  const ws = new WebSocket(`${url}/${room}?token=${user}`);
  const received: Uint8Array[] = [];
  const step2s: Uint8Array[] = [];
  const closes: number[] = [];
  const pings: number[] = [];
  ws.on('ping', () => pings.push(performance.now()));
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    // messageSync (0), then messageYjsUpdate (2): the forwarded update; or messageYjsSyncStep2 (1).
    if (decoding.readVarUint(decoder) !== 0) return;
    const subtype = decoding.readVarUint(decoder);
    if (subtype === 2) received.push(decoding.readVarUint8Array(decoder));
    if (subtype === 1) step2s.push(decoding.readVarUint8Array(decoder));
  });
  ws.on('close', (code) => closes.push(code));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  cleanup.push(() => ws.terminate());
  return {
    ws,
    received,
    step2s,
    closes,
    pings,
    /** Sends the update as a sync update (2), or as a sync step 2 (1) when `subtype` says so. */
    sendUpdate(update: Uint8Array, subtype: 1 | 2 = 2) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, subtype);
      encoding.writeVarUint8Array(encoder, update);
      ws.send(encoding.toUint8Array(encoder));
    },
  };
}

const textOf = (updates: readonly Uint8Array[]): string => {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
};

/** A relay with a writer and a reader on raw connections, and a doc whose updates the writer may send. */
async function writerAndReader() {
  const store = new SyncStore();
  const { url } = await relayWith(store);
  const writer = await rawClient(url, 'an');
  const reader = await rawClient(url, 'binh');
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { store, writer, reader, doc, updates, url };
}

describe('what an update adds', () => {
  it("stores and forwards a client's update as it was sent, and a repeated one not again", async () => {
    const { store, writer, reader, doc, updates } = await writerAndReader();
    doc.getText('t').insert(0, 'Số: 12/QĐ-UBND');
    doc.getText('t').delete(0, 4);
    for (const update of updates) writer.sendUpdate(update);
    await until(() => reader.received.length === 2, 'both forwarded');
    expect(reader.received).toEqual(updates);
    expect(store.rows.get('r')).toEqual(updates);
    writer.sendUpdate(updates[0]);
    writer.sendUpdate(updates[1]);
    doc.getText('t').insert(0, 'Số ');
    writer.sendUpdate(updates[2]);
    await until(() => reader.received.length === 3, 'the new update forwarded');
    expect(reader.received[2]).toEqual(updates[2]);
    expect(store.rows.get('r')).toHaveLength(3);
    expect(store.text('r')).toBe('Số 12/QĐ-UBND');
  });

  it('forwards a sync step 2 as an update message (the stock client counts a step 2 as its own sync done)', async () => {
    const { writer, reader, doc, updates } = await writerAndReader();
    doc.getText('t').insert(0, 'Trích yếu');
    writer.sendUpdate(updates[0], 1);
    await until(() => reader.received.length === 1, 'forwarded');
    expect(reader.received).toEqual(updates);
    expect(reader.step2s).toHaveLength(0);
  });

  it('holds back an update whose dependencies are missing, then stores and forwards both once they arrive', async () => {
    const { store, writer, reader, doc, updates } = await writerAndReader();
    doc.getText('t').insert(0, 'Kính gửi');
    doc.getText('t').insert(8, ': Sở Nội vụ');
    writer.sendUpdate(updates[1]);
    await wait(100);
    expect(reader.received).toHaveLength(0);
    expect(store.rows.get('r') ?? []).toHaveLength(0);
    writer.sendUpdate(updates[0]);
    await until(() => textOf(reader.received) === 'Kính gửi: Sở Nội vụ', 'both forwarded');
    expect(store.text('r')).toBe('Kính gửi: Sở Nội vụ');
    // Later updates take the usual way again: as sent.
    const before = reader.received.length;
    doc.getText('t').insert(0, 'Kính ');
    writer.sendUpdate(updates[2]);
    await until(() => reader.received.length > before, 'forwarded');
    expect(reader.received.at(-1)).toEqual(updates[2]);
    expect(textOf(reader.received)).toBe('Kính Kính gửi: Sở Nội vụ');
  });

  it('refuses an update that does not decode whole: none of it is applied, stored or forwarded', async () => {
    const { store, writer, reader, doc } = await writerAndReader();
    doc.getText('t').insert(0, 'Nơi nhận');
    const update = Y.encodeStateAsUpdate(doc);
    // Without its last byte the delete set cannot be read (Y.applyUpdate would integrate the text, then throw).
    writer.sendUpdate(update.subarray(0, update.byteLength - 1));
    await until(() => writer.closes.length > 0, 'sender closed');
    expect(writer.closes).toEqual([4400]);
    await wait(100);
    expect(reader.received).toHaveLength(0);
    expect(store.rows.get('r') ?? []).toHaveLength(0);
  });

  it('stores and forwards what an update integrated before it failed, and closes its sender', async () => {
    const { store, writer, reader } = await writerAndReader();
    // It decodes, but its second writer's item points to its own later clock: Y.applyUpdate
    // integrates the first writer's text, then throws.
    writer.sendUpdate(forwardReference(20, 10));
    await until(() => writer.closes.length > 0, 'sender closed');
    expect(writer.closes).toEqual([4400]);
    await until(() => textOf(reader.received) === 'Nơi nhận', 'the integrated part forwarded');
    expect(store.text('r')).toBe('Nơi nhận');
  });

  it('applies fresh typing later (deferred), yet a sync step 1, the store and duplicate checks see all of it', async () => {
    const { store, writer, reader, doc, updates, url } = await writerAndReader();
    // Connected before the typing, so it is the sync step 1 below that finds it deferred.
    const newcomer = await rawClient(url, 'chi');
    const text = doc.getText('t');
    text.insert(0, 'Căn cứ');
    text.insert(6, ' Luật Tổ chức');
    text.insert(19, ' chính quyền địa phương');
    for (const update of updates) writer.sendUpdate(update);
    await until(() => reader.received.length === 3, 'all forwarded');
    expect(reader.received).toEqual(updates);
    expect(store.rows.get('r')).toEqual(updates);
    // The newcomer asks for everything (sync step 1 with an empty state vector).
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
    newcomer.ws.send(encoding.toUint8Array(encoder));
    await until(() => newcomer.step2s.length === 1, 'newcomer answered');
    expect(textOf(newcomer.step2s)).toBe('Căn cứ Luật Tổ chức chính quyền địa phương');
    // Sent again: recognised as known, neither stored nor forwarded.
    text.insert(0, 'Căn cứ ');
    writer.sendUpdate(updates[3]); // deferred
    writer.sendUpdate(updates[3]);
    writer.sendUpdate(Y.encodeStateAsUpdate(doc));
    await until(() => reader.received.length === 4, 'the fresh one forwarded');
    await wait(100);
    expect(reader.received).toEqual(updates);
    expect(store.rows.get('r')).toEqual(updates);
    expect(store.text('r')).toBe('Căn cứ Căn cứ Luật Tổ chức chính quyền địa phương');
    expect(writer.closes).toEqual([]);
  });
});

describe('deferred updates', () => {
  /** The room's doc and what it still defers: white-box, the tick's work has no other outward sign. */
  const roomOf = (relay: Relay, name: string) =>
    (relay as unknown as { rooms: Map<string, { doc: Y.Doc; deferred: { count: number } }> }).rooms.get(name);

  it('are applied at the room\'s turn in the keepalive tick', async () => {
    const store = new SyncStore();
    const { relay, url } = await relayWith(store, 1000);
    const writers = [await rawClient(url, 'an', 'r1'), await rawClient(url, 'binh', 'r2')];
    await until(() => roomOf(relay, 'r1')?.doc !== undefined && roomOf(relay, 'r2')?.doc !== undefined, 'rooms open');
    const docs = writers.map(() => new Y.Doc());
    writers.forEach((writer, k) => {
      docs[k].on('update', (update: Uint8Array) => writer.sendUpdate(update));
      docs[k].getText('t').insert(0, `Công văn ${k}`);
    });
    await until(() => store.rows.get('r1')?.length === 1 && store.rows.get('r2')?.length === 1, 'stored');
    expect(roomOf(relay, 'r1')?.deferred.count).toBe(1);
    expect(roomOf(relay, 'r2')?.deferred.count).toBe(1);
    await until(() => roomOf(relay, 'r1')?.deferred.count === 0 && roomOf(relay, 'r2')?.deferred.count === 0, 'both applied within a keepalive interval');
    expect(roomOf(relay, 'r1')?.doc.getText('t').toString()).toBe('Công văn 0');
    expect(roomOf(relay, 'r2')?.doc.getText('t').toString()).toBe('Công văn 1');
  });
});

/**
 * An update that decodes but fails half-way through Y.applyUpdate: `goodClient` (the higher id, so
 * Yjs integrates it first) inserts 'Nơi nhận' into the root text 't'; `badClient`'s item names its
 * own later clock as its left neighbour, which Yjs does not check before looking it up.
 */
function forwardReference(goodClient: number, badClient: number): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 2);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(goodClient);
  encoding.writeVarUint(encoder.restEncoder, 0);
  new Y.Item(Y.createID(goodClient, 0), null, null, null, null, 't' as never, null, new Y.ContentString('Nơi nhận')).write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoder.writeClient(badClient);
  encoding.writeVarUint(encoder.restEncoder, 0);
  new Y.Item(Y.createID(badClient, 0), null, Y.createID(badClient, 5), null, null, null, null, new Y.ContentString('x')).write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0); // no deletions
  return encoder.toUint8Array();
}

describe('keep-alive', () => {
  it('pings every connection once per interval, spread over the interval rather than all at once', async () => {
    const { url } = await relayWith(new SyncStore(), 1000);
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => rawClient(url, `u${i}`)));
    const pings = clients.map((c) => c.pings);
    const started = performance.now();
    await wait(3300);
    expect(clients).toHaveLength(20);
    // These connections say nothing, so each is pinged once a second (the first ping once it has
    // been silent for half a second)...
    for (const times of pings) expect(times.filter((t) => t >= started).length).toBeGreaterThanOrEqual(2);
    // ...and within a second the pings went out in several slices, not in one burst.
    const secondSecond = pings.flatMap((times) => times.filter((t) => t >= started + 1000 && t < started + 2000));
    expect(secondSecond.length).toBeGreaterThanOrEqual(15);
    const slices = new Set(secondSecond.map((t) => Math.floor((t - started) / 100)));
    expect(slices.size).toBeGreaterThanOrEqual(5);
  });

  it('pings only connections it has not heard from within the interval', async () => {
    const { url } = await relayWith(new SyncStore(), 1000);
    const silent = await rawClient(url, 'an');
    const active = await rawClient(url, 'binh');
    // A query for presence (message type 3) every 150 ms: the connection is heard from all the time.
    const chatter = setInterval(() => active.ws.send(new Uint8Array([3])), 150);
    cleanup.push(() => clearInterval(chatter));
    await wait(2500);
    expect(silent.pings.length).toBeGreaterThanOrEqual(1);
    expect(active.pings).toHaveLength(0);
    expect(active.ws.readyState).toBe(WebSocket.OPEN);
  });
});

/** ws's own frame encoder (exported by ws, not described by @types/ws). */
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

describe('broadcast frames', () => {
  it('are byte for byte what ws would write, for every length encoding', () => {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]) {
      const payload = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      const expected = Buffer.concat(Sender.frame(Buffer.from(payload), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }));
      expect(webSocketFrame(payload).equals(expected), `length ${length}`).toBe(true);
    }
  });

  it("reach every other client intact, small and large (64-bit length) alike, mixed with ws's own frames", async () => {
    const store = new SyncStore();
    const { url } = await relayWith(store);
    const a = client(url, 'an');
    const b = client(url, 'binh');
    await until(() => a.synced && b.synced, 'both synced');
    const big = 'ạ'.repeat(70_000);
    a.doc.getText('t').insert(0, 'nhỏ ');
    a.doc.getText('t').insert(4, big);
    // Presence goes through ws.send in between.
    a.awareness.setLocalStateField('user', { color: '#0a0' });
    a.doc.getText('t').insert(0, 'đầu ');
    await until(() => b.doc.getText('t').length === 8 + big.length, 'b has everything');
    expect(b.doc.getText('t').toString()).toBe(`đầu nhỏ ${big}`);
    await until(() => b.awareness.getStates().has(a.awareness.clientID), 'b sees a');
  });
});
