/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the zod schemas of common/api.ts so
 * that it cannot drift from what the server validates. Served at `GET /api/openapi.json`.
 */
import { z } from 'zod';
import {
  Agency,
  ApprovalItem,
  ApprovalsResponse,
  AuditVerification,
  ChainStepRequest,
  ChangesResponse,
  CopyDocumentRequest,
  DecisionRequest,
  DocumentIssue,
  IssueRequest,
  NextAction,
  RegisterKeyRequest,
  SigningKey,
  SigningKeysResponse,
  StepDecision,
  SubmissionRequest,
  WorkflowResponse,
  WorkflowRound,
  WorkflowStep,
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
import { BOARD_OPERATIONS, BOARD_REQUEST_SCHEMAS, BOARD_RESPONSE_SCHEMAS } from './boards-openapi.ts';

type JsonSchema = Record<string, unknown>;

export interface Operation {
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
  /** An example request body. */
  readonly requestExample?: unknown;
  /** Status → an example answer. */
  readonly examples?: Readonly<Record<number, unknown>>;
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

// --- the approval procedure (issue 5): examples follow the demo workspace ---

// Real values: the demo users' ids and signatures that verify (openapi.test.ts checks them), so a
// client's verifier can be tried on this document.
const EX = {
  documentId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  roundId: '0b7a3c1d-2e4f-4a5b-8c6d-7e8f9a0b1c2d',
  an: '2d7ddeda-8a3c-5138-8838-57e59b41bf81',
  binh: '7c75a511-6ee3-5029-b224-a4a0d255a3dd',
  cuong: 'f59628d3-6c20-5d52-98a2-a8df62a23698',
  chi: '9d06e20b-920d-569d-8a70-37b01af66132',
  versionHash: '5f2b8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a',
  stateVector: 'AvTMqI4HBYmJ7tUKAw==',
  binhKeyId: 'i5fuNfcnkmH3R7BwsEn2nw',
  binhKey: '67jcYPkHEBTIzNWoDZhyABNfYeXb5X9DbRoQnqRkKhI',
  binhProof: 'P4L2oneJQqJtNqNqTQZZynj7jwHzLVCP70Q7PzHGDPCgxHnrSTMiUbIiyhTkPBrV8UC6Q6TSfTcvJhBbcgNLDw',
  cuongKeyId: '7PJV6IBLTGF_ngQteCotXA',
  cuongKey: '44o100WNdgu6ivJA7VxUK7-ze5LnAae1_p7LHR6ogTk',
  round1Return: 'LbA22e17wT02hQGo-5YM6lPtwjEIohcDSOpa23PZIOefmR7cPVsJxs4Jlxd749RIkG_m_5sz3sJhNY_VnJNRDw',
  round2Check: 'B45wHNL9_msjY3mBP8Ic1Whrbi_P3PVqZ8V6NY3YJOGtxpOM6LkuC-JDtdxtTBoayrRZv-i4zHd9i9UCS_8RCQ',
  round2Sign: '8Y7Z9C1w81vElqKY-qgs8whmL861MX8d7IG9OJJtl0IIXn5CVTFuf40sVax5bkFK0ian8shE9rEITDIJkm0lCA',
};

const exampleDocument = {
  id: EX.documentId,
  title: 'Quyết định ban hành quy chế sử dụng chữ ký số',
  type: 'QĐ',
  status: 'approved',
  agencyId: 'stttt-ninhbinh',
  ownerId: EX.an,
  role: 'viewer',
  createdAt: '2026-01-02T02:00:00.000Z',
  updatedAt: '2026-01-05T03:10:00.000Z',
};

const signed = (signerId: string, keyId: string, signature: string, decision: 'approve' | 'return', decidedAt: string, comment: string | null) => ({
  decision,
  comment,
  decidedAt,
  signerId,
  keyId,
  signature,
  versionHash: EX.versionHash,
  recordedAt: decidedAt,
});

const exampleWorkflow = {
  documentId: EX.documentId,
  status: 'issued',
  rounds: [
    {
      id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
      number: 1,
      versionHash: '0'.repeat(63) + '1',
      stateVector: 'AfTMqI4HAw==',
      submittedBy: EX.an,
      submittedAt: '2026-01-02T03:00:00.000Z',
      status: 'returned',
      currentStep: null,
      steps: [
        {
          index: 0,
          kind: 'check',
          assigneeId: EX.binh,
          authority: null,
          decision: {
            ...signed(EX.binh, EX.binhKeyId, EX.round1Return, 'return', '2026-01-02T07:00:00.000Z', 'Đề nghị bổ sung căn cứ pháp lý.'),
            versionHash: '0'.repeat(63) + '1',
          },
        },
        { index: 1, kind: 'sign', assigneeId: EX.cuong, authority: null, decision: null },
      ],
    },
    {
      id: EX.roundId,
      number: 2,
      versionHash: EX.versionHash,
      stateVector: EX.stateVector,
      submittedBy: EX.an,
      submittedAt: '2026-01-05T01:00:00.000Z',
      status: 'completed',
      currentStep: null,
      steps: [
        {
          index: 0,
          kind: 'check',
          assigneeId: EX.binh,
          authority: null,
          decision: signed(EX.binh, EX.binhKeyId, EX.round2Check, 'approve', '2026-01-05T02:00:00.000Z', null),
        },
        {
          index: 1,
          kind: 'sign',
          assigneeId: EX.cuong,
          authority: null,
          decision: signed(EX.cuong, EX.cuongKeyId, EX.round2Sign, 'approve', '2026-01-05T03:10:00.000Z', null),
        },
      ],
    },
  ],
  issue: {
    number: 5,
    numberText: '05/QĐ-STTTT',
    register: 'main',
    year: 2026,
    issuedAt: '2026-01-05T04:00:00.000Z',
    issuedBy: EX.chi,
    issueDate: '2026-01-05',
    dateLine: 'Ninh Bình, ngày 05 tháng 01 năm 2026',
  },
  next: { action: 'none' },
  keys: {
    [EX.binhKeyId]: { userId: EX.binh, publicKey: EX.binhKey },
    [EX.cuongKeyId]: { userId: EX.cuong, publicKey: EX.cuongKey },
  },
};

const workflowRefusals = (extra: Readonly<Record<number, readonly [string, string?]>>): Readonly<Record<number, readonly [string, string?]>> => ({
  400: ['invalid body', 'ErrorBody'],
  404: ['absent or not visible', 'ErrorBody'],
  ...extra,
});

const APPROVAL_OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/api/keys',
    summary: 'Register my signing key (Ed25519 public key made on this device)',
    description:
      'The proof is signKeyRegistration(privateKey, {userId: <me>, publicKey}) (common/signing.ts): only the holder of the private key ' +
      'can register it. The key id is derived from the key (keyIdOf), so a device knows it before registering. Registering the same key again answers 200.',
    authenticated: true,
    requestBody: 'RegisterKeyRequest',
    requestExample: { publicKey: EX.binhKey, proof: EX.binhProof },
    responses: {
      201: ['registered', 'SigningKey'],
      200: ['already registered by the caller', 'SigningKey'],
      400: ['invalid body, or the proof does not verify (bad_signature)', 'ErrorBody'],
      409: ['the key is registered to another user', 'ErrorBody'],
    },
    examples: { 201: { keyId: EX.binhKeyId, userId: EX.binh, publicKey: EX.binhKey, createdAt: '2026-01-02T01:00:00.000Z' } },
  },
  {
    method: 'get',
    path: '/api/users/{id}/keys',
    summary: 'A user’s registered public keys, to verify their signatures',
    authenticated: true,
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    responses: { 200: ['oldest first', 'SigningKeysResponse'], 404: ['no such user', 'ErrorBody'] },
    examples: { 200: { keys: [{ keyId: EX.binhKeyId, userId: EX.binh, publicKey: EX.binhKey, createdAt: '2026-01-02T01:00:00.000Z' }] } },
  },
  {
    method: 'post',
    path: '/api/documents/{id}/submissions',
    summary: 'Submit the document for review along a chain of steps (owner or editor)',
    description:
      'From a draft or a returned draft. versionHash = contentHash(ydoc) and stateVector = stateVectorBase64(ydoc) (common/content-hash.ts) of the ' +
      'version submitted; the server’s stored copy must have exactly that content (else 409 version_mismatch: let the document sync, then retry). ' +
      'Assignees must be users of the document’s agency; the chain is checks, then approvals, then one sign step. The document becomes in_review: ' +
      'its content is read-only for everyone until it is returned, the assignees may read and comment. Send an id to make a retry harmless (200).',
    authenticated: true,
    parameters: [documentId],
    requestBody: 'SubmissionRequest',
    requestExample: {
      id: EX.roundId,
      versionHash: EX.versionHash,
      stateVector: EX.stateVector,
      chain: [
        { kind: 'check', assigneeId: EX.binh },
        { kind: 'sign', assigneeId: EX.cuong, authority: null },
      ],
    },
    responses: workflowRefusals({
      201: ['round opened', 'WorkflowResponse'],
      200: ['the same submission was already accepted', 'WorkflowResponse'],
      403: ['the caller may read but not edit the document', 'ErrorBody'],
      409: ['wrong_status (already in review, approved or issued), version_mismatch, or conflict (round id taken)', 'ErrorBody'],
    }),
  },
  {
    method: 'get',
    path: '/api/documents/{id}/workflow',
    summary: 'The document’s procedure: status, rounds, steps, signed decisions, number, what comes next',
    description:
      'Everything needed to show the timeline and to verify every decision offline: keys maps each keyId used to its public key; ' +
      'verifyDecision(publicKey, {documentId, versionHash, roundId, stepIndex, decision, comment, decidedAt, signerId}, signature) (common/signing.ts). ' +
      'A decision whose versionHash differs from contentHash of the current content no longer matches it.',
    authenticated: true,
    parameters: [documentId],
    responses: { 200: ['the workflow', 'WorkflowResponse'], 404: ['absent or not visible', 'ErrorBody'] },
    examples: { 200: exampleWorkflow },
  },
  {
    method: 'post',
    path: '/api/documents/{id}/decisions',
    summary: 'Approve or return the current step, with a signed statement (the step’s assignee)',
    description:
      'signature = signDecision(privateKey, {documentId, versionHash, roundId, stepIndex, decision, comment?, decidedAt, signerId: <me>}) ' +
      '(common/signing.ts), with a key registered by the caller. decidedAt is when the signer decided (possibly offline); at most 5 minutes ahead ' +
      'of the server’s clock. Refusals: 400 bad_signature, unknown_key, clock_skew, comment_required (a return needs one); 403 not_assignee; ' +
      '409 version_mismatch (the draft changed since you read it), replayed (this signed decision was already recorded), not_current_step, ' +
      'already_decided, round_closed.',
    authenticated: true,
    parameters: [documentId],
    requestBody: 'DecisionRequest',
    requestExample: {
      roundId: EX.roundId,
      stepIndex: 0,
      decision: 'approve',
      versionHash: EX.versionHash,
      decidedAt: '2026-01-05T02:00:00.000Z',
      keyId: EX.binhKeyId,
      signature: EX.round2Check,
    },
    responses: workflowRefusals({
      200: ['recorded; the workflow after it', 'WorkflowResponse'],
      403: ['the step is not the caller’s (not_assignee)', 'ErrorBody'],
      409: ['version_mismatch, replayed, not_current_step, already_decided or round_closed', 'ErrorBody'],
    }),
  },
  {
    method: 'post',
    path: '/api/documents/{id}/issue',
    summary: 'Number and issue an approved document (a clerk of its agency)',
    description:
      'Assigns the next number of the agency’s register for the current year (Vietnam time), formatted per Decree 30 (05/QĐ-STTTT; công văn ' +
      '05/STTTT-BCVT), and the date, in one transaction, exactly once: the same requestId again answers the first number. The document is then ' +
      'frozen: its rooms are read-only for everyone. Never offline.',
    authenticated: true,
    parameters: [documentId],
    requestBody: 'IssueRequest',
    requestExample: { requestId: 'f47ac10b-58cc-4372-a567-0e02b2c3d479' },
    responses: workflowRefusals({
      200: ['issued (or the earlier answer to the same request)', 'WorkflowResponse'],
      403: ['the caller is not a clerk of the document’s agency', 'ErrorBody'],
      409: ['wrong_status (not approved), already_issued (by another request), version_mismatch', 'ErrorBody'],
    }),
    examples: { 200: exampleWorkflow },
  },
  {
    method: 'get',
    path: '/api/approvals',
    summary: 'Chờ tôi xử lý: steps waiting for the caller and, for a clerk, documents waiting to be issued',
    authenticated: true,
    responses: { 200: ['with a count for the sidebar', 'ApprovalsResponse'] },
    examples: {
      200: {
        count: 1,
        items: [
          {
            action: 'decide',
            document: { ...exampleDocument, status: 'in_review', role: 'commenter' },
            roundId: EX.roundId,
            roundNumber: 2,
            stepIndex: 1,
            kind: 'sign',
            authority: null,
            versionHash: EX.versionHash,
            submittedBy: EX.an,
            submittedAt: '2026-01-05T01:00:00.000Z',
          },
        ],
      },
    },
  },
  {
    method: 'post',
    path: '/api/documents/{id}/copy',
    summary: 'Start a new draft from a document the caller can read (e.g. an issued one)',
    description: 'The new draft holds the source’s content; the caller owns it. Repeating the call with the same id answers 200 with the copy.',
    authenticated: true,
    parameters: [documentId],
    requestBody: 'CopyDocumentRequest',
    requestExample: { id: '1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a', title: 'Dự thảo sửa đổi quy chế sử dụng chữ ký số' },
    responses: {
      201: ['the new draft', 'DocumentRecord'],
      200: ['already copied by this same call', 'DocumentRecord'],
      400: ['invalid body', 'ErrorBody'],
      404: ['absent or not visible', 'ErrorBody'],
      409: ['the id belongs to another document', 'ErrorBody'],
    },
  },
  {
    method: 'get',
    path: '/api/admin/audit/verify',
    summary: 'Verify the audit log’s hash chain (administrators)',
    description: 'Recomputes every entry’s hash; names the first entry changed, unlinked or missing. Also: npm run audit:verify.',
    authenticated: true,
    responses: { 200: ['the verification', 'AuditVerification'], 403: ['the caller is not an administrator', 'ErrorBody'] },
    examples: {
      200: {
        ok: false,
        entries: 41,
        head: '9c1185a5c5e9fc54612808977ee8f548b2258d31a0b1f6c27c3b1ec2d0c7b1a1',
        firstBroken: { seq: 42, reason: 'hash_mismatch', message: 'entry 42 was changed after it was written' },
      },
    },
  },
];

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
  ...APPROVAL_OPERATIONS,
  ...BOARD_OPERATIONS,
];

/** Every example of the document, with the component it illustrates, for the test that parses them. */
export function describedExamples(): { where: string; schema: string; example: unknown }[] {
  const out: { where: string; schema: string; example: unknown }[] = [];
  for (const op of OPERATIONS) {
    if (op.requestBody && op.requestExample !== undefined) out.push({ where: `${op.method} ${op.path} request`, schema: op.requestBody, example: op.requestExample });
    for (const [status, example] of Object.entries(op.examples ?? {})) {
      const schema = op.responses[Number(status)]?.[1];
      if (schema) out.push({ where: `${op.method} ${op.path} ${status}`, schema, example });
    }
  }
  return out;
}

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
  requests.add(RegisterKeyRequest, { id: 'RegisterKeyRequest' });
  requests.add(ChainStepRequest, { id: 'ChainStepRequest' });
  requests.add(SubmissionRequest, { id: 'SubmissionRequest' });
  requests.add(DecisionRequest, { id: 'DecisionRequest' });
  requests.add(IssueRequest, { id: 'IssueRequest' });
  requests.add(CopyDocumentRequest, { id: 'CopyDocumentRequest' });
  for (const [id, schema] of Object.entries(BOARD_REQUEST_SCHEMAS)) requests.add(schema, { id });

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
    SigningKey,
    SigningKeysResponse,
    StepDecision,
    WorkflowStep,
    WorkflowRound,
    DocumentIssue,
    NextAction,
    WorkflowResponse,
    ApprovalItem,
    ApprovalsResponse,
    AuditVerification,
  };
  for (const [id, schema] of Object.entries({ ...answers, ...BOARD_RESPONSE_SCHEMAS })) responses.add(schema, { id });

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
      const example = op.examples?.[Number(status)];
      responses[status] = schema
        ? { description, content: { 'application/json': { schema: ref(schema), ...(example === undefined ? {} : { example }) } } }
        : { description };
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
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: ref(op.requestBody), ...(op.requestExample === undefined ? {} : { example: op.requestExample }) },
              },
            },
          }
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
