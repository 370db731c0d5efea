import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangesResponse,
  DirectoryResponse,
  DocumentRecord,
  DocumentsResponse,
  ErrorBody,
  LoginResponse,
  MeResponse,
  SharesResponse,
  type ApiErrorCode,
} from '../../common/api.ts';
import { TokenService } from '../auth/tokens.ts';
import { DEMO_PASSWORD, DEMO_USER_IDS, seedDemo, type DemoUsername } from '../demo.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { createApi, type Api } from './api.ts';

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

interface Served {
  readonly api: Api;
  readonly base: string;
  close(): Promise<void>;
}

let dir: string;
let dbFile: string;
let store: Store;
let tokens: TokenService;
let served: Served;
const accessChanged: string[] = [];
const token: Partial<Record<DemoUsername, string>> = {};

async function serve(store: Store, tokens: TokenService): Promise<Served> {
  const api = createApi({ store, tokens, log: pino({ level: 'silent' }), onAccessChanged: (id) => accessChanged.push(id) });
  const server = http.createServer((req, res) => {
    void api.handle(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(418, { 'content-type': 'text/plain' });
        res.end('not for the api');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    api,
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function call(
  method: string,
  url: string,
  options: Readonly<{ as?: DemoUsername; token?: string; body?: unknown; raw?: string; base?: string }> = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const bearer = options.token ?? (options.as ? token[options.as] : undefined);
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${options.base ?? served.base}${url}`, { method, headers, body });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the assertion to show
  }
  return { status: response.status, headers: response.headers, json };
}

function expectError(answer: Answer, status: number, code: ApiErrorCode): string {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  const body = ErrorBody.parse(answer.json);
  expect(body.error.code).toBe(code);
  return body.error.message;
}

async function createDocument(as: DemoUsername, fields: Readonly<{ title?: string; type?: string; id?: string }> = {}): Promise<DocumentRecord> {
  const answer = await call('POST', '/api/documents', {
    as,
    body: { id: fields.id ?? randomUUID(), title: fields.title ?? 'Kế hoạch chuyển đổi số năm 2026', type: fields.type ?? 'KH' },
  });
  expect(answer.status, JSON.stringify(answer.json)).toBe(201);
  return DocumentRecord.parse(answer.json);
}

async function share(as: DemoUsername, documentId: string, principal: { type: string; id: string }, role: string): Promise<Answer> {
  return call('POST', `/api/documents/${documentId}/shares`, { as, body: { principal, role } });
}

async function visibleIds(as: DemoUsername): Promise<string[]> {
  const answer = await call('GET', '/api/documents', { as });
  expect(answer.status).toBe(200);
  return DocumentsResponse.parse(answer.json).documents.map((doc) => doc.id);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'congvu-api-'));
  dbFile = path.join(dir, 'congvu.db');
  store = await openStore(`sqlite:${dbFile}`);
  expect(await seedDemo(store)).toBe(true);
  tokens = await TokenService.create(store, 3600);
  served = await serve(store, tokens);
  for (const username of ['an.nguyen', 'binh.tran', 'chi.le', 'dung.vu'] as const) {
    const answer = await call('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
    expect(answer.status).toBe(200);
    token[username] = LoginResponse.parse(answer.json).token;
  }
});

afterAll(async () => {
  await served?.close();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('health and routing', () => {
  it('answers /healthz with status ok, without a token', async () => {
    const answer = await call('GET', '/healthz');
    expect(answer).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('leaves paths outside /api and /healthz to the caller', async () => {
    for (const url of ['/', '/documents/123', '/metrics', '/apix', '/healthz2']) {
      expect((await call('GET', url)).status, url).toBe(418);
    }
  });

  it('answers an unknown /api path with 404 in JSON', async () => {
    expectError(await call('GET', '/api/nothing-here', { as: 'an.nguyen' }), 404, 'not_found');
    expectError(await call('GET', '/api', { as: 'an.nguyen' }), 404, 'not_found');
  });

  it('answers a known path with the wrong method with 405 and the allowed methods', async () => {
    const answer = await call('PUT', '/api/documents', { as: 'an.nguyen' });
    expectError(answer, 405, 'method_not_allowed');
    expect(answer.headers.get('allow')).toBe('POST, GET');
    expectError(await call('GET', '/api/auth/login'), 405, 'method_not_allowed');
  });

  it('marks API answers as JSON that no cache may keep', async () => {
    const answer = await call('GET', '/api/me', { as: 'an.nguyen' });
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});

describe('login and tokens', () => {
  it('logs a demo user in and answers the token with the user, never the password hash', async () => {
    const answer = await call('POST', '/api/auth/login', { body: { username: 'an.nguyen', password: DEMO_PASSWORD } });
    expect(answer.status).toBe(200);
    const body = LoginResponse.parse(answer.json);
    expect(body.user).toEqual({
      id: DEMO_USER_IDS['an.nguyen'],
      username: 'an.nguyen',
      displayName: 'Nguyễn Văn An',
      agencyId: 'stttt-ninhbinh',
      unit: 'Phòng Bưu chính - Viễn thông',
      title: 'chuyên viên',
      roles: ['drafter'],
    });
    expect(JSON.stringify(answer.json)).not.toContain('scrypt');
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 3500_000);
  });

  it('refuses a wrong password and an unknown user alike with invalid_credentials', async () => {
    const wrong = await call('POST', '/api/auth/login', { body: { username: 'an.nguyen', password: 'not-it' } });
    const unknown = await call('POST', '/api/auth/login', { body: { username: 'nobody', password: DEMO_PASSWORD } });
    expect(expectError(wrong, 401, 'invalid_credentials')).toBe(expectError(unknown, 401, 'invalid_credentials'));
  });

  it('refuses a login body without a password, naming the field', async () => {
    expect(expectError(await call('POST', '/api/auth/login', { body: { username: 'an.nguyen' } }), 400, 'invalid_body')).toContain('password');
  });

  it('answers /api/me with the user the token names', async () => {
    const answer = await call('GET', '/api/me', { as: 'dung.vu' });
    expect(answer.status).toBe(200);
    expect(MeResponse.parse(answer.json).user).toMatchObject({ id: DEMO_USER_IDS['dung.vu'], agencyId: 'ubnd-yenhoa' });
  });

  it('refuses every authenticated call without a token with 401 unauthorized', async () => {
    const documentId = randomUUID();
    for (const [method, url] of [
      ['GET', '/api/me'],
      ['GET', '/api/directory'],
      ['GET', '/api/documents'],
      ['POST', '/api/documents'],
      ['GET', `/api/documents/${documentId}`],
      ['POST', `/api/documents/${documentId}/shares`],
      ['DELETE', `/api/documents/${documentId}/shares/user/${randomUUID()}`],
      ['GET', '/api/changes?since=0'],
    ]) {
      const answer = await call(method, url, { body: method === 'POST' ? {} : undefined });
      expectError(answer, 401, 'unauthorized');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('checks the token before the request, so a stranger learns nothing from validation errors', async () => {
    expectError(await call('POST', '/api/documents', { raw: '{not json' }), 401, 'unauthorized');
    expectError(await call('GET', '/api/documents/not-a-uuid'), 401, 'unauthorized');
  });

  it('refuses a forged, foreign or malformed token with 401 unauthorized', async () => {
    const genuine = token['an.nguyen'] ?? '';
    const [header, payload] = genuine.split('.');
    for (const bad of [`${header}.${payload}.AAAA`, 'garbage', `${genuine}x`]) {
      expectError(await call('GET', '/api/me', { token: bad }), 401, 'unauthorized');
    }
    const basic = await fetch(`${served.base}/api/me`, { headers: { authorization: `Basic ${genuine}` } });
    expect(basic.status).toBe(401);
  });

  it('refuses an expired token with 401 token_expired', async () => {
    const past = await TokenService.create(store, 60, { now: () => Date.now() - 2 * 3600_000 });
    const expired = await past.issue({ id: DEMO_USER_IDS['an.nguyen'] });
    expectError(await call('GET', '/api/me', { token: expired }), 401, 'token_expired');
  });

  it('refuses a valid token that names no user', async () => {
    const orphan = await tokens.issue({ id: randomUUID() });
    expectError(await call('GET', '/api/me', { token: orphan }), 401, 'unauthorized');
  });

  it('keeps a token valid across a restart of the server on the same database', async () => {
    const reopened = await openStore(`sqlite:${dbFile}`);
    const restarted = await serve(reopened, await TokenService.create(reopened, 3600));
    try {
      const answer = await call('GET', '/api/me', { as: 'chi.le', base: restarted.base });
      expect(answer.status).toBe(200);
      expect(MeResponse.parse(answer.json).user.username).toBe('chi.le');
    } finally {
      await restarted.close();
      await reopened.close();
    }
  });
});

describe('directory', () => {
  it('lists every agency and every user, other agencies included, without password hashes', async () => {
    const answer = await call('GET', '/api/directory', { as: 'an.nguyen' });
    expect(answer.status).toBe(200);
    const directory = DirectoryResponse.parse(answer.json);
    expect(directory.agencies.map((agency) => agency.id).sort()).toEqual(['stttt-ninhbinh', 'ubnd-ninhbinh', 'ubnd-yenhoa']);
    expect(directory.agencies.find((agency) => agency.id === 'stttt-ninhbinh')).toEqual({
      id: 'stttt-ninhbinh',
      name: 'Sở Thông tin và Truyền thông tỉnh Ninh Bình',
      abbreviation: 'STTTT',
      parentId: 'ubnd-ninhbinh',
    });
    expect(directory.users.map((user) => user.username).sort()).toEqual(['admin', 'an.nguyen', 'binh.tran', 'chi.le', 'cuong.pham', 'dung.vu']);
    expect(JSON.stringify(answer.json)).not.toMatch(/passwordHash|scrypt/);
  });
});

describe('creating documents', () => {
  it('creates a draft owned by the caller in the caller’s agency, with the client’s id', async () => {
    const id = randomUUID();
    const before = Date.now();
    const answer = await call('POST', '/api/documents', { as: 'an.nguyen', body: { id, title: '  Tờ trình về việc mua sắm  ', type: 'TTr' } });
    expect(answer.status).toBe(201);
    const doc = DocumentRecord.parse(answer.json);
    expect(doc).toMatchObject({
      id,
      title: 'Tờ trình về việc mua sắm',
      type: 'TTr',
      status: 'draft',
      agencyId: 'stttt-ninhbinh',
      ownerId: DEMO_USER_IDS['an.nguyen'],
      role: 'owner',
    });
    expect(doc.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(doc.createdAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(doc.updatedAt).toBe(doc.createdAt);
  });

  it('picks an id when the client gives none', async () => {
    const answer = await call('POST', '/api/documents', { as: 'an.nguyen', body: { title: 'Công văn', type: 'CV' } });
    expect(answer.status).toBe(201);
    expect(DocumentRecord.parse(answer.json).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a repeated create with the stored record instead of a second document', async () => {
    const id = randomUUID();
    const first = await createDocument('an.nguyen', { id, type: 'BC', title: 'Báo cáo quý' });
    const again = await call('POST', '/api/documents', { as: 'an.nguyen', body: { id, type: 'BC', title: 'Báo cáo quý' } });
    expect(again.status).toBe(200);
    expect(DocumentRecord.parse(again.json)).toEqual(first);
    expect((await visibleIds('an.nguyen')).filter((seen) => seen === id)).toHaveLength(1);
  });

  it('answers 409 when the id belongs to another user’s document or to one of another type', async () => {
    const id = randomUUID();
    await createDocument('an.nguyen', { id, type: 'BC' });
    expectError(await call('POST', '/api/documents', { as: 'binh.tran', body: { id, title: 'x', type: 'BC' } }), 409, 'conflict');
    expectError(await call('POST', '/api/documents', { as: 'an.nguyen', body: { id, title: 'x', type: 'QĐ' } }), 409, 'conflict');
  });

  it('stores ids in lower case, whatever case the client wrote', async () => {
    const id = randomUUID();
    const answer = await call('POST', '/api/documents', { as: 'an.nguyen', body: { id: id.toUpperCase(), title: 'Thông báo', type: 'TB' } });
    expect(DocumentRecord.parse(answer.json).id).toBe(id);
    expect((await call('GET', `/api/documents/${id.toUpperCase()}`, { as: 'an.nguyen' })).status).toBe(200);
  });

  it('accepts every Decree 30 type code, công văn and thư công included', async () => {
    for (const type of ['QĐ', 'QyĐ', 'ĐA', 'CV', 'TCg', 'TrS']) {
      expect((await createDocument('an.nguyen', { type })).type).toBe(type);
    }
  });

  it('refuses invalid bodies with 400, naming what was wrong', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'CV' }, 'title'],
      [{ title: '   ', type: 'CV' }, 'title'],
      [{ title: 'x'.repeat(301), type: 'CV' }, 'title'],
      [{ title: 'Công văn', type: 'XYZ' }, 'type'],
      [{ title: 'Công văn' }, 'type'],
      [{ id: 'not-a-uuid', title: 'Công văn', type: 'CV' }, 'id'],
      [{ id: 42, title: 'Công văn', type: 'CV' }, 'id'],
      [['an', 'array'], 'body'],
      [null, 'body'],
    ];
    for (const [body, field] of cases) {
      const message = expectError(await call('POST', '/api/documents', { as: 'an.nguyen', body }), 400, 'invalid_body');
      expect(message, JSON.stringify(body)).toMatch(new RegExp(`^${field}:|; ${field}:`));
    }
  });

  it('refuses a body that is not JSON with 400 invalid_json', async () => {
    expectError(await call('POST', '/api/documents', { as: 'an.nguyen', raw: '{"title": "Công văn",' }), 400, 'invalid_json');
    expectError(await call('POST', '/api/documents', { as: 'an.nguyen', raw: '' }), 400, 'invalid_json');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const title = 'x'.repeat(1024 * 1024 + 10);
    expectError(await call('POST', '/api/documents', { as: 'an.nguyen', body: { title, type: 'CV' } }), 413, 'payload_too_large');
    // The server still answers afterwards.
    expect((await call('GET', '/healthz')).status).toBe(200);
  });
});

describe('reading documents across agencies', () => {
  it('shows a document to its owner with the role owner', async () => {
    const doc = await createDocument('an.nguyen');
    const answer = await call('GET', `/api/documents/${doc.id}`, { as: 'an.nguyen' });
    expect(answer.status).toBe(200);
    expect(DocumentRecord.parse(answer.json)).toEqual(doc);
  });

  it('answers 404 for a document the caller may not see, exactly as for one that does not exist', async () => {
    const doc = await createDocument('an.nguyen');
    const hidden = await call('GET', `/api/documents/${doc.id}`, { as: 'dung.vu' });
    const absent = await call('GET', `/api/documents/${randomUUID()}`, { as: 'dung.vu' });
    expect(expectError(hidden, 404, 'not_found')).toBe(expectError(absent, 404, 'not_found'));
  });

  it('answers 404 for a document id that is not a UUID', async () => {
    expectError(await call('GET', '/api/documents/not-a-uuid', { as: 'an.nguyen' }), 404, 'not_found');
    expectError(await call('GET', '/api/documents/%E0%A4%A', { as: 'an.nguyen' }), 404, 'not_found');
  });

  it('keeps agencies apart: a colleague of the same agency does not see a document either until it is shared', async () => {
    const doc = await createDocument('an.nguyen');
    expect(await visibleIds('binh.tran')).not.toContain(doc.id);
    expect(await visibleIds('dung.vu')).not.toContain(doc.id);
  });

  it('lets a user of another agency see a document once it is shared with her, with her role', async () => {
    const doc = await createDocument('an.nguyen');
    expect(await visibleIds('dung.vu')).not.toContain(doc.id);
    expect((await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'viewer')).status).toBe(200);
    const listed = DocumentsResponse.parse((await call('GET', '/api/documents', { as: 'dung.vu' })).json).documents.find((d) => d.id === doc.id);
    expect(listed).toMatchObject({ id: doc.id, role: 'viewer', agencyId: 'stttt-ninhbinh' });
    expect(DocumentRecord.parse((await call('GET', `/api/documents/${doc.id}`, { as: 'dung.vu' })).json).role).toBe('viewer');
  });

  it('lets every user of an agency see a document shared with the agency', async () => {
    const doc = await createDocument('an.nguyen');
    await share('an.nguyen', doc.id, { type: 'agency', id: 'ubnd-yenhoa' }, 'commenter');
    expect(DocumentRecord.parse((await call('GET', `/api/documents/${doc.id}`, { as: 'dung.vu' })).json).role).toBe('commenter');
    expect(await visibleIds('binh.tran')).not.toContain(doc.id);
  });

  it('gives the strongest of a user’s own share and her agency’s share', async () => {
    const doc = await createDocument('an.nguyen');
    await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'viewer');
    await share('an.nguyen', doc.id, { type: 'agency', id: 'stttt-ninhbinh' }, 'editor');
    expect(DocumentRecord.parse((await call('GET', `/api/documents/${doc.id}`, { as: 'binh.tran' })).json).role).toBe('editor');
  });

  it('lists the caller’s documents with the fields of the contract, most recent first', async () => {
    await createDocument('chi.le', { title: 'Sổ đăng ký' });
    await createDocument('chi.le', { title: 'Giấy mời họp', type: 'GM' });
    const documents = DocumentsResponse.parse((await call('GET', '/api/documents', { as: 'chi.le' })).json).documents;
    const own = documents.filter((doc) => doc.ownerId === DEMO_USER_IDS['chi.le']);
    expect(own.map((doc) => doc.title).sort()).toEqual(['Giấy mời họp', 'Sổ đăng ký']);
    expect(own.every((doc) => doc.role === 'owner')).toBe(true);
    const times = documents.map((doc) => doc.updatedAt);
    expect(times).toEqual([...times].sort().reverse());
    for (const doc of documents) expect(Object.keys(doc).sort()).toEqual(['agencyId', 'createdAt', 'id', 'ownerId', 'role', 'status', 'title', 'type', 'updatedAt']);
  });
});

describe('sharing', () => {
  it('answers the document’s shares and tells the relay that access changed', async () => {
    const doc = await createDocument('an.nguyen');
    const answer = await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'editor');
    expect(answer.status).toBe(200);
    expect(SharesResponse.parse(answer.json)).toEqual({ shares: [{ principal: { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, role: 'editor' }] });
    expect(accessChanged.at(-1)).toBe(doc.id);
  });

  it('replaces the role when sharing again with the same principal', async () => {
    const doc = await createDocument('an.nguyen');
    await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'editor');
    const again = await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'viewer');
    expect(SharesResponse.parse(again.json).shares).toEqual([{ principal: { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, role: 'viewer' }]);
    expect(DocumentRecord.parse((await call('GET', `/api/documents/${doc.id}`, { as: 'dung.vu' })).json).role).toBe('viewer');
  });

  it('lets only the owner share: 403 for one who sees the document, 404 for one who does not', async () => {
    const doc = await createDocument('an.nguyen');
    await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'editor');
    const changesBefore = accessChanged.length;
    expectError(await share('binh.tran', doc.id, { type: 'user', id: DEMO_USER_IDS['chi.le'] }, 'editor'), 403, 'forbidden');
    expectError(await share('dung.vu', doc.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'editor'), 404, 'not_found');
    expect(accessChanged.length).toBe(changesBefore);
    expect(await visibleIds('chi.le')).not.toContain(doc.id);
  });

  it('refuses a principal that is not in the directory with 400', async () => {
    const doc = await createDocument('an.nguyen');
    expectError(await share('an.nguyen', doc.id, { type: 'user', id: randomUUID() }, 'viewer'), 400, 'unknown_principal');
    expectError(await share('an.nguyen', doc.id, { type: 'agency', id: 'ubnd-hanoi' }, 'viewer'), 400, 'unknown_principal');
  });

  it('refuses to share a document with its own owner, who already holds every right', async () => {
    const doc = await createDocument('an.nguyen');
    expect(expectError(await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['an.nguyen'] }, 'viewer'), 400, 'invalid_body')).toContain('principal');
    expect(DocumentRecord.parse((await call('GET', `/api/documents/${doc.id}`, { as: 'an.nguyen' })).json).role).toBe('owner');
  });

  it('refuses a wrong principal type, a role that does not exist and a user id that is not a UUID, naming the field', async () => {
    const doc = await createDocument('an.nguyen');
    const cases: [unknown, unknown, string][] = [
      [{ type: 'group', id: 'x' }, 'viewer', 'principal.type'],
      [{ type: 'user', id: 'binh.tran' }, 'viewer', 'principal.id'],
      [{ type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'owner', 'role'],
      [undefined, 'viewer', 'principal'],
    ];
    for (const [principal, role, field] of cases) {
      const answer = await call('POST', `/api/documents/${doc.id}/shares`, { as: 'an.nguyen', body: { principal, role } });
      expect(expectError(answer, 400, 'invalid_body')).toContain(`${field}:`);
    }
  });

  it('removes a share, after which the principal no longer sees the document', async () => {
    const doc = await createDocument('an.nguyen');
    await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'editor');
    await share('an.nguyen', doc.id, { type: 'agency', id: 'ubnd-ninhbinh' }, 'viewer');
    const answer = await call('DELETE', `/api/documents/${doc.id}/shares/user/${DEMO_USER_IDS['dung.vu'].toUpperCase()}`, { as: 'an.nguyen' });
    expect(answer.status).toBe(200);
    expect(SharesResponse.parse(answer.json).shares).toEqual([{ principal: { type: 'agency', id: 'ubnd-ninhbinh' }, role: 'viewer' }]);
    expect(accessChanged.at(-1)).toBe(doc.id);
    expectError(await call('GET', `/api/documents/${doc.id}`, { as: 'dung.vu' }), 404, 'not_found');
  });

  it('answers a repeated removal like the first, so a replayed outbox is harmless', async () => {
    const doc = await createDocument('an.nguyen');
    const url = `/api/documents/${doc.id}/shares/agency/ubnd-yenhoa`;
    await share('an.nguyen', doc.id, { type: 'agency', id: 'ubnd-yenhoa' }, 'viewer');
    expect((await call('DELETE', url, { as: 'an.nguyen' })).json).toEqual({ shares: [] });
    expect(await call('DELETE', url, { as: 'an.nguyen' })).toMatchObject({ status: 200, json: { shares: [] } });
  });

  it('lets only the owner remove a share', async () => {
    const doc = await createDocument('an.nguyen');
    await share('an.nguyen', doc.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'editor');
    const url = `/api/documents/${doc.id}/shares/user/${DEMO_USER_IDS['binh.tran']}`;
    expectError(await call('DELETE', url, { as: 'binh.tran' }), 403, 'forbidden');
    expectError(await call('DELETE', url, { as: 'dung.vu' }), 404, 'not_found');
    expect(DocumentRecord.parse((await call('GET', `/api/documents/${doc.id}`, { as: 'binh.tran' })).json).role).toBe('editor');
  });

  it('answers 404 for a share path with an unknown principal type', async () => {
    const doc = await createDocument('an.nguyen');
    expectError(await call('DELETE', `/api/documents/${doc.id}/shares/group/x`, { as: 'an.nguyen' }), 404, 'not_found');
  });
});

describe('change feed', () => {
  const update = new Uint8Array([1, 2, 3]);

  async function changes(as: DemoUsername, query: string): Promise<ChangesResponse> {
    const answer = await call('GET', `/api/changes${query}`, { as });
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    return ChangesResponse.parse(answer.json);
  }

  it('announces only the rooms of documents the caller can see', async () => {
    const { cursor: start } = await changes('an.nguyen', '?since=0');
    const mine = await createDocument('an.nguyen');
    const theirs = await createDocument('dung.vu');
    await store.appendUpdates([
      { room: `doc:${mine.id}`, update },
      { room: `doc:${theirs.id}`, update },
      { room: `doc:${mine.id}:comments`, update },
      { room: `board:${randomUUID()}`, update },
    ]);
    const forAn = await changes('an.nguyen', `?since=${start}`);
    expect(forAn.changes.map((change) => change.room)).toEqual([`doc:${mine.id}`, `doc:${mine.id}:comments`]);
    expect(forAn.changes.every((change) => change.documentId === mine.id)).toBe(true);
    const forDung = await changes('dung.vu', `?since=${start}`);
    expect(forDung.changes.map((change) => change.room)).toEqual([`doc:${theirs.id}`]);
    // Both move past all four changes, seen or not.
    expect(forAn.cursor).toBe(forDung.cursor);
    expect(forAn.cursor).toBeGreaterThan(start);
  });

  it('starts announcing a document’s rooms once it is shared with the caller', async () => {
    const { cursor: start } = await changes('dung.vu', '');
    const doc = await createDocument('an.nguyen');
    await store.appendUpdates([{ room: `doc:${doc.id}`, update }]);
    expect((await changes('dung.vu', `?since=${start}`)).changes).toEqual([]);
    await share('an.nguyen', doc.id, { type: 'agency', id: 'ubnd-yenhoa' }, 'viewer');
    const seen = await changes('dung.vu', `?since=${start}`);
    expect(seen.changes).toEqual([{ room: `doc:${doc.id}`, documentId: doc.id, seq: expect.any(Number) }]);
  });

  it('moves past the cursor and pages with limit', async () => {
    const { cursor: start } = await changes('an.nguyen', '?since=0');
    const docs = [await createDocument('an.nguyen'), await createDocument('an.nguyen'), await createDocument('an.nguyen')];
    for (const doc of docs) await store.appendUpdates([{ room: `doc:${doc.id}`, update }]);
    const first = await changes('an.nguyen', `?since=${start}&limit=2`);
    expect(first.changes.map((change) => change.documentId)).toEqual([docs[0].id, docs[1].id]);
    expect(first.hasMore).toBe(true);
    const rest = await changes('an.nguyen', `?since=${first.cursor}&limit=2`);
    expect(rest.changes.map((change) => change.documentId)).toEqual([docs[2].id]);
    expect(rest.hasMore).toBe(false);
    expect(await changes('an.nguyen', `?since=${rest.cursor}`)).toEqual({ cursor: rest.cursor, changes: [], hasMore: false });
  });

  it('refuses a cursor that is not a non-negative integer with 400', async () => {
    for (const query of ['?since=-1', '?since=abc', '?since=1.5', '?since=', '?since=0&limit=0', '?since=0&limit=100000']) {
      expectError(await call('GET', `/api/changes${query}`, { as: 'an.nguyen' }), 400, 'invalid_query');
    }
  });
});

describe('OpenAPI document', () => {
  interface OpenApi {
    openapi: string;
    info: { description: string };
    paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>;
    components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  }

  async function openApi(): Promise<OpenApi> {
    const answer = await call('GET', '/api/openapi.json');
    expect(answer.status).toBe(200);
    return answer.json as OpenApi;
  }

  it('is served without a token and describes every route the API serves', async () => {
    const doc = await openApi();
    expect(doc.openapi).toBe('3.1.0');
    for (const route of served.api.routes()) {
      const oaPath = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[oaPath]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.security.length > 0, `${route.method} ${route.path} security`).toBe(route.authenticated);
      if (route.authenticated) expect(operation.responses['401']).toBeDefined();
    }
    const described = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    expect(described).toBe(served.api.routes().length);
  });

  it('names request bodies, answers and the error shape as component schemas, and every $ref resolves', async () => {
    const doc = await openApi();
    for (const name of ['LoginRequest', 'LoginResponse', 'User', 'Agency', 'DirectoryResponse', 'CreateDocumentRequest', 'DocumentRecord', 'DocumentsResponse', 'ShareRequest', 'SharesResponse', 'ChangesResponse', 'ErrorBody']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.paths['/api/documents'].post.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateDocumentRequest' } } },
    });
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)"/.exec(ref)?.[1];
      expect(name && doc.components.schemas[name], ref).toBeDefined();
    }
    const createSchema = doc.components.schemas.CreateDocumentRequest as { required: string[]; properties: { type: { enum: string[] } } };
    expect(createSchema.required.sort()).toEqual(['title', 'type']);
    expect(createSchema.properties.type.enum).toContain('QĐ');
  });

  it('describes the sync endpoint and its close codes', async () => {
    const { info } = await openApi();
    expect(info.description).toContain('/sync/<room>?token=');
    for (const code of ['4400', '4401', '4403', '4413', '4429', '1009', '1011', '1001']) expect(info.description).toContain(code);
  });
});
