/**
 * The built client as the server sends it, on a hand-made client folder: pages revalidated, hashed
 * assets immutable, text compressed once (the same bytes every time) with the encoding the client
 * asks for, /shelters → /shelters/, and the CSP letting the finder's service worker run. Another
 * app of the process on the same folder serves the same compressed bytes; a rebuilt file, its new ones.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { startTestServer, useTestApi } from '../setup/server.js';

const client = fs.mkdtempSync(path.join(os.tmpdir(), 'onemap-static-'));
const JS = `export const text = ${JSON.stringify('应急避难场所 '.repeat(500))};\n`;
for (const [rel, text] of Object.entries({
  'index.html': '<!doctype html><title>一张图</title>' + '<!-- one-map -->'.repeat(50),
  'shelters/index.html': '<!doctype html><title>附近避难场所</title>' + '<!-- finder -->'.repeat(50),
  'shelters/sw.js': 'self.addEventListener("install", () => {});' + '\n'.repeat(300),
  'assets/shelters-Ab12.js': JS,
})) {
  fs.mkdirSync(path.dirname(path.join(client, rel)), { recursive: true });
  fs.writeFileSync(path.join(client, rel), text);
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('the built client, served', () => {
  const ctx = useTestApi('pglite', { CLIENT_DIR: client });

  it('sends hashed assets immutable, compressed once in the encoding asked for', async () => {
    const br = await get(`${ctx.api.url}/assets/shelters-Ab12.js`, { 'accept-encoding': 'gzip;q=0.8, br' });
    expect(br.status).toBe(200);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(JS);
    expect(br.body.length).toBeLessThan(JS.length / 10);
    const again = await get(`${ctx.api.url}/assets/shelters-Ab12.js`, { 'accept-encoding': 'br' });
    expect(again.body.equals(br.body)).toBe(true);
    expect(again.headers.etag).toBe(br.headers.etag);
    const gz = await get(`${ctx.api.url}/assets/shelters-Ab12.js`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(JS);
    expect(gz.headers.etag).not.toBe(br.headers.etag);
    const none = await get(`${ctx.api.url}/assets/shelters-Ab12.js`);
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString()).toBe(JS);
    expect((await get(`${ctx.api.url}/assets/shelters-Ab12.js`, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! })).status).toBe(304);
    expect((await get(`${ctx.api.url}/assets/missing-Zz99.js`)).status).toBe(404);
    expect((await get(`${ctx.api.url}/assets/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('gives another app on the same folder the same compressed file, and a rebuilt file anew', async () => {
    const rel = 'assets/rebuilt-Cd34.js';
    fs.writeFileSync(path.join(client, rel), JS);
    const first = await get(`${ctx.api.url}/${rel}`, { 'accept-encoding': 'br' });
    const other = await startTestServer(ctx.store.db, { CLIENT_DIR: client });
    try {
      const same = await get(`${other.url}/${rel}`, { 'accept-encoding': 'br' });
      expect(same.headers.etag).toBe(first.headers.etag);
      expect(same.body.equals(first.body)).toBe(true);
      const rebuilt = `${JS}export const more = 1;\n`;
      fs.writeFileSync(path.join(client, rel), rebuilt);
      fs.utimesSync(path.join(client, rel), new Date(), new Date(Date.now() + 5000));
      const third = await startTestServer(ctx.store.db, { CLIENT_DIR: client });
      try {
        const fresh = await get(`${third.url}/${rel}`, { 'accept-encoding': 'br' });
        expect(zlib.brotliDecompressSync(fresh.body).toString()).toBe(rebuilt);
        expect(fresh.headers.etag).not.toBe(first.headers.etag);
      } finally {
        await third.close();
      }
    } finally {
      await other.close();
    }
  });

  it('serves the pages revalidated: the one-map at /, the finder at /shelters/, with a CSP that allows its worker', async () => {
    const map = await get(`${ctx.api.url}/`);
    expect(map.headers['cache-control']).toBe('no-cache');
    expect(map.body.toString()).toContain('一张图');
    const redirect = await get(`${ctx.api.url}/shelters?h=flood`);
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/shelters/?h=flood');
    const finder = await get(`${ctx.api.url}/shelters/`, { 'accept-encoding': 'br' });
    expect(finder.headers['cache-control']).toBe('no-cache');
    expect(finder.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(zlib.brotliDecompressSync(finder.body).toString()).toContain('附近避难场所');
    expect(finder.headers['content-security-policy']).toMatch(/worker-src 'self'/);
    const sw = await get(`${ctx.api.url}/shelters/sw.js`);
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // A client route of the finder gets its page; of the one-map, the one-map's.
    expect((await get(`${ctx.api.url}/shelters/somewhere`)).body.toString()).toContain('附近避难场所');
    expect((await get(`${ctx.api.url}/some/view`)).body.toString()).toContain('一张图');
  });

  it('compresses the API’s JSON per request', async () => {
    const res = await get(`${ctx.api.url}/api/layers`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(res.body).toString()).role).toBe('public');
  });
});
