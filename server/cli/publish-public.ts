/**
 * The public shelter finder as static files for any web server or CDN:
 *
 *   npm run build && npm run publish-public -- /var/www/onemap
 *
 * reads the store (DATABASE_URL, else the embedded one in DATA_DIR, seeded under SEED_DEMO exactly
 * as `npm start` seeds it: an empty embedded store by default, never a DATABASE_URL one unless asked) and the built client (CLIENT_DIR, default ./dist), and writes shelters/index.html,
 * shelters/sw.js, the assets they load, shelters/data/manifest.json and shelters/data/packs/*.pack,
 * each text file with .br and .gz siblings. Errors: a message on stderr and exit code 2.
 */
import path from 'node:path';
import { seedOnStart } from '../../seeds/load.js';
import { readConfig } from '../config.js';
import { publishPublic } from '../public/publish.js';
import { openStore } from '../store/index.js';

async function main(): Promise<void> {
  const [dir] = process.argv.slice(2).filter((a) => a !== '--');
  if (!dir) throw new Error('usage: npm run publish-public -- <output folder>');
  const config = readConfig();
  const db = await openStore(config);
  try {
    const seed = await seedOnStart(db, config);
    if (seed.seeded) console.error('the store was empty: seeded with the demo dataset (SEED_DEMO, as npm start does)');
    const out = path.resolve(dir);
    const { files, bytes } = await publishPublic(db, config.clientDir, out);
    console.log(`${files.length} files (${(bytes / 1024).toFixed(0)} KB before compression, each text file with .br and .gz) in ${out}`);
    console.log(`serve ${out} at the root of a site: the finder is /shelters/`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  console.error(`publish-public: ${err.message}`);
  process.exit(2);
});
