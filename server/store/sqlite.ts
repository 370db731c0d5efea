/**
 * The embedded default store: one SQLite file opened with better-sqlite3, in WAL mode. It is the
 * shared Kysely store plus the relay's hot path: accepted room updates go to an append-only journal
 * file (update-journal.ts; memory-mapped on Linux), one copy or write per relay tick, and are moved
 * into the SQLite tables in batches a moment later (docs/decisions.md, "Relay updates: a journal in
 * front of SQLite" and "The journal, memory-mapped").
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import { BackgroundCheckpointer, FOREGROUND_CHECKPOINT_PAGES } from './sqlite-checkpointer.ts';
import type { Merge, RoomUpdate, Store, StoredRoom } from './store.ts';
import { type JournalRecord, UpdateJournal } from './update-journal.ts';

export interface SqliteStoreOptions {
  /**
   * How long a statement waits for another process's write lock before failing with SQLITE_BUSY.
   * better-sqlite3 waits synchronously, so this also bounds how long the event loop can stall.
   */
  readonly busyTimeoutMs?: number;
  /** Relay commits between two background checkpoints (sqlite-checkpointer.ts; tests set it low). */
  readonly commitsPerCheckpoint?: number;
  /** How long after a commit a background checkpoint runs at the latest (sqlite-checkpointer.ts; tests set it low). */
  readonly checkpointEveryMs?: number;
  /**
   * Whether room updates go through the journal (default: yes, for a file). Without it, or when
   * another process owns the journal, each append is one SQLite transaction, as before the journal.
   */
  readonly journal?: boolean;
  /** How long journal records wait before they are moved into SQLite (tests set it). */
  readonly moveAfterMs?: number;
  /**
   * Whether the journal is memory-mapped where server/native's addon is there (default: yes); false
   * writes it with pwrite(2) (CONGVU_JOURNAL_MMAP=0; tests run both).
   */
  readonly mapJournal?: boolean;
}

/**
 * Records wait at most this long in the journal before they are moved into SQLite. A move is one
 * transaction whatever its size, so the longer the wait, the less each record pays for it (10x5 at
 * 200 edits/s: 450-555 us of server CPU per edit at 500 ms against 495-630 at 100 ms); a move
 * holds the event loop for ~1-3 ms at 200-500 edits/s. Nobody reads SQLite behind the store's
 * back: loads, compaction and the change feed see or move the journal's records themselves.
 */
const MOVE_AFTER_MS = 500;
/** …or until there are this many of them, or this many bytes. */
const MOVE_AT_RECORDS = 2_000;
const MOVE_AT_BYTES = 8 * 1024 * 1024;
/** After a failed move (SQLite busy or failing) the next try waits this long. */
const MOVE_RETRY_MS = 1_000;
/** The settings row holding the id of the last journal record moved into SQLite. */
const MOVED_KEY = 'relay_journal_moved_id';

/** The journal's file and its lock file, next to the database. */
export function journalPaths(databaseFile: string): { journal: string; lock: string } {
  const journal = `${path.resolve(databaseFile)}.relay-journal`;
  return { journal, lock: `${journal}.lock` };
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
    // every commit, i.e. on every relay tick, for protection against power loss only. The update
    // journal gives room updates the same durability (update-journal.ts).
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
        }, options.commitsPerCheckpoint, options.checkpointEveryMs);
  const journal = filePath !== ':memory:' && options.journal !== false ? journalPaths(filePath) : undefined;
  return new SqliteStore(database, checkpointer, journal, options.moveAfterMs ?? MOVE_AFTER_MS, options.mapJournal ?? true);
}

/** A blob as better-sqlite3 returns it, as a plain Uint8Array over the same memory. */
function bytesOf(value: Uint8Array): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

interface CompactionInput {
  readonly parts: Uint8Array[];
  /** The seq the snapshot read covered (null: the room had none). */
  readonly fromSeq: number | null;
  readonly upToSeq: number;
}

class SqliteStore extends KyselyStore {
  private readonly appendBatch: (batch: readonly RoomUpdate[], createdAt: string) => void;
  private readonly moveBatch: (records: readonly JournalRecord[]) => void;
  private readonly readRoom: (room: string) => StoredRoom;
  /** What a compaction folds: the snapshot and the log after it, in order (null: nothing to fold). */
  private readonly readLog: (room: string) => CompactionInput | null;
  /** Writes a folded snapshot and deletes the log it covers, unless another compaction got there first. */
  private readonly writeSnapshot: (room: string, snapshot: Uint8Array, input: CompactionInput) => void;
  private readonly readSetting: (key: string) => string | undefined;
  /** Appends waiting for Kysely's connection that have not finished yet, and the last of them. */
  private queuedAppends = 0;
  private lastQueuedAppend: Promise<void> = Promise.resolve();

  // --- the journal (only when this process owns it: see openJournal) ---
  private journal: UpdateJournal | undefined;
  private journalLock: BetterSqlite3.Database | undefined;
  private journalOpened = false;
  /** Records in the journal that are not in SQLite yet, in order. */
  private unmoved: JournalRecord[] = [];
  private unmovedBytes = 0;
  private nextId = 1;
  private moveTimer: NodeJS.Timeout | undefined;
  private moveImmediate: NodeJS.Immediate | undefined;
  /** The last error of a background move, for diagnosis; the records stay in the journal meanwhile. */
  lastMoveError: unknown;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly checkpointer: BackgroundCheckpointer | undefined,
    private readonly journalFiles: { journal: string; lock: string } | undefined,
    private readonly moveAfterMs: number,
    private readonly mapJournal: boolean,
  ) {
    super(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), { dialect: 'sqlite' });
    // Statements are prepared on first use: before migrate() the tables do not exist yet.
    const statements = new Map<string, BetterSqlite3.Statement>();
    const statement = (text: string): BetterSqlite3.Statement => {
      let prepared = statements.get(text);
      if (!prepared) statements.set(text, (prepared = database.prepare(text)));
      return prepared;
    };
    const insertUpdate = (room: string, update: Uint8Array, createdAt: string): number | bigint =>
      statement('insert into room_updates (room, "update", created_at) values (?, ?, ?)').run(room, update, createdAt).lastInsertRowid;
    const upsertHeads = (heads: Map<string, number | bigint>): void => {
      const upsert = statement('insert into room_heads (room, seq) values (?, ?) on conflict (room) do update set seq = excluded.seq');
      for (const [room, seq] of heads) upsert.run(room, seq);
    };
    const transaction = database.transaction((batch: readonly RoomUpdate[], createdAt: string) => {
      const heads = new Map<string, number | bigint>();
      for (const { room, update } of batch) heads.set(room, insertUpdate(room, update, createdAt));
      upsertHeads(heads);
    });
    this.appendBatch = (batch, createdAt) => {
      transaction.immediate(batch, createdAt);
      checkpointer?.committed();
    };
    // The same rows as an append, plus the id of the last record moved, in one transaction: a
    // replay after a crash between this commit and the journal's truncation skips what is here.
    const move = database.transaction((records: readonly JournalRecord[]) => {
      const heads = new Map<string, number | bigint>();
      let at = Number.NaN;
      let createdAt = '';
      for (const record of records) {
        if (record.at !== at) createdAt = new Date((at = record.at)).toISOString();
        heads.set(record.room, insertUpdate(record.room, record.update, createdAt));
      }
      upsertHeads(heads);
      statement('insert into settings (key, value) values (?, ?) on conflict (key) do update set value = excluded.value').run(
        MOVED_KEY,
        String(records[records.length - 1].id),
      );
    });
    this.moveBatch = (records) => {
      move.immediate(records);
      checkpointer?.committed();
    };
    this.readSetting = (key) => (statement('select value from settings where key = ?').pluck().get(key) as string | undefined) ?? undefined;
    // Reads and compaction of the log run synchronously, so that no move can slip in between
    // what they read from SQLite and what they take from the journal's records.
    const readRoom = database.transaction((room: string): StoredRoom => {
      const snapshotRow = statement('select snapshot, up_to_seq from room_snapshots where room = ?').get(room) as
        | { snapshot: Uint8Array; up_to_seq: number }
        | undefined;
      const rows = statement('select "update" from room_updates where room = ? and seq > ? order by seq')
        .pluck()
        .all(room, snapshotRow?.up_to_seq ?? 0) as Uint8Array[];
      const snapshot = snapshotRow ? bytesOf(snapshotRow.snapshot) : null;
      const updates = rows.map(bytesOf);
      let bytes = snapshot?.byteLength ?? 0;
      for (const update of updates) bytes += update.byteLength;
      return { snapshot, updates, bytes };
    });
    this.readRoom = (room) => readRoom.deferred(room);
    const readSnapshotRow = (room: string) =>
      statement('select snapshot, up_to_seq from room_snapshots where room = ?').get(room) as
        | { snapshot: Uint8Array; up_to_seq: number }
        | undefined;
    this.readLog = database.transaction((room: string): CompactionInput | null => {
      const snapshotRow = readSnapshotRow(room);
      const rows = statement('select seq, "update" from room_updates where room = ? and seq > ? order by seq').all(
        room,
        snapshotRow?.up_to_seq ?? 0,
      ) as { seq: number; update: Uint8Array }[];
      if (rows.length === 0) return null;
      const parts = rows.map((row) => bytesOf(row.update));
      if (snapshotRow) parts.unshift(bytesOf(snapshotRow.snapshot));
      return { parts, fromSeq: snapshotRow?.up_to_seq ?? null, upToSeq: rows[rows.length - 1].seq };
    });
    const writeSnapshot = database.transaction((room: string, snapshot: Uint8Array, input: CompactionInput) => {
      // Another compaction of the room wrote its snapshot while this one folded: this one's
      // snapshot is older, and the log it would delete may already be gone. It is dropped.
      if ((readSnapshotRow(room)?.up_to_seq ?? null) !== input.fromSeq) return;
      statement(
        'insert into room_snapshots (room, snapshot, up_to_seq) values (?, ?, ?) ' +
          'on conflict (room) do update set snapshot = excluded.snapshot, up_to_seq = excluded.up_to_seq',
      ).run(room, snapshot, input.upToSeq);
      // Only rows up to the last one read: anything appended since stays in the log.
      statement('delete from room_updates where room = ? and seq <= ?').run(room, input.upToSeq);
    });
    this.writeSnapshot = (room, snapshot, input) => {
      writeSnapshot.immediate(room, snapshot, input);
      checkpointer?.committed();
    };
  }

  /**
   * Brings the schema up to date, then takes the journal: the first process to open the file owns
   * it (an exclusive lock held for the life of the store), replays what an earlier process left in
   * it into SQLite, and from then on appends there. Another process opening the same file at the
   * same time (a second server, a command-line tool) writes straight to SQLite instead.
   */
  override async migrate(): Promise<void> {
    await super.migrate();
    this.checkpointer?.prepare();
    if (!this.journalFiles || this.journalOpened) return;
    this.journalOpened = true;
    await this.db.connection().execute(async () => this.openJournal(this.journalFiles!));
  }

  private openJournal(files: { journal: string; lock: string }): void {
    const lock = new BetterSqlite3(files.lock, { timeout: 0 });
    try {
      lock.pragma('locking_mode = EXCLUSIVE');
      lock.exec('begin exclusive');
      lock.exec('commit');
    } catch (error) {
      lock.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return;
      throw error;
    }
    let opened: UpdateJournal | undefined;
    try {
      const { journal, records } = UpdateJournal.open(files.journal, { map: this.mapJournal });
      opened = journal;
      const moved = Number(this.readSetting(MOVED_KEY) ?? 0);
      const pending = records.filter((record) => record.id > moved);
      this.nextId = Math.max(moved, records.length > 0 ? records[records.length - 1].id : 0) + 1;
      if (pending.length > 0) this.moveBatch(pending);
      journal.reset();
      this.journal = journal;
      this.journalLock = lock;
    } catch (error) {
      // What could not be replayed stays in the file for the next open.
      opened?.close();
      lock.close();
      throw error;
    }
  }

  override async close(): Promise<void> {
    if (this.journal) {
      clearTimeout(this.moveTimer);
      if (this.moveImmediate) clearImmediate(this.moveImmediate);
      let moved = false;
      try {
        await this.db.connection().execute(async () => this.moveNow());
        moved = this.unmoved.length === 0;
      } catch {
        // What could not be moved stays in the journal; the next open replays it.
      }
      this.journal.close();
      if (moved) fs.rmSync(this.journal.path, { force: true });
      this.journal = undefined;
      // The lock file stays: removing it could let two later processes lock two different files.
      this.journalLock?.close();
      this.journalLock = undefined;
    }
    // Then the checkpointer, so that this connection is the last one and its close checkpoints and removes the WAL.
    await this.checkpointer?.close();
    await super.close();
  }

  /**
   * Room updates, in order, in one write (journal) or one transaction (without a journal).
   *
   * When the batch can be written at once (always with a usable journal; without one, when the
   * connection is between transactions and no earlier append is still queued), it is written
   * synchronously, before the returned promise settles.
   *
   * Otherwise it waits for Kysely's connection: run while a Kysely transaction is suspended at an
   * await, a synchronous SQLite append would silently become part of that transaction, durable only
   * if and when that one commits. Waiting appends run one after another in call order (Kysely's
   * connection mutex wakes all its waiters at once, so it does not keep their order), and while one
   * of them waits, later appends queue behind it.
   */
  override appendUpdates(batch: readonly RoomUpdate[]): Promise<void> {
    try {
      if (this.appendUpdatesNow(batch)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const createdAt = new Date().toISOString();
    this.queuedAppends++;
    const run = (): Promise<void> =>
      this.db.connection().execute(async () => {
        // Records still in the journal come first.
        this.moveNow();
        this.appendBatch(batch, createdAt);
      });
    const append = this.lastQueuedAppend.then(run, run).finally(() => this.queuedAppends--);
    this.lastQueuedAppend = append;
    return append;
  }

  /** The synchronous half of appendUpdates: false whenever the batch would have to wait. */
  appendUpdatesNow(batch: readonly RoomUpdate[]): boolean {
    if (batch.length === 0) return true;
    if (this.queuedAppends > 0) return false;
    const journal = this.journal;
    if (journal) {
      // A write that failed and could not be cut off again leaves the journal unusable until its
      // records are in SQLite and the file is emptied.
      if (!journal.usable && !this.database.inTransaction) this.moveNow();
      if (journal.usable) {
        const at = Date.now();
        const records: JournalRecord[] = [];
        let bytes = 0;
        for (const { room, update } of batch) {
          records.push({ id: this.nextId++, at, room, update });
          bytes += update.byteLength;
        }
        try {
          journal.append(records);
        } catch (error) {
          this.nextId -= records.length;
          throw error;
        }
        for (const record of records) this.unmoved.push(record);
        this.unmovedBytes += bytes;
        this.scheduleMove();
        return true;
      }
    }
    if (this.unmoved.length > 0 || this.database.inTransaction) return false;
    this.appendBatch(batch, new Date().toISOString());
    return true;
  }

  private scheduleMove(): void {
    if (this.moveImmediate) return;
    if (this.unmoved.length >= MOVE_AT_RECORDS || this.unmovedBytes >= MOVE_AT_BYTES) {
      clearTimeout(this.moveTimer);
      this.moveTimer = undefined;
      this.moveImmediate = setImmediate(() => this.moveInBackground());
      return;
    }
    if (this.moveTimer) return;
    this.moveTimer = setTimeout(() => this.moveInBackground(), this.moveAfterMs);
    this.moveTimer.unref();
  }

  private moveInBackground(): void {
    this.moveTimer = undefined;
    this.moveImmediate = undefined;
    try {
      this.moveNow();
    } catch (error) {
      this.lastMoveError = error;
      this.moveTimer = setTimeout(() => this.moveInBackground(), MOVE_RETRY_MS);
      this.moveTimer.unref();
    }
  }

  /**
   * Moves every journal record into SQLite in one transaction, then empties the journal. Never
   * inside another transaction (a Kysely one suspended at an await): the rows would share its fate,
   * while the journal would already be empty. Throws when the transaction fails (records stay).
   */
  private moveNow(): void {
    if (this.unmoved.length === 0) return;
    if (this.database.inTransaction) {
      this.scheduleMove();
      return;
    }
    clearTimeout(this.moveTimer);
    this.moveTimer = undefined;
    this.moveBatch(this.unmoved);
    this.unmoved = [];
    this.unmovedBytes = 0;
    try {
      this.journal?.reset();
    } catch {
      // Every record in the file is in SQLite and marked as moved: a replay would skip them all.
    }
  }

  /** Journal records of the room that are not in SQLite yet. */
  private unmovedOf(room: string): Uint8Array[] {
    const updates: Uint8Array[] = [];
    for (const record of this.unmoved) if (record.room === room) updates.push(record.update);
    return updates;
  }

  override async loadRoom(room: string): Promise<StoredRoom> {
    if (!this.journal && this.unmoved.length === 0) return super.loadRoom(room);
    const stored = this.readRoom(room);
    const pending = this.unmovedOf(room);
    if (pending.length === 0) return stored;
    let bytes = stored.bytes;
    for (const update of pending) bytes += update.byteLength;
    return { snapshot: stored.snapshot, updates: [...stored.updates, ...pending], bytes };
  }

  override async countRoomUpdates(room: string): Promise<number> {
    return (await super.countRoomUpdates(room)) + this.unmovedOf(room).length;
  }

  /**
   * Folds everything stored for the room, the journal's records included, in three steps so that
   * the connection is not held while `merge` runs (it may take several turns of the event loop):
   * read the snapshot and the log (the journal's records moved first), merge, write the snapshot
   * and delete the log it covers.
   */
  override async compactRoom(room: string, merge: Merge): Promise<void> {
    if (!this.journal && this.unmoved.length === 0) return super.compactRoom(room, merge);
    const input = await this.db.connection().execute(async () => {
      this.moveNow();
      return this.readLog(room);
    });
    if (input === null) return;
    const snapshot = await merge(input.parts);
    await this.db.connection().execute(async () => this.writeSnapshot(room, snapshot, input));
  }

  /** The change feed sees the journal's records too: they are moved into SQLite first. */
  override async listRoomChanges(since: number, limit: number): Promise<{ changes: { room: string; seq: number }[]; cursor: number }> {
    if (this.unmoved.length > 0) {
      try {
        await this.db.connection().execute(async () => this.moveNow());
      } catch (error) {
        // They reach the feed with the next move that succeeds; seqs are handed out then, in order.
        this.lastMoveError = error;
      }
    }
    return super.listRoomChanges(since, limit);
  }
}
