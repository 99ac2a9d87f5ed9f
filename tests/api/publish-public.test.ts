/**
 * `npm run publish-public -- <dir>` run as a user runs it, on a copy of the seeded store and a
 * small hand-made client build: the files a static server needs, with .br/.gz siblings, and packs
 * byte-identical to the ones the API serves (both are a function of the data alone).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { inject } from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePack, type PublicManifest } from '../../core/public/pack.js';
import { useTestApi } from '../setup/server.js';

const run = promisify(execFile);
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `onemap-publish-${name}-`));

/** A client build in miniature: the finder's page, worker and assets, and a one-map asset it must not copy. */
function fakeClient(): string {
  const dir = tmp('client');
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const js = (n: number) => `export const filler = ${JSON.stringify('避难场所 shelter '.repeat(n))};\n`;
  put('index.html', '<!doctype html><script type="module" src="/assets/main-Aa1.js"></script>');
  put('assets/main-Aa1.js', js(200) + 'import("./deck-Bb2.js");');
  put('assets/deck-Bb2.js', js(200));
  put('shelters/index.html', '<!doctype html><link rel="stylesheet" href="/assets/shelters-Cc3.css"><script type="module" src="/assets/shelters-Dd4.js"></script>' + '<p>附近避难场所</p>'.repeat(30));
  put('shelters/sw.js', `const PRECACHE = ["assets/shelters-Dd4.js","assets/shelters-Cc3.css","assets/maplibre-Ee5.js"];\n` + js(50));
  put('assets/shelters-Dd4.js', js(100) + 'import("./maplibre-Ee5.js"); import("./qr-Ff6.js");');
  put('assets/shelters-Cc3.css', 'body { margin: 0 }\n'.repeat(100));
  put('assets/maplibre-Ee5.js', js(300));
  put('assets/qr-Ff6.js', js(20));
  return dir;
}

describe('publish-public', () => {
  const ctx = useTestApi();
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('writes the finder and its data as static files, the packs identical to the API’s', async () => {
    const client = fakeClient();
    const store = tmp('store');
    const out = tmp('out');
    dirs.push(client, store, out);
    fs.cpSync(inject('pgliteTemplate'), store, { recursive: true });
    const { stdout } = await run('npx', ['tsx', 'server/cli/publish-public.ts', out], {
      env: { ...process.env, DATA_DIR: store, CLIENT_DIR: client, DATABASE_URL: '' },
      timeout: 280_000,
    });
    expect(stdout).toMatch(/files .* in /);

    const files = (fs.readdirSync(out, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(out, f)).isFile()).sort();
    const plain = files.filter((f) => !/\.(br|gz)$/.test(f));
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'shelters/data/manifest.json'), 'utf8')) as PublicManifest;
    expect(plain).toEqual(
      [
        'assets/maplibre-Ee5.js',
        'assets/qr-Ff6.js',
        'assets/shelters-Cc3.css',
        'assets/shelters-Dd4.js',
        'shelters/data/manifest.json',
        ...manifest.areas.map((a) => `shelters/data/${a.url}`),
        'shelters/index.html',
        'shelters/sw.js',
      ].sort(),
    );
    // Every text file (all are over 256 bytes) has both siblings, each decompressing to the same bytes.
    for (const f of plain) {
      const bytes = fs.readFileSync(path.join(out, f));
      expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(out, `${f}.br`))).equals(bytes), f).toBe(true);
      expect(zlib.gunzipSync(fs.readFileSync(path.join(out, `${f}.gz`))).equals(bytes), f).toBe(true);
    }

    const served = (await ctx.api.call('/shelters/data/manifest.json')).body as PublicManifest;
    expect(manifest).toEqual(served);
    expect(manifest.areas).toHaveLength(5);
    for (const area of manifest.areas) {
      const file = fs.readFileSync(path.join(out, 'shelters/data', area.url));
      const res = await fetch(`${ctx.api.url}/shelters/data/${area.url}`, { headers: { 'accept-encoding': 'identity' } });
      const api = Buffer.from(await res.arrayBuffer());
      expect(file.equals(api), area.code).toBe(true);
      const pack = decodePack(file);
      expect(pack.county).toBe(area.code);
      const text = file.toString('utf8');
      for (const word of ['manager', 'phone', 'source', 'monitor', 'contact', 'demo:', '.txt']) expect(text.includes(word), `${area.code}: ${word}`).toBe(false);
    }
  }, 300_000);

  it('says what is wrong and exits 2 without an output folder', async () => {
    const noArg = await run('npx', ['tsx', 'server/cli/publish-public.ts'], { timeout: 120_000 }).catch((e) => e);
    expect(noArg.code).toBe(2);
    expect(noArg.stderr).toMatch(/usage: npm run publish-public -- <output folder>/);
  }, 120_000);
});
