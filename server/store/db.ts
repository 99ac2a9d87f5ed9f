/**
 * One SQL interface over the two PostGIS back ends: embedded PGlite (+ pglite-postgis) with a
 * data folder, or a real PostgreSQL + PostGIS given by DATABASE_URL. Everything above this
 * module speaks plain PostgreSQL through `Db` and never knows which one it has.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import pg from 'pg';

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: everything it wrote is rolled back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbConfig {
  databaseUrl?: string;
  dataDir: string;
}

export async function openDb(config: DbConfig): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}

async function openPglite(dataDir: string): Promise<Db> {
  fs.mkdirSync(dataDir, { recursive: true });
  const pgl = await PGlite.create({ dataDir, extensions: { postgis } });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Omit<Db, 'transaction' | 'close'> => ({
    kind: 'pglite',
    query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  const inTx = (tx: Pick<PGlite, 'query' | 'exec'>): Db => ({
    ...wrap(tx),
    // PGlite has one connection; a nested transaction simply joins the outer one.
    transaction: (inner) => inner(inTx(tx)),
    close: noClose,
  });
  return {
    ...wrap(pgl),
    transaction: (fn) => pgl.transaction((tx) => fn(inTx(tx))),
    close: () => pgl.close(),
  };
}

const noClose = async (): Promise<void> => {
  throw new Error('close() is not available inside a transaction');
};

// Keep numeric columns as JS numbers and bigint counts as numbers, as PGlite returns them.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await pool.query('SELECT 1');
  const on = (c: pg.Pool | pg.PoolClient): Omit<Db, 'transaction' | 'close'> => ({
    kind: 'postgres',
    query: async <T>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as T[],
    exec: async (sql: string) => {
      await c.query(sql);
    },
  });
  const inTx = (client: pg.PoolClient): Db => ({
    ...on(client),
    transaction: (inner) => inner(inTx(client)),
    close: noClose,
  });
  return {
    ...on(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(inTx(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
