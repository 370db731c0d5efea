/**
 * The relay against the stock y-websocket client and a real server process on a free port:
 * convergence, late joiners, durability across a clean restart and a SIGKILL, refusals, read-only
 * connections, and live changes of access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spawnServer, type ServerProcess } from '../support/server.ts';
import {
  api,
  closed,
  connect,
  createDocument,
  login,
  rawSocket,
  readRoom,
  share,
  synced,
  waitFor,
  type Session,
} from '../support/clients.ts';

let server: ServerProcess;
let an: Session;
let binh: Session;
let cuong: Session;
let dung: Session;

beforeAll(async () => {
  server = await spawnServer();
  [an, binh, cuong, dung] = await Promise.all(
    ['an.nguyen', 'binh.tran', 'cuong.pham', 'dung.vu'].map((name) => login(server.url, name)),
  );
});
afterAll(async () => {
  await server?.dispose();
});

describe('sync between clients', () => {
  it('several clients typing at once converge on the same text', async () => {
    const id = await createDocument(server.url, an);
    await share(server.url, an, id, { type: 'agency', id: an.user.agencyId }, 'editor');
    const providers = [an, binh, cuong].map((s) => connect(server.wsUrl, `doc:${id}`, s.token));
    await Promise.all(providers.map(synced));
    providers.forEach((p, i) => {
      for (let n = 0; n < 20; n++) p.doc.getText('text').insert(0, `[${i}:${n}]`);
    });
    const expected = 3 * 20;
    await waitFor(
      () => providers.every((p) => (p.doc.getText('text').toString().match(/\[/g) ?? []).length === expected),
      'all edits everywhere',
    );
    const texts = providers.map((p) => p.doc.getText('text').toString());
    expect(new Set(texts).size).toBe(1);
    providers.forEach((p) => p.destroy());
  });

  it('a client that joins late receives everything written before', async () => {
    const id = await createDocument(server.url, an);
    const writer = connect(server.wsUrl, `doc:${id}`, an.token);
    await synced(writer);
    writer.doc.getText('text').insert(0, 'Nghị định 30/2020/NĐ-CP về công tác văn thư');
    writer.doc.getMap('meta').set('title', 'Kế hoạch chuyển đổi số');
    await new Promise((r) => setTimeout(r, 100));
    writer.destroy();
    const late = connect(server.wsUrl, `doc:${id}`, an.token);
    await synced(late);
    expect(late.doc.getText('text').toString()).toBe('Nghị định 30/2020/NĐ-CP về công tác văn thư');
    expect(late.doc.getMap('meta').get('title')).toBe('Kế hoạch chuyển đổi số');
    late.destroy();
  });
});

describe('refusals at the upgrade', () => {
  it('refuses a connection without a token or with a bad one with 401', async () => {
    const id = await createDocument(server.url, an);
    await expect(rawSocket(server.wsUrl, `doc:${id}`, null)).rejects.toMatchObject({ status: 401 });
    await expect(rawSocket(server.wsUrl, `doc:${id}`, 'not-a-token')).rejects.toMatchObject({ status: 401 });
    await expect(rawSocket(server.wsUrl, `doc:${id}`, an.token.slice(0, -4) + 'AAAA')).rejects.toMatchObject({
      status: 401,
    });
  });

  it('refuses a room the user may not see, or that does not exist, with 404', async () => {
    const id = await createDocument(server.url, an);
    // dung.vu belongs to another agency: nothing crosses without a share.
    await expect(rawSocket(server.wsUrl, `doc:${id}`, dung.token)).rejects.toMatchObject({ status: 404 });
    await expect(rawSocket(server.wsUrl, `doc:${crypto.randomUUID()}`, an.token)).rejects.toMatchObject({ status: 404 });
    await expect(rawSocket(server.wsUrl, 'not-a-room', an.token)).rejects.toMatchObject({ status: 404 });
    await expect(rawSocket(server.wsUrl, `doc:${id}`, binh.token)).rejects.toMatchObject({ status: 404 });
  });
});

describe('read-only connections', () => {
  it("a viewer's writes are neither applied, stored nor forwarded, while its presence shows", async () => {
    const id = await createDocument(server.url, an);
    await share(server.url, an, id, { type: 'user', id: dung.user.id }, 'viewer');
    const editor = connect(server.wsUrl, `doc:${id}`, an.token);
    const viewer = connect(server.wsUrl, `doc:${id}`, dung.token);
    await Promise.all([synced(editor), synced(viewer)]);

    editor.doc.getText('text').insert(0, 'bản gốc');
    await waitFor(() => viewer.doc.getText('text').toString() === 'bản gốc', 'viewer sees the editor live');

    viewer.doc.getText('text').insert(0, 'CHỮ CỦA NGƯỜI XEM ');
    // The viewer also claims to be someone else in its presence.
    viewer.awareness.setLocalStateField('user', { id: an.user.id, name: 'Giả mạo' });
    await waitFor(() => [...editor.awareness.getStates().values()].some((s) => s.user), 'viewer presence arrives');
    const presence = editor.awareness.getStates().get(viewer.awareness.clientID) as { user: { id: string; name: string } };
    expect(presence.user).toMatchObject({ id: dung.user.id, name: dung.user.displayName });

    // A marker written after the viewer's attempt proves the channel delivered everything up to it.
    editor.doc.getText('marker').insert(0, 'x');
    await waitFor(() => viewer.doc.getText('marker').toString() === 'x', 'marker');
    expect(editor.doc.getText('text').toString()).toBe('bản gốc');
    editor.destroy();
    viewer.destroy();
    expect(await readRoom(server.wsUrl, `doc:${id}`, an.token)).toBe('bản gốc');
  });

  it('raising a share to editor lets the writes through, and revoking it closes the live connection', async () => {
    const id = await createDocument(server.url, an);
    await share(server.url, an, id, { type: 'user', id: dung.user.id }, 'viewer');
    const editor = connect(server.wsUrl, `doc:${id}`, an.token);
    const guest = connect(server.wsUrl, `doc:${id}`, dung.token);
    await Promise.all([synced(editor), synced(guest)]);

    guest.doc.getText('text').insert(0, 'viết khi chỉ được xem; ');
    await new Promise((r) => setTimeout(r, 150));
    expect(editor.doc.getText('text').toString()).toBe('');

    await share(server.url, an, id, { type: 'user', id: dung.user.id }, 'editor');
    // The edit made while read-only reaches everyone once the role allows it.
    await waitFor(() => editor.doc.getText('text').toString() === 'viết khi chỉ được xem; ', 'earlier edit synced');
    guest.doc.getText('text').insert(guest.doc.getText('text').length, 'bây giờ được sửa');
    await waitFor(() => editor.doc.getText('text').toString().endsWith('bây giờ được sửa'), 'new edit synced');

    const socket = guest.ws!;
    const closing = closed(socket as never);
    const removed = await api(server.url, 'DELETE', `/api/documents/${id}/shares/user/${dung.user.id}`, undefined, an.token);
    expect(removed.status).toBe(200);
    expect(await closing).toMatchObject({ code: 4403 });
    guest.destroy();
    editor.destroy();
    await expect(rawSocket(server.wsUrl, `doc:${id}`, dung.token)).rejects.toMatchObject({ status: 404 });
  });
});

describe('durability', () => {
  it('state survives a clean restart', async () => {
    const local = await spawnServer();
    try {
      const owner = await login(local.url, 'an.nguyen');
      const id = await createDocument(local.url, owner);
      const client = connect(local.wsUrl, `doc:${id}`, owner.token);
      await synced(client);
      const closes: number[] = [];
      client.on('connection-close', (event: { code: number } | null) => event && closes.push(event.code));
      client.doc.getText('text').insert(0, 'Quyết định về việc ban hành quy chế');
      // SIGTERM with the client still connected: the edit is flushed, the client told 1001.
      expect(await local.stop()).toBe(0);
      await waitFor(() => closes.length > 0, 'client sees the close');
      expect(closes[0]).toBe(1001);
      client.destroy();
      const again = await local.restart();
      expect(await readRoom(again.wsUrl, `doc:${id}`, owner.token)).toBe('Quyết định về việc ban hành quy chế');
      await again.stop();
    } finally {
      await local.dispose();
    }
  }, 120_000);

  it('everything a client saw survives a kill -9 in the middle of a stream of edits', async () => {
    const local = await spawnServer();
    try {
      const owner = await login(local.url, 'an.nguyen');
      const colleague = await login(local.url, 'binh.tran');
      const id = await createDocument(local.url, owner);
      await share(local.url, owner, id, { type: 'user', id: colleague.user.id }, 'editor');
      const writer = connect(local.wsUrl, `doc:${id}`, owner.token);
      const watcher = connect(local.wsUrl, `doc:${id}`, colleague.token);
      await Promise.all([synced(writer), synced(watcher)]);
      // The writer stops reconnecting once the server is gone, so nothing reaches the new process
      // except what the old one stored.
      let n = 0;
      const typing = setInterval(() => writer.doc.getText('text').insert(writer.doc.getText('text').length, `${n++},`), 2);
      await waitFor(() => watcher.doc.getText('text').length > 400, 'a stream under way');
      await local.kill();
      clearInterval(typing);
      const seen = watcher.doc.getText('text').toString();
      writer.destroy();
      watcher.destroy();
      const again = await local.restart();
      const recovered = await readRoom(again.wsUrl, `doc:${id}`, owner.token);
      expect(recovered.startsWith(seen)).toBe(true);
      expect(seen.length).toBeGreaterThan(400);
      await again.stop();
    } finally {
      await local.dispose();
    }
  }, 120_000);
});

describe('a room survives clients that misbehave', () => {
  it('keeps serving everyone else when a client sends garbage', async () => {
    const id = await createDocument(server.url, an);
    const good = connect(server.wsUrl, `doc:${id}`, an.token);
    await synced(good);
    good.doc.getText('text').insert(0, 'nội dung tốt');

    const frames: [string, Uint8Array][] = [
      ['random bytes', Uint8Array.from({ length: 64 }, () => Math.floor(Math.random() * 256))],
      ['a truncated varint', new Uint8Array([0x80])],
      ['an absurd length', new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])],
      ['an unknown message type', new Uint8Array([7, 0])],
      ['an unknown sync step', new Uint8Array([0, 9, 0])],
      ['an update that is not an update', new Uint8Array([0, 2, 4, 0xff, 0xff, 0xff, 0xff])],
      ['awareness that is not JSON', new Uint8Array([1, 5, 1, 1, 1, 1, 0x7b])],
    ];
    for (const [what, frame] of frames) {
      const ws = await rawSocket(server.wsUrl, `doc:${id}`, an.token);
      const done = closed(ws);
      ws.send(frame);
      const { code } = await done;
      expect([4400, 1002], `${what} closes the connection`).toContain(code);
    }
    const text = new Uint8Array(10);
    const ws = await rawSocket(server.wsUrl, `doc:${id}`, an.token);
    const done = closed(ws);
    ws.send(Buffer.from(text).toString('utf8'));
    expect((await done).code).toBe(4400);

    good.doc.getText('text').insert(0, 'vẫn hoạt động: ');
    expect(await readRoom(server.wsUrl, `doc:${id}`, an.token)).toBe('vẫn hoạt động: nội dung tốt');
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    good.destroy();
  });
});

describe('operations', () => {
  it('reports live connections and stored updates at /metrics', async () => {
    const id = await createDocument(server.url, an);
    const client = connect(server.wsUrl, `doc:${id}`, an.token);
    await synced(client);
    client.doc.getText('text').insert(0, 'đo');
    await new Promise((r) => setTimeout(r, 100));
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(Number(/^congvu_relay_connections (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^congvu_relay_updates_stored_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^congvu_relay_store_seconds_bucket/m);
    client.destroy();
  });

  it('publishes its API description at /api/openapi.json', async () => {
    const { status, body } = await api<{ openapi: string; paths: Record<string, unknown> }>(server.url, 'GET', '/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/documents', '/api/auth/login']));
  });
});

describe('limits', () => {
  let limited: ServerProcess;
  beforeAll(async () => {
    limited = await spawnServer({
      env: {
        CONGVU_MAX_MESSAGE_BYTES: '65536',
        CONGVU_MAX_DOCUMENT_BYTES: '20000',
        CONGVU_MESSAGES_PER_SECOND: '50',
        CONGVU_TOKEN_TTL_SECONDS: '6',
        CONGVU_KEEPALIVE_MS: '300',
      },
    });
  });
  afterAll(async () => {
    await limited?.dispose();
  });

  it('closes a connection that sends an oversized frame with 1009 and keeps the room', async () => {
    const owner = await login(limited.url, 'an.nguyen');
    const id = await createDocument(limited.url, owner);
    const ws = await rawSocket(limited.wsUrl, `doc:${id}`, owner.token);
    const done = closed(ws);
    ws.send(new Uint8Array(70_000));
    expect((await done).code).toBe(1009);
    const doc = new Y.Doc();
    doc.getText('text').insert(0, 'ok');
    const client = connect(limited.wsUrl, `doc:${id}`, owner.token, doc);
    await synced(client);
    client.destroy();
    expect(await readRoom(limited.wsUrl, `doc:${id}`, owner.token)).toBe('ok');
  });

  it('closes a connection that writes past the document size limit with 4413', async () => {
    const owner = await login(limited.url, 'an.nguyen');
    const id = await createDocument(limited.url, owner);
    const client = connect(limited.wsUrl, `doc:${id}`, owner.token);
    await synced(client);
    const socket = client.ws!;
    const done = closed(socket as never);
    client.doc.getText('text').insert(0, 'x'.repeat(30_000));
    expect(await done).toMatchObject({ code: 4413 });
    client.destroy();
  });

  it('closes a connection that floods messages with 4429', async () => {
    const owner = await login(limited.url, 'an.nguyen');
    const id = await createDocument(limited.url, owner);
    const ws = await rawSocket(limited.wsUrl, `doc:${id}`, owner.token);
    const done = closed(ws);
    for (let i = 0; i < 300; i++) ws.send(new Uint8Array([3])); // query-awareness, harmless alone
    expect((await done).code).toBe(4429);
  });

  it('keeps a silent viewer connection alive with messages and closes it when its token expires', async () => {
    const owner = await login(limited.url, 'an.nguyen');
    const viewer = await login(limited.url, 'binh.tran');
    const id = await createDocument(limited.url, owner);
    await share(limited.url, owner, id, { type: 'user', id: viewer.user.id }, 'viewer');
    const ws = await rawSocket(limited.wsUrl, `doc:${id}`, viewer.token);
    let messages = 0;
    ws.on('message', () => messages++);
    const done = closed(ws);
    await new Promise((r) => setTimeout(r, 1500));
    expect(messages).toBeGreaterThanOrEqual(2);
    expect(await done).toMatchObject({ code: 4401 });
  });
});
