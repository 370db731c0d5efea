/**
 * Board rooms (`board:<id>`) on a real server process with the stock y-websocket client: members
 * edit tasks together through the relay (common/board.ts on both ends), a viewer's writes are
 * neither applied, stored nor forwarded, a non-member is refused with 404 at the upgrade, and
 * removing a member closes their live connection (4403) while adding one lets a client in.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createTask, moveTask, readBoard, seedBoard, updateTask } from '../../common/board.ts';
import { api, closed, connect, login, rawSocket, synced, waitFor, type Session } from '../support/clients.ts';
import { spawnServer, type ServerProcess } from '../support/server.ts';

let server: ServerProcess;
let an: Session;
let binh: Session;
let dung: Session;

beforeAll(async () => {
  server = await spawnServer();
  [an, binh, dung] = await Promise.all(['an.nguyen', 'binh.tran', 'dung.vu'].map((name) => login(server.url, name)));
});
afterAll(async () => {
  await server?.dispose();
});

async function createBoard(owner: Session): Promise<string> {
  const id = randomUUID();
  const answer = await api(server.url, 'POST', '/api/boards', { id, title: 'Theo dõi nhiệm vụ' }, owner.token);
  expect(answer.status).toBe(201);
  return id;
}

async function addMember(boardId: string, principal: { type: 'user' | 'agency'; id: string }, role: 'viewer' | 'editor'): Promise<void> {
  const answer = await api(server.url, 'POST', `/api/boards/${boardId}/members`, { principal, role }, an.token);
  expect(answer.status).toBe(200);
}

async function boardOnServer(boardId: string, session: Session) {
  const reader = connect(server.wsUrl, `board:${boardId}`, session.token, new Y.Doc());
  try {
    await synced(reader);
    return readBoard(reader.doc);
  } finally {
    reader.destroy();
  }
}

describe('board rooms', () => {
  it('the owner and an editor edit one board live through the relay, and the server keeps it', async () => {
    const id = await createBoard(an);
    await addMember(id, { type: 'user', id: binh.user.id }, 'editor');
    const owner = connect(server.wsUrl, `board:${id}`, an.token);
    const editor = connect(server.wsUrl, `board:${id}`, binh.token);
    await Promise.all([synced(owner), synced(editor)]);
    seedBoard(owner.doc);
    seedBoard(editor.doc);
    createTask(owner.doc, { id: 't1', title: 'Rà soát hồ sơ', createdBy: an.user.id, createdAt: new Date().toISOString() });
    await waitFor(() => readBoard(editor.doc).tasks.length === 1, 'the task at the editor');
    moveTask(editor.doc, 't1', { column: 'doing' });
    updateTask(owner.doc, 't1', { title: 'Rà soát hồ sơ thủ tục' });
    await waitFor(() => JSON.stringify(readBoard(owner.doc)) === JSON.stringify(readBoard(editor.doc)) && readBoard(owner.doc).tasks[0].column === 'doing', 'convergence');
    owner.destroy();
    editor.destroy();
    const stored = await boardOnServer(id, binh);
    expect(stored.columns.map((c) => c.title)).toEqual(['Cần làm', 'Đang làm', 'Hoàn thành']);
    expect(stored.tasks.map((t) => ({ title: t.title, column: t.column }))).toEqual([{ title: 'Rà soát hồ sơ thủ tục', column: 'doing' }]);
  });

  it("a viewer (here through its agency) receives the board live, and its writes are neither applied, stored nor forwarded", async () => {
    const id = await createBoard(an);
    await addMember(id, { type: 'agency', id: dung.user.agencyId }, 'viewer');
    const owner = connect(server.wsUrl, `board:${id}`, an.token);
    const viewer = connect(server.wsUrl, `board:${id}`, dung.token);
    await Promise.all([synced(owner), synced(viewer)]);
    createTask(owner.doc, { id: 'a', title: 'Việc của chủ bảng', createdBy: an.user.id, createdAt: new Date().toISOString() });
    await waitFor(() => readBoard(viewer.doc).tasks.length === 1, 'the viewer sees the owner live');
    createTask(viewer.doc, { id: 'b', title: 'Việc người xem tự thêm', createdBy: dung.user.id, createdAt: new Date().toISOString() });
    moveTask(viewer.doc, 'a', { column: 'done' });
    // A marker after the viewer's attempt proves the channel delivered everything up to it.
    updateTask(owner.doc, 'a', { description: 'mốc' });
    await waitFor(() => readBoard(viewer.doc).tasks.some((t) => t.description === 'mốc'), 'marker');
    expect(readBoard(owner.doc).tasks.map((t) => ({ id: t.id, column: t.column }))).toEqual([{ id: 'a', column: 'todo' }]);
    owner.destroy();
    viewer.destroy();
    expect((await boardOnServer(id, an)).tasks.map((t) => t.id)).toEqual(['a']);
  });

  it('a non-member is refused with 404, is let in once added, and is cut off (4403) when removed', async () => {
    const id = await createBoard(an);
    await expect(rawSocket(server.wsUrl, `board:${id}`, dung.token)).rejects.toMatchObject({ status: 404 });
    await expect(rawSocket(server.wsUrl, `board:${randomUUID()}`, an.token)).rejects.toMatchObject({ status: 404 });

    await addMember(id, { type: 'user', id: dung.user.id }, 'editor');
    const guest = connect(server.wsUrl, `board:${id}`, dung.token);
    await synced(guest);
    const closing = closed(guest.ws as never);
    const removed = await api(server.url, 'DELETE', `/api/boards/${id}/members/user/${dung.user.id}`, undefined, an.token);
    expect(removed.status).toBe(200);
    expect(await closing).toMatchObject({ code: 4403 });
    guest.destroy();
    await expect(rawSocket(server.wsUrl, `board:${id}`, dung.token)).rejects.toMatchObject({ status: 404 });
  });
});
