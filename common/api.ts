/**
 * The HTTP API of CONTRACT.md as zod schemas, with the TypeScript types inferred from them: the
 * server validates exactly what the client sends with the same schemas the client is typed by, and
 * the OpenAPI document is generated from them too.
 */
import { z } from 'zod';
import { DOCUMENT_ROLES } from './access.ts';
import { DOCUMENT_TYPE_CODES } from './document-types.ts';

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
export const DocumentStatus = z.enum(['draft', 'in_review', 'returned', 'approved', 'issued']);
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
  room: z.string().describe('doc:<id> or doc:<id>:comments'),
  documentId: Id,
  seq: z.number().int().nonnegative(),
});
export type RoomChange = z.infer<typeof RoomChange>;

export const ChangesResponse = z.object({
  cursor: z.number().int().nonnegative().describe('pass as `since` next time'),
  changes: z.array(RoomChange),
  hasMore: z.boolean().describe('more changes are waiting after `cursor`: ask again at once'),
});
export type ChangesResponse = z.infer<typeof ChangesResponse>;
