/**
 * The public side under a crowd: 200 concurrent clients for 20 s (autocannon, loopback only) on
 * the shelter finder's page, its manifest and 江北's pack, against the real server (server/main.ts
 * on the embedded store, its own process), each URL answered with brotli as a phone asks for it.
 * The reference is a plain node:http static file server (also its own process) sending the same
 * brotli bytes read from disk per request: the ratio says what the Express app costs over a bare
 * static server. Prints requests/s, p50, p99 and errors per URL. Goal: p99 < 200 ms, 0 errors.
 *
 * Then the API under the same crowd, on the embedded store and on PostgreSQL (BENCH_DATABASE_URL):
 * anonymous bbox features, a vector tile and a 15-minute drive isochrone — every client from the
 * same origin (kept answers: one run serves the crowd), then each request from a new random place
 * in the box (none kept: each one a run in the worker pool) — each for API_SECONDS
 * (default 10), first with nothing else running, then while a commander imports a BENCH_ROWS
 * (default 100 000) row shelters CSV (tests/fixtures/import/big-csv.ts, mode=replace into 江北, over
 * and over until the measurement ends; the public requests are for another county, so their
 * answers do not change under the import), then while a planner runs a p = 200 p-median siting of
 * 合川 with its 30 s time limit (again and again). The per-client rate limits are switched off
 * (RATE_LIMIT_PUBLIC=0, RATE_LIMIT_ANALYSIS=0): 200 clients on one loopback address would
 * otherwise measure the limiter. Goal (issue 15): p99 < 500 ms during the import and the siting.
 *
 *   npx tsx bench/public-load.bench.ts          (CLIENT_DIR = a built client, DATA_DIR = a seeded store: reused if set;
 *                                                PUBLIC_LOAD=api for the API part only, =static for the static part only;
 *                                                LOAD_STORES=pglite or =postgres for one store's API part)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import pg from 'pg';
import { build } from 'vite';
import type { PublicManifest } from '../core/public/pack.js';
import { writeBigCsv } from '../tests/fixtures/import/big-csv.js';

const CONNECTIONS = 200;
const SECONDS = 20;
const HEADERS = { 'accept-encoding': 'br, gzip' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(url: string, child: ChildProcess, seconds = 300): Promise<void> {
  for (let i = 0; i < seconds * 4; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/** A bare static server: each request reads its file from disk and sends it as stored (brotli). */
const REFERENCE = `
const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path');
const [root, port] = process.argv.slice(1);
const types = { '.html': 'text/html; charset=utf-8', '.json': 'application/json; charset=utf-8', '.pack': 'application/octet-stream' };
http.createServer((req, res) => {
  const rel = decodeURIComponent(req.url.split('?')[0]).replace(/\\/$/, '/index.html');
  if (rel.includes('..')) { res.writeHead(400); return res.end(); }
  fs.readFile(path.join(root, rel + '.br'), (err, body) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': types[path.extname(rel)] || 'application/octet-stream', 'content-encoding': 'br', 'content-length': body.length });
    res.end(body);
  });
}).listen(Number(port), '127.0.0.1');
`;

interface Row {
  url: string;
  server: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** errors / timeouts / non-2xx */
  kinds: string;
  bytes: number;
}

async function load(base: string, url: string, server: string): Promise<Row> {
  const r = await autocannon({ url: base + url, connections: CONNECTIONS, duration: SECONDS, headers: HEADERS, timeout: 10 });
  return {
    url,
    server,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    kinds: `${r.errors}/${r.timeouts}/${r.non2xx}`,
    bytes: r.requests.total ? r.throughput.total / r.requests.total : 0,
  };
}

async function staticLoad(clientDir: string, dataDir: string): Promise<void> {
  const port = await freePort();
  const children: ChildProcess[] = [];
  try {
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: clientDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(server);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/shelters/data/manifest.json`, server);
    const manifest = (await (await fetch(`${base}/shelters/data/manifest.json`)).json()) as PublicManifest;
    const pack = `/shelters/data/${manifest.areas.find((a) => a.code === '500105')!.url}`;
    const urls = ['/shelters/', '/shelters/data/manifest.json', pack];
    // Every client file once, so the measurement starts after the server compressed them all (start-up warm()).
    for (const f of fs.readdirSync(clientDir, { recursive: true }) as string[]) {
      if (fs.statSync(path.join(clientDir, f)).isFile()) await fetch(`${base}/${f.split(path.sep).join('/')}`, { headers: HEADERS }).then((r) => r.arrayBuffer());
    }

    // The reference serves the very bytes the server sends, written to disk as .br files.
    const refDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-load-ref-'));
    for (const u of urls) {
      const body = Buffer.from(await (await fetch(base + u, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
      const file = path.join(refDir, u.replace(/\/$/, '/index.html'));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
    const refPort = await freePort();
    const reference = spawn(process.execPath, ['-e', REFERENCE, refDir, String(refPort)], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(reference);
    const refBase = `http://127.0.0.1:${refPort}`;
    await waitFor(refBase + urls[0], reference);

    const rows: Row[] = [];
    for (const u of urls) {
      rows.push(await load(base, u, 'onemap (Express)'));
      rows.push(await load(refBase, u, 'node:http static'));
    }
    console.log(`${CONNECTIONS} connections × ${SECONDS} s per URL, loopback, Accept-Encoding: br; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('| URL | server | requests/s | p50 ms | p99 ms | errors (socket/timeout/non-2xx) | bytes/response |');
    console.log('|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const label = r.url.startsWith('/shelters/data/packs/') ? '/shelters/data/packs/500105-….pack' : r.url;
      console.log(`| ${label} | ${r.server} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} (${r.kinds}) | ${r.bytes.toFixed(0)} |`);
    }
    for (let i = 0; i < rows.length; i += 2) {
      console.log(`${rows[i].url}: Express ÷ reference requests/s = ${(rows[i].rps / rows[i + 1].rps).toFixed(2)}; p99 < 200 ms: ${rows[i].p99 < 200 ? 'met' : 'NOT met'}; errors: ${rows[i].errors}`);
    }
  } finally {
    for (const c of children) c.kill('SIGTERM');
  }
}

const API_SECONDS = Number(process.env.API_SECONDS ?? 10);
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const ADMIN = 'bench-admin-token-0123456789abcdef';

/** What runs beside the crowd: nothing, a commander's import, a planner's p = 200 siting. */
type Beside = 'nothing' | 'import' | 'siting';

interface ApiRow {
  store: string;
  endpoint: string;
  beside: Beside;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  kinds: string;
}

/**
 * Runs `once` again and again until stop(), which abandons a run still going (an import's
 * transaction then rolls back with the server). Each run says how it ended.
 */
function repeat(once: (signal: AbortSignal) => Promise<string>): { stop(): Promise<{ ended: string[]; running: boolean }> } {
  const abort = new AbortController();
  const ended: string[] = [];
  let running = false;
  const loop = (async () => {
    while (!abort.signal.aborted) {
      running = true;
      try {
        ended.push(await once(abort.signal));
        running = false;
      } catch (err) {
        if (!abort.signal.aborted) throw err;
      }
    }
  })();
  return {
    async stop() {
      abort.abort();
      await loop;
      return { ended, running };
    },
  };
}

/** One import of `csv` (mode=replace into 江北), the commander's beside the crowd: its seconds, or why it failed. */
async function importOnce(base: string, csv: string, signal: AbortSignal): Promise<string> {
  const t = performance.now();
  const form = new FormData();
  form.append('file', await fs.openAsBlob(csv), 'shelters-100k.csv');
  const res = await fetch(`${base}/api/layers/shelters/import?mode=replace&dryRun=false&county=500105`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}` },
    body: form,
    signal,
  });
  let body = await res.text();
  let ok = res.status === 200;
  // A file this large is imported as a job (202): wait for it, as the commander's screen does.
  if (res.status === 202) {
    const poll = (JSON.parse(body) as { poll: string }).poll;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const p = await fetch(base + poll, { headers: { authorization: `Bearer ${ADMIN}` }, signal });
      body = await p.text();
      const phase = (JSON.parse(body) as { phase?: string }).phase;
      if (phase === 'done' || phase === 'failed') {
        ok = phase === 'done';
        break;
      }
    }
  }
  return ok ? `${((performance.now() - t) / 1000).toFixed(0)} s` : `failed: ${res.status} ${body.slice(0, 200)}`;
}

/** The planner's heaviest request: p-median, p = 200 new fire stations in 合川, its 30 s time limit. */
const SITING = { model: 'pmedian', facilityLayer: 'fire_stations', county: '500117', p: 200, timeLimitSeconds: 30 };

/** One SITING, the planner's beside the crowd: how it was answered and when. */
async function sitingOnce(base: string, signal: AbortSignal): Promise<string> {
  const t = performance.now();
  const res = await fetch(`${base}/api/analysis/siting`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(SITING),
    signal,
  });
  const body = (await res.json()) as { status?: string; code?: string };
  return `${res.status} ${body.status ?? body.code ?? ''} in ${((performance.now() - t) / 1000).toFixed(0)} s`;
}

async function apiStore(store: string, env: Record<string, string>, clientDir: string, csv: string): Promise<{ rows: ApiRow[]; imports: string }> {
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', CLIENT_DIR: clientDir, LOG_LEVEL: 'warn', RATE_LIMIT_PUBLIC: '0', RATE_LIMIT_ANALYSIS: '0', ADMIN_TOKEN: ADMIN, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/api/layers`, server);
    // A county other than 江北 (where the import writes): a box in its middle and a shelter tile at its centre.
    const areas = (await (await fetch(`${base}/api/areas`)).json()) as { code: string; bbox: number[]; center: number[] }[];
    const area = areas.find((a) => a.code !== '500105')!;
    const [w, s, e, n] = area.bbox;
    const inner = [w + (e - w) * 0.4, s + (n - s) * 0.4, w + (e - w) * 0.6, s + (n - s) * 0.6].map((v) => Number(v.toFixed(4)));
    const box = inner.join(',');
    const isochrone = (at: number[]) => JSON.stringify({ origins: [at], minutes: [15], mode: 'drive' });
    const z = 12;
    const tx = Math.floor(((area.center[0] + 180) / 360) * 2 ** z);
    const lat = (area.center[1] * Math.PI) / 180;
    const ty = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * 2 ** z);
    // The isochrone starts at the first shelter in the box (the county's centre if it has none).
    const inBox = (await (await fetch(`${base}/api/layers/shelters/features?bbox=${box}&limit=1`)).json()) as { features?: { geometry: { coordinates: number[] } }[] };
    const origin = inBox.features?.[0]?.geometry.coordinates ?? area.center;
    const endpoints: { endpoint: string; opts: Partial<autocannon.Options> & { url: string } }[] = [
      { endpoint: `features bbox (${area.code})`, opts: { url: `${base}/api/layers/shelters/features?bbox=${box}` } },
      { endpoint: `tile shelters/${z}/${tx}/${ty}`, opts: { url: `${base}/api/tiles/shelters/${z}/${tx}/${ty}.mvt` } },
      {
        endpoint: 'isochrone 15 min drive, one origin',
        opts: { url: `${base}/api/analysis/isochrone`, method: 'POST', body: isochrone(origin), headers: { ...HEADERS, 'content-type': 'application/json' } },
      },
      {
        // Each request from its own place in the box: no two alike, so none is answered from the cache.
        endpoint: 'isochrone 15 min drive, every origin new',
        opts: {
          url: `${base}/api/analysis/isochrone`,
          method: 'POST',
          headers: { ...HEADERS, 'content-type': 'application/json' },
          // The check before the load sends this one; under the load each request gets its own.
          body: isochrone(origin),
          requests: [
            {
              setupRequest: (req) => {
                const [w, s, e, n] = inner;
                const at = [w + Math.random() * (e - w), s + Math.random() * (n - s)].map((v) => Number(v.toFixed(6)));
                return { ...req, body: isochrone(at) };
              },
            },
          ],
        },
      },
    ];
    for (const ep of endpoints) {
      const r = await fetch(ep.opts.url, { method: ep.opts.method ?? 'GET', body: ep.opts.body as string | undefined, headers: ep.opts.headers as Record<string, string> | undefined });
      await r.arrayBuffer();
      if (!r.ok) throw new Error(`${store} ${ep.endpoint}: ${r.status} before the load`);
    }
    const rows: ApiRow[] = [];
    const run = async (beside: Beside) => {
      for (const ep of endpoints) {
        const r = await autocannon({ headers: HEADERS, ...ep.opts, connections: CONNECTIONS, duration: API_SECONDS, timeout: 10 });
        rows.push({ store, endpoint: ep.endpoint, beside, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx, kinds: `${r.errors}/${r.timeouts}/${r.non2xx}` });
      }
    };
    await run('nothing');
    const imports = repeat((signal) => importOnce(base, csv, signal));
    // Let the upload land and the import start reading before the crowd comes.
    await new Promise((r) => setTimeout(r, 3000));
    await run('import');
    const done = await imports.stop();
    const sitings = repeat((signal) => sitingOnce(base, signal));
    // The siting's travel-time table is built first: the crowd comes while it solves.
    await new Promise((r) => setTimeout(r, 3000));
    await run('siting');
    const solved = await sitings.stop();
    const summary =
      `${store}: imports of ${ROWS} rows during the load: ${done.ended.join(', ') || 'none finished'}${done.running ? ', one still running at the end' : ''}\n` +
      `${store}: p = 200 sitings during the load: ${solved.ended.join(', ') || 'none answered'}${solved.running ? ', one still running at the end' : ''}`;
    return { rows, imports: summary };
  } finally {
    // Its connections must be gone before the benchmark's database is dropped.
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
  }
}

function printApi(results: ApiRow[], notes: string[]): void {
  console.log(`\nAPI: ${CONNECTIONS} anonymous connections × ${API_SECONDS} s per endpoint, loopback; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const said: Record<Beside, string> = { nothing: '–', import: `a ${ROWS}-row import`, siting: 'a p = 200 siting' };
  console.log('| store | endpoint | running beside | requests/s | p50 ms | p99 ms | errors (socket/timeout/non-2xx) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.store} | ${r.endpoint} | ${said[r.beside]} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} (${r.kinds}) |`);
  for (const n of notes) console.log(n);
  for (const r of results.filter((x) => x.beside !== 'nothing')) {
    // No answer at all (every request timed out) is no p99 at all: not met.
    const met = r.rps > 0 && r.p99 < 500 && r.kinds.split('/')[1] === '0';
    console.log(`${r.store} ${r.endpoint} during ${said[r.beside]}: p99 < 500 ms ${met ? 'met' : 'NOT met'}; errors ${r.errors}`);
  }
}

async function apiLoad(clientDir: string, dataDir: string): Promise<void> {
  const csv = path.join(os.tmpdir(), `onemap-load-${ROWS}.csv`);
  if (!fs.existsSync(csv)) writeBigCsv(csv, ROWS);
  const results: ApiRow[] = [];
  const notes: string[] = [];
  const stores = (process.env.LOAD_STORES ?? 'pglite,postgres').split(',');
  if (stores.includes('pglite')) {
    const pglite = await apiStore('PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' }, clientDir, csv);
    results.push(...pglite.rows);
    notes.push(pglite.imports);
    // Each store's figures as soon as they are measured.
    printApi(pglite.rows, [pglite.imports]);
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (url && stores.includes('postgres')) {
    const name = `onemap_load_bench_${process.pid}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(sql).finally(() => c.end());
    };
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name}`);
    try {
      const u = new URL(url);
      u.pathname = `/${name}`;
      const postgres = await apiStore('PostgreSQL', { DATABASE_URL: u.toString(), SEED_DEMO: 'always' }, clientDir, csv);
      results.push(...postgres.rows);
      notes.push(postgres.imports);
    } finally {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  } else if (stores.includes('postgres')) {
    notes.push('BENCH_DATABASE_URL is not set: PostgreSQL skipped.');
  }
  printApi(results, notes);
}

async function main(): Promise<void> {
  const clientDir = process.env.CLIENT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-load-client-'));
  if (!process.env.CLIENT_DIR) await build({ configFile: 'vite.config.ts', mode: 'production', build: { outDir: clientDir, emptyOutDir: true }, logLevel: 'warn' });
  const dataDir = process.env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-load-data-'));
  const part = process.env.PUBLIC_LOAD;
  if (part !== 'api') await staticLoad(clientDir, dataDir);
  if (part !== 'static') await apiLoad(clientDir, dataDir);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
