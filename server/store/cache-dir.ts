/**
 * node_modules/.cache/onemap: the installation's derived files (the lean PostGIS bundle, the
 * embedded store's migrated template, the generated demo dataset), the usual place for files a
 * package's tools derive and can always make again.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export function installationCacheDir(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const marker = `${path.sep}node_modules${path.sep}`;
  return path.join(entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1), '.cache', 'onemap');
}
