/**
 * Start-up: configuration from the environment, store, first-run seeding (SEED_DEMO), HTTP server,
 * shutdown. Only what every request needs comes before listening: the store, open and migrated (a
 * new embedded store is a copy of the installation's migrated template), and the seeding check
 * (a new store that will be seeded has its demo dataset made in a child process meanwhile, unless
 * the installation has it cached: seeds/demo-cache.ts). The client files are compressed after listening, in the background; the road
 * graph is built by the first analysis that needs it (server/services/analysis-context.ts), not here:
 * building it blocks the one JavaScript thread for seconds, which would hold up every request
 * arriving meanwhile. The log's `startup` line gives each part in milliseconds
 * (bench/startup.bench.ts reads it).
 */
import { prepareSeeding, seedOnStart } from '../seeds/load.js';
import { createApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { removeStaleUploads } from './import/multipart.js';
import { createLogger } from './logger.js';
import { hasFeatures, openStore, type OpenTimings } from './store/index.js';
import { closeWorkers } from './workers/pool.js';

const logger = createLogger(process.env.LOG_LEVEL);

const ms = (t: number): number => Math.round(performance.now() - t);

async function main(): Promise<void> {
  // Since the process started: Node, tsx and loading the server's modules.
  const modulesMs = Math.round(performance.now());
  const config = readConfig();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  logger.info(`opening store: ${where}`);
  const stale = await removeStaleUploads();
  if (stale) logger.info(`removed ${stale} upload folder(s) left by a server that stopped mid-import`);
  prepareSeeding(config);
  const opened: OpenTimings = {};
  const db = await openStore(config, opened);
  let t = performance.now();
  const seed = await seedOnStart(db, config);
  const seedMs = ms(t);
  if (seed.seeded) logger.info({ counts: seed.counts }, 'empty store seeded with the demo dataset');
  else if (!(await hasFeatures(db))) {
    logger.warn(`the store is empty and SEED_DEMO=${config.seedDemo} does not seed it: import your data, or run "npm run seed" for the demo dataset`);
  }

  t = performance.now();
  const app = createApp(db, config, logger);
  const appMs = ms(t);
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${port}/`;
    const startup = {
      modulesMs,
      template: opened.template ?? 'none',
      templateMs: Math.round(opened.templateMs ?? 0),
      storeOpenMs: Math.round(opened.openMs ?? 0),
      migrateMs: Math.round(opened.migrateMs ?? 0),
      migrationsApplied: opened.applied?.length ?? 0,
      seedMs,
      seeded: seed.seeded,
      demoMs: seed.demoMs ?? 0,
      demoCached: seed.demoCached ?? false,
      appMs,
      listeningMs: Math.round(performance.now()),
    };
    logger.info({ url, startup }, 'listening');
    // A plain line for the person who typed `npm start`, among the JSON log lines.
    console.log(`\n  应急一张图 Emergency OneMap: ${url}\n`);
    // Compress the built client once now, so the first visitors do not wait for it.
    const t = performance.now();
    app.warm().then(
      (n) => logger.info({ clientMs: ms(t) }, `${n} client files compressed`),
      (err) => logger.warn({ err }, 'the built client could not be read ahead'),
    );
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: closing`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(() => {
      void Promise.all([closeWorkers(), db.close()]).then(() => {
        clearTimeout(force);
        process.exit(0);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  if (err instanceof ConfigError) logger.error(`configuration error: ${err.message}`);
  else logger.error({ err }, 'start-up failed');
  process.exit(1);
});
