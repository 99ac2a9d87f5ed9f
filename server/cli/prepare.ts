/**
 * `npm install` runs this (package.json `postinstall`; `npm run prepare-store` runs it again): it
 * makes the installation's derived files before the first start, in node_modules/.cache/onemap/ —
 * the embedded store's migrated template (initdb, PostGIS, every migration: the 13–18 s that made
 * the first start of an installation miss the cold-start goal) and, in a child process meanwhile,
 * the demo dataset. The first `npm start`, or the first container started from an image built
 * with `npm ci`, then only copies them. It never fails the install: whatever it cannot make, the
 * first start makes as before. With DATABASE_URL set the template is not needed and not made.
 */
import { demoAhead, demoLayers } from '../../seeds/demo-cache.js';
import { installationCacheDir } from '../store/cache-dir.js';
import { listMigrations } from '../store/migrate.js';
import { ensureTemplate, type TemplateUse } from '../store/pglite-template.js';
import { runIfMain, type CliIo } from './io.js';

export interface Prepared {
  /** The template used or made; undefined when not wanted (DATABASE_URL) or the cache cannot be written. */
  template?: TemplateUse;
  templateMs: number;
  /** Whether the demo dataset was generated now (false: it was in the cache already). */
  demoGenerated: boolean;
  totalMs: number;
}

/** Makes what is missing: the template (unless `withTemplate` is false) and the demo dataset, side by side. */
export async function prepareInstallation(cacheRoot = installationCacheDir(), withTemplate = true): Promise<Prepared> {
  const t0 = performance.now();
  demoAhead(cacheRoot);
  const template = withTemplate ? await ensureTemplate(listMigrations(), cacheRoot) : undefined;
  const templateMs = performance.now() - t0;
  const demo = await demoLayers(cacheRoot);
  return { template, templateMs, demoGenerated: !demo.cached, totalMs: performance.now() - t0 };
}

export async function main(_argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cacheRoot = installationCacheDir()): Promise<number> {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  try {
    const done = await prepareInstallation(cacheRoot, !env.DATABASE_URL);
    const template = !done.template
      ? env.DATABASE_URL
        ? 'no embedded store template (DATABASE_URL is set)'
        : 'no embedded store template (the cache folder cannot be written: each new store is created in place)'
      : done.template.built
        ? `embedded store template made in ${s(done.templateMs)} s${done.template.base ? ' from the previous one' : ''}`
        : 'embedded store template already made';
    io.stdout(`onemap: ${template}; demo dataset ${done.demoGenerated ? 'generated' : 'already cached'} (${cacheRoot}, ${s(done.totalMs)} s)\n`);
  } catch (err) {
    io.stderr(`onemap: could not prepare ${cacheRoot} (${(err as Error).message}); the first start makes what is missing instead\n`);
  }
  return 0;
}

runIfMain(import.meta.url, (argv, io) => main(argv, io));
