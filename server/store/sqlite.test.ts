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
import { createSqliteStore } from './sqlite.ts';
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

  it('an append between transactions commits at once, before the call returns', async () => {
    const file = path.join(dir, 'fast-append.db');
    const store = createSqliteStore(file);
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

  it('appendUpdatesNow writes at once between transactions and refuses, writing nothing, while one is open', async () => {
    const store = createSqliteStore(path.join(dir, 'append-now.db'));
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
    const store = createSqliteStore(file, { commitsPerCheckpoint: 50 });
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

  it('appends made while a transaction is open wait for it, survive its rollback, and keep their order', async () => {
    const store = createSqliteStore(path.join(dir, 'queued-append.db'));
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
