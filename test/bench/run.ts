// `npm run bench`: every benchmark of the project, in sequence, each against the peers it is
// measured with. Add a benchmark by adding a line to the list. Environment knobs are described
// in docs/benchmarks.md (BENCH_QUICK=1 for a short smoke run).

import { killAllChildren, killChildrenOnExit } from './children.ts';
import { runRelayBench } from './relay/relay.ts';

interface Bench {
  readonly name: string;
  readonly run: () => Promise<void>;
}

const benches: readonly Bench[] = [
  { name: 'relay', run: runRelayBench },
  { name: 'client', run: async () => (await import('./client.ts')).runClientBench() },
  { name: 'boards', run: async () => { await (await import('./boards.ts')).runBoardsBench(); } },
  { name: 'compaction', run: async () => (await import('./compaction.ts')).runCompactionBench() },
];

killChildrenOnExit();
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
let failed = false;
for (const bench of benches) {
  if (only !== undefined && !only.includes(bench.name)) continue;
  process.stderr.write(`bench ${bench.name}\n`);
  try {
    await bench.run();
  } catch (error) {
    failed = true;
    process.stderr.write(`bench ${bench.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
}
killAllChildren();
process.exit(failed ? 1 : 0);
