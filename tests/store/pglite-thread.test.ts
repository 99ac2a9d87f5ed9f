/**
 * The embedded store runs in its own thread (server/store/pglite-thread.ts): while PGlite works
 * through a long statement the server's thread keeps its timers and requests going; database
 * errors keep the fields callers read (`code`); transactions commit, roll back and keep other
 * statements waiting as on PGlite's one connection; and a NOTIFY reaches the listener before the
 * statement that sent it returns (what server/store/layer-watch.ts relies on).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../setup/store.js';

describe('embedded PGlite in its own thread', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('pglite');
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('keeps the calling thread free while a statement runs', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const started = performance.now();
    const [{ n }] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM generate_series(1, 3000000) g WHERE g % 7 = 0');
    const ms = performance.now() - started;
    delay.disable();
    expect(n).toBe(428571);
    // The statement took a while; the event loop here never waited for it.
    expect(ms).toBeGreaterThan(200);
    expect(delay.max / 1e6).toBeLessThan(Math.max(150, ms / 2));
  });

  it('gives database errors with their SQLSTATE, and rolls a failed transaction back', async () => {
    const err = (await store.db.query('SELECT * FROM no_such_table').catch((e) => e)) as Error & { code?: string };
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/no_such_table/);
    expect(err.code).toBe('42P01');
    await store.db.exec('CREATE TABLE thread_probe (n int PRIMARY KEY)');
    const failed = await store.db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO thread_probe VALUES (1)');
        await tx.query('INSERT INTO thread_probe VALUES (1)');
      })
      .then(
        () => ({ code: 'committed' }),
        (e: { code?: string }) => e,
      );
    expect(failed.code).toBe('23505');
    expect(await store.db.query('SELECT n FROM thread_probe')).toEqual([]);
    expect(await store.db.transaction(async (tx) => (await tx.query<{ n: number }>('INSERT INTO thread_probe VALUES (2) RETURNING n'))[0].n)).toBe(2);
    expect(await store.db.query('SELECT n FROM thread_probe')).toEqual([{ n: 2 }]);
  });

  it('keeps other statements waiting while a transaction is open, and delivers its NOTIFY before COMMIT returns', async () => {
    const heard: string[] = [];
    await store.db.listen('thread_probe_channel', (p) => heard.push(p));
    let outside: Promise<unknown> | undefined;
    let seenBeforeCommit: unknown[] = [];
    await store.db.transaction(async (tx) => {
      await tx.query("SELECT pg_notify('thread_probe_channel', 'hello')");
      await tx.query('INSERT INTO thread_probe VALUES (3)');
      outside = store.db.query('SELECT count(*)::int AS n FROM thread_probe');
      const state = await Promise.race([outside.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
      expect(state).toBe('waiting');
      seenBeforeCommit = [...heard];
    });
    expect(seenBeforeCommit).toEqual([]);
    expect(heard).toEqual(['hello']);
    expect(await outside).toEqual([{ n: 2 }]);
  });
});
