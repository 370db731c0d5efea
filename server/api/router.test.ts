import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, Router, bearerToken, reply } from './router.ts';

let server: http.Server;
let base: string;
const seen: unknown[] = [];

beforeAll(async () => {
  const router = new Router<{ name: string }>({
    log: pino({ level: 'silent' }),
    maxBodyBytes: 1000,
    authenticate: async (req) => (bearerToken(req) === 'good' ? { name: 'An' } : new ApiError(401, 'unauthorized', 'no')),
  })
    .anonymous({
      method: 'POST',
      path: '/echo/:n',
      params: z.object({ n: z.coerce.number().int() }),
      query: z.object({ flag: z.enum(['on', 'off']).optional() }),
      body: z.object({ text: z.string() }),
      handler: async ({ params, query, body }) => {
        seen.push({ params, query, body });
        return reply(201, { n: params.n, flag: query.flag ?? null, text: body.text });
      },
    })
    .authenticated({
      method: 'GET',
      path: '/whoami',
      handler: async ({ caller }) => reply(200, { name: caller.name }),
    })
    .anonymous({
      method: 'GET',
      path: '/boom',
      handler: async () => {
        throw new Error('a bug');
      },
    });
  server = http.createServer((req, res) => {
    const [pathname, query = ''] = (req.url ?? '/').split('?');
    void router.dispatch(req, res, pathname, new URLSearchParams(query));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('Router', () => {
  it('hands the handler parsed params, query and body', async () => {
    const response = await fetch(`${base}/echo/7?flag=on`, { method: 'POST', body: JSON.stringify({ text: 'Xin chào', extra: 1 }) });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ n: 7, flag: 'on', text: 'Xin chào' });
  });

  it('answers params that do not parse with 404 and a bad query with 400 invalid_query', async () => {
    expect((await fetch(`${base}/echo/seven`, { method: 'POST', body: '{"text":""}' })).status).toBe(404);
    const response = await fetch(`${base}/echo/1?flag=maybe`, { method: 'POST', body: '{"text":""}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_query', message: expect.stringContaining('flag:') } });
  });

  it('refuses a streamed body that grows past the limit with 413, and keeps serving', async () => {
    // No Content-Length: the limit must hold while reading, not only on the declared size.
    const chunks = Readable.from([Buffer.from('{"text":"'), Buffer.alloc(2000, 0x61), Buffer.from('"}')]);
    const response = await fetch(`${base}/echo/1`, { method: 'POST', body: Readable.toWeb(chunks) as ReadableStream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect((await fetch(`${base}/whoami`, { headers: { authorization: 'Bearer good' } })).status).toBe(200);
  });

  it('authenticates before anything else and passes the caller on', async () => {
    expect((await fetch(`${base}/whoami`)).status).toBe(401);
    expect((await fetch(`${base}/whoami`, { headers: { authorization: 'Bearer bad' } })).status).toBe(401);
    const response = await fetch(`${base}/whoami`, { headers: { authorization: 'bearer   good' } });
    expect(await response.json()).toEqual({ name: 'An' });
  });

  it('turns a handler that throws into 500 internal, without details', async () => {
    const response = await fetch(`${base}/boom`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal', message: 'internal error' } });
  });

  it('answers unknown paths with 404 and wrong methods with 405 listing the right ones', async () => {
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const response = await fetch(`${base}/whoami`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});
