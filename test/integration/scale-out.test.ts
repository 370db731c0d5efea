/**
 * Scale-out: two relay processes sharing one PostgreSQL database and one Redis. Clients of the
 * same room on different processes see each other's edits and presence, a share revoked through
 * one process closes the connection held by the other, and no sticky routing is needed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, closed, connect, createDocument, login, share, synced, waitFor } from '../support/clients.ts';
import { spawnServer, type ServerProcess } from '../support/server.ts';

const POSTGRES = process.env.CONGVU_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.CONGVU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const schema = `congvu_scale_${randomBytes(4).toString('hex')}`;
let one: ServerProcess;
let two: ServerProcess;

beforeAll(async () => {
  const env = { CONGVU_DATABASE_URL: `${POSTGRES}?schema=${schema}`, CONGVU_REDIS_URL: REDIS };
  one = await spawnServer({ env });
  two = await spawnServer({ env });
});
afterAll(async () => {
  await Promise.all([one?.dispose(), two?.dispose()]);
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

describe('two relay processes behind one database and Redis', () => {
  it('clients on different processes converge and see each other live', async () => {
    const an = await login(one.url, 'an.nguyen');
    // A token from one process is valid on the other: the secret is in the shared database.
    const binh = await login(two.url, 'binh.tran');
    const id = await createDocument(one.url, an);
    await share(one.url, an, id, { type: 'user', id: binh.user.id }, 'editor');
    const a = connect(one.wsUrl, `doc:${id}`, an.token);
    const b = connect(two.wsUrl, `doc:${id}`, binh.token);
    await Promise.all([synced(a), synced(b)]);

    a.doc.getText('text').insert(0, 'Việt Nam');
    await waitFor(() => b.doc.getText('text').toString() === 'Việt Nam', 'edit crosses from one to two');
    b.doc.getText('text').insert(8, ' muôn năm');
    await waitFor(() => a.doc.getText('text').toString() === 'Việt Nam muôn năm', 'edit crosses from two to one');

    a.awareness.setLocalStateField('user', { color: '#b00' });
    await waitFor(() => b.awareness.getStates().has(a.awareness.clientID), 'presence crosses');
    expect(b.awareness.getStates().get(a.awareness.clientID)).toMatchObject({ user: { name: an.user.displayName } });

    // A newcomer on the other process reads the same document.
    const c = connect(two.wsUrl, `doc:${id}`, an.token);
    await synced(c);
    expect(c.doc.getText('text').toString()).toBe('Việt Nam muôn năm');
    [a, b, c].forEach((p) => p.destroy());
  });

  it('a share revoked through one process closes the connection held by the other', async () => {
    const an = await login(one.url, 'an.nguyen');
    const dung = await login(two.url, 'dung.vu');
    const id = await createDocument(one.url, an);
    await share(one.url, an, id, { type: 'user', id: dung.user.id }, 'viewer');
    const d = connect(two.wsUrl, `doc:${id}`, dung.token);
    await synced(d);
    const closing = closed(d.ws as never);
    const removed = await api(one.url, 'DELETE', `/api/documents/${id}/shares/user/${dung.user.id}`, undefined, an.token);
    expect(removed.status).toBe(200);
    expect(await closing).toMatchObject({ code: 4403 });
    d.destroy();
  });
});
