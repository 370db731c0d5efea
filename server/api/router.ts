/**
 * A small JSON router over node:http: method and path patterns with `:params`, bodies read with a
 * size limit and validated with zod, bearer authentication before anything else is looked at, and
 * every failure answered as `{"error":{"code","message"}}` with the right status. Handlers return
 * their errors as values (ApiError) instead of throwing them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { ApiErrorCode, ErrorBody } from '../../common/api.ts';

/** An error answer: status, a stable code for the client, and a message for people. */
export class ApiError {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly message: string,
  ) {}

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

export type Outcome = Reply | ApiError;

export function reply(status: number, body: unknown): Reply {
  return { status, body };
}

export const notFound = (what = 'not found'): ApiError => new ApiError(404, 'not_found', what);

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext<P, Q, B, C> {
  readonly req: IncomingMessage;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** The authenticated caller; undefined on anonymous routes. */
  readonly caller: C;
}

export interface RouteDefinition<P, Q, B, C> {
  readonly method: Method;
  /** `/api/documents/:id/shares`: each `:name` matches one non-empty path segment. */
  readonly path: string;
  /**
   * Schema of the path parameters. A path whose parameters do not parse names nothing, so it is
   * answered 404, not 400: an id that cannot exist is as absent as one that does not.
   */
  readonly params?: z.ZodType<P>;
  /** Schema of the query string (one value per name); failures are 400 invalid_query. */
  readonly query?: z.ZodType<Q>;
  /** Schema of the JSON body; without one the body is ignored. Failures are 400 invalid_body. */
  readonly body?: z.ZodType<B>;
  readonly handler: (context: RouteContext<P, Q, B, C>) => Promise<Outcome>;
}

export interface RouterOptions<C> {
  /** Who is calling, from the request (normally its bearer token), or why nobody is. */
  readonly authenticate: (req: IncomingMessage) => Promise<C | ApiError>;
  readonly log: Logger;
  /** Largest accepted body, in bytes; larger ones are answered 413. */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

interface CompiledRoute {
  readonly method: Method;
  readonly segments: readonly string[];
  readonly authenticated: boolean;
  readonly run: (req: IncomingMessage, rawParams: Record<string, string>, rawQuery: URLSearchParams) => Promise<Outcome>;
}

/** The `Authorization: Bearer <token>` of a request, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}

/** What was wrong, from zod's issues, short enough for a message: `title: Too small: …; type: …`. */
export function describeIssues(error: z.ZodError, root = 'body'): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : root;
    return `${where}: ${issue.message}`;
  });
  if (error.issues.length > shown.length) shown.push(`and ${error.issues.length - shown.length} more`);
  return shown.join('; ');
}

function splitPath(pathname: string): string[] | null {
  try {
    return pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return null; // malformed %-escape: names nothing
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      if (actual[i] === '') return null;
      params[pattern[i].slice(1)] = actual[i];
    } else if (pattern[i] !== actual[i]) {
      return null;
    }
  }
  return params;
}

/** Reads the whole body, or answers 413 as soon as it is known to be too large. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | ApiError> {
  const tooLarge = new ApiError(413, 'payload_too_large', `the body is larger than ${limit} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.off('end', onEnd);
        // Keep reading into nothing, so the client can finish sending and read our answer.
        req.resume();
        resolve(tooLarge);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

export class Router<C> {
  private readonly routes: CompiledRoute[] = [];
  private readonly maxBodyBytes: number;

  constructor(private readonly options: Readonly<RouterOptions<C>>) {
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** A route anyone may call. */
  anonymous<P = Record<string, string>, Q = Record<string, string>, B = undefined>(route: RouteDefinition<P, Q, B, undefined>): this {
    return this.compile(route, false);
  }

  /** A route only an authenticated caller reaches; others get 401 before anything else is checked. */
  authenticated<P = Record<string, string>, Q = Record<string, string>, B = undefined>(route: RouteDefinition<P, Q, B, C>): this {
    return this.compile(route, true);
  }

  /** The routes, for the OpenAPI document and its test. */
  list(): { method: Method; path: string; authenticated: boolean }[] {
    return this.routes.map((route) => ({ method: route.method, path: `/${route.segments.join('/')}`, authenticated: route.authenticated }));
  }

  private compile<P, Q, B, X>(route: RouteDefinition<P, Q, B, X>, authenticated: boolean): this {
    const segments = route.path.split('/').slice(1);
    const run = async (req: IncomingMessage, rawParams: Record<string, string>, rawQuery: URLSearchParams): Promise<Outcome> => {
      let caller: unknown = undefined;
      if (authenticated) {
        caller = await this.options.authenticate(req);
        if (caller instanceof ApiError) return caller;
      }
      const params = route.params ? route.params.safeParse(rawParams) : { success: true as const, data: rawParams as P };
      if (!params.success) return notFound();
      const queryInput = Object.fromEntries(rawQuery);
      const query = route.query ? route.query.safeParse(queryInput) : { success: true as const, data: queryInput as Q };
      if (!query.success) return new ApiError(400, 'invalid_query', describeIssues(query.error, 'query'));
      let body = undefined as B;
      if (route.body) {
        const raw = await readBody(req, this.maxBodyBytes);
        if (raw instanceof ApiError) return raw;
        let json: unknown;
        try {
          json = JSON.parse(raw.toString('utf8'));
        } catch {
          return new ApiError(400, 'invalid_json', 'the body is not valid JSON');
        }
        const parsed = route.body.safeParse(json);
        if (!parsed.success) return new ApiError(400, 'invalid_body', describeIssues(parsed.error));
        body = parsed.data;
      }
      return route.handler({ req, params: params.data, query: query.data, body, caller: caller as X });
    };
    this.routes.push({ method: route.method, segments, authenticated, run });
    return this;
  }

  /** Answers the request: its route's outcome, 404 for an unknown path, 405 for a wrong method. */
  async dispatch(req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await this.route(req, pathname, query);
    } catch (error) {
      this.options.log.error({ err: error, method: req.method, path: pathname }, 'api handler failed');
      outcome = new ApiError(500, 'internal', 'internal error');
    }
    const status = outcome.status;
    const body = outcome instanceof ApiError ? outcome.toBody() : outcome.body;
    const headers: Record<string, string> = {};
    if (outcome instanceof ApiError && outcome.status === 405) headers.allow = this.allowedMethods(pathname).join(', ');
    // An unread body left on the socket would be parsed as the next request: close instead.
    if (outcome instanceof ApiError && outcome.status === 413) headers.connection = 'close';
    if (outcome instanceof ApiError && outcome.status === 401) headers['www-authenticate'] = 'Bearer realm="congvu"';
    sendJson(res, status, body, headers);
    this.options.log.debug({ method: req.method, path: pathname, status, ms: Math.round(performance.now() - started) }, 'api');
  }

  private async route(req: IncomingMessage, pathname: string, query: URLSearchParams): Promise<Outcome> {
    const segments = splitPath(pathname);
    if (!segments) return notFound();
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === req.method) return route.run(req, params, query);
    }
    if (pathMatched) return new ApiError(405, 'method_not_allowed', `${req.method ?? ''} is not allowed here`);
    return notFound(`no such endpoint: ${pathname}`);
  }

  private allowedMethods(pathname: string): Method[] {
    const segments = splitPath(pathname) ?? [];
    return this.routes.filter((route) => matchSegments(route.segments, segments)).map((route) => route.method);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    // Answers carry personal data and per-caller roles: no cache may keep them.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(text);
}
