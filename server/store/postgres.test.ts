// The shared Store suite on a real PostgreSQL, each run in a fresh schema that is dropped
// afterwards, plus what only PostgreSQL has: several pools migrating one empty schema at once.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open.ts';
import { createPostgresStore } from './postgres.ts';
import { describeStoreContract } from './store.contract.ts';
import { describeBoardStoreContract } from './board-store.contract.ts';
import type { Store } from './store.ts';

const url = process.env.CONGVU_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

function freshSchema(): string {
  const schema = `congvu_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
});

describeStoreContract('PostgreSQL', async () => {
  const schema = freshSchema();
  return {
    open: async () => createPostgresStore(url, { schema }),
    concurrentStores: true,
    dispose: async () => undefined,
    async execute(statement) {
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    },
  };
});

describeBoardStoreContract('PostgreSQL', async () => {
  const schema = freshSchema();
  return { open: async () => createPostgresStore(url, { schema }), dispose: async () => undefined };
});

describe('PostgreSQL store setup', () => {
  it('several pools migrating one empty schema at the same moment all succeed', async () => {
    const schema = freshSchema();
    const stores: Store[] = Array.from({ length: 4 }, () => createPostgresStore(url, { schema }));
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      const values = await Promise.all(stores.map((store, i) => store.getOrCreateSetting('secret', `value-${i}`)));
      expect(new Set(values).size).toBe(1);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('openStore takes the schema from the URL and keeps the tables out of public', async () => {
    const schema = freshSchema();
    const store = await openStore(`${url}?schema=${schema}`);
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_schema: string }>(
        `select distinct table_schema from information_schema.tables where table_name = 'room_updates' and table_schema = any($1)`,
        [[schema, 'public']],
      );
      expect(rows.map((row) => row.table_schema)).toEqual([schema]);
    } finally {
      await client.end();
    }
  });

  it('rejects a schema name that would need quoting', () => {
    expect(() => createPostgresStore(url, { schema: 'Robert"; drop table x' })).toThrow(RangeError);
  });
});
