/**
 * The public side under a crowd: 200 concurrent clients for 20 s (autocannon, loopback only) on
 * the shelter finder's page, its manifest and 江北's pack, against the real server (server/main.ts
 * on the embedded store, its own process), each URL answered with brotli as a phone asks for it.
 * The reference is a plain node:http static file server (also its own process) sending the same
 * brotli bytes read from disk per request: the ratio says what the Express app costs over a bare
 * static server. Prints requests/s, p50, p99 and errors per URL. Goal: p99 < 200 ms, 0 errors.
 *
 *   npx tsx bench/public-load.bench.ts          (CLIENT_DIR = a built client, DATA_DIR = a seeded store: reused if set)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { build } from 'vite';
import type { PublicManifest } from '../core/public/pack.js';

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

async function main(): Promise<void> {
  const clientDir = process.env.CLIENT_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-load-client-'));
  if (!process.env.CLIENT_DIR) await build({ configFile: 'vite.config.ts', mode: 'production', build: { outDir: clientDir, emptyOutDir: true }, logLevel: 'warn' });
  const dataDir = process.env.DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-load-data-'));
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
