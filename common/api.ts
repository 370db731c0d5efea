/**
 * The HTTP API of CONTRACT.md as zod schemas, with the TypeScript types inferred from them: the
 * server validates exactly what the client sends with the same schemas the client is typed by, and
 * the OpenAPI document is generated from them too.
 */
import { z } from 'zod';
import { DOCUMENT_ROLES } from './access.ts';
import { BOARD_MEMBER_ROLES, BOARD_ROLES } from './board-access.ts';
import { decodeStateVectorBase64, VERSION_HASH_PATTERN } from './content-hash.ts';
import { DOCUMENT_TYPE_CODES } from './document-types.ts';
import { DEFAULT_REGISTER, REGISTER_PATTERN } from './numbering.ts';
import { isPublicKey } from './signing.ts';
import { AUTHORITIES, DECISIONS, DOCUMENT_STATUSES, MAX_CHAIN_STEPS, ROUND_STATUSES, STEP_KINDS } from './workflow.ts';

// --- errors ---

/** Codes of API errors: stable values that the UI translates, never strings to compare loosely. */
export const API_ERROR_CODES = [
  /** The JSON body did not match the schema; the message says what was wrong. */
  'invalid_body',
  /** The body was not JSON at all. */
  'invalid_json',
  /** A query parameter was missing or malformed. */
  'invalid_query',
  'invalid_credentials',
  /** No token, or one that was not issued by this server (or names a user who no longer exists). */
  'unauthorized',
  /** A genuine token past its expiry: log in again. */
  'token_expired',
  /** The caller may see the resource but not do this with it. */
  'forbidden',
  /** Absent, or not visible to the caller: the two are never told apart. */
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  /** A share names a user or agency that is not in the directory. */
  'unknown_principal',
  'unavailable',
  'internal',
  // The approval procedure (issue 5); most come from common/workflow.ts.
  /** The chain of steps is malformed, or names someone who cannot take a step (not in the agency). */
  'invalid_chain',
  /** The document's status does not allow this now (submitting what is in review, issuing a draft, …). */
  'wrong_status',
  /** The version named is not the one under review, or the server's copy is not that version. */
  'version_mismatch',
  'round_not_found',
  'round_closed',
  'step_not_found',
  /** The step belongs to someone else. */
  'not_assignee',
  'not_current_step',
  'already_decided',
  /** A return needs a comment. */
  'comment_required',
  /** This exact signed decision was recorded before: it cannot be used again. */
  'replayed',
  /** The signature (or a key registration's proof) does not verify. */
  'bad_signature',
  /** The key id is not a key registered by the caller. */
  'unknown_key',
  /** decidedAt lies in the future, or before the submission it decides. */
  'clock_skew',
  /** The document already has a number; another issue request cannot give it a second one. */
  'already_issued',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(API_ERROR_CODES),
    message: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

// --- building blocks ---

/**
 * A UUID, lower-cased: room names (`doc:<uuid>`) and store keys compare ids as strings, so one id
 * must have one spelling however the client wrote it.
 */
export const Id = z.uuid().toLowerCase();
/** Agencies are named by short stable codes (`stttt-ninhbinh`), not UUIDs. */
export const AgencyId = z.string().trim().min(1).max(100);
export const Timestamp = z.iso.datetime().describe('ISO 8601, UTC');

export const DocumentType = z.enum(DOCUMENT_TYPE_CODES).describe('Decree 30 document type code');
export const DocumentStatus = z.enum(DOCUMENT_STATUSES);
export type DocumentStatus = z.infer<typeof DocumentStatus>;
export const DocumentRole = z.enum(DOCUMENT_ROLES);
export const ShareRole = z.enum(['viewer', 'commenter', 'editor']);
export const PrincipalType = z.enum(['user', 'agency']);

export const Principal = z.discriminatedUnion('type', [
  z.object({ type: z.literal('user'), id: Id }),
  z.object({ type: z.literal('agency'), id: AgencyId }),
]);
export type Principal = z.infer<typeof Principal>;

// --- directory ---

export const Agency = z.object({
  id: AgencyId,
  name: z.string(),
  abbreviation: z.string(),
  parentId: AgencyId.nullable(),
});
export type Agency = z.infer<typeof Agency>;

/** A user as the API shows it: never the password hash. */
export const User = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  agencyId: AgencyId,
  unit: z.string(),
  title: z.string(),
  roles: z.array(z.string()).describe('application roles such as drafter, leader, clerk, admin'),
});
export type User = z.infer<typeof User>;

export const DirectoryResponse = z.object({
  agencies: z.array(Agency),
  users: z.array(User),
});
export type DirectoryResponse = z.infer<typeof DirectoryResponse>;

// --- health ---

export const HealthResponse = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponse>;

// --- auth ---

export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(100),
  // Bounded so a request cannot make the server hash megabytes; long passphrases still fit.
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  token: z.string(),
  user: User,
  expiresAt: Timestamp.describe('when the token stops being accepted'),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ user: User });
export type MeResponse = z.infer<typeof MeResponse>;

// --- documents ---

export const CreateDocumentRequest = z.object({
  id: Id.optional().describe('chosen by the client for documents made offline; the server picks one otherwise'),
  // NFC so that the same Vietnamese title typed through different input methods is one string.
  title: z.string().trim().normalize('NFC').min(1).max(300),
  type: DocumentType,
});
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

/** A document's record as one caller sees it: `role` is that caller's role on it. */
export const DocumentRecord = z.object({
  id: Id,
  title: z.string(),
  type: DocumentType,
  status: DocumentStatus,
  agencyId: AgencyId,
  ownerId: Id,
  role: DocumentRole,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;

export const DocumentsResponse = z.object({ documents: z.array(DocumentRecord) });
export type DocumentsResponse = z.infer<typeof DocumentsResponse>;

export const DocumentParams = z.object({ id: Id });

// --- shares ---

export const ShareRequest = z.object({
  principal: Principal,
  role: ShareRole,
});
export type ShareRequest = z.infer<typeof ShareRequest>;

export const Share = z.object({
  principal: Principal,
  role: ShareRole,
});
export type Share = z.infer<typeof Share>;

export const SharesResponse = z.object({ shares: z.array(Share) });
export type SharesResponse = z.infer<typeof SharesResponse>;

export const DeleteShareParams = z.object({
  id: Id,
  type: PrincipalType,
  principalId: z.string().min(1).max(100),
});

// --- change feed ---

const Cursor = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a non-negative integer')
  .transform(Number);

export const CHANGES_MAX_LIMIT = 1000;

/** Query of `GET /api/changes`; absent `since` means from the beginning. */
export const ChangesQuery = z.object({
  since: Cursor.optional(),
  limit: Cursor.pipe(z.number().int().min(1).max(CHANGES_MAX_LIMIT)).optional(),
});
export type ChangesQuery = z.infer<typeof ChangesQuery>;

export const RoomChange = z.object({
  room: z.string().describe('doc:<id>, doc:<id>:comments or board:<id>'),
  documentId: Id.optional().describe('the document of a doc:… room'),
  boardId: Id.optional().describe('the board of a board:<id> room'),
  seq: z.number().int().nonnegative(),
});
export type RoomChange = z.infer<typeof RoomChange>;

export const ChangesResponse = z.object({
  cursor: z.number().int().nonnegative().describe('pass as `since` next time'),
  changes: z.array(RoomChange),
  hasMore: z.boolean().describe('more changes are waiting after `cursor`: ask again at once'),
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;

// --- approval procedure, numbering, signing keys, audit (issue 5) ---

/** A version hash (common/content-hash.ts): SHA-256 of the canonical content, 64 lower-case hex digits. */
export const VersionHash = z.string().regex(VERSION_HASH_PATTERN, 'must be 64 lower-case hex digits').describe('SHA-256 of the canonical content (common/content-hash.ts)');
const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding');
export const KeyId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a key id (22 base64url characters)').describe('first 16 bytes of SHA-256 over the raw public key, base64url');
export const PublicKey = Base64Url.max(64).refine(isPublicKey, 'must be a raw Ed25519 public key (32 bytes)').describe('raw Ed25519 public key, base64url');
export const Signature = Base64Url.max(128).describe('Ed25519 signature, base64url');
const StateVector = z
  .string()
  .max(65536)
  .refine((text) => decodeStateVectorBase64(text) !== null, 'must be a Yjs state vector in base64')
  .describe('Y.encodeStateVector of the submitted version, base64');

export const StepKind = z.enum(STEP_KINDS).describe('check: kiểm tra (head of unit); approve: duyệt; sign: ký ban hành');
export const Authority = z.enum(AUTHORITIES).describe('signing on behalf: TM., Q., KT., TL., TUQ.');
export const DecisionKind = z.enum(DECISIONS);
export const RoundStatus = z.enum(ROUND_STATUSES);

export const RegisterKeyRequest = z.object({
  publicKey: PublicKey,
  proof: Signature.describe('signKeyRegistration(privateKey, {userId: <caller>, publicKey}) (common/signing.ts)'),
});
export type RegisterKeyRequest = z.infer<typeof RegisterKeyRequest>;

export const SigningKey = z.object({
  keyId: KeyId,
  userId: Id,
  publicKey: z.string(),
  createdAt: Timestamp,
});
export type SigningKey = z.infer<typeof SigningKey>;

export const SigningKeysResponse = z.object({ keys: z.array(SigningKey) });
export type SigningKeysResponse = z.infer<typeof SigningKeysResponse>;

export const UserParams = z.object({ id: Id });

export const ChainStepRequest = z.object({
  kind: StepKind,
  assigneeId: Id,
  authority: Authority.nullable().optional().describe('only on the sign step; absent or null: the head signs'),
});
export type ChainStepRequest = z.infer<typeof ChainStepRequest>;

export const SubmissionRequest = z.object({
  id: Id.optional().describe('the round id, chosen by the client so that a retried submission is recognised'),
  versionHash: VersionHash,
  stateVector: StateVector,
  chain: z.array(ChainStepRequest).min(1).max(MAX_CHAIN_STEPS).describe('checks, then approvals, then the one sign step, in order'),
});
export type SubmissionRequest = z.infer<typeof SubmissionRequest>;

export const DecisionRequest = z.object({
  roundId: Id,
  stepIndex: z.number().int().min(0).max(MAX_CHAIN_STEPS - 1),
  decision: DecisionKind,
  comment: z.string().max(4000).optional().describe('required to return; signed as sent (in NFC)'),
  versionHash: VersionHash.describe('the version the signer read: must be the round’s'),
  decidedAt: Timestamp.describe('when the signer decided, as signed; may be long before it is sent (offline)'),
  keyId: KeyId,
  signature: Signature.describe('signDecision(privateKey, {documentId, versionHash, roundId, stepIndex, decision, comment?, decidedAt, signerId: <caller>})'),
});
export type DecisionRequest = z.infer<typeof DecisionRequest>;

export const IssueRequest = z.object({
  requestId: Id.describe('chosen by the client: a retried request gets its first number back'),
  register: z.string().regex(REGISTER_PATTERN).optional().describe(`the number register; "${DEFAULT_REGISTER}" when absent`),
});
export type IssueRequest = z.infer<typeof IssueRequest>;

export const CopyDocumentRequest = z.object({
  id: Id.optional().describe('id of the new document, chosen by the client; repeating the call is harmless'),
  title: z.string().trim().normalize('NFC').min(1).max(300).optional().describe('the source’s title when absent'),
});
export type CopyDocumentRequest = z.infer<typeof CopyDocumentRequest>;

export const StepDecision = z.object({
  decision: DecisionKind,
  comment: z.string().nullable(),
  decidedAt: z.string().describe('as signed'),
  signerId: Id,
  keyId: KeyId,
  signature: Signature,
  versionHash: VersionHash,
  recordedAt: Timestamp.describe('when the server accepted it'),
});
export type StepDecision = z.infer<typeof StepDecision>;

export const WorkflowStep = z.object({
  index: z.number().int().nonnegative(),
  kind: StepKind,
  assigneeId: Id,
  authority: Authority.nullable(),
  decision: StepDecision.nullable(),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

export const WorkflowRound = z.object({
  id: Id,
  number: z.number().int().positive(),
  versionHash: VersionHash,
  stateVector: z.string(),
  submittedBy: Id,
  submittedAt: Timestamp,
  status: RoundStatus,
  currentStep: z.number().int().nonnegative().nullable().describe('the step waiting in an open round'),
  steps: z.array(WorkflowStep),
});
export type WorkflowRound = z.infer<typeof WorkflowRound>;

export const DocumentIssue = z.object({
  number: z.number().int().positive(),
  numberText: z.string().describe('số, ký hiệu: 05/QĐ-STTTT, or 05/STTTT-BCVT for a công văn'),
  register: z.string(),
  year: z.number().int(),
  issuedAt: Timestamp,
  issuedBy: Id,
  issueDate: z.iso.date().describe('the date of issue in Vietnam (UTC+7)'),
  dateLine: z.string().describe('Ninh Bình, ngày 05 tháng 01 năm 2026'),
});
export type DocumentIssue = z.infer<typeof DocumentIssue>;

export const NextAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit') }),
  z.object({ action: z.literal('decide'), roundId: Id, stepIndex: z.number().int().nonnegative(), assigneeId: Id, kind: StepKind }),
  z.object({ action: z.literal('issue') }),
  z.object({ action: z.literal('none') }),
]);
export type NextAction = z.infer<typeof NextAction>;

export const WorkflowResponse = z.object({
  documentId: Id,
  status: DocumentStatus,
  rounds: z.array(WorkflowRound).describe('oldest first'),
  issue: DocumentIssue.nullable(),
  next: NextAction,
  keys: z.record(z.string(), z.object({ userId: Id, publicKey: z.string() })).describe('public keys of every signer named in the rounds, by key id: enough to verify every decision offline'),
});
export type WorkflowResponse = z.infer<typeof WorkflowResponse>;

export const ApprovalItem = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('decide'),
    document: DocumentRecord,
    roundId: Id,
    roundNumber: z.number().int().positive(),
    stepIndex: z.number().int().nonnegative(),
    kind: StepKind,
    authority: Authority.nullable(),
    versionHash: VersionHash,
    submittedBy: Id,
    submittedAt: Timestamp,
  }),
  z.object({ action: z.literal('issue'), document: DocumentRecord }),
]);
export type ApprovalItem = z.infer<typeof ApprovalItem>;

export const ApprovalsResponse = z.object({
  count: z.number().int().nonnegative(),
  items: z.array(ApprovalItem).describe('steps waiting for the caller, then (for a clerk) approved documents waiting to be issued'),
});
export type ApprovalsResponse = z.infer<typeof ApprovalsResponse>;

export const AuditVerification = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative().describe('entries that verified'),
  head: z.string().nullable().describe('hash of the last entry that verified'),
  firstBroken: z
    .object({
      seq: z.number().int().positive(),
      reason: z.enum(['hash_mismatch', 'broken_link', 'sequence_gap', 'malformed']),
      message: z.string(),
    })
    .optional(),
});
export type AuditVerification = z.infer<typeof AuditVerification>;

// --- task boards (issue 6) ---

export const BoardRole = z.enum(BOARD_ROLES);
export const BoardMemberRole = z.enum(BOARD_MEMBER_ROLES);

export const CreateBoardRequest = z.object({
  id: Id.optional().describe('chosen by the client for boards made offline; the server picks one otherwise'),
  title: z.string().trim().normalize('NFC').min(1).max(300),
});
export type CreateBoardRequest = z.infer<typeof CreateBoardRequest>;

/** A board's record as one caller sees it: `role` is that caller's role on it. Its tasks live in the room `board:<id>`. */
export const BoardRecord = z.object({
  id: Id,
  title: z.string(),
  agencyId: AgencyId,
  ownerId: Id,
  role: BoardRole,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type BoardRecord = z.infer<typeof BoardRecord>;

export const BoardsResponse = z.object({ boards: z.array(BoardRecord) });
export type BoardsResponse = z.infer<typeof BoardsResponse>;

export const BoardParams = z.object({ id: Id });

export const BoardMemberRequest = z.object({
  principal: Principal,
  role: BoardMemberRole,
});
export type BoardMemberRequest = z.infer<typeof BoardMemberRequest>;

export const BoardMember = z.object({
  principal: Principal,
  role: BoardMemberRole,
});
export type BoardMember = z.infer<typeof BoardMember>;

export const BoardMembersResponse = z.object({ members: z.array(BoardMember) });
export type BoardMembersResponse = z.infer<typeof BoardMembersResponse>;

export const DeleteBoardMemberParams = z.object({
  id: Id,
  type: PrincipalType,
  principalId: z.string().min(1).max(100),
});
