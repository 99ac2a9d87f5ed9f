/**
 * `npm run seed`: loads the demo dataset into the configured store (DATA_DIR or DATABASE_URL),
 * whatever SEED_DEMO says. An empty store only; `--force` replaces the demo layers' features
 * (every feature of those layers, the bureau's own included) with the demo dataset.
 */
import { parseArgs } from 'node:util';
import { LAYERS } from '../../core/catalogue/index.js';
import { reseed, seedIfEmpty } from '../../seeds/load.js';
import { ConfigError, readConfig } from '../config.js';
import { featureCount, openStore } from '../store/index.js';
import { runIfMain, type CliIo } from './io.js';

const USAGE = 'usage: npm run seed [-- --force]';

/** 0 when seeded; 1 when the store is not empty and --force is not given, or on a configuration error. */
export async function main(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let force: boolean;
  try {
    force = parseArgs({ args: argv, options: { force: { type: 'boolean' } }, strict: true }).values.force === true;
  } catch (err) {
    io.stderr(`seed: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = readConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.stderr(`seed: configuration error: ${err.message}\n`);
    return 1;
  }
  const where = config.databaseUrl ? 'the PostgreSQL store of DATABASE_URL' : `the embedded store in ${config.dataDir}`;
  const db = await openStore(config);
  try {
    const n = await featureCount(db);
    if (n > 0 && !force) {
      io.stderr(
        `seed: ${where} holds ${n} features, so it is not seeded. "npm run seed -- --force" deletes every feature ` +
          `of the layers ${LAYERS.map((l) => l.id).join(', ')} and loads the demo dataset in their place.\n`,
      );
      return 1;
    }
    const report = n > 0 ? await reseed(db) : await seedIfEmpty(db);
    const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
    io.stdout(`seed: ${where} now holds the demo dataset (${total} features: ${Object.entries(report.counts).map(([l, c]) => `${l} ${c}`).join(', ')}).\n`);
    return 0;
  } finally {
    await db.close();
  }
}

runIfMain(import.meta.url, (argv, io) => main(argv, io));
