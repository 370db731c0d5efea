// The compaction benchmark: folding a room's log (a snapshot and the one-keystroke updates written
// after it) into one update, with Y.mergeUpdates (what the server used until 2026-11-27) and with
// foldUpdates (common/fold-updates.ts: apply to a fresh Y.Doc, encode it again), side by side
// on the same logs, and loading each result into a fresh doc as the relay does when a room opens.
//
// Logs: five writers who see each other's edits type into one text, each at their own cursor in
// their own paragraph, one update per keystroke (Vietnamese letters), one keystroke in ten a
// backspace. Each round appends LOG updates to the document and
// folds the previous round's snapshot with them, as the persistence hook does at every compaction.
// Figures: median of REPEATS timings per round, in ms. Also written to
// test/bench/results/compaction-<date>.json.
//
// Run alone: `npx tsx test/bench/compaction.ts` (BENCH_QUICK=1 for fewer rounds).

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { applyAll, foldUpdates } from '../../common/fold-updates.ts';
import { median } from './relay/stats.ts';

const RESULTS_DIR = path.join(fileURLToPath(new URL('../..', import.meta.url)), 'test/bench/results');

interface Round {
  readonly logUpdates: number;
  readonly documentChars: number;
  readonly mergeMs: number;
  readonly foldMs: number;
  readonly mergedBytes: number;
  readonly foldedBytes: number;
  readonly loadMergedMs: number;
  readonly loadFoldedMs: number;
}

function timed<T>(repeats: number, run: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let result = run();
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    result = run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

function loaded(update: Uint8Array): void {
  const doc = new Y.Doc();
  applyAll(doc, [update], null);
  doc.destroy();
}

const LETTERS = 'Căn cứ Nghị định số 30/2020/NĐ-CP về công tác văn thư ';
const cursors = new WeakMap<Y.Doc, Y.RelativePosition>();

/** One keystroke of a writer at their cursor (a new paragraph at the end the first time). */
function type(writer: Y.Doc, edit: number): void {
  const text = writer.getText('body');
  const cursor = cursors.get(writer);
  let at = cursor ? (Y.createAbsolutePositionFromRelativePosition(cursor, writer)?.index ?? text.length) : text.length;
  if (!cursor) {
    text.insert(at, '\n');
    at++;
  } else if (edit % 10 === 9 && at > 0) {
    text.delete(at - 1, 1);
    at--;
  } else {
    text.insert(at, LETTERS[edit % LETTERS.length]);
    at++;
  }
  // The cursor sticks to the character before it, as an editor's caret does.
  cursors.set(writer, Y.createRelativePositionFromTypeIndex(text, at, -1));
}

export async function runCompactionBench(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const rounds = quick ? 3 : 6;
  const repeats = quick ? 3 : 7;
  const results: { readonly log: number; readonly rounds: Round[] }[] = [];
  for (const logSize of [100, 500, 2000]) {
    const writers = Array.from({ length: 5 }, () => new Y.Doc());
    let log: Uint8Array[] = [];
    writers.forEach((writer, index) =>
      writer.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === 'peer') return;
        log.push(update);
        writers.forEach((peer, other) => other !== index && Y.applyUpdate(peer, update, 'peer'));
      }),
    );
    let snapshot: Uint8Array | null = null;
    const measured: Round[] = [];
    for (let round = 0, edit = 0; round < rounds; round++) {
      log = [];
      for (let i = 0; i < logSize; i++, edit++) type(writers[edit % writers.length], edit);
      const parts: Uint8Array[] = snapshot ? [snapshot, ...log] : log;
      const merge = timed(repeats, () => Y.mergeUpdates(parts));
      const fold = timed<Uint8Array>(repeats, () => foldUpdates(parts));
      measured.push({
        logUpdates: logSize,
        documentChars: writers[0].getText('body').length,
        mergeMs: merge.ms,
        foldMs: fold.ms,
        mergedBytes: merge.result.byteLength,
        foldedBytes: fold.result.byteLength,
        loadMergedMs: timed(repeats, () => loaded(merge.result)).ms,
        loadFoldedMs: timed(repeats, () => loaded(fold.result)).ms,
      });
      snapshot = fold.result;
    }
    results.push({ log: logSize, rounds: measured });
  }

  const lines = ['Compaction: fold a snapshot and the log after it (median ms; ratio = foldUpdates / Y.mergeUpdates)'];
  lines.push('  log  doc chars   mergeUpdates  foldUpdates  ratio   bytes merged / folded   load merged / folded');
  for (const { rounds: measured } of results) {
    for (const r of measured) {
      lines.push(
        `  ${String(r.logUpdates).padStart(4)}  ${String(r.documentChars).padStart(9)}   ${r.mergeMs.toFixed(2).padStart(12)}  ${r.foldMs.toFixed(2).padStart(11)}  ${(r.foldMs / r.mergeMs).toFixed(2).padStart(5)}×` +
          `   ${String(r.mergedBytes).padStart(9)} / ${String(r.foldedBytes).padEnd(9)}   ${r.loadMergedMs.toFixed(2).padStart(6)} / ${r.loadFoldedMs.toFixed(2)}`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `compaction-${new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z')}.json`);
  writeFileSync(file, JSON.stringify({ bench: 'compaction', node: process.version, results }, null, 2));
  process.stdout.write(`Results written to ${file}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runCompactionBench();
