import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardMembersResponse, BoardRecord, BoardsResponse, ChangesResponse, ErrorBody, LoginResponse, type ApiErrorCode } from '../../common/api.ts';
import { TokenService } from '../auth/tokens.ts';
import { DEMO_PASSWORD, DEMO_USER_IDS, seedDemo, type DemoUsername } from '../demo.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { createApi } from './api.ts';
import { describedRoutes } from './openapi.ts';

let dir: string;
let store: Store;
let server: http.Server;
let base: string;
const boardAccessChanged: string[] = [];
const token: Partial<Record<DemoUsername, string>> = {};

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

async function call(method: string, url: string, as?: DemoUsername, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${token[as]}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

function expectError(answer: Answer, status: number, code: ApiErrorCode): void {
  expect(answer.status, JSON.stringify(answer.json)).toBe(status);
  expect(ErrorBody.parse(answer.json).error.code).toBe(code);
}

async function createBoard(as: DemoUsername, title = 'Kế hoạch chuyển đổi số năm 2026', id = randomUUID()): Promise<BoardRecord> {
  const answer = await call('POST', '/api/boards', as, { id, title });
  expect(answer.status, JSON.stringify(answer.json)).toBe(201);
  return BoardRecord.parse(answer.json);
}

const addMember = (as: DemoUsername, boardId: string, principal: { type: string; id: string }, role: string): Promise<Answer> =>
  call('POST', `/api/boards/${boardId}/members`, as, { principal, role });

async function boardIds(as: DemoUsername): Promise<string[]> {
  const answer = await call('GET', '/api/boards', as);
  expect(answer.status).toBe(200);
  return BoardsResponse.parse(answer.json).boards.map((b) => b.id);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'congvu-boards-'));
  store = await openStore(`sqlite:${path.join(dir, 'congvu.db')}`);
  await seedDemo(store);
  const tokens = await TokenService.create(store, 3600);
  const api = createApi({
    store,
    tokens,
    log: pino({ level: 'silent' }),
    onAccessChanged: () => {},
    onBoardAccessChanged: (id) => boardAccessChanged.push(id),
  });
  server = http.createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const username of ['an.nguyen', 'binh.tran', 'chi.le', 'dung.vu'] as const) {
    const answer = await call('POST', '/api/auth/login', undefined, { username, password: DEMO_PASSWORD });
    token[username] = LoginResponse.parse(answer.json).token;
  }
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('boards API', () => {
  it('creates a board with the client’s id, and repeating the call answers 200 with the stored record', async () => {
    const id = randomUUID().toUpperCase();
    const created = await call('POST', '/api/boards', 'an.nguyen', { id, title: '  Theo dõi  công văn đến ' });
    expect(created.status).toBe(201);
    const record = BoardRecord.parse(created.json);
    expect(record).toMatchObject({ id: id.toLowerCase(), title: 'Theo dõi  công văn đến', agencyId: 'stttt-ninhbinh', ownerId: DEMO_USER_IDS['an.nguyen'], role: 'owner' });
    const again = await call('POST', '/api/boards', 'an.nguyen', { id, title: 'Theo dõi công văn đến' });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(created.json);
    expectError(await call('POST', '/api/boards', 'binh.tran', { id, title: 'Chiếm id' }), 409, 'conflict');
  });

  it('refuses invalid bodies and calls without a token', async () => {
    expectError(await call('POST', '/api/boards', 'an.nguyen', { title: '' }), 400, 'invalid_body');
    expectError(await call('POST', '/api/boards', 'an.nguyen', { id: 'nope', title: 'x' }), 400, 'invalid_body');
    expectError(await call('GET', '/api/boards'), 401, 'unauthorized');
  });

  it('a board is private to its owner until members are added; agencies are tenants', async () => {
    const board = await createBoard('an.nguyen');
    expect(await boardIds('an.nguyen')).toContain(board.id);
    for (const other of ['binh.tran', 'dung.vu'] as const) {
      expect(await boardIds(other)).not.toContain(board.id);
      expectError(await call('GET', `/api/boards/${board.id}`, other), 404, 'not_found');
      expectError(await call('GET', `/api/boards/${board.id}/members`, other), 404, 'not_found');
    }
    expectError(await call('GET', `/api/boards/${randomUUID()}`, 'an.nguyen'), 404, 'not_found');
  });

  it('the owner adds users and agencies as viewers or editors, who then see the board with that role', async () => {
    const board = await createBoard('an.nguyen');
    boardAccessChanged.length = 0;
    const added = await addMember('an.nguyen', board.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'editor');
    expect(added.status).toBe(200);
    expect(boardAccessChanged).toEqual([board.id]);
    await addMember('an.nguyen', board.id, { type: 'agency', id: 'ubnd-yenhoa' }, 'viewer');
    const members = BoardMembersResponse.parse((await call('GET', `/api/boards/${board.id}/members`, 'dung.vu')).json);
    expect(members.members).toEqual([
      { principal: { type: 'agency', id: 'ubnd-yenhoa' }, role: 'viewer' },
      { principal: { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, role: 'editor' },
    ]);
    expect(BoardRecord.parse((await call('GET', `/api/boards/${board.id}`, 'binh.tran')).json).role).toBe('editor');
    expect(BoardRecord.parse((await call('GET', `/api/boards/${board.id}`, 'dung.vu')).json).role).toBe('viewer');
    expect(await boardIds('dung.vu')).toContain(board.id);
    // chi.le is in an.nguyen's agency but neither a member nor in ubnd-yenhoa.
    expect(await boardIds('chi.le')).not.toContain(board.id);
  });

  it('only the owner manages members: others who see the board get 403, others 404', async () => {
    const board = await createBoard('an.nguyen');
    await addMember('an.nguyen', board.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'editor');
    expectError(await addMember('binh.tran', board.id, { type: 'user', id: DEMO_USER_IDS['chi.le'] }, 'editor'), 403, 'forbidden');
    expectError(await call('DELETE', `/api/boards/${board.id}/members/user/${DEMO_USER_IDS['binh.tran']}`, 'binh.tran'), 403, 'forbidden');
    expectError(await addMember('dung.vu', board.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'editor'), 404, 'not_found');
  });

  it('refuses unknown principals and the owner as a member', async () => {
    const board = await createBoard('an.nguyen');
    expectError(await addMember('an.nguyen', board.id, { type: 'user', id: randomUUID() }, 'viewer'), 400, 'unknown_principal');
    expectError(await addMember('an.nguyen', board.id, { type: 'agency', id: 'no-such-agency' }, 'viewer'), 400, 'unknown_principal');
    expectError(await addMember('an.nguyen', board.id, { type: 'user', id: DEMO_USER_IDS['an.nguyen'] }, 'viewer'), 400, 'invalid_body');
    expectError(await addMember('an.nguyen', board.id, { type: 'user', id: DEMO_USER_IDS['binh.tran'] }, 'owner'), 400, 'invalid_body');
  });

  it('removing a member takes the board away from them, and removing it again answers the same', async () => {
    const board = await createBoard('an.nguyen');
    await addMember('an.nguyen', board.id, { type: 'user', id: DEMO_USER_IDS['dung.vu'] }, 'viewer');
    expect(await boardIds('dung.vu')).toContain(board.id);
    boardAccessChanged.length = 0;
    const removed = await call('DELETE', `/api/boards/${board.id}/members/user/${DEMO_USER_IDS['dung.vu'].toUpperCase()}`, 'an.nguyen');
    expect(removed).toEqual({ status: 200, json: { members: [] } });
    expect(boardAccessChanged).toEqual([board.id]);
    expect(await boardIds('dung.vu')).not.toContain(board.id);
    const again = await call('DELETE', `/api/boards/${board.id}/members/user/${DEMO_USER_IDS['dung.vu']}`, 'an.nguyen');
    expect(again).toEqual({ status: 200, json: { members: [] } });
    expect(boardAccessChanged).toEqual([board.id]);
  });

  it('the change feed announces a board room to its members only, with the board id', async () => {
    const start = ChangesResponse.parse((await call('GET', '/api/changes', 'binh.tran')).json).cursor;
    const board = await createBoard('an.nguyen');
    await store.appendUpdates([{ room: `board:${board.id}`, update: new Uint8Array([0, 0]) }]);
    const forOwner = ChangesResponse.parse((await call('GET', `/api/changes?since=${start}`, 'an.nguyen')).json);
    expect(forOwner.changes).toContainEqual({ room: `board:${board.id}`, boardId: board.id, seq: expect.any(Number) });
    const before = ChangesResponse.parse((await call('GET', `/api/changes?since=${start}`, 'binh.tran')).json);
    expect(before.changes.map((c) => c.room)).not.toContain(`board:${board.id}`);
    await addMember('an.nguyen', board.id, { type: 'agency', id: 'stttt-ninhbinh' }, 'viewer');
    const after = ChangesResponse.parse((await call('GET', `/api/changes?since=${start}`, 'binh.tran')).json);
    expect(after.changes).toContainEqual({ room: `board:${board.id}`, boardId: board.id, seq: expect.any(Number) });
    const dung = ChangesResponse.parse((await call('GET', `/api/changes?since=${start}`, 'dung.vu')).json);
    expect(dung.changes.map((c) => c.room)).not.toContain(`board:${board.id}`);
  });

  it('every board route is described in the OpenAPI document', () => {
    const described = describedRoutes().map((r) => `${r.method} ${r.path}`);
    for (const route of [
      'POST /api/boards',
      'GET /api/boards',
      'GET /api/boards/:id',
      'GET /api/boards/:id/members',
      'POST /api/boards/:id/members',
      'DELETE /api/boards/:id/members/:type/:principalId',
    ]) {
      expect(described).toContain(route);
    }
  });
});
