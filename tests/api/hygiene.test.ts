/**
 * The attack corpus of bad input: each gets a clear 4xx in the API's error shape, the server stays
 * up, and the store is unchanged. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../server/store/index.js';
import { STORE_KINDS } from '../setup/store.js';
import { startTestServer, TOKENS, useTestApi } from '../setup/server.js';

async function checksum(db: Db): Promise<string> {
  const [r] = await db.query<{ n: number; v: number }>('SELECT count(*)::int AS n, coalesce(sum(version), 0)::int AS v FROM features');
  return `${r.n}/${r.v}`;
}

const SHELTER = { type: 'Feature', geometry: { type: 'Point', coordinates: [106.55, 29.6] }, properties: { name: '测试避难场所', class: 'emergency' } };

describe.each(STORE_KINDS)('bad input on %s', (kind) => {
  const ctx = useTestApi(kind);

  async function expectRefused(res: { status: number; body: any }, status: number, parameter?: string): Promise<void> {
    expect(res.status).toBe(status);
    expect(Object.keys(res.body.error).sort()).toEqual(expect.arrayContaining(['code', 'message']));
    if (parameter) expect(res.body.error.parameter).toBe(parameter);
    expect((await ctx.api.call('/api/areas')).status).toBe(200);
  }

  it('refuses NUL and control characters in the query, the path and JSON bodies', async () => {
    const before = await checksum(ctx.store.db);
    await expectRefused(await ctx.api.call('/api/layers/shelters/features?q=%E9%81%BF%00'), 400, 'q');
    await expectRefused(await ctx.api.call('/api/layers/shelters/features/shelters-%00x', { token: TOKENS.ADMIN_TOKEN }), 400, 'path');
    const res = await ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token: TOKENS.ADMIN_TOKEN,
      body: { ...SHELTER, properties: { ...SHELTER.properties, name: 'a\u0000b' } },
    });
    await expectRefused(res, 400, 'properties');
    expect(res.body.error.message).toMatch(/properties\.name.*U\+0000/);
    expect(await checksum(ctx.store.db)).toBe(before);
  });

  it('refuses JSON nested 50,000 deep, and invalid JSON, in the documented shape', async () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    for (const text of [`{"origins": ${deep}, "minutes": [15]}`, '{"origins": [']) {
      const r = await fetch(`${ctx.api.url}/api/analysis/isochrone`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      await expectRefused({ status: r.status, body: await r.json() }, 400);
    }
  });

  it('parses bbox and dates strictly', async () => {
    await expectRefused(await ctx.api.call('/api/layers/shelters/features?bbox=1,,2,3'), 400, 'bbox');
    await expectRefused(await ctx.api.call('/api/layers/shelters/features?bbox=106,29,107,'), 400, 'bbox');
    expect((await ctx.api.call('/api/layers/shelters/features?bbox=106,29,107,30.5&limit=1')).status).toBe(200);
    await expectRefused(await ctx.api.call('/api/audit?since=2026-02-30', { token: TOKENS.ADMIN_TOKEN }), 400, 'since');
    await expectRefused(await ctx.api.call('/api/audit?since=2026-07-01T25:00', { token: TOKENS.ADMIN_TOKEN }), 400, 'since');
    expect((await ctx.api.call('/api/audit?since=2028-02-29T08:00:00%2B08:00', { token: TOKENS.ADMIN_TOKEN })).status).toBe(200);
  });

  it('refuses a negative capacity, by the edit API and as a rejected import row', async () => {
    const before = await checksum(ctx.store.db);
    const res = await ctx.api.call('/api/layers/shelters/features', {
      method: 'POST',
      token: TOKENS.ADMIN_TOKEN,
      body: { ...SHELTER, properties: { ...SHELTER.properties, capacity: -5 } },
    });
    await expectRefused(res, 400);
    expect(res.body.error.message).toMatch(/capacity.*0 or more/);
    expect(await checksum(ctx.store.db)).toBe(before);
  });

  async function importCsv(csv: string, query: string) {
    const r = await fetch(`${ctx.api.url}/api/layers/shelters/import?filename=s.csv&${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` },
      body: csv,
    });
    return { status: r.status, body: (await r.json()) as any };
  }

  it('rejects the one imported row with a NUL or a negative number and imports the rest', async () => {
    const before = await checksum(ctx.store.db);
    const csv = '名称,经度,纬度,容纳人数\n好场所,106.55,29.60,100\n坏\u0000场所,106.56,29.61,100\n负数场所,106.57,29.62,-3\n';
    const { status, body } = await importCsv(csv, 'dryRun=true');
    expect(status).toBe(200);
    expect(body.importable).toBe(1);
    expect(body.rejected.map((r: any) => [r.row, r.field])).toEqual([
      [3, 'name'],
      [4, 'capacity'],
    ]);
    expect(body.rejected[0].reason).toEqual({ code: 'field_control_character', params: { char: 'U+0000', at: 2 } });
    expect(await checksum(ctx.store.db)).toBe(before);
  });

  it('a dry-run replace with nothing importable reports what the real run does: nothing deleted', async () => {
    const before = await checksum(ctx.store.db);
    const csv = '名称,经度,纬度,容纳人数\n负数场所,106.55,29.60,-1\n';
    const dry = await importCsv(csv, 'mode=replace&dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ importable: 0, deleted: 0 });
    expect(dry.body.warnings.map((w: any) => w.code)).toContain('nothing_to_import');
    const real = await importCsv(csv, 'mode=replace&dryRun=false');
    expect(real.status).toBeGreaterThanOrEqual(400);
    expect(await checksum(ctx.store.db)).toBe(before);
  });
});

describe('rate limits', () => {
  const ctx = useTestApi('pglite');

  it('answers 429 with Retry-After after too many refused tokens, anonymous analyses or anonymous requests', async () => {
    const api = await startTestServer(ctx.store.db, { RATE_LIMIT_SIGNIN: '3', RATE_LIMIT_ANALYSIS: '2', RATE_LIMIT_PUBLIC: '8' });
    try {
      for (let i = 0; i < 3; i++) expect((await api.call('/api/me', { token: 'wrong-token-guess-000' + i })).status).toBe(401);
      const locked = await api.call('/api/me', { token: 'wrong-token-guess-0004' });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('too_many_sign_in_failures');
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);

      const iso = { origins: [[106.27, 29.99]], minutes: [15], mode: 'walk' };
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push((await api.call('/api/analysis/isochrone', { method: 'POST', body: iso })).status);
      expect(runs.slice(0, 2).every((s) => s !== 429)).toBe(true);
      expect(runs[2]).toBe(429);

      const reads = [];
      for (let i = 0; i < 6; i++) reads.push((await api.call('/api/areas')).status);
      expect(reads.at(-1)).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('never throttles a signed-in commander by the anonymous limits', async () => {
    const api = await startTestServer(ctx.store.db, { RATE_LIMIT_ANALYSIS: '1', RATE_LIMIT_PUBLIC: '1' });
    try {
      for (let i = 0; i < 4; i++) expect((await api.call('/api/areas', { token: TOKENS.COMMANDER_TOKEN })).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
