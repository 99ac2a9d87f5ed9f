/**
 * Caches that rebuild when the layers they were built from change: a stamp query (row count and
 * latest update) tells whether anything moved; the build runs again only when it did.
 */
import type { Db } from './db.js';

/**
 * A stamp that changes whenever a feature of these layers is added, changed or deleted: the row
 * count with the latest update time (a delete lowers the count; an edit or an import moves
 * `updated_at`). `latest` is the data's "as of" time.
 */
export async function layersStamp(db: Db, layers: string[]): Promise<{ key: string; latest: string | null }> {
  // The key keeps PostgreSQL's microseconds; `latest` is the ISO time (milliseconds).
  const [s] = await db.query<{ n: number; t: string | null; iso: Date | string | null }>(
    `SELECT count(*)::int AS n, max(updated_at)::text AS t, max(updated_at) AS iso FROM features WHERE layer = ANY($1::text[])`,
    [layers],
  );
  const latest = s.iso === null ? null : new Date(s.iso).toISOString();
  return { key: `${s.n}|${s.t}`, latest };
}

/**
 * `build` memoised on the stamp of `layers`: rebuilt when a feature of one of them is added,
 * changed or deleted; a failed build is retried on the next call. With `recheckMs` the stamp is
 * read at most that often and callers get the last finished build at once while the stamp is read
 * or a new build runs (stale-while-revalidate), so a hot public URL never waits for the store.
 * `also` adds a stamp of something else the build reads (e.g. the road connectivity settings).
 */
export function memoOnLayers<T>(
  db: Db,
  layers: string[],
  build: (latest: string | null) => Promise<T>,
  { recheckMs = 0, also }: { recheckMs?: number; also?: () => Promise<string> } = {},
): () => Promise<T> {
  let key = '';
  let built: Promise<T> | undefined;
  let done: { value: T } | undefined;
  let checked: Promise<T> | undefined;
  let checkedAt = 0;
  const check = async (): Promise<T> => {
    const stamp = await layersStamp(db, layers);
    const stampKey = also ? `${stamp.key}|${await also()}` : stamp.key;
    if (stampKey !== key || !built) {
      key = stampKey;
      const next = build(stamp.latest);
      built = next;
      next.then(
        (value) => {
          if (built === next) done = { value };
        },
        () => (key = ''),
      );
    }
    return built;
  };
  return () => {
    const now = Date.now();
    if (!checked || now - checkedAt >= recheckMs) {
      checkedAt = now;
      checked = check();
      checked.catch(() => (checked = undefined));
    }
    return recheckMs > 0 && done ? Promise.resolve(done.value) : checked;
  };
}
