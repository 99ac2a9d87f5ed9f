import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LAYERS, fieldsFor, findLayer } from '../../core/catalogue/index.js';
import { TOKENS, useTestApi } from '../setup/server.js';

const run = promisify(execFile);
const OGRINFO = '/usr/bin/ogrinfo';
const hasGdal = fs.existsSync(OGRINFO);
if (!hasGdal) console.warn('GDAL is not installed (apt-get install gdal-bin): the OGC API check with GDAL’s OAPIF driver is skipped.');

describe('OGC API – Features', () => {
  const ctx = useTestApi();

  it('has a landing page, conformance and the collections the caller may see', async () => {
    const landing = await ctx.api.call('/api/ogc');
    expect(landing.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'conformance', 'data', 'http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes']);
    const conf = await ctx.api.call('/api/ogc/conformance');
    expect(conf.body.conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core');
    const anon = await ctx.api.call('/api/ogc/collections');
    expect(anon.body.collections.map((c: { id: string }) => c.id)).toEqual(['admin_units', 'hazard_zones', 'roads', 'experts', 'shelters']);
    const shelters = anon.body.collections.find((c: { id: string }) => c.id === 'shelters');
    const [[x0, y0, x1, y1]] = shelters.extent.spatial.bbox;
    expect(x0).toBeGreaterThan(105);
    expect(x1).toBeLessThan(110.5);
    expect(y0).toBeGreaterThan(29);
    expect(y1).toBeLessThan(33);
    const commander = await ctx.api.call('/api/ogc/collections', { token: TOKENS.COMMANDER_TOKEN });
    expect(commander.body.collections).toHaveLength(LAYERS.length);
    expect((await ctx.api.call('/api/ogc/collections/depots')).status).toBe(401);
  });

  it('pages items with next/prev links that lead through every feature once', async () => {
    const first = await ctx.api.call('/api/ogc/collections/shelters/items?limit=100&county_code=500117');
    expect(first.body.numberMatched).toBe(165);
    const ids = first.body.features.map((f: { id: string }) => f.id);
    let next = first.body.links.find((l: { rel: string }) => l.rel === 'next');
    while (next) {
      const page = await ctx.api.call(new URL(next.href).pathname + new URL(next.href).search);
      ids.push(...page.body.features.map((f: { id: string }) => f.id));
      expect(page.body.links.some((l: { rel: string }) => l.rel === 'prev')).toBe(true);
      next = page.body.links.find((l: { rel: string }) => l.rel === 'next');
    }
    expect(new Set(ids).size).toBe(165);
    const one = await ctx.api.call(`/api/ogc/collections/shelters/items/${ids[0]}`);
    expect(one.body.id).toBe(ids[0]);
    expect(one.body.properties).not.toHaveProperty('phone');
  });

  it('accepts f=json and datetime, and names what it refuses', async () => {
    expect((await ctx.api.call('/api/ogc/collections/shelters/items?f=json&limit=1&datetime=2024-01-01T00:00:00Z')).status).toBe(200);
    const html = await ctx.api.call('/api/ogc/collections/shelters/items?f=html');
    expect(html.status).toBe(400);
    expect(html.body.error.parameter).toBe('f');
    const bad = await ctx.api.call('/api/ogc/collections/shelters/items?bbox=1,2');
    expect(bad.body.error.parameter).toBe('bbox');
  });

  it.skipIf(!hasGdal)('is read by GDAL’s OAPIF driver, with the token unlocking internal collections', async () => {
    const { stdout: anon } = await run(OGRINFO, ['-ro', '-so', `OAPIF:${ctx.api.url}/api/ogc`]);
    expect(anon).toMatch(/shelters/);
    expect(anon).not.toMatch(/depots/);
    const publicFields = fieldsFor(findLayer('shelters')!, 'public').map((f) => f.name);
    const { stdout: info } = await run(OGRINFO, ['-ro', '-al', '-so', `OAPIF:${ctx.api.url}/api/ogc`, 'shelters']);
    expect(info).toMatch(/Feature Count: 355/);
    for (const name of publicFields.filter((n) => n !== 'hazards' && n !== 'facilities')) expect(info).toContain(`${name}:`);
    expect(info).not.toContain('phone:');
    const { stdout: withToken } = await run(OGRINFO, ['-ro', '-so', '--config', 'GDAL_HTTP_HEADERS', `Authorization: Bearer ${TOKENS.COMMANDER_TOKEN}`, `OAPIF:${ctx.api.url}/api/ogc`]);
    expect(withToken).toMatch(/depots/);
  });
});
