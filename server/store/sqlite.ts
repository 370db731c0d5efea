/**
 * The embedded default store: one SQLite file opened with better-sqlite3, in WAL mode. It is the
 * shared Kysely store plus one fast path, the relay's per-tick append, done with prepared statements.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import { BackgroundCheckpointer, FOREGROUND_CHECKPOINT_PAGES } from './sqlite-checkpointer.ts';
import type { RoomUpdate, Store } from './store.ts';

export interface SqliteStoreOptions {
  /**
   * How long a statement waits for another process's write lock before failing with SQLITE_BUSY.
   * better-sqlite3 waits synchronously, so this also bounds how long the event loop can stall.
   */
  readonly busyTimeoutMs?: number;
  /** Relay commits between two background checkpoints (sqlite-checkpointer.ts; tests set it low). */
  readonly commitsPerCheckpoint?: number;
}

/** Opens (creating if needed) the SQLite database at `filePath`, or `:memory:`. Call migrate() before use. */
export function createSqliteStore(filePath: string, options: Readonly<SqliteStoreOptions> = {}): Store {
  if (filePath !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(filePath)), { recursive: true });
  const database = new BetterSqlite3(filePath);
  try {
    // WAL + synchronous=NORMAL: a commit appends its pages to the WAL with write(2) and returns
    // without fsync. Once write(2) returns the data is in the kernel's page cache, so killing the
    // process (kill -9, a crash, an OOM kill) loses no committed transaction; only an OS crash or
    // power cut can lose the last few commits, and even then the file is never corrupted, because
    // the WAL is fsynced before every checkpoint copies it into the database. FULL would fsync on
    // every commit, i.e. on every relay tick, for protection against power loss only.
    // busy_timeout first: switching to WAL needs a moment of exclusive access, and another process
    // may be opening the same file right now.
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    // Checkpoints run on a worker thread (sqlite-checkpointer.ts); this connection does its own
    // only far beyond SQLite's default of 1000 pages, should the worker fall behind.
    if (filePath !== ':memory:') database.pragma(`wal_autocheckpoint = ${FOREGROUND_CHECKPOINT_PAGES}`);
  } catch (error) {
    database.close();
    throw error;
  }
  const checkpointer =
    filePath === ':memory:'
      ? undefined
      : new BackgroundCheckpointer(path.resolve(filePath), () => {
          if (database.open) database.pragma('wal_autocheckpoint = 1000');
        }, options.commitsPerCheckpoint);
  return new SqliteStore(database, checkpointer);
}

class SqliteStore extends KyselyStore {
  private readonly appendBatch: (batch: readonly RoomUpdate[], createdAt: string) => void;
  /** Appends waiting for Kysely's connection that have not finished yet, and the last of them. */
  private queuedAppends = 0;
  private lastQueuedAppend: Promise<void> = Promise.resolve();

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly checkpointer: BackgroundCheckpointer | undefined,
  ) {
    super(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), { dialect: 'sqlite' });
    // Statements are prepared on first use: before migrate() the tables do not exist yet.
    let insertUpdate: BetterSqlite3.Statement<[string, Uint8Array, string]> | undefined;
    let upsertHead: BetterSqlite3.Statement<[string, number | bigint]> | undefined;
    const transaction = database.transaction((batch: readonly RoomUpdate[], createdAt: string) => {
      insertUpdate ??= database.prepare('insert into room_updates (room, "update", created_at) values (?, ?, ?)');
      upsertHead ??= database.prepare(
        'insert into room_heads (room, seq) values (?, ?) on conflict (room) do update set seq = excluded.seq',
      );
      const heads = new Map<string, number | bigint>();
      for (const { room, update } of batch) heads.set(room, insertUpdate.run(room, update, createdAt).lastInsertRowid);
      for (const [room, seq] of heads) upsertHead.run(room, seq);
    });
    this.appendBatch = (batch, createdAt) => {
      transaction.immediate(batch, createdAt);
      checkpointer?.committed();
    };
  }

  override async close(): Promise<void> {
    // First, so that this connection is the last one and its close checkpoints and removes the WAL.
    await this.checkpointer?.close();
    await super.close();
  }

  /**
   * The same rows as the shared implementation, with statements prepared once instead of built and
   * prepared per call (append-timing.ts measures both).
   *
   * When the connection is between transactions and no earlier append is still queued, the batch is
   * written at once, synchronously: better-sqlite3 runs the whole transaction before anything else
   * can use the connection, and it has committed when the returned promise settles. Kysely's
   * connection queue costs as much CPU as the insert itself at one small batch per relay tick.
   *
   * Otherwise it waits for Kysely's connection: run while a Kysely transaction is suspended at an
   * await (`inTransaction`), it would silently become part of that transaction, durable only if and
   * when that one commits. Waiting appends run one after another in call order (Kysely's connection
   * mutex wakes all its waiters at once, so it does not keep their order), and while one of them
   * waits, later appends queue behind it.
   */
  override appendUpdates(batch: readonly RoomUpdate[]): Promise<void> {
    try {
      if (this.appendUpdatesNow(batch)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const createdAt = new Date().toISOString();
    this.queuedAppends++;
    const run = (): Promise<void> => this.db.connection().execute(async () => this.appendBatch(batch, createdAt));
    const append = this.lastQueuedAppend.then(run, run).finally(() => this.queuedAppends--);
    this.lastQueuedAppend = append;
    return append;
  }

  /** The synchronous half of appendUpdates: false whenever the batch would have to wait. */
  appendUpdatesNow(batch: readonly RoomUpdate[]): boolean {
    if (batch.length === 0) return true;
    if (this.queuedAppends > 0 || this.database.inTransaction) return false;
    this.appendBatch(batch, new Date().toISOString());
    return true;
  }
}
