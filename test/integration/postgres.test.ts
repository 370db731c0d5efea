/**
 * The server on PostgreSQL (CONGVU_DATABASE_URL=postgres://…): the same relay, API and
 * durability as on the embedded store, against the real database on 127.0.0.1:5432.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, createDocument, login, readRoom, share, synced, waitFor } from '../support/clients.ts';
import { spawnServer, type ServerProcess } from '../support/server.ts';

const BASE = process.env.CONGVU_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `congvu_it_${randomBytes(4).toString('hex')}`;
let server: ServerProcess;

beforeAll(async () => {
  server = await spawnServer({ env: { CONGVU_DATABASE_URL: `${BASE}?schema=${schema}` } });
});
afterAll(async () => {
  await server?.dispose();
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

describe('the server on PostgreSQL', () => {
  it('syncs two clients, and keeps the document across a restart', async () => {
    const an = await login(server.url, 'an.nguyen');
    const binh = await login(server.url, 'binh.tran');
    const id = await createDocument(server.url, an);
    await share(server.url, an, id, { type: 'user', id: binh.user.id }, 'editor');
    const a = connect(server.wsUrl, `doc:${id}`, an.token);
    const b = connect(server.wsUrl, `doc:${id}`, binh.token);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getText('text').insert(0, 'Kế hoạch ');
    b.doc.getText('text').insert(0, 'Báo cáo ');
    await waitFor(() => a.doc.getText('text').length === 17 && b.doc.getText('text').length === 17, 'both edits');
    expect(a.doc.getText('text').toString()).toBe(b.doc.getText('text').toString());
    const text = a.doc.getText('text').toString();
    a.destroy();
    b.destroy();
    await server.kill();
    server = await server.restart();
    // Tokens survive the restart: the secret lives in the database.
    expect(await readRoom(server.wsUrl, `doc:${id}`, an.token)).toBe(text);
  }, 120_000);
});
