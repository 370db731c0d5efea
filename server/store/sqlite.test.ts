// The shared Store suite on SQLite, plus what only SQLite has: a file, WAL mode, several processes
// opening it at once, and a process killed right after an append.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './open.ts';
import { createSqliteStore, journalPaths } from './sqlite.ts';
import { readJournal, tearLastRecord } from './journal.test-support.ts';
import { describeStoreContract } from './store.contract.ts';
import { describeBoardStoreContract } from './board-store.contract.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const storeModule = (name: string) => JSON.stringify(fileURLToPath(new URL(`./${name}`, import.meta.url)));
const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvu-store-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs an ES module snippet in a separate Node process with the TypeScript loader. */
async function runProcess(code: string): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: repoRoot,
      timeout: 20_000,
    });
    return { code: 0, signal: null, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | null; signal?: string | null; stdout?: string; stderr?: string };
    return { code: failed.code ?? null, signal: failed.signal ?? null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describeStoreContract('SQLite', async () => {
  const file = path.join(tempDir(), 'congvu.db');
  return {
    open: async () => createSqliteStore(file),
    concurrentStores: false,
    dispose: async () => undefined,
    async execute(statement) {
      const raw = new BetterSqlite3(file);
      try {
        raw.exec(statement);
      } finally {
        raw.close();
      }
    },
  };
});

describeBoardStoreContract('SQLite', async () => {
  const file = path.join(tempDir(), 'boards.db');
  return { open: async () => createSqliteStore(file), dispose: async () => undefined };
});

describe('SQLite store file', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it('openStore creates missing parent folders and leaves the file in WAL mode', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'congvu.db');
    const store = await openStore(`sqlite:${file}`);
    await store.appendUpdates([{ room: 'doc:a', update: Uint8Array.of(1) }]);
    await store.close();
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      // Every migration applied, in order (later issues add their own after these).
      const applied = raw.prepare('select name from schema_migrations order by name').pluck().all() as string[];
      expect(applied.slice(0, 2)).toEqual(['0001_initial', '0002_approval']);
      expect(applied).toEqual([...applied].sort());
    } finally {
      raw.close();
    }
  });

  it('openStore accepts the sqlite:///absolute form and rejects other schemes', async () => {
    const file = path.join(dir, 'url-form.db');
    const store = await openStore(`sqlite://${file}`);
    await store.close();
    expect(fs.existsSync(file)).toBe(true);
    await expect(openStore('mysql://localhost/congvu')).rejects.toThrow(/sqlite: or postgres/);
  });

  it('an in-memory store works for tests that need no file', async () => {
    const store = await openStore('sqlite::memory:');
    expect(await store.getOrCreateSetting('k', 'v')).toBe('v');
    await store.close();
  });

  it('the foreign keys hold: a user needs an existing agency', async () => {
    const store = await openStore(`sqlite:${path.join(dir, 'fk.db')}`);
    try {
      await expect(
        store.upsertUser({
          id: 'u1', username: 'u1', displayName: 'U', agencyId: 'missing', unit: '', title: '', roles: [], passwordHash: 'x',
        }),
      ).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await store.close();
    }
  });

  it('several processes opening a new file at the same moment all migrate it without error', async () => {
    const file = path.join(dir, 'race.db');
    const code = `
      import { openStore } from ${storeModule('open.ts')};
      const store = await openStore(${JSON.stringify(`sqlite:${file}`)});
      console.log(await store.getOrCreateSetting('secret', String(process.pid)));
      await store.close();`;
    const results = await Promise.all([runProcess(code), runProcess(code), runProcess(code)]);
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const values = new Set(results.map((result) => result.stdout.trim()));
    expect(values.size).toBe(1);
  });

  it('without the journal, an append between transactions commits at once, before the call returns', async () => {
    const file = path.join(dir, 'fast-append.db');
    const store = createSqliteStore(file, { journal: false });
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      await store.migrate();
      const pending = store.appendUpdates([{ room: 'doc:f', update: Uint8Array.of(1) }, { room: 'doc:g', update: Uint8Array.of(2) }]);
      // Another connection sees both rows (and the change feed's heads) before any await.
      expect(raw.prepare('select count(*) from room_updates').pluck().get()).toBe(2);
      expect(raw.prepare('select room from room_heads order by seq').pluck().all()).toEqual(['doc:f', 'doc:g']);
      await pending;
    } finally {
      raw.close();
      await store.close();
    }
  });

  it('without the journal, appendUpdatesNow writes at once between transactions and refuses, writing nothing, while one is open', async () => {
    const store = createSqliteStore(path.join(dir, 'append-now.db'), { journal: false });
    try {
      await store.migrate();
      const room = 'doc:n';
      expect(store.appendUpdatesNow?.([{ room, update: Uint8Array.of(1) }])).toBe(true);
      const answers: (boolean | undefined)[] = [];
      let queued: Promise<void> = Promise.resolve();
      await store.compactRoom(room, (updates) => {
        // Inside the compaction's transaction: a synchronous write would join it.
        answers.push(store.appendUpdatesNow?.([{ room, update: Uint8Array.of(2) }]));
        queued = store.appendUpdates([{ room, update: Uint8Array.of(3) }]);
        return updates[0];
      });
      await queued;
      answers.push(store.appendUpdatesNow?.([{ room, update: Uint8Array.of(5) }]));
      expect(answers).toEqual([false, true]);
      const loaded = await store.loadRoom(room);
      expect([...(loaded.snapshot ?? [])]).toEqual([1]);
      expect(loaded.updates.map((u) => u[0])).toEqual([3, 5]);
    } finally {
      await store.close();
    }
  });

  it('checkpoints the WAL on a worker thread, not on the appending connection, and leaves no WAL after close', async () => {
    const file = path.join(dir, 'checkpoints.db');
    // Without the journal, so that every append is a commit.
    const store = createSqliteStore(file, { commitsPerCheckpoint: 50, journal: false });
    await store.migrate();
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      const before = fs.statSync(file).size;
      // The appending connection's own threshold is far away: 150 commits are ~780 WAL pages, under its threshold and even under SQLite's default of 1000.
      for (let i = 0; i < 150; i++) expect(store.appendUpdatesNow?.([{ room: 'doc:c', update: Uint8Array.of(i % 256) }])).toBe(true);
      const started = Date.now();
      while (fs.statSync(file).size === before && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
      // Pages reached the database file: someone checkpointed, and this connection never blocked on it.
      expect(fs.statSync(file).size).toBeGreaterThan(before);
      expect(raw.prepare('select count(*) from room_updates').pluck().get()).toBe(150);
    } finally {
      raw.close();
      await store.close();
    }
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const reopened = await openStore(`sqlite:${file}`);
    try {
      expect((await reopened.loadRoom('doc:c')).updates).toHaveLength(150);
    } finally {
      await reopened.close();
    }
  });

  it('checkpoints a steady trickle of commits every interval, not once per 200 commits, so the WAL rewinds', async () => {
    const file = path.join(dir, 'trickle.db');
    // The journal's moves are the relay's commits: a few a second, far fewer than 200 per interval.
    const store = createSqliteStore(file, { checkpointEveryMs: 40, moveAfterMs: 10 });
    await store.migrate();
    const checkpointer = (store as unknown as { checkpointer: { checkpoints: number } }).checkpointer;
    try {
      const walSizes: number[] = [];
      for (let i = 0; i < 24; i++) {
        const batch = Array.from({ length: 50 }, (_, k) => ({ room: `doc:t${k}`, update: Uint8Array.of(i, k) }));
        expect(store.appendUpdatesNow?.(batch)).toBe(true);
        await new Promise((resolve) => setTimeout(resolve, 25));
        walSizes.push(fs.statSync(`${file}-wal`).size);
      }
      // About one checkpoint per 40 ms over ~600 ms; before the fix, one in all (the first commit's).
      expect(checkpointer.checkpoints).toBeGreaterThanOrEqual(5);
      // Checkpointed WAL frames are written over again: the file stops growing.
      expect(walSizes.at(-1)).toBeLessThan(walSizes[11] * 1.5);
      expect((await store.loadRoom('doc:t7')).updates).toHaveLength(24);
    } finally {
      await store.close();
    }
  });

  it.each([true, false])('appends made while a transaction is open survive its rollback and keep their order (journal: %s)', async (journal) => {
    const store = createSqliteStore(path.join(dir, `queued-append-${journal}.db`), { journal });
    try {
      await store.migrate();
      const room = 'doc:q';
      const called: number[] = [];
      const work: Promise<void>[] = [];
      const append = (value: number): void => {
        called.push(value);
        work.push(store.appendUpdates([{ room, update: Uint8Array.of(value) }]));
      };
      append(0);
      // The merge runs inside the compaction's transaction; it appends, then fails, so the
      // compaction rolls back. Those appends must not have been part of that transaction.
      const compaction = store.compactRoom(room, () => {
        for (let i = 1; i <= 3; i++) append(i);
        throw new Error('merge failed');
      });
      // Right after the rollback, while those may still wait for the connection.
      const after = compaction.catch(() => {
        for (let i = 4; i <= 6; i++) append(i);
      });
      await expect(compaction).rejects.toThrow('merge failed');
      await after;
      await Promise.all(work);
      for (let i = 7; i <= 8; i++) append(i);
      await Promise.all(work);
      const loaded = await store.loadRoom(room);
      expect(loaded.snapshot).toBeNull();
      expect(called).toHaveLength(9);
      expect(loaded.updates.map((u) => u[0])).toEqual(called);
    } finally {
      await store.close();
    }
  });

  it('folds without holding the connection: appends go on meanwhile, and a compaction overtaken by another is dropped', async () => {
    const store = createSqliteStore(path.join(dir, 'slow-fold.db'));
    try {
      await store.migrate();
      const room = 'doc:f';
      const concat = (parts: Uint8Array[]): Uint8Array => Uint8Array.of(...parts.flatMap((p) => Array.from(p)));
      for (let i = 1; i <= 3; i++) await store.appendUpdates([{ room, update: Uint8Array.of(i) }]);
      let releaseSlow!: () => void;
      let slow!: Promise<void>;
      const slowStarted = new Promise<void>((started) => {
        slow = store.compactRoom(room, (parts) => {
          started();
          return new Promise((resolve) => (releaseSlow = () => resolve(concat(parts))));
        });
      });
      await slowStarted;
      // While the slow fold runs: appends are not held up, and a second compaction folds and writes.
      await store.appendUpdates([{ room, update: Uint8Array.of(4) }]);
      await store.compactRoom(room, concat);
      await store.appendUpdates([{ room, update: Uint8Array.of(5) }]);
      releaseSlow();
      // The slow one's snapshot (1, 2, 3) is older than the one written meanwhile: it must not replace it.
      await slow;
      const loaded = await store.loadRoom(room);
      expect(Array.from(loaded.snapshot!)).toEqual([1, 2, 3, 4]);
      expect(loaded.updates.map((u) => u[0])).toEqual([5]);
    } finally {
      await store.close();
    }
  });

  it('updates survive the process being killed right after appendUpdates resolves', async () => {
    const file = path.join(dir, 'killed.db');
    const code = `
      import { openStore } from ${storeModule('open.ts')};
      const store = await openStore(${JSON.stringify(`sqlite:${file}`)});
      for (let i = 0; i < 50; i++) await store.appendUpdates([{ room: 'doc:k', update: Uint8Array.of(i) }]);
      process.kill(process.pid, 'SIGKILL');`;
    const result = await runProcess(code);
    expect(result.signal).toBe('SIGKILL');
    const store = await openStore(`sqlite:${file}`);
    try {
      const loaded = await store.loadRoom('doc:k');
      expect(loaded.updates.map((u) => u[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
    } finally {
      await store.close();
    }
  });
});

describe.each([
  { mode: 'mapped', mapJournal: true },
  { mode: 'pwrite(2)', mapJournal: false },
])('SQLite store: the update journal ($mode)', ({ mapJournal }) => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });
  const rowsIn = (file: string): number => {
    const raw = new BetterSqlite3(file, { readonly: true });
    try {
      return raw.prepare('select count(*) from room_updates').pluck().get() as number;
    } finally {
      raw.close();
    }
  };
  /** How many records a fresh reader finds in the store's journal file. */
  const journalRecords = (file: string): number => readJournal(journalPaths(file).journal).length;

  it('an append is in the journal before the call returns, and in SQLite (with the change feed) after the move', async () => {
    const file = path.join(dir, 'journal.db');
    const store = createSqliteStore(file, { moveAfterMs: 60_000, mapJournal });
    try {
      await store.migrate();
      expect(store.appendUpdatesNow?.([{ room: 'doc:j', update: Uint8Array.of(1) }, { room: 'doc:k', update: Uint8Array.of(2) }])).toBe(true);
      expect(journalRecords(file)).toBeGreaterThan(0);
      expect(rowsIn(file)).toBe(0);
      // Readers see the journal's records already.
      expect((await store.loadRoom('doc:j')).updates.map((u) => [...u])).toEqual([[1]]);
      expect(await store.countRoomUpdates('doc:k')).toBe(1);
      // The change feed moves them first, so its cursors are SQLite's seqs, in order.
      const feed = await store.listRoomChanges(0, 10);
      expect(feed.changes.map((c) => c.room)).toEqual(['doc:j', 'doc:k']);
      expect(rowsIn(file)).toBe(2);
      expect(journalRecords(file)).toBe(0);
      store.appendUpdatesNow?.([{ room: 'doc:j', update: Uint8Array.of(3) }]);
      const next = await store.listRoomChanges(feed.cursor, 10);
      expect(next.changes).toEqual([{ room: 'doc:j', seq: feed.cursor + 1 }]);
      expect((await store.loadRoom('doc:j')).updates.map((u) => [...u])).toEqual([[1], [3]]);
    } finally {
      await store.close();
    }
    // A clean close moves everything and removes the journal.
    expect(fs.existsSync(journalPaths(file).journal)).toBe(false);
    expect(rowsIn(file)).toBe(3);
  });

  it('moves its records into SQLite by itself shortly after they were appended', async () => {
    const file = path.join(dir, 'journal-timer.db');
    const store = createSqliteStore(file, { moveAfterMs: 20, mapJournal });
    try {
      await store.migrate();
      for (let i = 0; i < 5; i++) store.appendUpdatesNow?.([{ room: 'doc:t', update: Uint8Array.of(i) }]);
      const started = Date.now();
      while (rowsIn(file) < 5 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(rowsIn(file)).toBe(5);
      expect(journalRecords(file)).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('appends during a compaction go to the journal, not into its transaction, and compaction folds what was journalled before', async () => {
    const store = createSqliteStore(path.join(dir, 'journal-compact.db'), { moveAfterMs: 60_000, mapJournal });
    try {
      await store.migrate();
      const room = 'doc:n';
      expect(store.appendUpdatesNow?.([{ room, update: Uint8Array.of(1) }])).toBe(true);
      const answers: (boolean | undefined)[] = [];
      let queued: Promise<void> = Promise.resolve();
      await store.compactRoom(room, (updates) => {
        expect(updates.map((u) => u[0])).toEqual([1]);
        answers.push(store.appendUpdatesNow?.([{ room, update: Uint8Array.of(2) }]));
        queued = store.appendUpdates([{ room, update: Uint8Array.of(3) }]);
        return updates[0];
      });
      await queued;
      answers.push(store.appendUpdatesNow?.([{ room, update: Uint8Array.of(5) }]));
      expect(answers).toEqual([true, true]);
      const loaded = await store.loadRoom(room);
      expect([...(loaded.snapshot ?? [])]).toEqual([1]);
      expect(loaded.updates.map((u) => u[0])).toEqual([2, 3, 5]);
      // Compacting again folds the journal's records too, and the feed still has the room once.
      await store.compactRoom(room, (updates) => Uint8Array.of(...updates.map((u) => u[0])));
      expect(await store.countRoomUpdates(room)).toBe(0);
      expect([...((await store.loadRoom(room)).snapshot ?? [])]).toEqual([1, 2, 3, 5]);
      expect((await store.listRoomChanges(0, 10)).changes.map((c) => c.room)).toEqual([room]);
    } finally {
      await store.close();
    }
  });

  /** A child process that opens the store, runs `body` (with `store`, `fs` and `file` in scope), then kills itself. */
  const killedAfter = (file: string, body: string) => `
      import fs from 'node:fs';
      import { createSqliteStore, journalPaths } from ${storeModule('sqlite.ts')};
      const file = ${JSON.stringify(file)};
      const store = createSqliteStore(file, { moveAfterMs: 600_000, mapJournal: ${mapJournal} });
      await store.migrate();
      ${body}
      process.kill(process.pid, 'SIGKILL');`;

  it('records only in the journal when the process is killed are replayed at the next open, before anything is read', async () => {
    const file = path.join(dir, 'journal-killed.db');
    const result = await runProcess(
      killedAfter(file, `for (let i = 0; i < 50; i++) await store.appendUpdates([{ room: 'doc:k', update: Uint8Array.of(i) }]);`),
    );
    expect(result.signal).toBe('SIGKILL');
    expect(rowsIn(file)).toBe(0);
    expect(journalRecords(file)).toBeGreaterThan(0);
    const store = await openStore(`sqlite:${file}`);
    try {
      // Replayed by migrate (openStore), into SQLite, in order.
      expect(rowsIn(file)).toBe(50);
      expect(journalRecords(file)).toBe(0);
      expect((await store.loadRoom('doc:k')).updates.map((u) => u[0])).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect((await store.listRoomChanges(0, 10)).changes.map((c) => c.room)).toEqual(['doc:k']);
    } finally {
      await store.close();
    }
  });

  it('a torn last record (a write cut short by the crash) is dropped; everything before it is kept, and appends go on after it', async () => {
    const file = path.join(dir, 'journal-torn.db');
    const result = await runProcess(
      killedAfter(file, `for (let i = 0; i < 10; i++) store.appendUpdatesNow([{ room: 'doc:t', update: Uint8Array.of(i, i, i) }]);`),
    );
    expect(result.signal).toBe('SIGKILL');
    // The last record's final bytes never reached the file.
    tearLastRecord(journalPaths(file).journal, 2);
    const store = await openStore(`sqlite:${file}`);
    try {
      expect((await store.loadRoom('doc:t')).updates.map((u) => u[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      await store.appendUpdates([{ room: 'doc:t', update: Uint8Array.of(42) }]);
      expect((await store.loadRoom('doc:t')).updates.map((u) => u[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 42]);
    } finally {
      await store.close();
    }
  });

  it('a crash between the move into SQLite and the truncation of the journal duplicates nothing, and later ids go on from there', async () => {
    const file = path.join(dir, 'journal-replayed.db');
    const result = await runProcess(
      killedAfter(
        file,
        `for (let i = 0; i < 20; i++) store.appendUpdatesNow([{ room: 'doc:r', update: Uint8Array.of(i) }]);
        const before = fs.readFileSync(journalPaths(file).journal);
        await store.listRoomChanges(0, 1); // moves the records into SQLite and truncates the journal
        fs.writeFileSync(journalPaths(file).journal, before); // as if the truncation never happened`,
      ),
    );
    expect(result.signal).toBe('SIGKILL');
    expect(rowsIn(file)).toBe(20);
    expect(journalRecords(file)).toBeGreaterThan(0);
    const again = await runProcess(killedAfter(file, `store.appendUpdatesNow([{ room: 'doc:r', update: Uint8Array.of(99) }]);`));
    expect(again.signal).toBe('SIGKILL');
    const store = await openStore(`sqlite:${file}`);
    try {
      expect((await store.loadRoom('doc:r')).updates.map((u) => u[0])).toEqual([...Array.from({ length: 20 }, (_, i) => i), 99]);
      // Replaying the same journal again (reopening) changes nothing either.
      await store.close();
      const reopened = await openStore(`sqlite:${file}`);
      expect(await reopened.countRoomUpdates('doc:r')).toBe(21);
      await reopened.close();
    } finally {
      await store.close();
    }
  });

  it('a second store on the same file while the first owns the journal writes straight to SQLite; nothing is lost or doubled', async () => {
    const file = path.join(dir, 'journal-two.db');
    const first = createSqliteStore(file, { moveAfterMs: 60_000, mapJournal });
    await first.migrate();
    const second = createSqliteStore(file, { moveAfterMs: 60_000, mapJournal });
    await second.migrate();
    try {
      first.appendUpdatesNow?.([{ room: 'doc:2', update: Uint8Array.of(1) }]);
      second.appendUpdatesNow?.([{ room: 'doc:2', update: Uint8Array.of(2) }]);
      // The second one committed at once; the first one's record is still in its journal.
      expect(rowsIn(file)).toBe(1);
      expect(journalRecords(file)).toBeGreaterThan(0);
    } finally {
      await second.close();
      await first.close();
    }
    expect(rowsIn(file)).toBe(2);
    const store = await openStore(`sqlite:${file}`);
    try {
      expect((await store.loadRoom('doc:2')).updates.map((u) => u[0]).sort()).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  });
});
