import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are `NNN_name.sql` files applied in order, each in its own transaction, once. */
export function listMigrations(dir = DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Versions already applied; creates the bookkeeping table on a new store. One query on a warm store. */
async function appliedVersions(db: Db): Promise<Set<number>> {
  try {
    return new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  } catch (err) {
    // 42P01 undefined_table: a new store.
    if ((err as { code?: string }).code !== '42P01') throw err;
    await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    return new Set();
  }
}

export async function migrate(db: Db, migrations = listMigrations()): Promise<string[]> {
  const done = await appliedVersions(db);
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    applied.push(m.name);
  }
  return applied;
}
