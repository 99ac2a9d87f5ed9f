/**
 * Loading the demo dataset: at start-up as SEED_DEMO says (never into a production database unless
 * asked), and explicitly by `npm run seed`.
 */
import type { SeedDemo } from '../server/config.js';
import { hasFeatures, loadLayers, type Db } from '../server/store/index.js';
import { isNewDataDir } from '../server/store/pglite-template.js';
import { demoAhead, demoLayers } from './demo-cache.js';

export interface SeedReport {
  seeded: boolean;
  counts: Record<string, number>;
  /** When seeded: milliseconds to have the demo dataset (read from the cache, or generated), before writing it. */
  demoMs?: number;
  demoCached?: boolean;
}

/**
 * Whether start-up seeds: only an empty store; `auto` only the embedded PGlite store (a
 * DATABASE_URL store is someone's database: seeded only with SEED_DEMO=always); `never` never.
 */
export function shouldSeed(mode: SeedDemo, store: { databaseUrl?: string; empty: boolean }): boolean {
  if (!store.empty || mode === 'never') return false;
  return mode === 'always' || !store.databaseUrl;
}

/** Fills an empty store with the demo dataset in one transaction; a store with data is left alone. */
export async function seedIfEmpty(db: Db): Promise<SeedReport> {
  if (await hasFeatures(db)) return { seeded: false, counts: {} };
  const t = performance.now();
  const demo = await demoLayers();
  const demoMs = Math.round(performance.now() - t);
  return { seeded: true, counts: await loadLayers(db, demo.layers, { replace: false }), demoMs, demoCached: demo.cached };
}

/**
 * Called before the store opens: a new embedded store that start-up will seed has its demo
 * dataset made in a child process meanwhile, if the installation has none cached (demo-cache.ts).
 */
export function prepareSeeding(config: { seedDemo: SeedDemo; databaseUrl?: string; dataDir: string }): void {
  if (!config.databaseUrl && isNewDataDir(config.dataDir) && shouldSeed(config.seedDemo, { empty: true })) demoAhead();
}

/** Start-up seeding under SEED_DEMO (see shouldSeed). */
export async function seedOnStart(db: Db, config: { seedDemo: SeedDemo; databaseUrl?: string }): Promise<SeedReport> {
  const empty = !(await hasFeatures(db));
  return shouldSeed(config.seedDemo, { databaseUrl: config.databaseUrl, empty }) ? seedIfEmpty(db) : { seeded: false, counts: {} };
}

/** `npm run seed -- --force`: replaces the demo layers' features with the demo dataset, in one transaction. */
export async function reseed(db: Db): Promise<SeedReport> {
  return { seeded: true, counts: await loadLayers(db, (await demoLayers()).layers, { replace: true }) };
}
