/**
 * The demo dataset, generated once per installation. It is deterministic (seeded random numbers,
 * the shipped boundaries) and generating it takes seconds (the road network most), so the first
 * generation is kept in the installation's cache (node_modules/.cache/onemap/) under a hash of
 * everything it depends on, and later seedings read it back. A start that is about to seed a new
 * store without a cached copy generates it in a child process (`demoAhead`) while the main thread
 * creates the store: on a 2-core machine the two overlap. (Not a worker thread: under tsx on Node
 * 20, a worker's modules load only while the main thread is idle, and the store's creation keeps
 * it busy for seconds.)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import type { Feature, Geometry } from 'geojson';
import { installationCacheDir } from '../server/store/cache-dir.js';
import type { Props } from '../server/store/index.js';

export type DemoLayers = Record<string, Feature<Geometry, Props>[]>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.join(HERE, '..');
/** Everything the generator's output depends on: its code, the boundaries, core/ and the locked libraries. */
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

const demoFile = (cacheDir: string): string => path.join(cacheDir, `demo-${demoKey()}.json`);

function readCached(cacheDir: string): string | undefined {
  try {
    return fs.readFileSync(demoFile(cacheDir), 'utf8');
  } catch {
    return undefined;
  }
}

/** Generates the dataset and keeps it in the cache (replacing older versions); returns it as JSON. */
export async function generateDemoJson(cacheDir = installationCacheDir()): Promise<string> {
  const json = JSON.stringify((await import('./demo/index.js')).generateDemo());
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const file = demoFile(cacheDir);
    for (const old of fs.readdirSync(cacheDir)) {
      if (/^demo-[0-9a-f]+\.json$/.test(old) && path.join(cacheDir, old) !== file) fs.rmSync(path.join(cacheDir, old), { force: true });
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, json);
    fs.renameSync(tmp, file);
  } catch {
    // A read-only installation generates it each time.
  }
  return json;
}

let ahead: Promise<void> | undefined;

/**
 * Starts generating the dataset into the cache in a child process if the cache has none, for a
 * start that will seed; `demoLayers` then waits for it. Generating in-process remains the fallback
 * if the child fails or the cache cannot be written.
 */
export function demoAhead(cacheDir = installationCacheDir()): void {
  if (ahead || readCached(cacheDir) !== undefined) return;
  const ext = path.extname(fileURLToPath(import.meta.url));
  // The sources run through tsx (npm start, tests): the child loads them the same way.
  const child = spawn(process.execPath, [...(ext === '.ts' ? ['--import', 'tsx'] : []), path.join(HERE, `demo-process${ext}`), cacheDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  ahead = new Promise<void>((resolve) => {
    child.once('error', () => resolve());
    child.once('exit', () => resolve());
  });
}

/** The dataset: from the cache (waiting for a generation started ahead), else generated now (and cached). */
export async function demoLayers(cacheDir = installationCacheDir()): Promise<{ layers: DemoLayers; cached: boolean }> {
  const generatedAhead = ahead !== undefined;
  await ahead;
  ahead = undefined;
  const cached = readCached(cacheDir);
  if (cached !== undefined) return { layers: JSON.parse(cached) as DemoLayers, cached: !generatedAhead };
  return { layers: JSON.parse(await generateDemoJson(cacheDir)) as DemoLayers, cached: false };
}
