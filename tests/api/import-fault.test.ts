/**
 * A large import against the real server process (`node --import tsx server/main.ts`): killed with
 * SIGKILL while it writes, the layer must come back exactly as before on restart (PGlite recovers
 * from its WAL; the import's transaction never committed); left alone, the same 100 000-row, ~50 MB
 * CSV imports in full. The CSV is generated into os.tmpdir() at test time. Prints rows/s and the
 * server's peak RSS (VmHWM) for the report; nothing is timed as an assertion.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeBigCsv } from '../fixtures/import/big-csv.js';

const ROWS = 100_000;
const TOKEN = 'fault-test-admin-token';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-fault-'));
const dataDir = path.join(tmp, 'data');
const csvPath = path.join(tmp, 'shelters-100k.csv');

interface Server {
  url: string;
  child: ChildProcess;
}

function start(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', IMPORT_LIMIT_MB: '200', IMPORT_ASYNC_MB: '500' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ url: m[1], child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
}

function kill(s: Server, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill(signal);
  });
}

async function call(s: Server, p: string): Promise<any> {
  const res = await fetch(s.url + p, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.json();
}

/** Count and a checksum over every shelter's id, version, properties and geometry. */
async function fingerprint(s: Server): Promise<{ n: number; sum: string }> {
  const hash = crypto.createHash('sha256');
  let n = 0;
  for (let offset = 0; ; offset += 5000) {
    const page = await call(s, `/api/layers/shelters/features?limit=5000&offset=${offset}`);
    for (const f of page.features) hash.update(JSON.stringify([f.id, f.version ?? null, f.properties, f.geometry]));
    n += page.features.length;
    if (page.features.length < 5000) break;
  }
  return { n, sum: hash.digest('hex') };
}

/**
 * Uploads the CSV as multipart/form-data with node:http, streamed from disk: fetch (undici) gives up
 * after 300 s without response headers, and a loaded machine can take longer than that.
 */
function startImport(s: Server, importId: string): Promise<{ status: number; body: any }> {
  const boundary = `onemap-${crypto.randomUUID()}`;
  const field = (name: string, value: string): string => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    field('mode', 'replace') + field('dryRun', 'false') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="shelters-100k.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(`${s.url}/api/layers/shelters/import?importId=${importId}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + fs.statSync(csvPath).size + tail.length,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      res.on('error', reject);
    });
    req.write(head);
    fs.createReadStream(csvPath)
      .on('end', () => req.end(tail))
      .pipe(req, { end: false });
  });
}

const peakRssMb = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

describe('a 100 000-row import against the real server', { timeout: 900_000 }, () => {
  let server: Server | undefined;

  beforeAll(() => {
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    writeBigCsv(csvPath, ROWS);
  });

  afterAll(async () => {
    if (server) await kill(server, 'SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('killed with SIGKILL while writing, leaves the layer exactly as it was after a restart', async () => {
    expect(fs.statSync(csvPath).size).toBeGreaterThan(45 * 1024 * 1024);
    server = await start();
    const before = await fingerprint(server);
    expect(before.n).toBeGreaterThan(200);
    const pending = startImport(server, 'fault-1').catch((err: Error) => err);
    let progress: any;
    for (;;) {
      progress = await call(server, '/api/imports/fault-1').catch(() => undefined);
      if (progress?.phase === 'writing' && progress.rowsWritten > 0) break;
      expect(progress?.phase ?? 'receiving').not.toMatch(/done|failed/);
      await new Promise((r) => setTimeout(r, 100));
    }
    await kill(server, 'SIGKILL');
    expect(await pending).toBeInstanceOf(Error);
    console.log(`killed at ${JSON.stringify(progress)}`);
    server = await start();
    expect(await fingerprint(server)).toEqual(before);
  });

  it('left alone, imports all 100 000 rows in one go', async () => {
    server ??= await start();
    const idle = peakRssMb(server.child.pid!);
    const prior = await fingerprint(server);
    const t0 = Date.now();
    const { status, body } = await startImport(server, 'full-1');
    const seconds = (Date.now() - t0) / 1000;
    expect(status, JSON.stringify(body).slice(0, 500)).toBe(200);
    expect(body).toMatchObject({ rowsRead: ROWS, importable: ROWS, inserted: ROWS, rejectedCount: 0, duplicateCount: 0, dryRun: false });
    expect(body.unmappedColumns).toEqual(['id', '经度', '纬度', '备注']); // id and coordinates feed the geometry, not fields
    expect(body.preview.features).toHaveLength(20);
    const after = await fingerprint(server);
    // mode=replace replaces the counties the file covers; the other counties' shelters stay.
    expect(after.n).toBe(prior.n - body.deleted + ROWS);
    expect(await call(server, '/api/imports/full-1')).toMatchObject({ phase: 'done', rowsRead: ROWS, rowsWritten: ROWS });
    const mb = fs.statSync(csvPath).size / 1024 / 1024;
    console.log(`imported ${ROWS} rows (${mb.toFixed(1)} MB) in ${seconds.toFixed(1)} s: ${Math.round(ROWS / seconds)} rows/s; server peak RSS ${peakRssMb(server.child.pid!).toFixed(0)} MB (${idle.toFixed(0)} MB before the import)`);
  });
});
