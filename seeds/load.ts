/** First-run loader: fills an empty store with the demo dataset in one transaction. */
import type { Db } from '../server/store/index.js';
import { insertFeatures } from '../server/store/index.js';
import { generateDemo } from './demo/index.js';

export interface SeedReport {
  seeded: boolean;
  counts: Record<string, number>;
}

export async function seedIfEmpty(db: Db): Promise<SeedReport> {
  const [{ n }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM features');
  if (n > 0) return { seeded: false, counts: {} };
  const demo = generateDemo();
  const counts: Record<string, number> = {};
  await db.transaction(async (tx) => {
    for (const [layer, features] of Object.entries(demo)) counts[layer] = await insertFeatures(tx, layer, features);
  });
  return { seeded: true, counts };
}
