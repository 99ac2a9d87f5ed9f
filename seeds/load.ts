/**
 * Loading the demo dataset: at start-up as SEED_DEMO says (never into a production database unless
 * asked), and explicitly by `npm run seed`.
 */
import type { SeedDemo } from '../server/config.js';
import { hasFeatures, loadLayers, type Db } from '../server/store/index.js';

export interface SeedReport {
  seeded: boolean;
  counts: Record<string, number>;
}

/** The demo dataset, its generator loaded only when a store is seeded (a warm start never loads it). */
const demoLayers = async () => (await import('./demo/index.js')).generateDemo();

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
  return { seeded: true, counts: await loadLayers(db, await demoLayers(), { replace: false }) };
}

/** Start-up seeding under SEED_DEMO (see shouldSeed). */
export async function seedOnStart(db: Db, config: { seedDemo: SeedDemo; databaseUrl?: string }): Promise<SeedReport> {
  const empty = !(await hasFeatures(db));
  return shouldSeed(config.seedDemo, { databaseUrl: config.databaseUrl, empty }) ? seedIfEmpty(db) : { seeded: false, counts: {} };
}

/** `npm run seed -- --force`: replaces the demo layers' features with the demo dataset, in one transaction. */
export async function reseed(db: Db): Promise<SeedReport> {
  return { seeded: true, counts: await loadLayers(db, await demoLayers(), { replace: true }) };
}
