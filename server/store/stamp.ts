/**
 * The kept row counts and change counters of layers in one read: what a test or a report asks to
 * see whether anything moved, and the "as of" time a cache built from the layers states.
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
