/** The store: the one module through which the server reaches PostGIS. */
import { openDb, type Db, type DbConfig } from './db.js';
import { migrate } from './migrate.js';

export type { Db, DbConfig } from './db.js';
export * from './audit.js';
export * from './edit.js';
export * from './features.js';
export * from './import.js';
export * from './network.js';
export * from './progress.js';
export * from './public.js';
export * from './scenarios.js';
export * from './stamp.js';

/** Opens the configured database and brings its schema up to date. */
export async function openStore(config: DbConfig): Promise<Db> {
  const db = await openDb(config);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
export * from './seed.js';
export * from './tiles.js';
