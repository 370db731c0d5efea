/**
 * The HTTP API of CONTRACT.md: login, the directory, document records and their shares, and the
 * change feed that offline clients use to find which rooms to sync; the approval procedure's
 * routes are in approval.ts. Every answer about a document is computed for the caller: what they
 * may not see does not exist for them (404, never 403).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { parseRoom, resolveDocumentRole, type DocumentRole } from '../../common/access.ts';
import {
  CHANGES_MAX_LIMIT,
  ChangesQuery,
  CreateDocumentRequest,
  DeleteShareParams,
  DocumentParams,
  LoginRequest,
  ShareRequest,
  type Agency,
  type ChangesResponse,
  type DirectoryResponse,
  type DocumentRecord as ApiDocument,
  type DocumentsResponse,
  type HealthResponse,
  type LoginResponse,
  type MeResponse,
  type Share,
  type SharesResponse,
  type User,
} from '../../common/api.ts';
import type { DocumentTypeCode } from '../../common/document-types.ts';
import { hashPassword, needsRehash, verifyPassword } from '../auth/password.ts';
import { approvalRoutes } from './approval.ts';
import { boardRoutes, visibleBoardIds } from './boards.ts';
import { AuthError, type TokenService } from '../auth/tokens.ts';
import type { AgencyRecord, DocumentRecord, ShareRecord, Store, UserRecord } from '../store/store.ts';
import { buildOpenApi } from './openapi.ts';
import { ApiError, Router, bearerToken, notFound, reply, sendJson, type Method } from './router.ts';

export interface ApiDeps {
  readonly store: Store;
  readonly tokens: TokenService;
  readonly log: Logger;
  /**
   * Called after a document's shares changed, so the relay can re-check the role of every live
   * connection to its rooms at once (CONTRACT.md: "live connections get the new role at once").
   */
  readonly onAccessChanged: (documentId: string) => void;
  /** Called after a board's members changed, for the same re-check of `board:<id>` connections. */
  readonly onBoardAccessChanged?: (boardId: string) => void;
  /** The clock of timestamps, audit entries and document numbers; defaults to the system's. */
  readonly now?: () => Date;
  /** Drafting-unit abbreviations that differ from the derived ones (common/numbering.ts). */
  readonly unitAbbreviations?: Readonly<Record<string, string>>;
}

export interface Api {
  /** Answers `/api/*` and `/healthz` and returns true; returns false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The routes served, for the OpenAPI document and its test. */
  routes(): { method: Method; path: string; authenticated: boolean }[];
}

const vietnamese = new Intl.Collator('vi');

export function toUser(user: UserRecord): User {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    agencyId: user.agencyId,
    unit: user.unit,
    title: user.title,
    roles: [...user.roles],
  };
}

function toAgency(agency: AgencyRecord): Agency {
  return { id: agency.id, name: agency.name, abbreviation: agency.abbreviation, parentId: agency.parentId };
}

export function toDocument(doc: DocumentRecord, role: DocumentRole): ApiDocument {
  return {
    id: doc.id,
    title: doc.title,
    // Only the API writes documents, and it admits only known codes.
    type: doc.type as DocumentTypeCode,
    status: doc.status,
    agencyId: doc.agencyId,
    ownerId: doc.ownerId,
    role,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

function toShare(share: ShareRecord): Share {
  const principal =
    share.principalType === 'user' ? { type: 'user' as const, id: share.principalId } : { type: 'agency' as const, id: share.principalId };
  return { principal, role: share.role };
}

export function createApi(deps: Readonly<ApiDeps>): Api {
  const { store, tokens, log } = deps;
  const now = deps.now ?? (() => new Date());

  // Unknown usernames are checked against a throwaway hash so that a refusal takes as long
  // whether or not the user exists: response times must not reveal the directory.
  let decoyHash: Promise<string> | undefined;
  const decoy = (): Promise<string> => (decoyHash ??= hashPassword(randomBytes(16).toString('base64')));
  // Made in the background now, so that even the first refusal is not the odd one out.
  decoy().catch((error: unknown) => log.error({ err: error }, 'decoy password hash failed'));

  async function authenticate(req: IncomingMessage): Promise<UserRecord | ApiError> {
    const token = bearerToken(req);
    if (!token) return new ApiError(401, 'unauthorized', 'an Authorization: Bearer token is required');
    let userId: string;
    try {
      userId = (await tokens.verify(token)).userId;
    } catch (error) {
      if (error instanceof AuthError) return new ApiError(401, error.code, error.message);
      throw error;
    }
    const user = await store.getUserById(userId);
    return user ?? new ApiError(401, 'unauthorized', 'the token names no current user');
  }

  async function roleOf(doc: DocumentRecord, user: UserRecord): Promise<DocumentRole | null> {
    if (doc.ownerId === user.id) return 'owner';
    const [shares, procedure] = await Promise.all([store.sharesFor(doc.id, user.id, user.agencyId), store.procedureAccess(doc.id, user.id)]);
    return resolveDocumentRole(doc, user, shares, procedure);
  }

  /** The document and the caller's role on it, or 404 when the caller may not see it. */
  async function visibleDocument(id: string, user: UserRecord): Promise<{ doc: DocumentRecord; role: DocumentRole } | ApiError> {
    const doc = await store.getDocument(id);
    const role = doc ? await roleOf(doc, user) : null;
    return doc && role ? { doc, role } : notFound('no such document');
  }

  /** Like visibleDocument, but only for its owner: the others who can see it get 403. */
  async function ownedDocument(id: string, user: UserRecord): Promise<DocumentRecord | ApiError> {
    const found = await visibleDocument(id, user);
    if (found instanceof ApiError) return found;
    if (found.role !== 'owner') return new ApiError(403, 'forbidden', 'only the owner may change who has access');
    return found.doc;
  }

  async function sharesOf(documentId: string): Promise<SharesResponse> {
    const shares = await store.listShares(documentId);
    shares.sort((a, b) => a.principalType.localeCompare(b.principalType) || a.principalId.localeCompare(b.principalId));
    return { shares: shares.map(toShare) };
  }

  let openApiDocument: unknown;

  const router = new Router<UserRecord>({ authenticate, log })
    .anonymous({
      method: 'GET',
      path: '/healthz',
      handler: async () => {
        // A cheap query, so that a load balancer takes a process without its database out of service.
        try {
          await store.countUsers();
        } catch (error) {
          log.error({ err: error }, 'health check: store unavailable');
          return new ApiError(503, 'unavailable', 'the store is unavailable');
        }
        return reply(200, { status: 'ok' } satisfies HealthResponse);
      },
    })
    .anonymous({
      method: 'GET',
      path: '/api/openapi.json',
      handler: async () => reply(200, (openApiDocument ??= buildOpenApi())),
    })
    .anonymous({
      method: 'POST',
      path: '/api/auth/login',
      body: LoginRequest,
      handler: async ({ body }) => {
        const user = await store.getUserByUsername(body.username);
        const matches = await verifyPassword(body.password, user?.passwordHash ?? (await decoy()));
        if (!user || !matches) {
          log.warn({ username: body.username }, 'login refused');
          return new ApiError(401, 'invalid_credentials', 'wrong username or password');
        }
        if (needsRehash(user.passwordHash)) {
          // Hashes made with an older, cheaper cost are upgraded while the password is at hand.
          void hashPassword(body.password)
            .then((passwordHash) => store.upsertUser({ ...user, passwordHash }))
            .catch((error: unknown) => log.error({ err: error, userId: user.id }, 'password rehash failed'));
        }
        const token = await tokens.issue(user);
        const { expiresAt } = await tokens.verify(token);
        log.info({ userId: user.id }, 'login');
        return reply(200, { token, user: toUser(user), expiresAt: new Date(expiresAt).toISOString() } satisfies LoginResponse);
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/me',
      handler: async ({ caller }) => reply(200, { user: toUser(caller) } satisfies MeResponse),
    })
    .authenticated({
      method: 'GET',
      path: '/api/directory',
      // Everyone, other agencies included: documents are shared across agencies.
      handler: async () => {
        const [agencies, users] = await Promise.all([store.listAgencies(), store.listUsers()]);
        agencies.sort((a, b) => a.id.localeCompare(b.id));
        users.sort((a, b) => vietnamese.compare(a.displayName, b.displayName) || a.username.localeCompare(b.username));
        return reply(200, { agencies: agencies.map(toAgency), users: users.map(toUser) } satisfies DirectoryResponse);
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/documents',
      body: CreateDocumentRequest,
      handler: async ({ body, caller }) => {
        const createdAt = now().toISOString();
        const { record, created } = await store.createDocument({
          id: body.id ?? randomUUID(),
          title: body.title,
          type: body.type,
          status: 'draft',
          agencyId: caller.agencyId,
          ownerId: caller.id,
          createdAt,
          updatedAt: createdAt,
        });
        if (created) {
          log.info({ userId: caller.id, documentId: record.id }, 'document created');
          return reply(201, toDocument(record, 'owner'));
        }
        // A repeated call (an offline client replaying its outbox) gets the stored record, whose
        // title may have been edited since; anything else claiming the id is a conflict.
        if (record.ownerId !== caller.id || record.type !== body.type) {
          return new ApiError(409, 'conflict', 'another document already has this id');
        }
        return reply(200, toDocument(record, 'owner'));
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/documents',
      handler: async ({ caller }) => {
        const docs = await store.listDocumentsVisibleTo(caller.id, caller.agencyId);
        const documents: ApiDocument[] = [];
        for (const doc of docs) {
          const role = await roleOf(doc, caller);
          if (role) documents.push(toDocument(doc, role));
        }
        documents.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
        return reply(200, { documents } satisfies DocumentsResponse);
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/documents/:id',
      params: DocumentParams,
      handler: async ({ params, caller }) => {
        const found = await visibleDocument(params.id, caller);
        return found instanceof ApiError ? found : reply(200, toDocument(found.doc, found.role));
      },
    })
    .authenticated({
      method: 'POST',
      path: '/api/documents/:id/shares',
      params: DocumentParams,
      body: ShareRequest,
      handler: async ({ params, body, caller }) => {
        const doc = await ownedDocument(params.id, caller);
        if (doc instanceof ApiError) return doc;
        const { principal } = body;
        const exists =
          principal.type === 'user'
            ? (await store.getUserById(principal.id)) !== undefined
            : (await store.listAgencies()).some((agency) => agency.id === principal.id);
        if (!exists) return new ApiError(400, 'unknown_principal', `principal: no ${principal.type} "${principal.id}" in the directory`);
        if (principal.type === 'user' && principal.id === doc.ownerId) {
          return new ApiError(400, 'invalid_body', 'principal: the owner already holds every right on the document');
        }
        await store.putShare(
          { documentId: doc.id, principalType: principal.type, principalId: principal.id, role: body.role },
          {
            at: now().toISOString(),
            actorId: caller.id,
            action: 'share.put',
            documentId: doc.id,
            details: { principalType: principal.type, principalId: principal.id, role: body.role },
          },
        );
        log.info({ userId: caller.id, documentId: doc.id, principal, role: body.role }, 'document shared');
        deps.onAccessChanged(doc.id);
        return reply(200, await sharesOf(doc.id));
      },
    })
    .authenticated({
      method: 'DELETE',
      path: '/api/documents/:id/shares/:type/:principalId',
      params: DeleteShareParams,
      handler: async ({ params, caller }) => {
        const doc = await ownedDocument(params.id, caller);
        if (doc instanceof ApiError) return doc;
        // User ids are stored lower-cased (see Id in common/api.ts); agency codes as they are.
        const principalId = params.type === 'user' ? params.principalId.toLowerCase() : params.principalId;
        // Removing a share that is not there answers like removing it did: an outbox may replay.
        const removed = await store.deleteShare(doc.id, params.type, principalId, {
          at: now().toISOString(),
          actorId: caller.id,
          action: 'share.deleted',
          documentId: doc.id,
          details: { principalType: params.type, principalId },
        });
        if (removed) {
          log.info({ userId: caller.id, documentId: doc.id, principalType: params.type, principalId }, 'share removed');
          deps.onAccessChanged(doc.id);
        }
        return reply(200, await sharesOf(doc.id));
      },
    })
    .authenticated({
      method: 'GET',
      path: '/api/changes',
      query: ChangesQuery,
      handler: async ({ query, caller }) => {
        const limit = query.limit ?? CHANGES_MAX_LIMIT;
        const feed = await store.listRoomChanges(query.since ?? 0, limit);
        const visible = new Set(
          feed.changes.length === 0 ? [] : (await store.listDocumentsVisibleTo(caller.id, caller.agencyId)).map((doc) => doc.id),
        );
        const boards = feed.changes.some((change) => change.room.startsWith('board:')) ? await visibleBoardIds(store, caller) : new Set<string>();
        const changes: ChangesResponse['changes'] = [];
        for (const change of feed.changes) {
          const room = parseRoom(change.room);
          if (room?.kind === 'board') {
            if (boards.has(room.boardId)) changes.push({ room: change.room, boardId: room.boardId, seq: change.seq });
            continue;
          }
          if (!room || !visible.has(room.documentId)) continue;
          changes.push({ room: change.room, documentId: room.documentId, seq: change.seq });
        }
        return reply(200, { cursor: feed.cursor, changes, hasMore: feed.changes.length >= limit } satisfies ChangesResponse);
      },
    });
  boardRoutes(router, { store, log, now, onBoardAccessChanged: deps.onBoardAccessChanged ?? (() => {}) });
  approvalRoutes(router, {
    store,
    log,
    now,
    onAccessChanged: deps.onAccessChanged,
    unitAbbreviations: deps.unitAbbreviations ?? {},
    visibleDocument,
    toApiDocument: toDocument,
  });

  return {
    async handle(req, res) {
      const url = req.url ?? '/';
      const queryAt = url.indexOf('?');
      const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
      if (pathname !== '/healthz' && pathname !== '/api' && !pathname.startsWith('/api/')) return false;
      const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1));
      try {
        await router.dispatch(req, res, pathname, query);
      } catch (error) {
        // dispatch answers every handler failure itself; this is a failure to write the answer.
        log.error({ err: error, path: pathname }, 'api answer failed');
        if (!res.headersSent) sendJson(res, 500, new ApiError(500, 'internal', 'internal error').toBody());
        else res.destroy();
      }
      return true;
    },
    routes: () => router.list(),
  };
}
