import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyAll, foldUpdates } from './fold-updates.ts';

/** A log as the relay stores it: one update per keystroke or deletion, from three writers who see each other. */
function writersLog(edits: number): Uint8Array[] {
  const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const log: Uint8Array[] = [];
  writers.forEach((writer, index) => {
    writer.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'peer') return;
      log.push(update);
      writers.forEach((peer, other) => other !== index && Y.applyUpdate(peer, update, 'peer'));
    });
  });
  for (let i = 0; i < edits; i++) {
    const writer = writers[i % writers.length];
    const text = writer.getText('body');
    if (i % 5 === 4 && text.length > 4) text.delete((i * 7) % (text.length - 2), 2);
    else text.insert((i * 13) % (text.length + 1), i % 3 === 0 ? 'Điều ' : 'ạ');
    if (i % 50 === 0) writer.getMap('meta').set(`k${i}`, i);
  }
  return log;
}

function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  applyAll(doc, updates, null);
  return doc;
}

function contentOf(doc: Y.Doc): unknown {
  return { body: doc.getText('body').toString(), meta: doc.getMap('meta').toJSON() };
}

describe('foldUpdates', () => {
  it('folds a log into one update that holds the same document as Y.mergeUpdates', () => {
    const log = writersLog(400);
    const folded = foldUpdates(log);
    const merged = Y.mergeUpdates(log);
    expect(contentOf(docOf([folded]))).toEqual(contentOf(docOf([merged])));
    expect(Y.encodeStateVector(docOf([folded]))).toEqual(Y.encodeStateVector(docOf([merged])));
    expect(docOf([folded]).getText('body').length).toBeGreaterThan(100);
  });

  it('folds a snapshot and the log written after it (a second compaction)', () => {
    const log = writersLog(300);
    const first = foldUpdates(log.slice(0, 200));
    const second = foldUpdates([first, ...log.slice(200)]);
    expect(contentOf(docOf([second]))).toEqual(contentOf(docOf(log)));
  });

  it('keeps updates whose dependencies are missing, so that they apply once the rest arrives', () => {
    const log = writersLog(60);
    // An insertion in the middle: the same writer's later edits depend on it.
    const at = log.findIndex((update, i) => i >= 10 && Y.decodeUpdate(update).structs.length > 0);
    const missing = log[at];
    const folded = foldUpdates([...log.slice(0, at), ...log.slice(at + 1)]);
    const doc = docOf([folded]);
    expect(doc.store.pendingStructs ?? doc.store.pendingDs).not.toBeNull();
    Y.applyUpdate(doc, missing);
    expect(contentOf(doc)).toEqual(contentOf(docOf(log)));
  });

  it('does not keep the characters of deleted text', () => {
    const doc = new Y.Doc();
    const log: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => log.push(update));
    doc.getText('body').insert(0, 'công văn ');
    doc.getText('body').insert(9, 'BẢN-NHÁP-BÍ-MẬT');
    doc.getText('body').delete(9, 'BẢN-NHÁP-BÍ-MẬT'.length);
    const secret = Buffer.from('BÍ-MẬT', 'utf8');
    expect(Buffer.from(Y.mergeUpdates(log)).includes(secret)).toBe(true);
    const folded = foldUpdates(log);
    expect(Buffer.from(folded).includes(secret)).toBe(false);
    expect(docOf([folded]).getText('body').toString()).toBe('công văn ');
  });

  it('returns a lone update as it is', () => {
    const [only] = writersLog(1);
    expect(foldUpdates([only])).toBe(only);
  });
});
