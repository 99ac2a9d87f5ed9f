/**
 * Downloads say a demo record's source in zh-CN: the stored `demo:<code> {…}` value (what the API's
 * /features answers, and what keeps the record marked demo) is written as the sentence the map
 * shows in Chinese, with the plan's quote, in a layer export (GeoJSON, CSV) and in an analysis
 * result's export.
 */
import { describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../setup/store.js';
import { TOKENS, useTestApi } from '../setup/server.js';

describe('demo sources in exports', () => {
  const ctx = useTestApi(STORE_KINDS[0]);

  it('a layer export writes the zh-CN sentence with the plan quote, not the stored code', async () => {
    const stored = (await ctx.api.call('/api/layers/shelters/features?limit=10000', { token: TOKENS.ADMIN_TOKEN })).body.features as { id: string; properties: { source: string } }[];
    const fromPlan = stored.find((f) => f.properties.source.startsWith('demo:count_from_plan '))!;
    expect(fromPlan).toBeDefined();
    const { file, quote } = JSON.parse(fromPlan.properties.source.slice('demo:count_from_plan '.length)) as { file: string; quote: string };
    const sentence = `演示数据：位置和属性为生成（固定种子）；数量取自规划（${file}：${quote}）`;

    const res = await fetch(`${ctx.api.url}/api/layers/shelters/export?format=geojson`, { headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` } });
    expect(res.status).toBe(200);
    const exported = (await res.json()) as { features: { id: string; properties: { id?: string; source: string } }[] };
    const same = exported.features.find((f) => (f.id ?? f.properties.id) === fromPlan.id)!;
    expect(same.properties.source).toBe(sentence);
    expect(exported.features.filter((f) => f.properties.source.startsWith('demo:'))).toEqual([]);

    const csv = await (await fetch(`${ctx.api.url}/api/layers/shelters/export?format=csv`, { headers: { authorization: `Bearer ${TOKENS.ADMIN_TOKEN}` } })).text();
    expect(csv).toContain(quote.includes('"') ? quote.replace(/"/g, '""') : quote);
    expect(csv).not.toMatch(/demo:/);
  });

  it('an analysis export writes joined demo sources the same way, numbers as the map writes them', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [106.5, 29.6] },
          properties: { name: '寸滩街道', population_source: 'demo:town_population', zone_source: 'demo:flood_bands {"river":"长江","inner":1500,"outer":3000}', note: '实测' },
        },
      ],
    };
    const res = await fetch(`${ctx.api.url}/api/export?format=geojson&name=救援分析`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.COMMANDER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(fc),
    });
    expect(res.status).toBe(200);
    const { features } = (await res.json()) as { features: { properties: Record<string, string> }[] };
    expect(features[0].properties).toMatchObject({
      population_source: '演示数据：全区县普查人口按乡镇拆分（街道按 3 倍权重）',
      zone_source: '演示数据：长江 河道为手绘，1,500 米和 3,000 米风险带为假设（规划未附洪水风险图）',
      note: '实测',
    });
  });
});
