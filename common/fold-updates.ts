/**
 * Folding a room's stored updates into one (compaction, copying a document, recovery).
 *
 * The updates are applied to a fresh Y.Doc in one transaction and the doc is encoded again. That is
 * what `Y.mergeUpdates` is for, but mergeUpdates is slow on the relay's logs of many small updates:
 * a snapshot plus 500 one-keystroke updates of five writers took 80-150 ms on the benchmark VM,
 * against 9-17 ms this way (`BENCH_ONLY=compaction npm run bench` prints both, side by side). The event
 * loop waited out the difference at every compaction.
 *
 * The result holds the same document. Two differences from mergeUpdates, both what the relay
 * already serves to every client that syncs (its Y.Doc collects garbage too):
 * - text that was deleted is kept as a length only (a GC struct), not with its characters;
 * - structs are kept as the doc holds them, so the snapshot can be somewhat larger (~25 % on that
 *   log) while loading it again needs no splitting.
 * Updates whose dependencies are missing are not lost: Y.encodeStateAsUpdate includes the doc's
 * pending structs and deletions.
 */
import * as Y from 'yjs';

export function foldUpdates(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0];
  const doc = new Y.Doc();
  try {
    applyAll(doc, updates, null);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Applies the updates to the doc in one transaction (one set of observer calls, one cleanup).
 * Without `onError` the first update that throws stops it (what it applied so far stays applied);
 * with it, an update that throws is reported and the others are still applied.
 */
export function applyAll(doc: Y.Doc, updates: readonly Uint8Array[], origin: unknown, onError?: (error: unknown) => void): void {
  doc.transact(() => {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update, origin);
      } catch (error) {
        if (!onError) throw error;
        onError(error);
      }
    }
  }, origin);
}
