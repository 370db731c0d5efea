/**
 * The store for scale: PostgreSQL through a pg.Pool, shared by every relay process. It is the shared
 * Kysely store; this module only sets up connections (search_path, 64-bit integers as numbers).
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { KyselyStore } from './kysely-store.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';

export interface PostgresStoreOptions {
  /**
   * Schema for all tables (the connections' search_path), created by migrate(); lets tests and
   * several deployments share one database. Lowercase letters, digits and underscores.
   */
  readonly schema?: string;
  /** Pool size; pg's default is 10. */
  readonly maxConnections?: number;
  /**
   * Errors of idle pooled connections (the server restarted, the network dropped). The pool has
   * already discarded the connection and will open a new one; without a listener Node would treat
   * the error as fatal. Defaults to writing it to stderr.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
}

const INT8_OID = 20;

/** bigint (seq, count(*)) as a JS number: seq stays far below 2^53, and callers expect numbers. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`64-bit integer ${text} does not fit a JavaScript number`);
  return value;
}

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A store on the PostgreSQL database at `url` (postgres:// or postgresql://). Call migrate() before use. */
export function createPostgresStore(url: string, options: Readonly<PostgresStoreOptions> = {}): Store {
  const { schema } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new RangeError(`PostgreSQL schema name must be lowercase letters, digits and underscores, got "${schema}"`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections,
    types,
    // Only this schema, not public: tables resolve and are created there, and nowhere else.
    options: schema === undefined ? undefined : `-c search_path=${schema}`,
  });
  const onError = options.onIdleConnectionError ?? ((error: Error) => console.error('PostgreSQL idle connection error:', error));
  pool.on('error', onError);
  return new KyselyStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), { dialect: 'postgres', schema });
}
