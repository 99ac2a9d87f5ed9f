/**
 * Builds the seeded database once per test run — PGlite + PostGIS takes ~10 s to create — and hands
 * its location to every test file, which copies it (see store.ts), and names the folder the
 * browser tests' client is built into once. With TEST_DATABASE_URL set, a
 * seeded template database is made on that PostgreSQL + PostGIS server too.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedIfEmpty } from '../../seeds/load.js';
import { openStore } from '../../server/store/index.js';
import { adminUrl, withDatabase } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
    /** Where the browser tests' built client goes: built once per run by the first that needs it (tests/e2e/browser.ts). */
    clientDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-template-'));
  const db = await openStore({ dataDir: dir });
  await seedIfEmpty(db);
  await db.close();
  project.provide('pgliteTemplate', dir);
  // Beside the template, not in it: stores are copies of the template folder.
  const clientDir = `${dir}-client`;
  project.provide('clientDir', clientDir);

  const url = process.env.TEST_DATABASE_URL;
  let pgTemplate = '';
  if (url) {
    pgTemplate = `onemap_template_${process.pid}`;
    await adminUrl(url, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${pgTemplate}`);
      await admin.query(`CREATE DATABASE ${pgTemplate}`);
    });
    const pg = await openStore({ dataDir: '', databaseUrl: withDatabase(url, pgTemplate) });
    await seedIfEmpty(pg);
    await pg.close();
  }
  project.provide('postgresTemplate', pgTemplate);

  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(clientDir, { recursive: true, force: true });
    if (url && pgTemplate) await adminUrl(url, (admin) => admin.query(`DROP DATABASE IF EXISTS ${pgTemplate}`));
  };
}
