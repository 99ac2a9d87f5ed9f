/**
 * A private, seeded store per test file, copied from the run's template (global.ts): PGlite by
 * default, or a real PostgreSQL + PostGIS database when the kind is 'postgres'.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openStore, type Db } from '../../server/store/index.js';
import { adminUrl, withDatabase } from './postgres.js';

export type StoreKind = 'pglite' | 'postgres';

/** The back ends this run can test: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const STORE_KINDS: StoreKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

if (!process.env.TEST_DATABASE_URL) {
  console.warn('TEST_DATABASE_URL is not set: store tests run on PGlite only (CI sets it for PostgreSQL + PostGIS).');
}

export interface TestStore {
  db: Db;
  /** Where a PGlite store lives, so a test can reopen it; empty for PostgreSQL. */
  dataDir: string;
  dispose(): Promise<void>;
}

export async function openTestStore(kind: StoreKind = 'pglite'): Promise<TestStore> {
  if (kind === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-test-'));
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    const store: TestStore = {
      db: await openStore({ dataDir }),
      dataDir,
      async dispose() {
        // store.db, not a captured handle: a test may reopen the folder and swap the handle in.
        await store.db.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
    return store;
  }
  const url = process.env.TEST_DATABASE_URL!;
  const name = `onemap_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminUrl(url, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`));
  const db = await openStore({ dataDir: '', databaseUrl: withDatabase(url, name) });
  return {
    db,
    dataDir: '',
    async dispose() {
      await db.close();
      await adminUrl(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name}`));
    },
  };
}
