/** The store: the one module through which the server reaches PostGIS. */
import { openDb, type Db, type DbConfig } from './db.js';
import { listMigrations, migrate } from './migrate.js';
import { fromTemplate, isNewDataDir } from './pglite-template.js';

export type { Db, DbConfig } from './db.js';
export * from './audit.js';
export * from './edit.js';
export * from './features.js';
export * from './import.js';
export * from './network.js';
export * from './progress.js';
export * from './public.js';
export * from './scenarios.js';
export * from './layer-watch.js';
export * from './stamp.js';
export * from './layer-memo.js';

/** Milliseconds spent on each part of opening the store (start-up reports them). */
export interface OpenTimings {
  /** Opening the database: for PGlite, the WebAssembly Postgres with PostGIS loaded. */
  openMs?: number;
  /** Checking (and on a new store applying) the migrations. */
  migrateMs?: number;
  /** Migrations applied by this open: none on a warm store or one made from the template. */
  applied?: string[];
  /** A new embedded store: copying the migrated template (and making it first if `built`). */
  templateMs?: number;
  /** `upgraded`: built from the template of fewer migrations (only the new ones applied). */
  template?: 'copied' | 'built' | 'upgraded';
}

/**
 * Opens the configured database and brings its schema up to date. A new embedded store starts as
 * a copy of the installation's migrated template (pglite-template.ts); the migration check then
 * finds every migration applied.
 */
export async function openStore(config: DbConfig, timings: OpenTimings = {}): Promise<Db> {
  let t = performance.now();
  if (!config.databaseUrl && isNewDataDir(config.dataDir)) {
    const used = await fromTemplate(config.dataDir, listMigrations());
    if (used) {
      timings.template = !used.built ? 'copied' : used.base ? 'upgraded' : 'built';
      timings.templateMs = performance.now() - t;
    }
  }
  t = performance.now();
  const db = await openDb(config);
  timings.openMs = performance.now() - t;
  try {
    t = performance.now();
    timings.applied = await migrate(db);
    timings.migrateMs = performance.now() - t;
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
export * from './seed.js';
export * from './tiles.js';
