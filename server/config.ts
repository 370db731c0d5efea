/**
 * Server configuration, read once from the environment (CONTRACT.md, "Server configuration").
 * Invalid values stop the server with a message naming the variable, never a silent default.
 */
import path from 'node:path';

export interface Limits {
  /** Largest WebSocket message accepted; larger ones close the connection with 1009. */
  readonly maxMessageBytes: number;
  /** Sustained messages per second per connection (token bucket); burst is twice this. */
  readonly messagesPerSecond: number;
  /** Largest stored size of one room (snapshot plus log); a write beyond closes with 4413. */
  readonly maxDocumentBytes: number;
  /** Open sync connections one user may hold at once (each connection serves one room). */
  readonly connectionsPerUser: number;
  /** Largest awareness message; larger ones are dropped. */
  readonly maxAwarenessBytes: number;
  /** Awareness messages per second per connection; excess ones are dropped. */
  readonly awarenessPerSecond: number;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string;
  /** Whether the SQLite store's update journal is memory-mapped (where server/native is built). */
  readonly journalMmap: boolean;
  readonly redisUrl: string | undefined;
  readonly demo: boolean;
  /** Lifetime of login tokens, in seconds. */
  readonly tokenTtlSeconds: number;
  /** How long a room with no connection stays loaded, in milliseconds. */
  readonly roomIdleMs: number;
  /** Log rows after which a room's log is folded into its snapshot. */
  readonly compactAfterUpdates: number;
  /** Folder of the built web app served at `/`, if it exists. */
  readonly webRoot: string;
  readonly logLevel: string;
  /** Quiet connections get a message this often (the stock client gives up after 30 s). */
  readonly keepaliveMs: number;
  readonly limits: Limits;
}

type Env = Readonly<Record<string, string | undefined>>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1') throw new Error(`${name} must be 0 or 1, got "${raw}"`);
  return raw === '1';
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, env.CONGVU_DATA_DIR || './data');
  const databaseUrl = env.CONGVU_DATABASE_URL || `sqlite:${path.join(dataDir, 'congvu.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new Error(`CONGVU_DATABASE_URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
  }
  return {
    host: env.CONGVU_HOST || '127.0.0.1',
    port: int(env, 'CONGVU_PORT', 8787, 0, 65535),
    dataDir,
    databaseUrl,
    journalMmap: flag(env, 'CONGVU_JOURNAL_MMAP', true),
    redisUrl: env.CONGVU_REDIS_URL || undefined,
    demo: env.CONGVU_DEMO === '1',
    tokenTtlSeconds: int(env, 'CONGVU_TOKEN_TTL_SECONDS', 12 * 3600, 5, 90 * 24 * 3600),
    roomIdleMs: int(env, 'CONGVU_ROOM_IDLE_MS', 30_000, 0, 3_600_000),
    compactAfterUpdates: int(env, 'CONGVU_COMPACT_AFTER_UPDATES', 500, 2, 1_000_000),
    webRoot: path.resolve(cwd, env.CONGVU_WEB_ROOT || 'dist/renderer'),
    logLevel: env.CONGVU_LOG_LEVEL || 'info',
    keepaliveMs: int(env, 'CONGVU_KEEPALIVE_MS', 10_000, 100, 25_000),
    limits: {
      maxMessageBytes: int(env, 'CONGVU_MAX_MESSAGE_BYTES', 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
      messagesPerSecond: int(env, 'CONGVU_MESSAGES_PER_SECOND', 500, 1, 1_000_000),
      maxDocumentBytes: int(env, 'CONGVU_MAX_DOCUMENT_BYTES', 64 * 1024 * 1024, 1024, 2 ** 31),
      connectionsPerUser: int(env, 'CONGVU_CONNECTIONS_PER_USER', 500, 1, 1_000_000),
      maxAwarenessBytes: int(env, 'CONGVU_MAX_AWARENESS_BYTES', 8 * 1024, 64, 1024 * 1024),
      awarenessPerSecond: int(env, 'CONGVU_AWARENESS_PER_SECOND', 30, 1, 10_000),
    },
  };
}
