/**
 * What the point cell summary (migrations 027 and 028) costs a write: 100,000 points of one layer
 * inserted, all deleted (a `replace` import's delete, a layer cleared) and half deleted (other
 * rows of the layer stay), on each store. Each statement runs in a transaction that is rolled
 * back, three times, median; against two references in the same run and the same transaction:
 * the same statement with the summary's trigger disabled (what the write costs without any
 * summary), and, for the deletes, with the trigger of migration 027 (read from its file) in place
 * of the current one.
 *
 *   npx tsx bench/cell-summary.bench.ts      (BENCH_DATABASE_URL=postgres://… adds PostgreSQL; BENCH_ROWS, default 100000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Db } from '../server/store/index.js';
import { adminUrl, withDatabase } from '../tests/setup/postgres.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const LAYER = 'bench_cells';
const REPEATS = 3;

const migration027 = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '../server/store/migrations/027_lowzoom_point_cells.sql'), 'utf8');
/** Migration 027's delete trigger function, as it was. */
const oldDeleted = /CREATE FUNCTION point_cells_deleted\(\)[\s\S]*?END \$\$;/.exec(migration027)![0].replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION');

const insertSql = `INSERT INTO features (layer, fid, geom, properties)
  SELECT '${LAYER}', 'p' || i, ST_SetSRID(ST_Point(105.5 + random() * 2, 28.5 + random() * 2), 4326), jsonb_build_object('name', 'p' || i)
    FROM generate_series(1, ${ROWS}) i`;

type Variant = 'current' | 'no summary' | 'migration 027';

/** Median ms of `sql` in a rolled-back transaction, after `setup` in the same transaction. */
async function timedStatement(db: Db, sql: string, variant: Variant, trigger: string): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    let ms = 0;
    await db
      .transaction(async (tx) => {
        if (variant === 'no summary') await tx.query(`ALTER TABLE features DISABLE TRIGGER ${trigger}`);
        if (variant === 'migration 027') await tx.query(oldDeleted);
        const t = performance.now();
        await tx.query(sql);
        ms = performance.now() - t;
        throw new Error('rollback');
      })
      .catch((err: Error) => {
        if (err.message !== 'rollback') throw err;
      });
    runs.push(ms);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)];
}

async function bench(name: string, db: Db): Promise<string[]> {
  await db.query('DELETE FROM features WHERE layer = $1', [LAYER]);
  await db.query(insertSql);
  await db.query('ANALYZE features');
  const rows: string[] = [];
  const line = (what: string, cur: number, none: number, old?: number) =>
    rows.push(`| ${name} | ${what} | ${cur.toFixed(0)} | ${none.toFixed(0)} | ${(cur / none).toFixed(1)}× | ${old === undefined ? '–' : `${old.toFixed(0)} (${(old / cur).toFixed(1)}× slower)`} |`);
  const all = `DELETE FROM features WHERE layer = '${LAYER}'`;
  const half = `DELETE FROM features WHERE layer = '${LAYER}' AND right(fid, 1) IN ('0', '2', '4', '6', '8')`;
  for (const [what, sql] of [
    [`delete all ${ROWS}`, all],
    [`delete half (${ROWS / 2})`, half],
  ]) {
    line(what, await timedStatement(db, sql, 'current', 'features_cells_delete'), await timedStatement(db, sql, 'no summary', 'features_cells_delete'), await timedStatement(db, sql, 'migration 027', 'features_cells_delete'));
  }
  await db.query('DELETE FROM features WHERE layer = $1', [LAYER]);
  line(`insert ${ROWS}`, await timedStatement(db, insertSql, 'current', 'features_cells_insert'), await timedStatement(db, insertSql, 'no summary', 'features_cells_insert'));
  return rows;
}

async function main(): Promise<void> {
  console.log(`load average at the start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} CPUs)`);
  const rows: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-bench-cells-'));
  try {
    const lite = await openStore({ dataDir: dir });
    try {
      rows.push(...(await bench('PGlite', lite)));
    } finally {
      await lite.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const name = `onemap_bench_cells_${process.pid}`;
    await adminUrl(url, (a) => a.query(`CREATE DATABASE ${name}`));
    try {
      const pg = await openStore({ dataDir: '', databaseUrl: withDatabase(url, name) });
      try {
        rows.push(...(await bench('PostgreSQL', pg)));
      } finally {
        await pg.close();
      }
    } finally {
      await adminUrl(url, (a) => a.query(`DROP DATABASE IF EXISTS ${name}`));
    }
  } else {
    console.log('BENCH_DATABASE_URL is not set: PostgreSQL skipped.');
  }
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('| store | statement | with the summary ms | without (trigger disabled) ms | ratio | with migration 027’s delete trigger ms |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const r of rows) console.log(r);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
