/**
 * The embedded PGlite store in its own thread (opened by db.ts): PGlite is PostgreSQL compiled to
 * WebAssembly and runs each statement to its end on the thread that calls it, so in the server's
 * own thread one long statement — an import's batch, a whole-layer check — held every request,
 * cached ones included. Here it holds only this thread. The main thread sends requests by
 * message; this thread answers each by its id. A transaction is opened by `begin`, run by the
 * caller's statements tagged with its id and closed by `end` (commit or roll back); PGlite's own
 * lock keeps other statements waiting meanwhile, as on its one connection before. Notifications
 * are posted as PGlite delivers them, before the answer of the statement that sent them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';

export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'listen'; channel: string }
  | { id: number; op: 'close' };

/** A database error's fields as PostgreSQL reports them (code, detail, …), which callers read. */
export type ErrorFields = { message: string } & Record<string, unknown>;

export type PgliteMessage = { id: number; result?: unknown; error?: ErrorFields } | { notify: string; payload: string };

const port = parentPort!;
const post = (m: PgliteMessage) => port.postMessage(m);

function fieldsOf(err: unknown): ErrorFields {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields: ErrorFields = { message: err.message };
  for (const [k, v] of Object.entries(err)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) fields[k] = v;
  return fields;
}

/** A transaction's end asked for by the caller: the callback given to PGlite returns (commit) or throws this (roll back). */
class RollBack extends Error {}

async function main() {
  const { dataDir } = workerData as { dataDir: string };
  const [{ PGlite }, { btree_gist }, { leanPostgis }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('./db-postgis.js'),
  ]);
  const pgl: PGlite = await PGlite.create({ dataDir, extensions: { postgis: leanPostgis, btree_gist } });
  const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void; done: Promise<void> }>();
  let nextTx = 0;
  const on = (tx: number | undefined) => {
    if (tx === undefined) return pgl;
    const t = open.get(tx);
    if (!t) throw new Error(`No open transaction ${tx}.`);
    return t.tx;
  };

  const handle = async (m: PgliteRequest): Promise<unknown> => {
    switch (m.op) {
      case 'query':
        return (await on(m.tx).query(m.sql, m.params)).rows;
      case 'exec':
        await on(m.tx).exec(m.sql);
        return null;
      case 'begin': {
        const id = ++nextTx;
        return new Promise<number>((entered, failed) => {
          let end!: (commit: boolean) => void;
          const ended = new Promise<boolean>((r) => (end = r));
          const done = pgl
            .transaction(async (tx) => {
              open.set(id, { tx, end, done });
              entered(id);
              if (!(await ended)) throw new RollBack();
            })
            .catch((err) => {
              if (!(err instanceof RollBack)) throw err;
            })
            .finally(() => open.delete(id));
          // Failing to open (before `entered`) rejects `begin`; failing to commit rejects `end`.
          done.catch(failed);
        });
      }
      case 'end': {
        const t = open.get(m.tx);
        if (!t) throw new Error(`No open transaction ${m.tx}.`);
        t.end(m.commit);
        await t.done;
        return null;
      }
      case 'listen':
        await pgl.listen(m.channel, (payload) => post({ notify: m.channel, payload }));
        return null;
      case 'close':
        await pgl.close();
        return null;
    }
  };

  port.on('message', (m: PgliteRequest) => {
    handle(m).then(
      (result) => post({ id: m.id, result }),
      (err) => post({ id: m.id, error: fieldsOf(err) }),
    );
  });
  post({ id: 0, result: 'ready' });
}

main().catch((err) => post({ id: 0, error: fieldsOf(err) }));
