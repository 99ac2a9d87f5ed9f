/**
 * New embedded stores start from a template: a PGlite data directory made once per installation,
 * created (initdb) and migrated but empty, and copied into each new DATA_DIR. A cold start
 * otherwise spends most of its time before the first row on initdb and on `CREATE EXTENSION
 * postgis` (thousands of functions and types); copying the ready directory takes a fraction of a
 * second. The template lives in node_modules/.cache/onemap/ (beside the lean PostGIS bundle),
 * named after the PGlite and pglite-postgis versions and a hash of every migration, so a new
 * migration or a library upgrade makes a new one (a new migration: from the old template). It is a closed cluster (shut down cleanly), so
 * a store opened from its copy is exactly one that was created and migrated in place.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installationCacheDir } from './cache-dir.js';
import { openDb } from './db.js';
import { migrate, type Migration } from './migrate.js';

const require = createRequire(import.meta.url);

/** A package's version, read from its package.json (found next to its main entry). */
function packageVersion(name: string): string {
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The template's folder name: what it was made with (libraries, every migration's name and text). */
export function templateKey(migrations: Migration[]): string {
  const hash = createHash('sha256');
  for (const m of migrations) hash.update(`${m.name}\0${m.sql}\0`);
  const versions = `${packageVersion('@electric-sql/pglite')}-${packageVersion('@electric-sql/pglite-postgis')}`;
  return `pglite-template-${versions}-${hash.digest('hex').slice(0, 16)}`;
}

/** A folder that holds no PostgreSQL cluster yet (missing or empty): a new store. */
export function isNewDataDir(dataDir: string): boolean {
  return !fs.existsSync(path.join(dataDir, 'PG_VERSION'));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates and migrates a cluster in a private folder — from a copy of `base` when given, applying
 * only the migrations it lacks — closes it, then moves it to `dir`.
 */
async function buildTemplate(dir: string, migrations: Migration[], base?: string): Promise<void> {
  const tmp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    if (base) fs.cpSync(base, tmp, { recursive: true });
    const db = await openDb({ dataDir: tmp });
    try {
      await migrate(db, migrations);
    } finally {
      await db.close();
    }
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Another server made the same template meanwhile: theirs is as good.
    if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) throw err;
  }
}

export interface TemplateUse {
  /** The template folder copied from. */
  dir: string;
  /** Whether this start had to make it first (the first new store of an installation). */
  built: boolean;
  /** The older template it was made from, when the migrations only grew (an upgrade). */
  base?: string;
}

/**
 * The template of the longest run of these migrations, from the first, that the installation
 * already has with the same libraries: migrations are only ever appended (an applied one is never
 * edited), so after an upgrade the new template is that one plus the new migrations — seconds
 * instead of initdb and PostGIS again.
 */
function baseTemplate(cacheRoot: string, migrations: Migration[]): string | undefined {
  for (let n = migrations.length - 1; n > 0; n--) {
    const dir = path.join(cacheRoot, templateKey(migrations.slice(0, n)));
    if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  }
  return undefined;
}

/**
 * The installation's template for these migrations, made first if it has none (and older ones
 * removed). Undefined when the cache folder cannot be written. `npm install` runs it
 * (server/cli/prepare.ts), so the first start of an installation only copies.
 */
export async function ensureTemplate(migrations: Migration[], cacheRoot = installationCacheDir()): Promise<TemplateUse | undefined> {
  const dir = path.join(cacheRoot, templateKey(migrations));
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return { dir, built: false };
  try {
    fs.mkdirSync(cacheRoot, { recursive: true });
    fs.accessSync(cacheRoot, fs.constants.W_OK);
  } catch {
    return undefined;
  }
  const base = baseTemplate(cacheRoot, migrations);
  await buildTemplate(dir, migrations, base);
  // Templates for older migrations or libraries are never used again, nor one left half-made by
  // a server that stopped; one another running server is making (…<pid>.tmp) is left alone.
  for (const old of fs.readdirSync(cacheRoot)) {
    if (!old.startsWith('pglite-template-') || path.join(cacheRoot, old) === dir) continue;
    const making = /\.(\d+)\.tmp$/.exec(old);
    if (!making || !alive(Number(making[1]))) fs.rmSync(path.join(cacheRoot, old), { recursive: true, force: true });
  }
  return base ? { dir, built: true, base } : { dir, built: true };
}

/**
 * Fills the new store's `dataDir` with a copy of the template for these migrations, making the
 * template first if the installation has none. Returns undefined (the caller creates the store in
 * place) when the cache folder cannot be written.
 */
export async function fromTemplate(dataDir: string, migrations: Migration[], cacheRoot = installationCacheDir()): Promise<TemplateUse | undefined> {
  const used = await ensureTemplate(migrations, cacheRoot);
  if (!used) return undefined;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.cpSync(used.dir, dataDir, { recursive: true });
  return used;
}
