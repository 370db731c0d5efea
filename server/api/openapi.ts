/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the zod schemas of common/api.ts so
 * that it cannot drift from what the server validates. Served at `GET /api/openapi.json`.
 */
import { z } from 'zod';
import {
  Agency,
  ChangesResponse,
  CHANGES_MAX_LIMIT,
  CreateDocumentRequest,
  DirectoryResponse,
  DocumentRecord,
  DocumentsResponse,
  ErrorBody,
  HealthResponse,
  LoginRequest,
  LoginResponse,
  MeResponse,
  Principal,
  RoomChange,
  Share,
  ShareRequest,
  SharesResponse,
  User,
} from '../../common/api.ts';

type JsonSchema = Record<string, unknown>;

interface Operation {
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly authenticated: boolean;
  readonly parameters?: readonly JsonSchema[];
  /** Component name of the JSON body. */
  readonly requestBody?: string;
  /** Status → [description, component name of the JSON answer]. */
  readonly responses: Readonly<Record<number, readonly [string, string?]>>;
}

const SYNC_DESCRIPTION = `
Offline-first collaborative workspace. Every call but \`/healthz\`, \`/api/auth/login\` and this
document needs \`Authorization: Bearer <token>\` (from the login). Ids are UUIDs; times are ISO 8601
UTC. Errors answer \`{"error":{"code","message"}}\`: 400 invalid input (the message says what was
wrong), 401 no valid token, 404 absent or not visible to the caller (existence is not leaked),
409 conflict.

## Sync (WebSocket)

\`ws://HOST:PORT/sync/<room>?token=<token>\`, speaking the y-websocket protocol (y-protocols sync
step 1, step 2, update; awareness); the stock \`y-websocket\` client works unchanged:
\`new WebsocketProvider('ws://HOST:PORT/sync', 'doc:<id>', ydoc, { params: { token } })\`.
Rooms: \`doc:<id>\` (content), \`doc:<id>:comments\`, \`board:<id>\` (tasks). No or bad token: the
upgrade is refused with 401; no access to the room: 404. Viewers (and commenters on \`doc:<id>\`)
receive everything and may send presence, but their document updates are dropped. Every update
the server forwards has been stored first. Use \`GET /api/changes\` to find which rooms changed
while a client was away.

Close codes: 4400 malformed message, 4401 token expired, 4403 access revoked, 4413 document too
large, 4429 rate limit exceeded, 1009 message too big, 1011 storage unavailable, 1001 server
shutting down.
`.trim();

const documentId: JsonSchema = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'document id; one the caller may not see answers 404',
  schema: { type: 'string', format: 'uuid' },
};

const cursorParameter = (name: string, description: string, extra: JsonSchema = {}): JsonSchema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'integer', minimum: 0, ...extra },
});

const OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    summary: 'Health check',
    authenticated: false,
    responses: { 200: ['the server and its store answer', 'HealthResponse'], 503: ['the store is unavailable', 'ErrorBody'] },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    authenticated: false,
    responses: { 200: ['OpenAPI 3.1 document'] },
  },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Log in with username and password',
    authenticated: false,
    requestBody: 'LoginRequest',
    responses: {
      200: ['a token valid until expiresAt, across server restarts', 'LoginResponse'],
      400: ['invalid body', 'ErrorBody'],
      401: ['invalid_credentials', 'ErrorBody'],
    },
  },
  {
    method: 'get',
    path: '/api/me',
    summary: 'The caller',
    authenticated: true,
    responses: { 200: ['the user the token names', 'MeResponse'] },
  },
  {
    method: 'get',
    path: '/api/directory',
    summary: 'Agencies and users the caller can share with, other agencies included',
    authenticated: true,
    responses: { 200: ['all agencies and users', 'DirectoryResponse'] },
  },
  {
    method: 'post',
    path: '/api/documents',
    summary: 'Create a document',
    description:
      'The client may choose the id (documents made offline). Repeating the same call answers 200 with the stored record; ' +
      'an id taken by another document, or by one of another type, answers 409.',
    authenticated: true,
    requestBody: 'CreateDocumentRequest',
    responses: {
      201: ['created; the caller is its owner', 'DocumentRecord'],
      200: ['already created by this same call', 'DocumentRecord'],
      400: ['invalid body', 'ErrorBody'],
      409: ['the id belongs to another document', 'ErrorBody'],
    },
  },
  {
    method: 'get',
    path: '/api/documents',
    summary: 'Documents visible to the caller, each with the caller’s role',
    authenticated: true,
    responses: { 200: ['most recently updated first', 'DocumentsResponse'] },
  },
  {
    method: 'get',
    path: '/api/documents/{id}',
    summary: 'One document with the caller’s role',
    authenticated: true,
    parameters: [documentId],
    responses: { 200: ['the record', 'DocumentRecord'], 404: ['absent or not visible', 'ErrorBody'] },
  },
  {
    method: 'post',
    path: '/api/documents/{id}/shares',
    summary: 'Share a document with a user or an agency (owner only)',
    description: 'Sharing again with the same principal replaces its role; live connections get the new role at once.',
    authenticated: true,
    parameters: [documentId],
    requestBody: 'ShareRequest',
    responses: {
      200: ['the document’s shares', 'SharesResponse'],
      400: ['invalid body, or a principal not in the directory (unknown_principal)', 'ErrorBody'],
      403: ['the caller can see the document but does not own it', 'ErrorBody'],
      404: ['absent or not visible', 'ErrorBody'],
    },
  },
  {
    method: 'delete',
    path: '/api/documents/{id}/shares/{type}/{principalId}',
    summary: 'Remove a share (owner only)',
    description: 'Removing a share that does not exist answers the same 200, so a replayed call is harmless.',
    authenticated: true,
    parameters: [
      documentId,
      { name: 'type', in: 'path', required: true, schema: { type: 'string', enum: ['user', 'agency'] } },
      { name: 'principalId', in: 'path', required: true, description: 'user id or agency id', schema: { type: 'string' } },
    ],
    responses: {
      200: ['the document’s remaining shares', 'SharesResponse'],
      403: ['the caller can see the document but does not own it', 'ErrorBody'],
      404: ['absent or not visible', 'ErrorBody'],
    },
  },
  {
    method: 'get',
    path: '/api/changes',
    summary: 'Change feed: document rooms visible to the caller whose content changed after a cursor',
    description:
      'Offline clients keep the cursor and ask for what changed since, to sync only those rooms. ' +
      'While hasMore is true, ask again at once with the new cursor.',
    authenticated: true,
    parameters: [
      cursorParameter('since', 'the cursor of the previous answer; 0 or absent for everything'),
      cursorParameter('limit', 'largest number of changes to examine', { minimum: 1, maximum: CHANGES_MAX_LIMIT }),
    ],
    responses: { 200: ['changes, oldest first', 'ChangesResponse'], 400: ['since or limit is not a non-negative integer', 'ErrorBody'] },
  },
];

/** The routes described, as the router spells them (`:id`), for comparing with the router's. */
export function describedRoutes(): { method: string; path: string; authenticated: boolean }[] {
  return OPERATIONS.map((op) => ({
    method: op.method.toUpperCase(),
    path: op.path.replace(/\{(\w+)\}/g, ':$1'),
    authenticated: op.authenticated,
  }));
}

function componentSchemas(): Record<string, JsonSchema> {
  const requests = z.registry<{ id: string }>();
  requests.add(LoginRequest, { id: 'LoginRequest' });
  requests.add(CreateDocumentRequest, { id: 'CreateDocumentRequest' });
  requests.add(ShareRequest, { id: 'ShareRequest' });
  requests.add(Principal, { id: 'Principal' });

  const responses = z.registry<{ id: string }>();
  const answers = {
    ErrorBody,
    HealthResponse,
    User,
    Agency,
    LoginResponse,
    MeResponse,
    DirectoryResponse,
    DocumentRecord,
    DocumentsResponse,
    Share,
    SharesResponse,
    RoomChange,
    ChangesResponse,
  };
  for (const [id, schema] of Object.entries(answers)) responses.add(schema, { id });

  const uri = (id: string): string => `#/components/schemas/${id}`;
  // Requests are described as the client may send them (before defaults and normalisation),
  // answers as the server writes them.
  const input = z.toJSONSchema(requests, { io: 'input', uri }).schemas;
  const output = z.toJSONSchema(responses, { io: 'output', uri }).schemas;
  const schemas: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries({ ...output, ...input })) {
    // Components are referenced by their place in this document, not by $id, and OpenAPI 3.1
    // already fixes the dialect.
    const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
    schemas[id] = rest;
  }
  return schemas;
}

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export function buildOpenApi(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, JsonSchema> = {};
    for (const [status, [description, schema]] of Object.entries(op.responses)) {
      responses[status] = schema ? { description, content: { 'application/json': { schema: ref(schema) } } } : { description };
    }
    if (op.authenticated) {
      responses['401'] ??= { description: 'no valid token (unauthorized or token_expired)', content: { 'application/json': { schema: ref('ErrorBody') } } };
    }
    const operation: JsonSchema = {
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/(^|[/._-])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: op.authenticated ? [{ bearer: [] }] : [],
      ...(op.parameters ? { parameters: op.parameters } : {}),
      ...(op.requestBody
        ? { requestBody: { required: true, content: { 'application/json': { schema: ref(op.requestBody) } } } }
        : {}),
      responses,
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Congvu API', version: '1', description: SYNC_DESCRIPTION },
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
