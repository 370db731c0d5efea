/**
 * The signed-in user's workspace: the local store, the API, the open documents' live sessions,
 * background sync of the others, and the outbox. It owns the one summary the UI shows at all
 * times: synced, syncing, or offline with N changes waiting.
 *
 * N counts this device's Yjs updates that have not been sent to the server (counted by the
 * persistence, since state vectors cannot show deletions, yjs#374) plus the commands waiting in
 * the outbox (a document or board created offline).
 *
 * Task boards (issue 6) live beside documents: their Y.Docs are kept in the same update log under
 * the key `board:<id>` (their room name), synced by the same background exchange and change feed,
 * created offline through the same outbox; what this device sees of them feeds the task index
 * behind "Việc của tôi" (renderer/boards/task-index.ts).
 */
import type { BoardMember, BoardMemberRequest, BoardRecord, DocumentRecord, Principal, User } from '../../common/api.ts';
import { boardSeedUpdate } from '../../common/board.ts';
import { BoardSession } from '../boards/board-session.ts';
import { boardKey, dropBoardIndex, indexBoard, isBoardKey } from '../boards/task-index.ts';
import { DocPersistence } from '../store/doc-persistence.ts';
import { ApiClient, type ApiFailure } from '../api/client.ts';
import { getKv, openDb, setKv, type CongvuDb, type LocalBoard, type LocalDocument, type OutboxEntry } from '../store/db.ts';
import { documentSeedUpdate, writeMeta } from '../../common/document-content.ts';
import { docsWithPending, pendingTotal } from '../store/update-log.ts';
import * as Y from 'yjs';
import { BackgroundSync } from './background-sync.ts';
import { Connectivity, type Reachability } from './connectivity.ts';
import type { ConnectionProblem } from './doc-connection.ts';
import { DocSession, type SessionHost } from './doc-session.ts';
import { isApprovalCommand, sendApprovalCommand, type ApprovalOutboxEntry } from '../approvals/decision-outbox.ts';
import type { DocumentTypeCode } from '../../common/document-types.ts';

export function isReadOnlyRole(role: DocumentRecord['role'] | BoardRecord['role']): boolean {
  return role === 'viewer' || role === 'commenter';
}

export type SyncPhase = 'synced' | 'syncing' | 'offline';

export interface WorkspaceStatus {
  readonly reachability: Reachability;
  readonly phase: SyncPhase;
  /** Changes made here that the server does not have yet. */
  readonly waiting: number;
  /** The session expired: sign in again (nothing local is lost). */
  readonly authExpired: boolean;
  /** The last problem a document's connection reported. */
  readonly problem: { readonly docId: string; readonly problem: ConnectionProblem } | null;
}

export interface WorkspaceOptions {
  readonly user: User;
  readonly token: string;
  /** Where the HTTP API is: the page's origin (the desktop app's scheme passes /api through). */
  readonly baseUrl: string;
  /**
   * The y-websocket URL (`ws(s)://host:port/sync`). Defaults to the one of `baseUrl`; the desktop
   * app gives the configured server's, since no WebSocket goes through its custom scheme.
   */
  readonly syncUrl?: string;
  readonly pollMs?: number;
  readonly indexedDB?: IDBFactory;
  readonly keyRange?: typeof IDBKeyRange;
}

const CHANGES_POLL_MS = 4_000;
const LIST_REFRESH_MS = 30_000;

export class Workspace {
  readonly db: CongvuDb;
  readonly api: ApiClient;
  readonly connectivity: Connectivity;
  readonly background: BackgroundSync;
  readonly user: User;
  private token: string;
  private readonly syncUrl: string;
  private readonly sessions = new Map<string, DocSession>();
  /** Open boards, by local-store key (`board:<id>`). */
  private readonly boardSessions = new Map<string, BoardSession>();
  private readonly listeners = new Set<() => void>();
  private snap: WorkspaceStatus;
  private recountTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private lastListRefresh = 0;
  private outboxRunning = false;
  private stopped = false;
  /** Documents (by id) and boards (by `board:<id>`) whose creation has not reached the server yet. */
  private readonly unconfirmed = new Set<string>();
  /** Documents this user may only read (kept from the records, for background connections). */
  private readonly readOnlyDocs = new Set<string>();
  private readonly host: SessionHost;

  constructor(private readonly options: WorkspaceOptions) {
    this.user = options.user;
    this.token = options.token;
    this.db = openDb(options.user.id, options.indexedDB, options.keyRange);
    this.syncUrl = options.syncUrl ?? options.baseUrl.replace(/^http/, 'ws') + '/sync';
    this.connectivity = new Connectivity({ probe: () => this.api.health() });
    this.api = new ApiClient({
      baseUrl: options.baseUrl,
      getToken: () => this.token,
      onReachability: (reachable) => this.connectivity.report(reachable),
    });
    this.snap = { reachability: this.connectivity.state, phase: 'syncing', waiting: 0, authExpired: false, problem: null };
    this.host = {
      db: this.db,
      syncUrl: this.syncUrl,
      token: () => this.token,
      mayConnect: (docId) => !this.unconfirmed.has(docId),
      changed: () => this.scheduleRecount(),
      reachable: (reachable) => this.connectivity.report(reachable),
      probe: () => this.connectivity.probeNow(),
      problem: (docId, problem) => this.onProblem(docId, problem),
    };
    this.background = new BackgroundSync({
      ...this.host,
      isOpen: (docId) => this.sessions.has(docId) || this.boardSessions.has(docId),
      isReadOnly: (docId) => this.readOnlyDocs.has(docId),
      roomOf: (key) => (isBoardKey(key) ? key : `doc:${key}`),
      exchanged: (key, doc) => (isBoardKey(key) ? indexBoard(this.db, key.slice('board:'.length), doc) : Promise.resolve()),
    });
    this.connectivity.onChange((state) => this.onReachability(state));
  }

  async start(): Promise<void> {
    await setKv(this.db, 'me', this.user);
    await this.db.documents.each((doc) => {
      if (doc.pendingCreate === true) this.unconfirmed.add(doc.id);
      if (isReadOnlyRole(doc.role)) this.readOnlyDocs.add(doc.id);
    });
    await this.db.boards.each((board) => {
      if (board.pendingCreate === true) this.unconfirmed.add(boardKey(board.id));
      if (isReadOnlyRole(board.role)) this.readOnlyDocs.add(boardKey(board.id));
    });
    this.scheduleRecount();
    if (this.connectivity.state === 'online') this.background.resume();
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    clearTimeout(this.recountTimer);
    this.connectivity.stop();
    this.background.pause();
    for (const session of this.sessions.values()) void session.destroy();
    this.sessions.clear();
    for (const session of this.boardSessions.values()) void session.destroy();
    this.boardSessions.clear();
    this.db.close();
  }

  // --- status for the UI ---

  get status(): WorkspaceStatus {
    return this.snap;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  setToken(token: string): void {
    this.token = token;
    this.patch({ authExpired: false });
    for (const session of this.sessions.values()) session.resume();
    for (const session of this.boardSessions.values()) session.resume();
    this.connectivity.probeNow();
  }

  // --- documents ---

  /** Opens a document's live session. Only one per document: the page's SessionSlot guarantees it. */
  openSession(docId: string, readOnly: boolean): DocSession {
    const existing = this.sessions.get(docId);
    if (existing) {
      this.sessions.delete(docId);
      void existing.destroy();
    }
    this.background.abort(docId);
    const session = new DocSession(this.host, docId, readOnly);
    this.sessions.set(docId, session);
    return session;
  }

  closeSession(session: DocSession): Promise<void> {
    if (this.sessions.get(session.docId) === session) this.sessions.delete(session.docId);
    const done = session.destroy();
    // Whatever was typed and not sent goes out in the background.
    void done.then(() => this.scheduleRecount());
    return done;
  }

  /**
   * Creates a document on this device, at once and with no network: the record, its first
   * content (the seed and the meta fields, written once here and never "bootstrapped" later) and
   * the outbox command that will create it on the server with the same id.
   */
  async createDocument(input: { readonly type: DocumentTypeCode; readonly title: string }): Promise<string> {
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    const title = input.title.trim().normalize('NFC');
    const record: LocalDocument = {
      id,
      title,
      type: input.type,
      status: 'draft',
      agencyId: this.user.agencyId,
      ownerId: this.user.id,
      role: 'owner',
      createdAt: now,
      updatedAt: now,
      pendingCreate: true,
    };
    const doc = new Y.Doc();
    Y.applyUpdate(doc, documentSeedUpdate());
    writeMeta(doc, { title, type: input.type });
    const update = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    this.unconfirmed.add(id);
    await this.db.transaction('rw', [this.db.documents, this.db.outbox, this.db.updates, this.db.docStates], async () => {
      await this.db.documents.add(record);
      await this.db.updates.add({ docId: id, update });
      await this.db.docStates.put({ docId: id, pending: 0, lastServerAt: null });
      await this.db.outbox.add({ kind: 'createDocument', payload: { id, title, type: input.type }, createdAt: now, attempts: 0 });
    });
    this.scheduleRecount();
    void this.runOutbox();
    return id;
  }

  /** Fetches the record of one document (e.g. opened by its address) and stores it. */
  async fetchDocument(docId: string): Promise<LocalDocument | undefined> {
    const result = await this.api.getDocument(docId);
    if (result.ok) {
      await this.storeRecords([result.value], false);
      return result.value;
    }
    this.onApiFailure(result.error);
    return this.db.documents.get(docId);
  }

  /** Refreshes the document and board lists, the directory and "awaiting me" from the server (when it answers). */
  async refresh(): Promise<void> {
    this.lastListRefresh = Date.now();
    const [docs, directory] = await Promise.all([this.api.listDocuments(), this.api.directory()]);
    if (docs.ok) await this.storeRecords(docs.value.documents, true);
    else this.onApiFailure(docs.error);
    if (directory.ok) await setKv(this.db, 'directory', directory.value);
    if (docs.ok) await Promise.all([this.refreshBoards(), this.refreshApprovals()]);
  }

  // --- task boards ---

  /** Opens a board's live session (one per board). */
  openBoardSession(boardId: string, readOnly: boolean): BoardSession {
    const key = boardKey(boardId);
    const existing = this.boardSessions.get(key);
    if (existing) {
      this.boardSessions.delete(key);
      void existing.destroy();
    }
    this.background.abort(key);
    // Not started here: the page loads it once the board is on screen (renderer/boards/BoardPage.tsx).
    const session = new BoardSession(this.host, boardId, readOnly);
    this.boardSessions.set(key, session);
    return session;
  }

  closeBoardSession(session: BoardSession): Promise<void> {
    if (this.boardSessions.get(session.key) === session) this.boardSessions.delete(session.key);
    const done = session.destroy();
    void done.then(() => this.scheduleRecount());
    return done;
  }

  /**
   * Creates a board on this device at once, with no network: the record, its default columns (the
   * idempotent seed) and the outbox command that creates it on the server with the same id.
   */
  async createBoard(input: { readonly title: string }): Promise<string> {
    const id = crypto.randomUUID();
    const key = boardKey(id);
    const now = new Date().toISOString();
    const title = input.title.trim().normalize('NFC');
    const record: LocalBoard = {
      id,
      title,
      agencyId: this.user.agencyId,
      ownerId: this.user.id,
      role: 'owner',
      createdAt: now,
      updatedAt: now,
      pendingCreate: true,
      members: [],
    };
    this.unconfirmed.add(key);
    await this.db.transaction('rw', [this.db.boards, this.db.outbox, this.db.updates, this.db.docStates], async () => {
      await this.db.boards.add(record);
      await this.db.updates.add({ docId: key, update: boardSeedUpdate() });
      await this.db.docStates.put({ docId: key, pending: 0, lastServerAt: null });
      await this.db.outbox.add({ kind: 'createBoard', payload: { id, title }, createdAt: now, attempts: 0 });
    });
    this.scheduleRecount();
    void this.runOutbox();
    return id;
  }

  /** Fetches one board's record (e.g. opened by its address) and stores it. */
  async fetchBoard(boardId: string): Promise<LocalBoard | undefined> {
    const result = await this.api.getBoard(boardId);
    if (result.ok) {
      await this.storeBoards([result.value], false);
      return this.db.boards.get(boardId);
    }
    this.onApiFailure(result.error);
    return this.db.boards.get(boardId);
  }

  async refreshBoards(): Promise<void> {
    const boards = await this.api.listBoards();
    if (boards.ok) await this.storeBoards(boards.value.boards, true);
    else this.onApiFailure(boards.error);
  }

  /** Reads the board's members from the server into the local record (for the assignee picker offline). */
  async refreshBoardMembers(boardId: string): Promise<readonly BoardMember[] | undefined> {
    const result = await this.api.boardMembers(boardId);
    if (!result.ok) return (await this.db.boards.get(boardId))?.members;
    await this.db.boards.update(boardId, { members: result.value.members });
    return result.value.members;
  }

  /** Adds a member or changes its role (the owner, online: membership is the server's authority). */
  async putBoardMember(boardId: string, request: BoardMemberRequest): Promise<{ ok: true } | { ok: false; code: string }> {
    const result = await this.api.putBoardMember(boardId, request);
    if (!result.ok) return { ok: false, code: result.error.kind === 'network' ? 'offline' : result.error.code };
    await this.db.boards.update(boardId, { members: result.value.members });
    return { ok: true };
  }

  async deleteBoardMember(boardId: string, principal: Principal): Promise<{ ok: true } | { ok: false; code: string }> {
    const result = await this.api.deleteBoardMember(boardId, principal);
    if (!result.ok) return { ok: false, code: result.error.kind === 'network' ? 'offline' : result.error.code };
    await this.db.boards.update(boardId, { members: result.value.members });
    return { ok: true };
  }

  /**
   * Changes a board's Y.Doc from outside its page (a task made from a document): in the open
   * session if there is one, otherwise loaded from the local store, changed, written back and
   * queued for the background exchange. Works offline; the change waits like any other.
   */
  async editBoard(boardId: string, change: (doc: Y.Doc) => void): Promise<void> {
    const key = boardKey(boardId);
    const open = this.boardSessions.get(key);
    if (open) {
      await open.start();
      change(open.ydoc);
      await open.whenSaved();
      return;
    }
    this.background.abort(key);
    const doc = new Y.Doc();
    const persistence = DocPersistence.attach(this.db, key, doc, { classify: () => 'local', isLive: () => false });
    try {
      await persistence.load();
      change(doc);
      await persistence.whenSaved();
      await indexBoard(this.db, boardId, doc);
    } finally {
      await persistence.destroy();
      doc.destroy();
    }
    this.scheduleRecount();
    if (this.connectivity.state === 'online') this.background.enqueue([key]);
  }

  /** "Chờ tôi xử lý" from the approvals API, kept for offline use; absent API: left as it was. */
  async refreshApprovals(): Promise<void> {
    const result = await this.api.approvals();
    if (result.ok) await setKv(this.db, 'approvals', result.value);
  }

  // --- internals ---

  private async storeBoards(records: readonly BoardRecord[], complete: boolean): Promise<void> {
    const neverFetched: string[] = [];
    const gone: string[] = [];
    await this.db.transaction('rw', this.db.boards, this.db.docStates, async () => {
      const known = new Set(records.map((r) => r.id));
      for (const record of records) {
        const key = boardKey(record.id);
        const local = await this.db.boards.get(record.id);
        await this.db.boards.put({ ...record, pendingCreate: false, members: local?.members });
        if (local?.pendingCreate) this.unconfirmed.delete(key);
        if (isReadOnlyRole(record.role)) this.readOnlyDocs.add(key);
        else this.readOnlyDocs.delete(key);
        const state = await this.db.docStates.get(key);
        if (!state || state.lastServerAt === null) neverFetched.push(key);
      }
      if (complete) {
        // Boards the server no longer shows us (membership removed): forget them here.
        gone.push(...(await this.db.boards.filter((b) => !known.has(b.id) && b.pendingCreate !== true).primaryKeys()));
        await this.db.boards.bulkDelete(gone);
      }
    });
    for (const boardId of gone) await dropBoardIndex(this.db, boardId);
    if (neverFetched.length > 0) this.background.enqueue(neverFetched);
  }

  private async storeRecords(records: readonly DocumentRecord[], complete: boolean): Promise<void> {
    const neverFetched: string[] = [];
    await this.db.transaction('rw', this.db.documents, this.db.docStates, async () => {
      const known = new Set(records.map((r) => r.id));
      for (const record of records) {
        const local = await this.db.documents.get(record.id);
        await this.db.documents.put({ ...record, pendingCreate: false });
        if (local?.pendingCreate) this.unconfirmed.delete(record.id);
        if (isReadOnlyRole(record.role)) this.readOnlyDocs.add(record.id);
        else this.readOnlyDocs.delete(record.id);
        const state = await this.db.docStates.get(record.id);
        if (!state || state.lastServerAt === null) neverFetched.push(record.id);
      }
      if (complete) {
        // Documents the server no longer shows us (unshared): forget the record, keep nothing
        // waiting for them. Documents created here and not yet confirmed stay.
        const gone = await this.db.documents.filter((d) => !known.has(d.id) && d.pendingCreate !== true).primaryKeys();
        await this.db.documents.bulkDelete(gone);
      }
    });
    if (neverFetched.length > 0) this.background.enqueue(neverFetched);
  }

  private onReachability(state: Reachability): void {
    this.patch({ reachability: state });
    if (state === 'online') {
      this.background.resume();
      for (const session of this.sessions.values()) session.resume();
      for (const session of this.boardSessions.values()) session.resume();
      void this.runOutbox();
      void this.tick();
    } else {
      this.background.pause();
    }
    this.scheduleRecount();
  }

  private onProblem(docId: string, problem: ConnectionProblem): void {
    if (problem === 'token_expired') this.patch({ authExpired: true });
    this.patch({ problem: { docId, problem } });
  }

  private onApiFailure(error: ApiFailure): void {
    if (error.kind === 'http' && error.status === 401) this.patch({ authExpired: true });
  }

  /** One round of the poll loop: outbox, change feed, pending documents, list refresh. */
  private async tick(): Promise<void> {
    clearTimeout(this.pollTimer);
    if (this.stopped) return;
    try {
      if (this.connectivity.state === 'online' && !this.snap.authExpired) {
        await this.runOutbox();
        await this.pollChanges();
        const pending = (await docsWithPending(this.db)).filter((id) => !this.sessions.has(id) && !this.boardSessions.has(id));
        if (pending.length > 0) this.background.enqueue(pending);
        if (Date.now() - this.lastListRefresh > LIST_REFRESH_MS) await this.refresh();
      }
    } catch (error) {
      console.warn('sync tick failed', error);
    }
    if (!this.stopped) this.pollTimer = setTimeout(() => void this.tick(), this.options.pollMs ?? CHANGES_POLL_MS);
  }

  private async pollChanges(): Promise<void> {
    let since = (await getKv(this.db, 'changesCursor')) ?? 0;
    for (let round = 0; round < 10; round++) {
      const result = await this.api.changes(since);
      if (!result.ok) {
        this.onApiFailure(result.error);
        return;
      }
      const docIds = new Set<string>();
      let unknown = false;
      for (const change of result.value.changes) {
        if (change.boardId !== undefined && change.room === boardKey(change.boardId)) {
          // A board room: stored under its room name.
          if (this.boardSessions.has(change.room)) continue;
          docIds.add(change.room);
          if (!(await this.db.boards.get(change.boardId))) unknown = true;
          continue;
        }
        if (change.documentId === undefined || change.room !== `doc:${change.documentId}`) continue;
        if (this.sessions.has(change.documentId)) continue;
        docIds.add(change.documentId);
        if (!(await this.db.documents.get(change.documentId))) unknown = true;
      }
      if (unknown) await this.refresh();
      if (docIds.size > 0) this.background.enqueue(docIds);
      since = result.value.cursor;
      await setKv(this.db, 'changesCursor', since);
      if (!result.value.hasMore) return;
    }
  }

  /** A command was just queued: count it in the waiting number, and send it now if the server answers. */
  flushOutbox(): Promise<void> {
    this.scheduleRecount();
    return this.connectivity.state === 'online' ? this.runOutbox() : Promise.resolve();
  }

  /** Sends the outbox in order; stops at the first network failure, keeps refused commands visible. */
  private async runOutbox(): Promise<void> {
    if (this.outboxRunning || this.stopped) return;
    this.outboxRunning = true;
    try {
      for (;;) {
        const entry = await this.db.outbox.orderBy('seq').first();
        if (!entry) break;
        if (isApprovalCommand(entry)) {
          // Key registrations and signed decisions (renderer/approvals/decision-outbox.ts).
          const failure = await sendApprovalCommand(this.db, this.api, entry);
          if (failure) {
            this.onApiFailure(failure);
            await this.db.outbox.update(entry.seq as number, { attempts: entry.attempts + 1 });
            break;
          }
          this.scheduleRecount();
          continue;
        }
        const result = entry.kind === 'createBoard' ? await this.api.createBoard(entry.payload) : await this.api.createDocument(entry.payload);
        if (result.ok) {
          await this.accepted(entry, result.value);
          this.scheduleRecount();
          continue;
        }
        if (result.error.kind === 'network' || result.error.status >= 500 || result.error.status === 401) {
          this.onApiFailure(result.error);
          await this.db.outbox.update(entry.seq as number, { attempts: entry.attempts + 1 });
          break;
        }
        // Refused: the reason reaches the user on the document's row; the command is not retried.
        const refused = result.error.code;
        await this.db.transaction('rw', this.db.outbox, this.db.documents, this.db.boards, async () => {
          await this.db.outbox.delete(entry.seq as number);
          if (entry.kind === 'createBoard') await this.db.boards.update(entry.payload.id, { refused });
          else await this.db.documents.update(entry.payload.id, { refused });
        });
        this.scheduleRecount();
      }
    } finally {
      this.outboxRunning = false;
    }
  }

  /** The server accepted an outbox command: its record replaces the local one, and syncing may start. */
  private async accepted(entry: Exclude<OutboxEntry, ApprovalOutboxEntry>, record: DocumentRecord | BoardRecord): Promise<void> {
    if (entry.kind === 'createBoard') {
      const key = boardKey(entry.payload.id);
      await this.db.transaction('rw', this.db.outbox, this.db.boards, async () => {
        await this.db.outbox.delete(entry.seq as number);
        const local = await this.db.boards.get(entry.payload.id);
        await this.db.boards.put({ ...(record as BoardRecord), pendingCreate: false, members: local?.members ?? [] });
      });
      this.unconfirmed.delete(key);
      this.boardSessions.get(key)?.resume();
      this.background.enqueue([key]);
      return;
    }
    await this.db.transaction('rw', this.db.outbox, this.db.documents, async () => {
      await this.db.outbox.delete(entry.seq as number);
      await this.db.documents.put({ ...(record as DocumentRecord), pendingCreate: false });
    });
    this.unconfirmed.delete(entry.payload.id);
    this.sessions.get(entry.payload.id)?.resume();
    this.background.enqueue([entry.payload.id]);
  }

  private scheduleRecount(): void {
    if (this.recountTimer !== undefined || this.stopped) return;
    this.recountTimer = setTimeout(() => {
      this.recountTimer = undefined;
      void this.recount();
    }, 50);
  }

  private async recount(): Promise<void> {
    if (this.stopped) return;
    const [updates, outbox] = await Promise.all([pendingTotal(this.db), this.db.outbox.count()]);
    const waiting = updates + outbox;
    const open = [
      ...[...this.sessions.values()].map((s) => ({ key: s.docId, snap: s.snapshot, live: s.connection.live })),
      ...[...this.boardSessions.values()].map((s) => ({ key: s.key, snap: s.snapshot, live: s.connection.live })),
    ];
    const sessionsBusy = open.some(
      ({ key, snap, live }) => snap.loaded && !this.unconfirmed.has(key) && snap.problem === null && (!snap.synced || !live),
    );
    const saving = open.some(({ snap }) => snap.saveState === 'saving');
    const phase: SyncPhase =
      this.connectivity.state === 'offline'
        ? 'offline'
        : waiting > 0 || sessionsBusy || this.background.activeCount > 0 || saving
          ? 'syncing'
          : 'synced';
    this.patch({ waiting, phase });
  }

  private patch(patch: Partial<WorkspaceStatus>): void {
    const next = { ...this.snap, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.snap)) return;
    this.snap = next;
    for (const listener of this.listeners) listener();
  }
}
