/**
 * Loading the demo dataset: at start-up as SEED_DEMO says (never into a production database unless
 * asked), and explicitly by `npm run seed`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, Geometry } from 'geojson';
import type { SeedDemo } from '../server/config.js';
import { installationCacheDir } from '../server/store/cache-dir.js';
import { hasFeatures, loadLayers, type Db, type Props } from '../server/store/index.js';

export interface SeedReport {
  seeded: boolean;
  counts: Record<string, number>;
  /** When seeded: milliseconds to have the demo dataset (read from the cache, or generated), before writing it. */
  demoMs?: number;
  demoCached?: boolean;
}

type Layers = Record<string, Feature<Geometry, Props>[]>;

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Everything the demo generator's output depends on: its code, the boundaries, core/ and the locked libraries. */
const DEMO_INPUTS = ['seeds/demo', 'geodata', 'core', 'package-lock.json'];

function filesUnder(p: string): string[] {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs
    .readdirSync(p)
    .sort()
    .flatMap((name) => filesUnder(path.join(p, name)));
}

/** A hash of every input of the generator: the cached dataset is the one these inputs generate. */
export function demoKey(root = ROOT, inputs = DEMO_INPUTS): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((i) => filesUnder(path.join(root, i)))) {
    hash.update(`${path.relative(root, file)}\0`);
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The demo dataset. It is deterministic (seeded random numbers, shipped boundaries), and
 * generating it takes seconds (the road network most), so the first generation is kept in the
 * installation's cache under a hash of its inputs and later seedings read it back. Its generator
 * is loaded only when a store is seeded without a cached copy (a warm start never loads it).
 */
export async function demoLayers(cacheDir = installationCacheDir()): Promise<{ layers: Layers; cached: boolean }> {
  const file = path.join(cacheDir, `demo-${demoKey()}.json`);
  try {
    return { layers: JSON.parse(fs.readFileSync(file, 'utf8')) as Layers, cached: true };
  } catch {
    // Not generated yet on this installation (or unreadable): generate it.
  }
  const layers: Layers = (await import('./demo/index.js')).generateDemo();
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    for (const old of fs.readdirSync(cacheDir)) if (/^demo-[0-9a-f]+\.json$/.test(old)) fs.rmSync(path.join(cacheDir, old), { force: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(layers));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only installation generates it each time.
  }
  return { layers, cached: false };
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

/** Start-up seeding under SEED_DEMO (see shouldSeed). */
export async function seedOnStart(db: Db, config: { seedDemo: SeedDemo; databaseUrl?: string }): Promise<SeedReport> {
  const empty = !(await hasFeatures(db));
  return shouldSeed(config.seedDemo, { databaseUrl: config.databaseUrl, empty }) ? seedIfEmpty(db) : { seeded: false, counts: {} };
}

/** `npm run seed -- --force`: replaces the demo layers' features with the demo dataset, in one transaction. */
export async function reseed(db: Db): Promise<SeedReport> {
  return { seeded: true, counts: await loadLayers(db, (await demoLayers()).layers, { replace: true }) };
}
