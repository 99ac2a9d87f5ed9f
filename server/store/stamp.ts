/**
 * Caches that rebuild when the layers they were built from change: a stamp query (kept row counts
 * and change counters) tells whether anything moved; the build runs again only when it did.
 */
import type { Db } from './db.js';

/**
 * A stamp that changes whenever a feature of these layers is added, changed or deleted: the kept
 * row counts and change counters of `layer_stats` (migration 005, kept by triggers), one indexed
 * read however large the layers. `latest` is the data's "as of" time, its last change.
 */
export async function layersStamp(db: Db, layers: string[]): Promise<{ key: string; latest: string | null }> {
  const [s] = await db.query<{ n: number; c: number; iso: Date | string | null }>(
    `SELECT coalesce(sum(n), 0)::int AS n, coalesce(sum(changes), 0)::float8 AS c, max(changed_at) AS iso FROM layer_stats WHERE layer = ANY($1::text[])`,
    [layers],
  );
  const latest = s.iso === null ? null : new Date(s.iso).toISOString();
  return { key: `${s.n}|${s.c}`, latest };
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
  const get = (): Promise<T> => {
    const now = Date.now();
    if (!checked || now - checkedAt >= recheckMs) {
      checkedAt = now;
      checked = check();
      checked.catch(() => (checked = undefined));
    }
    return recheckMs > 0 && done ? Promise.resolve(done.value) : checked;
  };
  // A write on any server NOTIFYs (migration 005): rebuild at once rather than at the next recheck.
  db.listen(LAYERS_CHANNEL, (payload) => {
    if (!payload.split(',').some((l) => layers.includes(l))) return;
    checkedAt = 0;
    get().catch(() => undefined);
  }).catch(() => undefined);
  return get;
}

/** The channel the triggers of migration 005 NOTIFY with the layers a statement wrote. */
export const LAYERS_CHANNEL = 'onemap_layers';
