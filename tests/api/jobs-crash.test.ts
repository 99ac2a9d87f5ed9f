/**
 * An import job on the real server process (`node --import tsx server/main.ts`, embedded PGlite),
 * killed with SIGKILL while it runs: after a restart its progress says failed (`interrupted`), not
 * 'running' forever, and nothing of it was written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { writeBigCsv } from '../fixtures/import/big-csv.js';

const TOKEN = 'jobs-crash-admin-token';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-jobs-crash-'));
const dataDir = path.join(tmp, 'data');
const csvPath = path.join(tmp, 'shelters-20k.csv');

interface Server {
  url: string;
  child: ChildProcess;
}

function start(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', RATE_LIMIT_PUBLIC: '0' },
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

const shelterCount = async (s: Server): Promise<number> => (await call(s, '/api/layers')).layers.find((l: { id: string }) => l.id === 'shelters').count;

async function call(s: Server, p: string): Promise<any> {
  const res = await fetch(s.url + p, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.json();
}

describe('an import job whose server is killed', { timeout: 600_000 }, () => {
  let server: Server | undefined;

  beforeAll(() => {
    fs.cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    writeBigCsv(csvPath, 20_000);
  });

  afterAll(async () => {
    if (server) await kill(server, 'SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is marked failed (interrupted) after the restart, with nothing written', async () => {
    server = await start();
    const before = await shelterCount(server);
    expect(before).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/layers/shelters/import?filename=crash.csv&dryRun=false&mode=upsert&importId=crash-1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv' },
      body: new Uint8Array(fs.readFileSync(csvPath)),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ importId: 'crash-1', status: 'running', poll: '/api/imports/crash-1' });
    await expect.poll(async () => (await call(server!, '/api/imports/crash-1')).rowsRead, { timeout: 120_000, interval: 100 }).toBeGreaterThan(0);
    expect((await call(server, '/api/imports/crash-1')).phase).not.toBe('done');
    await kill(server, 'SIGKILL');

    server = await start();
    const after = await call(server, '/api/imports/crash-1');
    expect(after).toMatchObject({ importId: 'crash-1', phase: 'failed', failure: { status: 500, error: { code: 'interrupted' } } });
    expect(await shelterCount(server)).toBe(before);
  });
});
