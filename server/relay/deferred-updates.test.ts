import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DeferredUpdates } from './deferred-updates.ts';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('DeferredUpdates', () => {
  it('gives back what was pushed, in order, and is empty afterwards', () => {
    const held = new DeferredUpdates();
    held.push(bytes(1, 2, 3));
    held.push(bytes());
    held.push(bytes(4));
    expect(held.count).toBe(3);
    expect(held.byteLength).toBe(4);
    expect(held.take()).toEqual([bytes(1, 2, 3), bytes(), bytes(4)]);
    expect(held.count).toBe(0);
    expect(held.byteLength).toBe(0);
    expect(held.take()).toEqual([]);
  });

  it('holds copies: the sender may reuse its buffer at once', () => {
    const held = new DeferredUpdates();
    const socketBuffer = bytes(7, 7, 7);
    held.push(socketBuffer);
    socketBuffer.fill(0);
    expect(held.take()).toEqual([bytes(7, 7, 7)]);
  });

  it('grows past its first buffer without losing or reordering bytes', () => {
    const held = new DeferredUpdates();
    const pushed: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      const update = Uint8Array.from({ length: (i % 97) + 1 }, (_, k) => (i + k) & 0xff);
      pushed.push(update);
      held.push(update);
    }
    held.push(new Uint8Array(300_000).fill(9)); // larger than twice the buffer so far
    pushed.push(new Uint8Array(300_000).fill(9));
    expect(held.take()).toEqual(pushed);
  });

  it('returns each update in a buffer of its own, untouched by later pushes', () => {
    const held = new DeferredUpdates();
    held.push(bytes(1, 1));
    const [first] = held.take();
    held.push(bytes(2, 2));
    expect(first).toEqual(bytes(1, 1));
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(2);
  });

  it('carries Yjs updates that apply to the same document as the originals', () => {
    const writer = new Y.Doc();
    const held = new DeferredUpdates();
    writer.on('update', (update: Uint8Array) => held.push(update));
    const text = writer.getText('t');
    for (const word of ['Kính ', 'gửi: ', 'Ủy ban nhân dân tỉnh']) text.insert(text.length, word);
    writer.getMap('m').set('tệp', bytes(1, 2, 3)); // binary content: Yjs keeps a view of the update
    const reader = new Y.Doc();
    for (const update of held.take()) Y.applyUpdate(reader, update);
    held.push(bytes(0, 0, 0, 0, 0, 0, 0, 0));
    expect(reader.getText('t').toString()).toBe('Kính gửi: Ủy ban nhân dân tỉnh');
    expect(reader.getMap('m').get('tệp')).toEqual(bytes(1, 2, 3));
  });

  it('clear drops everything', () => {
    const held = new DeferredUpdates();
    held.push(bytes(5));
    held.clear();
    expect(held.count).toBe(0);
    expect(held.take()).toEqual([]);
  });
});
