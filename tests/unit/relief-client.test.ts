/**
 * Relief reach as the client says it: with the 巫山 4-hour target, the heading, legend, chart and
 * basis speak of 4 hours, not the national 10; the server's Notes (basis, shortfalls, the reserve
 * standard) read in zh-CN and English with the items named, not coded.
 */
import { describe, expect, it } from 'vitest';
import { reliefReach as client } from '../../client/src/analyses/relief-reach';
import { createI18n } from '../../client/src/i18n';
import { tableCsv } from '../../client/src/export';
import { displayValue, headerText } from '../../client/src/panels/resultTables';
import { parseRequest } from '../../core/analysis/slice.js';
import { RELIEF_REACH, runReliefReach, type ReliefReachAnswer } from '../../core/analysis/relief-reach/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { at, STREETS, TOWNS } from '../fixtures/analysis/two-towns.js';

const ZH = createI18n('zh');
const EN = createI18n('en');

function run(body: Record<string, unknown>) {
  const [lon, lat] = at(-1750, 750);
  const input = {
    graph: buildGraph(STREETS),
    towns: TOWNS,
    grid: buildPopulationGrid(TOWNS, { cellSizeM: 500 }),
    sites: { depots: [{ id: 'd', lon, lat, p: { name: '甲镇储备点', status: 'in_service', level: 'town', inventory: [{ item: 'tent', quantity: 100 }] } }] },
  };
  const request = parseRequest(RELIEF_REACH, { county: '500237', ...body });
  const data: ReliefReachAnswer = runReliefReach(input, request);
  return { kind: 'relief' as const, body: request, data, ms: 0 };
}

describe('relief reach in the client', () => {
  it('says the run’s target hours in the heading, legend, chart and basis (巫山: 4 hours)', () => {
    const r = run({ targetHours: 4, item: 'tent' });
    expect(client.title!(r, ZH)).toBe('救灾物资 4 小时可达与保障');
    expect(client.title!(r, EN)).toBe('Relief supplies: reach within 4 h and sufficiency');
    expect(client.legend(r, ZH)[0].title).toBe('4 小时内物资保障率（最紧缺物资）');
    expect(client.legend(r, EN)[0].title).toBe('Need met within 4 h (scarcest item)');
    expect(client.chart(r, ZH).title).toBe('各乡镇 4 小时内物资保障率（最紧缺物资）');
    const basis = client.summary(r, ZH).basis!.text;
    expect(basis.startsWith('时限 4 小时。')).toBe(true);
    expect(basis).toContain('只计 4 小时内（装车 + 车程）可送达的库存');
    expect(basis).toContain('区级应达到 3,000 人以上、多灾易灾或偏远镇（街道）应达到 200 人以上');
    expect(client.summary(r, EN).basis!.text.startsWith('Target 4 h.')).toBe(true);
    // The national 10 hours appear only as the cited clause, never as the run's target.
    for (const text of [client.title!(r, ZH), client.legend(r, ZH)[0].title, client.chart(r, ZH).title, ...client.summary(r, ZH).lines]) {
      expect(text).not.toContain('10 小时');
    }
    const towns = client.tables(r, [], ZH).find((t) => t.id === 'towns')!;
    expect(towns.columns.map((c) => c.label)).toContain('超 4 小时人口');
  });

  it('says a typed target below two hours in minutes, as every duration is said (1.5 h → 90 分钟)', () => {
    const r = run({ targetHours: 1.5, item: 'tent' });
    expect(client.title!(r, ZH)).toBe('救灾物资 90 分钟可达与保障');
    expect(client.legend(r, ZH)[0].title).toBe('90 分钟内物资保障率（最紧缺物资）');
    expect(client.chart(r, ZH).title).toBe('各乡镇 90 分钟内物资保障率（最紧缺物资）');
    const summary = client.summary(r, ZH);
    expect(summary.basis!.text.startsWith('时限 90 分钟。')).toBe(true);
    expect(summary.basis!.text).toContain('只计 90 分钟内（装车 + 车程）可送达的库存');
    expect(summary.lines[0]).toMatch(/^全县 90 分钟内物资保障率/);
    expect(summary.lines[2]).toMatch(/^超出 90 分钟或有居民不可达的乡镇/);
    expect(summary.details!.items).toContain('甲镇：救灾帐篷：需 467，90 分钟内可得 100');
    expect(client.tables(r, [], ZH).find((t) => t.id === 'towns')!.columns.map((c) => c.label)).toContain('超 90 分钟人口');
    expect(client.title!(r, EN)).toBe('Relief supplies: reach within 90 min and sufficiency');
    // Only the cited national clause (10 小时) and the 巫山 plan's 4 小时 remain in hours.
    for (const text of [client.title!(r, ZH), client.legend(r, ZH)[0].title, summary.basis!.text, ...summary.lines]) expect(text).not.toMatch(/1\.5|[^0-9 ]小时/);
  });

  it('names the binding item and the shortfalls in the reader’s language, per town and per item', () => {
    const r = run({ targetHours: 4, item: 'tent' });
    // 100 tents against 1,600 × 3.5/12 → 467 per town: A takes all 100 (its cells are nearest).
    expect(r.data.towns.map((t) => [t.code, t.items[0].need, t.items[0].supply])).toEqual([
      ['A', 467, 100],
      ['B', 467, 0],
    ]);
    const details = client.summary(r, ZH).details!.items;
    expect(details).toContain('甲镇：救灾帐篷：需 467，4 小时内可得 100');
    expect(client.summary(r, EN).details!.items).toContain('甲镇: tents: need 467, 100 within 4 h');
    const tables = client.tables(r, [], ZH);
    expect(tables.map((t) => t.id)).toEqual(['towns', 'items', 'town-items', 'standard']);
    const items = tables.find((t) => t.id === 'town-items')!;
    expect(items.columns.map((c) => c.value(items.rows[0]))).toEqual(['甲镇', '救灾帐篷', 467, 100, 367, 21.4]);
    const standard = tables.find((t) => t.id === 'standard')!;
    expect(standard.title).toBe('储备标准核查（铜梁区规划：区级 ≥ 3,000 人，镇（街道）≥ 200 人）');
    // A town store with tents only supplies nobody the whole kit: quilts bind.
    const a = standard.rows.find((x: { code: string }) => x.code === 'A');
    expect(standard.columns.map((c) => c.value(a))).toEqual(['甲镇', '乡镇（街道）', 1, 0, 200, false, '棉被', '可保障 0 人，低于 200 人；最紧缺：棉被']);
    const county = standard.rows[0];
    expect(standard.columns.find((c) => c.key === 'reason')!.value(county)).toBe('没有储备库（点），低于 3,000 人');
  });

  it('shows the farthest resident’s time as a duration (minutes below two hours), never “0.38 小时”', () => {
    const r = run({ targetHours: 4, item: 'tent' });
    const towns = client.tables(r, [], ZH).find((t) => t.id === 'towns')!;
    const worst = towns.columns.find((c) => c.key === 'worstHours')!;
    // The column holds minutes: 0.38 h is 22.8 min, shown as "23 分钟"; 2.5 h as "2 小时 30 分钟".
    expect(displayValue(0.38 * 60, worst, ZH)).toBe('23 分钟');
    expect(displayValue(2.5 * 60, worst, ZH)).toBe('2 小时 30 分钟');
    expect(displayValue(0.38 * 60, worst, EN)).toBe('23 min');
    for (const row of towns.rows) {
      const h = (row as { worstHours: number | null }).worstHours;
      expect(worst.value(row)).toBe(h === null ? null : h * 60);
      const shown = displayValue(worst.value(row), worst, ZH);
      expect(shown).not.toMatch(/\d\.\d+ 小时/);
      if (h !== null && h < 2) expect(shown).toMatch(/^[\d.]+ 分钟$/);
    }
    // The header names no unit on screen (each cell says its own); the CSV keeps plain minutes.
    expect(headerText(worst, ZH)).toBe('最远送达');
    expect(tableCsv(towns, ZH).split('\r\n')[0]).toContain('最远送达（分钟）');
  });
});
