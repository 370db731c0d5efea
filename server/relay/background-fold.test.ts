import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldUpdates } from '../../common/fold-updates.ts';
import { BackgroundFolder, FoldError } from './background-fold.ts';

/** A log as the relay stores it: one update per keystroke, from `writers` writers taking turns. */
function keystrokeLog(keystrokes: number, writers = 3): Uint8Array[] {
  const docs = Array.from({ length: writers }, () => new Y.Doc());
  const log: Uint8Array[] = [];
  for (const doc of docs) doc.on('update', (update: Uint8Array) => log.push(update));
  for (let i = 0; i < keystrokes; i++) {
    const doc = docs[i % writers];
    // Each writer first takes in what the others typed, as a client of the relay would.
    for (const update of log.slice()) Y.applyUpdate(doc, update, 'remote');
    const text = doc.getText('content');
    text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  }
  return log.filter((update, index) => log.indexOf(update) === index);
}

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('content').toString();
}

describe('BackgroundFolder', () => {
  it('folds to the same document as foldUpdates', async () => {
    const log = keystrokeLog(120);
    const folder = new BackgroundFolder();
    try {
      const snapshot = await folder.fold(log);
      expect(textOf(snapshot)).toBe(textOf(foldUpdates(log)));
      expect(textOf(snapshot)).toHaveLength(120);
      // The same encoding, byte for byte: the worker folds exactly as foldUpdates does.
      expect(Buffer.from(snapshot).equals(Buffer.from(foldUpdates(log)))).toBe(true);
    } finally {
      await folder.close();
    }
  });

  it('keeps the event loop turning while it folds', async () => {
    // A log big enough that folding it takes many turns of the loop (hundreds of milliseconds).
    const doc = new Y.Doc();
    const log: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => log.push(update));
    for (let i = 0; i < 40_000; i++) doc.getText('content').insert(i, 'x');
    const folder = new BackgroundFolder();
    try {
      await folder.fold([log[0], log[1]]); // the worker is up before the count starts
      let turns = 0;
      let done = false;
      const spin = (): void => {
        turns++;
        if (!done) setImmediate(spin);
      };
      const folding = folder.fold(log).finally(() => (done = true));
      setImmediate(spin);
      const snapshot = await folding;
      expect(textOf(snapshot)).toHaveLength(40_000);
      // Folded on the event loop, fold() would return with the work done: no turn in between.
      expect(turns).toBeGreaterThan(10);
    } finally {
      await folder.close();
    }
  });

  it('rejects with FoldError when an update cannot be applied, and goes on folding', async () => {
    const folder = new BackgroundFolder();
    try {
      const log = keystrokeLog(10);
      const broken = Uint8Array.of(0xff, 0xff, 0xff); // not an update: Y.applyUpdate throws
      expect(() => foldUpdates([...log, broken])).toThrow();
      await expect(folder.fold([...log, broken])).rejects.toBeInstanceOf(FoldError);
      expect(textOf(await folder.fold(log))).toHaveLength(10);
      expect(folder.lastError).toBeUndefined();
    } finally {
      await folder.close();
    }
  });

  it('folds on the event loop when the worker dies, without losing a fold', async () => {
    const failures: string[] = [];
    const folder = new BackgroundFolder((reason) => failures.push(reason));
    const log = keystrokeLog(60);
    try {
      await folder.fold(log);
      const worker = (folder as unknown as { worker: import('node:worker_threads').Worker }).worker;
      const waiting = [folder.fold(log), folder.fold(log)];
      await worker.terminate();
      for (const snapshot of await Promise.all(waiting)) expect(textOf(snapshot)).toBe(textOf(foldUpdates(log)));
      expect(failures).toHaveLength(1);
      expect(folder.lastError).toMatch(/exited/);
      // And from then on, on the event loop.
      expect(textOf(await folder.fold(log))).toHaveLength(60);
    } finally {
      await folder.close();
    }
  });

  it('starts again after close', async () => {
    const folder = new BackgroundFolder();
    const log = keystrokeLog(20);
    await folder.fold(log);
    await folder.close();
    expect(textOf(await folder.fold(log))).toHaveLength(20);
    await folder.close();
  });
});
