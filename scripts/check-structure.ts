/**
 * The structure rules a reviewer would otherwise check by eye (import cycles are madge's, run
 * before this by `npm run check:structure`):
 * - SQL only in server/store/ (server/formats/ writes GeoPackage, an SQLite file format, with SQL;
 *   geodata/ builds the shipped boundaries);
 * - no `switch (x.kind)` in the client: an analysis's client parts come from its registry entry.
 * Prints each breach with its file and line; exit code 1 when there is any.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const SQL = /\b(SELECT\s+[\w*]|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)/;
const KIND_SWITCH = /switch\s*\(\s*\w+\.kind\s*\)/;
const SQL_HOMES = ['server/store/', 'server/formats/', 'geodata/'];

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|tsx|mts)$/.test(f) && !f.startsWith('tests/') && !f.startsWith('bench/') && !f.includes('/fixtures/'));

const breaches: string[] = [];
for (const file of files) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the work tree, still in the index
  }
  text.split('\n').forEach((line, i) => {
    if (!SQL_HOMES.some((h) => file.startsWith(h)) && SQL.test(line)) breaches.push(`${file}:${i + 1}: SQL outside server/store/`);
    if (file.startsWith('client/') && KIND_SWITCH.test(line)) breaches.push(`${file}:${i + 1}: switch over analysis kinds in the client`);
  });
}
for (const b of breaches) console.error(b);
console.log(breaches.length ? `structure: ${breaches.length} breach(es)` : `structure: ok (${files.length} files)`);
process.exitCode = breaches.length ? 1 : 0;
