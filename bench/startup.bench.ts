/**
 * Cold and warm start of the real server (server/main.ts, the process `npm start` runs after its
 * client build), on the embedded PGlite store and on PostgreSQL. Cold: a new DATA_DIR (or a new
 * database with SEED_DEMO=always) that start-up creates, migrates and seeds with the demo data;
 * warm: the same store again. Each run is timed from spawning the process until /api/layers
 * answers 200, and split by the server's own `startup` log line: modules (Node, tsx, loading the
 * server's code), store open (PGlite: WebAssembly Postgres + PostGIS), migrations, seeding check
 * (and the seeding itself when cold), app assembly.
 *
 * A new embedded store is made from the installation's cached, migrated template and seeded from
 * its cached demo dataset (node_modules/.cache/onemap/), which `npm install` makes (its
 * `postinstall`, server/cli/prepare.ts). So PGlite has these cold starts: `cold, no install step`
 * with that cache emptied (as after `npm install --ignore-scripts`: the start makes the template,
 * the dataset and the lean PostGIS bundle itself); `cold, first` with the cache emptied again and
 * then made by the install step, timed on its own (the first `npm start` after `npm install`);
 * `cold` on another new DATA_DIR (every later new store); and
 * `cold, after an upgrade`: the cache holds the template of every migration but the last (as after
 * `git pull` brought one new migration), so the new store's template is made from it. On a shared machine the wall-clock times grow
 * with the load average, so the CPU time the server process used until it answered (all its
 * threads, from /proc) is printed too: it is what the start costs, whatever else runs.
 * Goal (issue 15): warm < 5 s, cold < 15 s.
 *
 *   npx tsx bench/startup.bench.ts      (BENCH_DATABASE_URL=postgres://… adds PostgreSQL; WARM_RUNS, default 3)
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { installationCacheDir } from '../server/store/cache-dir.js';
import { listMigrations } from '../server/store/migrate.js';
import { fromTemplate } from '../server/store/pglite-template.js';

const WARM_RUNS = Number(process.env.WARM_RUNS ?? 3);

interface Startup {
  modulesMs: number;
  template: 'none' | 'copied' | 'built';
  templateMs: number;
  storeOpenMs: number;
  migrateMs: number;
  migrationsApplied: number;
  seedMs: number;
  seeded: boolean;
  demoMs: number;
  demoCached: boolean;
  appMs: number;
  listeningMs: number;
}

interface Run {
  store: string;
  start: 'cold, no install step' | 'cold, first' | 'cold' | 'cold, after an upgrade' | 'warm';
  /** Spawn to the first 200 from /api/layers. */
  answeredMs: number;
  /** CPU time (user + system, every thread, and its ended child processes) the server used until then. */
  cpuMs: number;
  startup: Startup;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function start(store: string, kind: Run['start'], env: Record<string, string>): Promise<Run> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let startup: Startup | undefined;
  let buffered = '';
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { startup?: Startup };
      if (entry.startup) startup = entry.startup;
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${store} ${kind}: the server exited (${child.exitCode})`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/api/layers`);
        if (r.ok) {
          await r.arrayBuffer();
          break;
        }
      } catch {
        /* not listening yet */
      }
      if (performance.now() - t0 > 600_000) throw new Error(`${store} ${kind}: no answer within 600 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const answeredMs = performance.now() - t0;
    // /proc/<pid>/stat fields 14–17: utime, stime and those of its ended children (the demo
    // generator a first start runs beside the store), in clock ticks (100 a second on Linux).
    const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const cpuMs = (Number(stat[11]) + Number(stat[12]) + Number(stat[13]) + Number(stat[14])) * 10;
    if (!startup) throw new Error(`${store} ${kind}: no startup line in the log`);
    return { store, start: kind, answeredMs, cpuMs, startup };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const runs: Run[] = [];
  console.log(`load average at the start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} CPUs)`);
  const cache = installationCacheDir();
  const emptyCache = () => {
    console.log(`emptying ${cache} (template, demo dataset, lean PostGIS bundle)`);
    fs.rmSync(cache, { recursive: true, force: true });
  };
  const [bare, first, dataDir, upgraded, scratch] = [0, 1, 2, 3, 4].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-startup-bench-')));
  let installMs = 0;
  try {
    const env = (dir: string) => ({ DATA_DIR: dir, DATABASE_URL: '', SEED_DEMO: 'auto' });
    emptyCache();
    runs.push(await start('PGlite', 'cold, no install step', env(bare)));
    emptyCache();
    const t = performance.now();
    execFileSync(process.execPath, ['--import', 'tsx', 'server/cli/prepare.ts'], { env: { ...process.env, DATABASE_URL: '' }, stdio: 'inherit' });
    installMs = performance.now() - t;
    runs.push(await start('PGlite', 'cold, first', env(first)));
    runs.push(await start('PGlite', 'cold', env(dataDir)));
    for (let i = 0; i < WARM_RUNS; i++) runs.push(await start('PGlite', 'warm', env(dataDir)));
    // The installation as it was before the last migration (making it drops the current template).
    await fromTemplate(scratch, listMigrations().slice(0, -1));
    runs.push(await start('PGlite', 'cold, after an upgrade', env(upgraded)));
  } finally {
    for (const dir of [bare, first, dataDir, upgraded, scratch]) fs.rmSync(dir, { recursive: true, force: true });
  }

  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    const name = `onemap_startup_bench_${process.pid}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(sql).finally(() => c.end());
    };
    await admin(`DROP DATABASE IF EXISTS ${name}`);
    await admin(`CREATE DATABASE ${name}`);
    try {
      const u = new URL(url);
      u.pathname = `/${name}`;
      const env = { DATABASE_URL: u.toString(), SEED_DEMO: 'always' };
      runs.push(await start('PostgreSQL', 'cold', env));
      for (let i = 0; i < WARM_RUNS; i++) runs.push(await start('PostgreSQL', 'warm', env));
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name}`);
    }
  } else {
    console.log('BENCH_DATABASE_URL is not set: PostgreSQL skipped.');
  }

  const s = (ms: number) => (ms / 1000).toFixed(1);
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} CPUs)`);
  console.log('| store | start | /api/layers answers s | CPU s until then | modules s | template s | store open s | migrations s (applied) | seed check + seeding s (demo dataset s) | app s | listening s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const u = r.startup;
    console.log(
      `| ${r.store} | ${r.start} | ${s(r.answeredMs)} | ${s(r.cpuMs)} | ${s(u.modulesMs)} | ${u.template === 'none' ? '–' : `${s(u.templateMs)} (${u.template})`} | ${s(u.storeOpenMs)} | ${s(u.migrateMs)} (${u.migrationsApplied}) | ${s(u.seedMs)}${u.seeded ? ` (seeded; demo ${s(u.demoMs)} ${u.demoCached ? 'cached' : 'generated'})` : ''} | ${s(u.appMs)} | ${s(u.listeningMs)} |`,
    );
  }
  console.log(`npm install's step (server/cli/prepare.ts: template and demo dataset, cache empty): ${s(installMs)} s`);
  const said = { 'cold, no install step': 'first cold start without the install step (cache empty)', 'cold, first': 'first cold start after npm install', 'cold, after an upgrade': 'first cold start after an upgrade' };
  for (const r of runs) {
    if (r.start in said) console.log(`${r.store}: ${said[r.start as keyof typeof said]} ${s(r.answeredMs)} s (goal < 15: ${r.answeredMs < 15_000 ? 'met' : 'NOT met'}; CPU ${s(r.cpuMs)} s)`);
  }
  for (const store of new Set(runs.map((r) => r.store))) {
    const cold = runs.find((r) => r.store === store && r.start === 'cold')!;
    const warm = runs.filter((r) => r.store === store && r.start === 'warm').map((r) => r.answeredMs).sort((a, b) => a - b);
    const median = warm[Math.floor(warm.length / 2)];
    const cpu = runs.filter((r) => r.store === store && r.start === 'warm').map((r) => r.cpuMs).sort((a, b) => a - b);
    console.log(
      `${store}: cold ${s(cold.answeredMs)} s (goal < 15: ${cold.answeredMs < 15_000 ? 'met' : 'NOT met'}; CPU ${s(cold.cpuMs)} s); warm median ${s(median)} s (goal < 5: ${median < 5_000 ? 'met' : 'NOT met'}; CPU ${s(cpu[Math.floor(cpu.length / 2)])} s)`,
    );
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
