/**
 * The composition root of the server: one HTTP port for the API, the sync WebSocket and the web
 * app; the relay assembled from its hooks; the store chosen by configuration. `startServer` is
 * what `npm run server` runs and what the integration tests start on a free port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApi } from './api/api.ts';
import { TokenService } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { seedDemo } from './demo.ts';
import { storeAccess } from './relay/access.ts';
import { tokenAuth } from './relay/auth.ts';
import { awarenessPolicy } from './relay/awareness-policy.ts';
import { relayMetrics } from './relay/metrics.ts';
import { storePersistence } from './relay/persistence.ts';
import { Relay } from './relay/relay.ts';
import { openStore } from './store/open.ts';
import type { Store } from './store/store.ts';
import { staticFiles } from './web.ts';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly relay: Relay;
  readonly store: Store;
  /** Stops accepting, makes every received update durable, closes connections and the store. */
  close(): Promise<void>;
}

export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const store = await openStore(config.databaseUrl, { mapJournal: config.journalMmap });
  const tokens = await TokenService.create(store, config.tokenTtlSeconds);
  if (config.demo && (await seedDemo(store))) log.info('demo workspace created');

  const persistence = storePersistence({ store, compactAfterUpdates: config.compactAfterUpdates, log });
  // Loaded only when configured: a single server should not carry the Redis client in memory.
  const fanout = config.redisUrl
    ? await (await import('./relay/redis-fanout.ts')).redisFanout(config.redisUrl, log.child({ component: 'fanout' }))
    : undefined;
  // Read at scrape time, after the relay exists.
  const metrics = relayMetrics({ connections: () => relay.connectionCount, rooms: () => relay.roomCount });
  const relay: Relay = new Relay({
    auth: tokenAuth(tokens, store),
    access: storeAccess(store),
    persistence,
    awareness: awarenessPolicy({ maxBytes: config.limits.maxAwarenessBytes, perSecond: config.limits.awarenessPerSecond }),
    observers: fanout ? [metrics.observer, fanout.observer] : [metrics.observer],
    limits: config.limits,
    roomIdleMs: config.roomIdleMs,
    keepaliveMs: config.keepaliveMs,
    log: log.child({ component: 'relay' }),
  });

  const api = createApi({
    store,
    tokens,
    log: log.child({ component: 'api' }),
    onAccessChanged: (documentId) => {
      const rooms = new Set([`doc:${documentId}`, `doc:${documentId}:comments`]);
      void relay.refreshAccess((room) => rooms.has(room));
      fanout?.publishAccessChange(documentId);
    },
    onBoardAccessChanged: (boardId) => {
      const room = `board:${boardId}`;
      void relay.refreshAccess((name) => name === room);
      fanout?.publishAccessChange(room);
    },
  });
  fanout?.attach(relay);
  const web = staticFiles(config.webRoot);

  const server = http.createServer(async (req, res) => {
    try {
      if (await api.handle(req, res)) return;
      if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        res.end(await metrics.render());
        return;
      }
      if (await web(req, res)) return;
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
    } catch (error) {
      log.error({ err: error, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (Relay.matches(req)) void relay.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  log.info({ url, store: config.databaseUrl.split(':')[0], fanout: fanout ? 'redis' : 'none' }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    relay: relay,
    store,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await relay.shutdown();
        server.closeAllConnections();
        await stopped;
        await fanout?.close();
        await store.close();
        log.info('stopped');
      })();
      return closing;
    },
  };
}
