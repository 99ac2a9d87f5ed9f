/** Start-up: configuration from the environment, store, first-run seeding (SEED_DEMO), HTTP server, shutdown. */
import { seedOnStart } from '../seeds/load.js';
import { createApp } from './app.js';
import { ConfigError, readConfig } from './config.js';
import { removeStaleUploads } from './import/multipart.js';
import { createLogger } from './logger.js';
import { featureCount, openStore } from './store/index.js';
import { closeWorkers } from './workers/pool.js';

const logger = createLogger(process.env.LOG_LEVEL);

async function main(): Promise<void> {
  const config = readConfig();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;
  logger.info(`opening store: ${where}`);
  const stale = await removeStaleUploads();
  if (stale) logger.info(`removed ${stale} upload folder(s) left by a server that stopped mid-import`);
  const db = await openStore(config);
  const seed = await seedOnStart(db, config);
  if (seed.seeded) logger.info({ counts: seed.counts }, 'empty store seeded with the demo dataset');
  else if ((await featureCount(db)) === 0) {
    logger.warn(`the store is empty and SEED_DEMO=${config.seedDemo} does not seed it: import your data, or run "npm run seed" for the demo dataset`);
  }

  const app = createApp(db, config, logger);
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${host}:${port}/`;
    logger.info({ url }, 'listening');
    // A plain line for the person who typed `npm start`, among the JSON log lines.
    console.log(`\n  应急一张图 Emergency OneMap: ${url}\n`);
    // Compress the built client once now, so the first visitors do not wait for it.
    app.warm().then(
      (n) => logger.info(`${n} client files compressed`),
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
