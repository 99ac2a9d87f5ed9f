/**
 * One SQL interface over the two PostGIS back ends: embedded PGlite (+ pglite-postgis) with a
 * data folder, or a real PostgreSQL + PostGIS given by DATABASE_URL. Everything above this
 * module speaks plain PostgreSQL through `Db` and never knows which one it has. Each back end's
 * library is loaded only when that back end is opened (they take a second or more to load).
 */
import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /**
   * A NOTIFY reaches this process's listeners before the statement that sent it (or its COMMIT)
   * returns: true on embedded PGlite (one connection in this process), false on PostgreSQL, where
   * it crosses another connection and may come after the writer's next request.
   */
  readonly notifiesInline: boolean;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Runs fn in one transaction: everything it wrote is rolled back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Calls `fn` with the payload of every NOTIFY on `channel`, from any server on this database;
   * resolves once listening, to a function that stops.
   */
  listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>>;
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
  const [{ PGlite }, { btree_gist }, { leanPostgis }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('./db-postgis.js'),
  ]);
  const pgl = await PGlite.create({ dataDir, extensions: { postgis: leanPostgis, btree_gist } });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Omit<Db, 'transaction' | 'listen' | 'close'> => ({
    kind: 'pglite',
    notifiesInline: true,
    query: async <T>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
    exec: async (sql: string) => {
      await q.exec(sql);
    },
  });
  const listen: Db['listen'] = async (channel, fn) => {
    const stop = await pgl.listen(channel, fn);
    return async () => stop();
  };
  const inTx = (tx: Pick<PGlite, 'query' | 'exec'>): Db => ({
    ...wrap(tx),
    // PGlite has one connection; a nested transaction simply joins the outer one.
    transaction: (inner) => inner(inTx(tx)),
    listen,
    close: noClose,
  });
  return {
    ...wrap(pgl),
    transaction: (fn) => pgl.transaction((tx) => fn(inTx(tx))),
    listen,
    close: () => pgl.close(),
  };
}

const noClose = async (): Promise<void> => {
  throw new Error('close() is not available inside a transaction');
};

/** One connection per store that LISTENs for every channel asked for, opened on first use. */
function postgresListener(pg: typeof import('pg').default, url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: Promise<pg.Client> | undefined;
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    c.on('notification', (m) => {
      for (const fn of handlers.get(m.channel) ?? []) fn(m.payload ?? '');
    });
    return c;
  };
  return {
    async listen(channel: string, fn: (payload: string) => void): Promise<() => Promise<void>> {
      const c = await (client ??= connect());
      let set = handlers.get(channel);
      if (!set) {
        handlers.set(channel, (set = new Set()));
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(fn);
      return async () => {
        set.delete(fn);
      };
    },
    async close(): Promise<void> {
      if (client) await (await client).end();
    },
  };
}

async function openPostgres(url: string): Promise<Db> {
  const { default: pg } = await import('pg');
  // Keep numeric columns as JS numbers and bigint counts as numbers, as PGlite returns them.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await pool.query('SELECT 1');
  const listener = postgresListener(pg, url);
  const on = (c: pg.Pool | pg.PoolClient): Omit<Db, 'transaction' | 'listen' | 'close'> => ({
    kind: 'postgres',
    notifiesInline: false,
    query: async <T>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as T[],
    exec: async (sql: string) => {
      await c.query(sql);
    },
  });
  const inTx = (client: pg.PoolClient): Db => ({
    ...on(client),
    transaction: (inner) => inner(inTx(client)),
    listen: listener.listen,
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
    listen: listener.listen,
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}
