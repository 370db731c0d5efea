// DocConnection.holdRemote: messages are fed to the stock y-websocket client's own sync handler,
// exactly as its socket would deliver them. No socket is opened (`connect` is never called); Node 20
// has no global WebSocket, which y-websocket reads as its default, so an empty class stands in.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DocConnection } from './doc-connection.ts';

const MESSAGE_SYNC = 0;
const connections: DocConnection[] = [];
beforeAll(() => {
  if (typeof globalThis.WebSocket === 'undefined') vi.stubGlobal('WebSocket', class NeverOpened {});
});
afterEach(() => {
  for (const connection of connections.splice(0)) connection.destroy();
});

function open(): DocConnection {
  const connection = new DocConnection(new Y.Doc(), { serverUrl: 'ws://127.0.0.1:9/sync', room: 'doc:test', token: () => 't' });
  connections.push(connection);
  return connection;
}

/** Delivers one sync message as y-websocket's socket handler does; returns the reply's length. */
function deliver(connection: DocConnection, write: (encoder: encoding.Encoder) => void): number {
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, MESSAGE_SYNC);
  write(message);
  const decoder = decoding.createDecoder(encoding.toUint8Array(message));
  const type = decoding.readVarUint(decoder);
  const reply = encoding.createEncoder();
  connection.provider.messageHandlers[type](reply, decoder, connection.provider, true, type);
  return encoding.length(reply);
}

/** A peer's edit: appends `text` to a peer doc and returns the update. */
function peerEdit(peer: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  peer.once('update', capture);
  peer.getText('t').insert(peer.getText('t').length, text);
  if (!update) throw new Error('no update');
  return update;
}

describe('DocConnection.holdRemote', () => {
  it('keeps remote updates out of the doc until released, then applies them in order', () => {
    const connection = open();
    const peer = new Y.Doc();
    const release = connection.holdRemote();
    deliver(connection, (e) => syncProtocol.writeUpdate(e, peerEdit(peer, 'Kính ')));
    deliver(connection, (e) => syncProtocol.writeUpdate(e, peerEdit(peer, 'gửi')));
    expect(connection.doc.getText('t').toString()).toBe('');
    release();
    expect(connection.doc.getText('t').toString()).toBe('Kính gửi');
  });

  it('holds the server state (step 2) too, and answers step 1 at once', () => {
    const connection = open();
    connection.doc.getText('t').insert(0, 'của tôi');
    const server = new Y.Doc();
    server.getText('t').insert(0, 'Máy chủ ');
    const release = connection.holdRemote();
    const replyLength = deliver(connection, (e) => syncProtocol.writeSyncStep1(e, server));
    expect(replyLength).toBeGreaterThan(1);
    deliver(connection, (e) => syncProtocol.writeSyncStep2(e, server));
    expect(connection.doc.getText('t').toString()).toBe('của tôi');
    expect(connection.synced).toBe(false);
    release();
    expect(connection.doc.getText('t').toString()).toContain('Máy chủ ');
    expect(connection.synced).toBe(true);
  });

  it('nests: only the last release applies, and a second call of one release changes nothing', () => {
    const connection = open();
    const peer = new Y.Doc();
    const first = connection.holdRemote();
    const second = connection.holdRemote();
    deliver(connection, (e) => syncProtocol.writeUpdate(e, peerEdit(peer, 'Việt')));
    first();
    first();
    expect(connection.doc.getText('t').toString()).toBe('');
    second();
    expect(connection.doc.getText('t').toString()).toBe('Việt');
    deliver(connection, (e) => syncProtocol.writeUpdate(e, peerEdit(peer, ' Nam')));
    expect(connection.doc.getText('t').toString()).toBe('Việt Nam');
  });
});
