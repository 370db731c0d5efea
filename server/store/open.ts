/**
 * Opens the store named by CONGVU_DATABASE_URL and brings its schema up to date, so callers get a
 * ready store whichever database they run on.
 */
import type { Store } from './store.ts';

export interface StoreOpenOptions {
  /** SQLite: memory-map the update journal where server/native is built (default: yes; CONGVU_JOURNAL_MMAP). */
  readonly mapJournal?: boolean;
}

/**
 * `sqlite:<path>` (relative to the working directory; `sqlite:///abs/path` and `sqlite::memory:`
 * also work) or `postgres://…` / `postgresql://…`, where a `schema` query parameter selects the
 * PostgreSQL schema (search_path) instead of public. Runs migrate() before returning.
 */
export async function openStore(databaseUrl: string, options: Readonly<StoreOpenOptions> = {}): Promise<Store> {
  const store = await createStoreFromUrl(databaseUrl, options);
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

// Each driver is loaded only when used: a server on SQLite never pays pg's memory, and back.
async function createStoreFromUrl(databaseUrl: string, options: Readonly<StoreOpenOptions>): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) {
    let filePath = databaseUrl.slice('sqlite:'.length);
    if (filePath.startsWith('//')) filePath = filePath.slice(2);
    if (filePath === '') throw new Error('sqlite: database URL names no file');
    const { createSqliteStore } = await import('./sqlite.ts');
    return createSqliteStore(filePath, { mapJournal: options.mapJournal });
  }
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    const { createPostgresStore } = await import('./postgres.ts');
    return createPostgresStore(url.toString(), { schema });
  }
  throw new Error(`database URL must start with sqlite: or postgres://, got "${databaseUrl}"`);
}
