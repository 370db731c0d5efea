/**
 * The HTTP API of CONTRACT.md, typed by the zod schemas of common/api.ts. Every call answers with
 * a value, never a throw: either the parsed body or a failure the UI can translate (a network
 * failure, which means "offline", or the server's error code).
 */
import type { z } from 'zod';
import {
  ApprovalsResponse,
  BoardMembersResponse,
  BoardRecord,
  BoardsResponse,
  ChangesResponse,
  DirectoryResponse,
  DocumentRecord,
  DocumentsResponse,
  ErrorBody,
  LoginResponse,
  MeResponse,
  type ApiErrorCode,
  type BoardMemberRequest,
  type CreateBoardRequest,
  type CreateDocumentRequest,
  type Principal,
} from '../../common/api.ts';
import {
  SigningKey,
  WorkflowResponse,
  type CopyDocumentRequest,
  type DecisionRequest,
  type IssueRequest,
  type RegisterKeyRequest,
  type SubmissionRequest,
} from '../../common/api.ts';

import { SharesResponse, type ShareRequest } from '../../common/api.ts';

export type ApiFailure =
  | { readonly kind: 'network' }
  | { readonly kind: 'http'; readonly status: number; readonly code: ApiErrorCode | 'unknown'; readonly message: string };

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiFailure };

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly getToken: () => string | null;
  /** Told about every answer: whether the server was reachable at all. */
  readonly onReachability?: (reachable: boolean) => void;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  login(username: string, password: string): Promise<ApiResult<LoginResponse>> {
    return this.call('POST', '/api/auth/login', LoginResponse, { username, password }, false);
  }
  me(): Promise<ApiResult<MeResponse>> {
    return this.call('GET', '/api/me', MeResponse);
  }
  directory(): Promise<ApiResult<DirectoryResponse>> {
    return this.call('GET', '/api/directory', DirectoryResponse);
  }
  listDocuments(): Promise<ApiResult<DocumentsResponse>> {
    return this.call('GET', '/api/documents', DocumentsResponse);
  }
  getDocument(id: string): Promise<ApiResult<DocumentRecord>> {
    return this.call('GET', `/api/documents/${encodeURIComponent(id)}`, DocumentRecord);
  }
  createDocument(request: CreateDocumentRequest): Promise<ApiResult<DocumentRecord>> {
    return this.call('POST', '/api/documents', DocumentRecord, request);
  }
  // --- shares (the "Chia sẻ" dialog, renderer/documents/sharing) ---
  /** `GET /api/documents/:id/shares`; servers without it answer 405 (see sharing/share-service.ts). */
  listShares(documentId: string): Promise<ApiResult<SharesResponse>> {
    return this.call('GET', `/api/documents/${encodeURIComponent(documentId)}/shares`, SharesResponse);
  }
  putShare(documentId: string, request: ShareRequest): Promise<ApiResult<SharesResponse>> {
    return this.call('POST', `/api/documents/${encodeURIComponent(documentId)}/shares`, SharesResponse, request);
  }
  deleteShare(documentId: string, principal: Principal): Promise<ApiResult<SharesResponse>> {
    const path = `/api/documents/${encodeURIComponent(documentId)}/shares/${principal.type}/${encodeURIComponent(principal.id)}`;
    return this.call('DELETE', path, SharesResponse);
  }
  listBoards(): Promise<ApiResult<BoardsResponse>> {
    return this.call('GET', '/api/boards', BoardsResponse);
  }
  getBoard(id: string): Promise<ApiResult<BoardRecord>> {
    return this.call('GET', `/api/boards/${encodeURIComponent(id)}`, BoardRecord);
  }
  createBoard(request: CreateBoardRequest): Promise<ApiResult<BoardRecord>> {
    return this.call('POST', '/api/boards', BoardRecord, request);
  }
  boardMembers(id: string): Promise<ApiResult<BoardMembersResponse>> {
    return this.call('GET', `/api/boards/${encodeURIComponent(id)}/members`, BoardMembersResponse);
  }
  putBoardMember(id: string, request: BoardMemberRequest): Promise<ApiResult<BoardMembersResponse>> {
    return this.call('POST', `/api/boards/${encodeURIComponent(id)}/members`, BoardMembersResponse, request);
  }
  deleteBoardMember(id: string, principal: Principal): Promise<ApiResult<BoardMembersResponse>> {
    const path = `/api/boards/${encodeURIComponent(id)}/members/${principal.type}/${encodeURIComponent(principal.id)}`;
    return this.call('DELETE', path, BoardMembersResponse);
  }
  /** "Chờ tôi xử lý": the approval steps waiting for the caller (issue 5). */
  approvals(): Promise<ApiResult<ApprovalsResponse>> {
    return this.call('GET', '/api/approvals', ApprovalsResponse);
  }
  // --- the approval procedure (issue 5, docs/approval.md) ---
  registerKey(request: RegisterKeyRequest): Promise<ApiResult<SigningKey>> {
    return this.call('POST', '/api/keys', SigningKey, request);
  }
  workflow(documentId: string): Promise<ApiResult<WorkflowResponse>> {
    return this.call('GET', `/api/documents/${encodeURIComponent(documentId)}/workflow`, WorkflowResponse);
  }
  submit(documentId: string, request: SubmissionRequest): Promise<ApiResult<WorkflowResponse>> {
    return this.call('POST', `/api/documents/${encodeURIComponent(documentId)}/submissions`, WorkflowResponse, request);
  }
  decide(documentId: string, request: DecisionRequest): Promise<ApiResult<WorkflowResponse>> {
    return this.call('POST', `/api/documents/${encodeURIComponent(documentId)}/decisions`, WorkflowResponse, request);
  }
  issue(documentId: string, request: IssueRequest): Promise<ApiResult<WorkflowResponse>> {
    return this.call('POST', `/api/documents/${encodeURIComponent(documentId)}/issue`, WorkflowResponse, request);
  }
  copyDocument(documentId: string, request: CopyDocumentRequest): Promise<ApiResult<DocumentRecord>> {
    return this.call('POST', `/api/documents/${encodeURIComponent(documentId)}/copy`, DocumentRecord, request);
  }
  changes(since: number): Promise<ApiResult<ChangesResponse>> {
    return this.call('GET', `/api/changes?since=${since}`, ChangesResponse);
  }
  async health(): Promise<boolean> {
    const result = await this.raw('GET', '/healthz', undefined, false);
    return result !== null && result.ok;
  }

  private async raw(method: string, path: string, body: unknown, auth: boolean): Promise<Response | null> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = auth ? this.options.getToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs ?? 10_000);
    try {
      const response = await (this.options.fetch ?? fetch)(this.options.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: 'no-store',
      });
      // A gateway that cannot reach the server is, for the user, the network being down.
      const reachable = response.status !== 502 && response.status !== 503 && response.status !== 504;
      this.options.onReachability?.(reachable);
      return response;
    } catch {
      this.options.onReachability?.(false);
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
    auth = true,
  ): Promise<ApiResult<z.output<S>>> {
    const response = await this.raw(method, path, body, auth);
    if (response === null) return { ok: false, error: { kind: 'network' } };
    let json: unknown = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    if (!response.ok) {
      const parsed = ErrorBody.safeParse(json);
      return {
        ok: false,
        error: {
          kind: 'http',
          status: response.status,
          code: parsed.success ? parsed.data.error.code : 'unknown',
          message: parsed.success ? parsed.data.error.message : response.statusText,
        },
      };
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      return { ok: false, error: { kind: 'http', status: response.status, code: 'unknown', message: parsed.error.message } };
    }
    return { ok: true, value: parsed.data };
  }
}
