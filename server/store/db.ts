/**
 * One SQL interface over the two PostGIS back ends: embedded PGlite (+ pglite-postgis) with a
 * data folder, or a real PostgreSQL + PostGIS given by DATABASE_URL. Everything above this
 * module speaks plain PostgreSQL through `Db` and never knows which one it has. Each back end's
 * library is loaded only when that back end is opened (they take a second or more to load).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { startThread } from '../workers/thread.js';
import type { PgliteMessage, PgliteRequest } from './pglite-thread.js';

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /**
   * How long this process may trust what it read while no NOTIFY has said otherwise, in ms.
   * Embedded PGlite: always (a NOTIFY reaches this process before the statement that sent it, or
   * its COMMIT, returns, and no other process writes). PostgreSQL: a short while — a transaction
   * of this process returns only once its own NOTIFYs have reached its listeners, but another
   * server's arrive moments after its commit, and none while the listening connection is down.
   */
  readonly trustNotifiedMs: number;
  /**
   * `prepare`: a statement run again and again with other parameters (a tile). On PostgreSQL it is
   * then a named prepared statement, parsed and planned once per connection: its planning cost more
   * than running it. Embedded PGlite runs it as any other.
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: { prepare?: boolean }): Promise<T[]>;
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

/** The PGlite thread's module, as the running sources name it (.ts under tsx, .js when built). */
const PGLITE_THREAD = fileURLToPath(new URL(`./pglite-thread${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * Embedded PGlite in its own thread (pglite-thread.ts), so that no statement holds the thread that
 * answers requests. Every call is a message answered by id; the thread keeps the process alive
 * only while a call is waiting for its answer.
 */
async function openPglite(dataDir: string): Promise<Db> {
  fs.mkdirSync(dataDir, { recursive: true });
  const thread = startThread(PGLITE_THREAD, { workerData: { dataDir } });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let next = 0;
  let failed: Error | undefined;
  const fail = (err: Error) => {
    failed = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  thread.on('message', (m: PgliteMessage) => {
    if ('notify' in m) {
      for (const fn of listeners.get(m.notify) ?? []) fn(m.payload);
      return;
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (waiting.size === 0) thread.unref();
    if (m.error) w.reject(Object.assign(new Error(m.error.message), m.error));
    else w.resolve(m.result);
  });
  thread.on('error', fail);
  thread.on('exit', (code) => fail(new Error(`The embedded store's thread stopped (exit code ${code}).`)));
  const answer = <T>(id: number): Promise<T> => {
    if (failed) return Promise.reject(failed);
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      thread.ref();
    });
  };
  const call = <T>(request: DistributiveOmit<PgliteRequest, 'id'>): Promise<T> => {
    const id = ++next;
    const answered = answer<T>(id);
    if (!failed) thread.postMessage({ ...request, id });
    return answered;
  };
  // The thread answers id 0 once PGlite and PostGIS are loaded and the data folder is open.
  await answer(0);

  const on = (tx?: number): Omit<Db, 'transaction' | 'listen' | 'close'> => ({
    kind: 'pglite',
    trustNotifiedMs: Number.POSITIVE_INFINITY,
    query: <T>(sql: string, params?: unknown[]) => call<T[]>({ op: 'query', sql, params, tx }),
    exec: async (sql: string) => {
      await call({ op: 'exec', sql, tx });
    },
  });
  const listen: Db['listen'] = async (channel, fn) => {
    let set = listeners.get(channel);
    if (!set) {
      listeners.set(channel, (set = new Set()));
      await call({ op: 'listen', channel });
    }
    set.add(fn);
    return async () => {
      set.delete(fn);
    };
  };
  const inTx = (tx: number): Db => ({
    ...on(tx),
    // PGlite has one connection; a nested transaction simply joins the outer one.
    transaction: (inner) => inner(inTx(tx)),
    listen,
    close: noClose,
  });
  return {
    ...on(),
    async transaction(fn) {
      const tx = await call<number>({ op: 'begin' });
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await fn(inTx(tx));
      } catch (err) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw err;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    listen,
    async close() {
      await call({ op: 'close' });
      await thread.terminate();
    },
  };
}

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const noClose = async (): Promise<void> => {
  throw new Error('close() is not available inside a transaction');
};

/** A prepared statement's name: its text's hash, so one text is one statement on each connection. */
const preparedName = (sql: string): string => `onemap_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;

/** PostgreSQL: how long a version read is trusted without a query while no NOTIFY said otherwise. */
export const POSTGRES_TRUST_MS = 1000;

/** The channel a writing transaction NOTIFYs last, so that it can wait until its NOTIFYs have arrived here. */
const SYNC_CHANNEL = 'onemap_sync';
/** A transaction waits at most this long for its own NOTIFYs (a dropped listening connection). */
const SYNC_WAIT_MS = 2000;

/**
 * One connection per store that LISTENs for every channel asked for, opened on first use; also on
 * SYNC_CHANNEL, so that a transaction of this process can wait until its NOTIFYs reached it
 * (PostgreSQL delivers one transaction's notifications in the order they were sent).
 */
function postgresListener(pg: typeof import('pg').default, url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const syncs = new Map<string, () => void>();
  let client: Promise<pg.Client> | undefined;
  let live = false;
  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    c.on('notification', (m) => {
      if (m.channel === SYNC_CHANNEL) return syncs.get(m.payload ?? '')?.();
      for (const fn of handlers.get(m.channel) ?? []) fn(m.payload ?? '');
    });
    const down = () => {
      live = false;
      for (const done of syncs.values()) done();
    };
    c.on('error', down);
    c.on('end', down);
    await c.query(`LISTEN ${SYNC_CHANNEL}`);
    live = true;
    return c;
  };
  let nextSync = 0;
  return {
    /** A token to NOTIFY on SYNC_CHANNEL and a promise that resolves when it arrives (or after SYNC_WAIT_MS); none while not listening. */
    sync(): { token: string; heard: Promise<void>; cancel(): void } | undefined {
      if (!live) return undefined;
      const token = `${process.pid}-${++nextSync}`;
      let timer: NodeJS.Timeout | undefined;
      const heard = new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          syncs.delete(token);
          resolve();
        };
        syncs.set(token, done);
        timer = setTimeout(done, SYNC_WAIT_MS).unref();
      });
      return { token, heard, cancel: () => syncs.get(token)?.() };
    },
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
    trustNotifiedMs: POSTGRES_TRUST_MS,
    query: async <T>(sql: string, params?: unknown[], options?: { prepare?: boolean }) =>
      (await (options?.prepare ? c.query({ name: preparedName(sql), text: sql, values: params }) : c.query(sql, params))).rows as T[],
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
      let sync: ReturnType<typeof listener.sync>;
      try {
        await client.query('BEGIN');
        const result = await fn(inTx(client));
        // A transaction that wrote NOTIFYs a token last and returns once it has come back, so that
        // every NOTIFY it sent (layer changes) has reached this process first (trustNotifiedMs).
        sync = listener.sync();
        if (sync) {
          const wrote = await client
            .query<{ wrote: boolean }>(
              `SELECT txid_current_if_assigned() IS NOT NULL AS wrote, CASE WHEN txid_current_if_assigned() IS NOT NULL THEN pg_notify('${SYNC_CHANNEL}', $1) END AS sent`,
              [sync.token],
            )
            .then((r) => r.rows[0].wrote, () => false);
          if (!wrote) sync.cancel();
        }
        await client.query('COMMIT');
        await sync?.heard;
        return result;
      } catch (err) {
        sync?.cancel();
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
