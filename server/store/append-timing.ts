/**
 * Times the relay's hot path, appendUpdates, on SQLite: the shared Kysely implementation against the
 * prepared-statement fast path that createSqliteStore uses. Run: npx tsx server/store/append-timing.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import { createSqliteStore } from './sqlite.ts';
import type { RoomUpdate, Store } from './store.ts';

const UPDATE_BYTES = 64;

function batches(count: number, size: number): RoomUpdate[][] {
  const update = new Uint8Array(UPDATE_BYTES).fill(7);
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: size }, (_, i) => ({ room: `doc:${(b * size + i) % 50}`, update })),
  );
}

async function time(store: Store, count: number, size: number): Promise<number> {
  const work = batches(count, size);
  const start = process.hrtime.bigint();
  for (const batch of work) await store.appendUpdates(batch);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function kyselyOnly(file: string): Store {
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return new KyselyStore(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), { dialect: 'sqlite' });
}

// A file shows what the relay pays (commits reach the kernel, no fsync); :memory: shows the
// per-call overhead alone, without the disk's noise.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-bench-'));
try {
  const contenders: [string, (file: string) => Store][] = [
    ['kysely', kyselyOnly],
    ['prepared', (file) => createSqliteStore(file)],
  ];
  for (const where of ['file', 'memory']) {
    for (const [name, open] of contenders) {
      const store = open(where === 'file' ? path.join(dir, `${name}.db`) : ':memory:');
      await store.migrate();
      const single = await time(store, 10_000, 1);
      const hundred = await time(store, 100, 100);
      await store.close();
      console.log(
        `${where.padEnd(6)} ${name.padEnd(8)}  10,000 x 1: ${single.toFixed(0).padStart(5)} ms (${((single * 1000) / 10_000).toFixed(1).padStart(5)} µs/batch)` +
          `   100 x 100: ${hundred.toFixed(0).padStart(4)} ms (${((hundred * 1000) / 100).toFixed(0).padStart(4)} µs/batch)`,
      );
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
