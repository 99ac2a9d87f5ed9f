/** Import progress shared by every app server on one database (migrations 006, 016). */
import type { ImportProgress } from '../../core/import-report.js';
import type { Db } from './db.js';

const ENDED = `progress ->> 'phase' IN ('done', 'failed')`;

/** The server process running an import: its host, pid and an id drawn when it started. */
export interface ImportOwner {
  host: string;
  pid: number;
  boot: string;
}

/**
 * Claims `importId` for a new import: false while another server (or this one) still runs an
 * import with that id; an ended import, or one untouched for `ttlMs` (its server died), is replaced.
 */
export async function claimImport(db: Db, progress: ImportProgress, ttlMs: number, owner?: ImportOwner): Promise<boolean> {
  await db.query(`DELETE FROM import_progress WHERE touched < now() - make_interval(secs => $1)`, [ttlMs / 1000]);
  const rows = await db.query(
    `INSERT INTO import_progress AS p (import_id, progress, owner) VALUES ($1, $2, $3)
     ON CONFLICT (import_id) DO UPDATE SET progress = EXCLUDED.progress, owner = EXCLUDED.owner, touched = now() WHERE p.${ENDED}
     RETURNING import_id`,
    [progress.importId, JSON.stringify(progress), owner ? JSON.stringify(owner) : null],
  );
  return rows.length === 1;
}

export async function saveProgress(db: Db, progress: ImportProgress): Promise<void> {
  await db.query(`UPDATE import_progress SET progress = $2, touched = now() WHERE import_id = $1`, [progress.importId, JSON.stringify(progress)]);
}

export async function loadProgress(db: Db, importId: string, ttlMs: number): Promise<ImportProgress | undefined> {
  return (await loadImport(db, importId, ttlMs))?.progress;
}

export interface StoredImport {
  progress: ImportProgress;
  owner: ImportOwner | null;
  /** Milliseconds since the row was last written. */
  ageMs: number;
}

/** An import's row with who runs it, unless untouched for `ttlMs`. */
export async function loadImport(db: Db, importId: string, ttlMs: number): Promise<StoredImport | undefined> {
  const [row] = await db.query<StoredImport>(
    `SELECT progress, owner, (extract(epoch FROM now() - touched) * 1000)::float8 AS "ageMs"
     FROM import_progress WHERE import_id = $1 AND touched >= now() - make_interval(secs => $2)`,
    [importId, ttlMs / 1000],
  );
  return row;
}

/** Every import not yet done or failed, with who runs it. */
export async function unfinishedImports(db: Db): Promise<StoredImport[]> {
  return db.query<StoredImport>(
    `SELECT progress, owner, (extract(epoch FROM now() - touched) * 1000)::float8 AS "ageMs" FROM import_progress WHERE NOT (${ENDED})`,
  );
}

/** Ends an import that is still unfinished with `progress` (phase failed); false when it had ended meanwhile. */
export async function failImport(db: Db, progress: ImportProgress): Promise<boolean> {
  const rows = await db.query(`UPDATE import_progress SET progress = $2, touched = now() WHERE import_id = $1 AND NOT (${ENDED}) RETURNING import_id`, [
    progress.importId,
    JSON.stringify(progress),
  ]);
  return rows.length === 1;
}
