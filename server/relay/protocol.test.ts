import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  KEEPALIVE_FRAME,
  ProtocolError,
  awarenessFrame,
  decodeClientMessage,
  encodeAwarenessUpdate,
  parseAwarenessState,
  syncStep1Frame,
  updateFrame,
} from './protocol.ts';

describe('decodeClientMessage', () => {
  it('reads the sync steps and updates the stock client sends', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'Việt Nam');
    const sv = Y.encodeStateVector(doc);
    expect(decodeClientMessage(syncStep1Frame(sv))).toEqual({ type: 'sync-step1', stateVector: sv });
    const update = Y.encodeStateAsUpdate(doc);
    expect(decodeClientMessage(updateFrame(update))).toEqual({ type: 'sync-update', update });
  });

  it('reads presence entries with their JSON state', () => {
    const update = encodeAwarenessUpdate([{ clientId: 7, clock: 3, state: { user: { name: 'An' } } }]);
    const message = decodeClientMessage(awarenessFrame(update));
    expect(message).toMatchObject({ type: 'awareness', entries: [{ clientId: 7, clock: 3, stateJson: '{"user":{"name":"An"}}' }] });
    expect(parseAwarenessState('{"user":{"name":"An"}}')).toEqual({ user: { name: 'An' } });
    expect(parseAwarenessState('null')).toBeNull();
  });

  it('accepts the keep-alive frame it sends itself as an empty presence update', () => {
    expect(decodeClientMessage(KEEPALIVE_FRAME)).toMatchObject({ type: 'awareness', entries: [] });
  });

  const malformed: [string, number[]][] = [
    ['an empty frame', []],
    ['a truncated varint', [0x80]],
    ['an unknown message type', [9]],
    ['an unknown sync step', [0, 5, 0]],
    ['a length beyond the frame', [0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1]],
    ['trailing bytes', [0, 0, 0, 42]],
    ['presence with a truncated state', [1, 5, 1, 1, 1, 9, 0x7b]],
    ['a server-only auth message', [2, 0]],
  ];
  for (const [what, bytes] of malformed) {
    it(`refuses ${what} with a ProtocolError`, () => {
      expect(() => decodeClientMessage(new Uint8Array(bytes))).toThrow(ProtocolError);
    });
  }

  it('refuses presence states that are not JSON objects when they are parsed', () => {
    expect(() => parseAwarenessState('{')).toThrow(ProtocolError);
    expect(() => parseAwarenessState('[]')).toThrow(ProtocolError);
    expect(() => parseAwarenessState('"x"')).toThrow(ProtocolError);
  });

  it('refuses a presence frame that speaks for too many clients', () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({ clientId: i, clock: 1, state: {} }));
    expect(() => decodeClientMessage(awarenessFrame(encodeAwarenessUpdate(entries)))).toThrow(/too many/);
  });

  it('never throws anything but ProtocolError on random input', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from({ length: 1 + (i % 40) }, () => Math.floor(Math.random() * 256));
      try {
        decodeClientMessage(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
      }
    }
  });

  it('round-trips what encoding writes', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 3);
    expect(decodeClientMessage(encoding.toUint8Array(encoder))).toEqual({ type: 'query-awareness' });
  });
});
