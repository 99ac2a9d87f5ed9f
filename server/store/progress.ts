/** Import progress shared by every app server on one database (migration 006). */
import type { ImportProgress } from '../../core/import-report.js';
import type { Db } from './db.js';

const ENDED = `progress ->> 'phase' IN ('done', 'failed')`;

/**
 * Claims `importId` for a new import: false while another server (or this one) still runs an
 * import with that id; an ended import, or one untouched for `ttlMs` (its server died), is replaced.
 */
export async function claimImport(db: Db, progress: ImportProgress, ttlMs: number): Promise<boolean> {
  await db.query(`DELETE FROM import_progress WHERE touched < now() - make_interval(secs => $1)`, [ttlMs / 1000]);
  const rows = await db.query(
    `INSERT INTO import_progress AS p (import_id, progress) VALUES ($1, $2)
     ON CONFLICT (import_id) DO UPDATE SET progress = EXCLUDED.progress, touched = now() WHERE p.${ENDED}
     RETURNING import_id`,
    [progress.importId, JSON.stringify(progress)],
  );
  return rows.length === 1;
}

export async function saveProgress(db: Db, progress: ImportProgress): Promise<void> {
  await db.query(`UPDATE import_progress SET progress = $2, touched = now() WHERE import_id = $1`, [progress.importId, JSON.stringify(progress)]);
}

export async function loadProgress(db: Db, importId: string, ttlMs: number): Promise<ImportProgress | undefined> {
  const [row] = await db.query<{ progress: ImportProgress }>(
    `SELECT progress FROM import_progress WHERE import_id = $1 AND touched >= now() - make_interval(secs => $2)`,
    [importId, ttlMs / 1000],
  );
  return row?.progress;
}
