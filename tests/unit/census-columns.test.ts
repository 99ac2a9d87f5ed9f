/**
 * Census tables (第一次全国自然灾害综合风险普查) import as they are: their headers are the layer's
 * censusColumns, the layer guess (client/src/import/guess.ts) names the layer from them, the
 * import's column map (server/import/mapping.ts) takes every column but the coordinates, and a row
 * comes out with typed values and the item columns gathered into the inventory / equipment lists.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guessLayer } from '../../client/src/import/guess.js';
import { CENSUS_LAYERS, censusColumns, findLayer, LAYERS, matchColumn, optionFor } from '../../core/catalogue/index.js';
import { parseCrs } from '../../core/geo/crs.js';
import { mapColumns } from '../../server/import/mapping.js';
import { prepare } from '../../server/import/prepare.js';
import { readSource } from '../../server/import/read.js';

const DIR = 'tests/fixtures/census/';
const load = (layer: string) => readSource(fs.readFileSync(`${DIR}${layer}.csv`, 'utf8'), 'csv');
const run = (layer: string) => prepare(findLayer(layer)!, load(layer), { crs: parseCrs('wgs84')!, source: 'import: census', idPrefix: 'c-' });

describe('census tables', () => {
  it('lists the census columns of each census layer, items one column per item, coordinates last', () => {
    expect(CENSUS_LAYERS).toEqual(['shelters', 'depots', 'fire_stations', 'rescue_teams']);
    expect(censusColumns('shelters')).toEqual([
      '名称', '地址', '避灾种类', '避难时长', '室内/室外', '占地总面积', '室内面积', '避难所容纳人数', '应急设施情况', '管理人员', '经度', '纬度',
    ]);
    expect(censusColumns('depots').slice(5, 20)).toEqual([
      '救灾帐篷', '棉被', '棉衣', '毛毯', '睡袋', '折叠床', '简易厕所', '橡皮船', '冲锋舟', '救生衣', '救生圈', '编织袋', '抽水泵', '发电机', '应急灯',
    ]);
    expect(censusColumns('fire_stations').slice(0, 6)).toEqual(['名称', '地址', '队伍类型', '消防站类型', '人员', '水罐消防车']);
    expect(censusColumns('fire_stations')).toContain('平均响应时间');
    // Other layers: their field labels; areas end with a WKT column.
    expect(censusColumns('hazard_zones')).toEqual(['名称', '区划类型', '灾种', '风险等级', '区县代码', 'WKT']);
    expect(censusColumns('experts').at(-1)).toBe('纬度');
    expect(censusColumns('nope')).toEqual([]);
  });

  it('maps every column of every layer’s blank table to a field, each field or item once', () => {
    for (const layer of LAYERS) {
      const headers = censusColumns(layer.id).filter((h) => !['经度', '纬度', 'WKT'].includes(h));
      const targets = headers.map((h) => matchColumn(layer, h));
      expect(headers.filter((_, i) => !targets[i]), layer.id).toEqual([]);
      const keys = targets.map((t) => `${t!.field}.${t!.item ?? ''}`);
      expect(new Set(keys).size, layer.id).toBe(keys.length);
    }
  });

  for (const layer of CENSUS_LAYERS) {
    it(`guesses ${layer} from the census headers alone and maps all but the coordinates`, () => {
      const src = load(layer);
      expect(src.columns).toEqual(censusColumns(layer));
      expect(guessLayer(LAYERS, 'data.csv', src.columns)).toBe(layer);
      expect(mapColumns(findLayer(layer)!, src.columns).unmapped).toEqual(['经度', '纬度']);
      const { features, rejected } = run(layer);
      expect(rejected).toEqual([]);
      expect(features.length).toBe(src.records.length);
    });
  }

  it('reads a shelter row: hazards, GB/T 44013 classes from the census words, areas with units', () => {
    const [square, hall] = run('shelters').features.map((f) => f.properties);
    expect(square).toMatchObject({
      name: '观音桥广场应急避难场所',
      hazards: ['earthquake', 'flood'],
      duration: 'emergency',
      space_type: 'outdoor',
      site_area_m2: 12000,
      indoor_area_m2: 0,
      capacity: 5000,
      facilities: ['water', 'power', 'toilet'],
      manager: '张伟',
    });
    expect(hall).toMatchObject({ space_type: 'indoor', duration: 'short', site_area_m2: 15000, hazards: ['earthquake', 'geohazard', 'fire'] });
  });

  it('gathers a depot’s item columns into its inventory, skipping empty and zero cells', () => {
    const [county, town] = run('depots').features.map((f) => f.properties);
    expect(county).toMatchObject({ level: 'county', type: 'relief', storage_m3: 1200 });
    const inv = county.inventory as { item: string; quantity: number }[];
    expect(inv).toHaveLength(15);
    expect(inv.slice(0, 3)).toEqual([{ item: 'tent', quantity: 300 }, { item: 'quilt', quantity: 2000 }, { item: 'clothing', quantity: 1500 }]);
    expect(inv.find((i) => i.item === 'lighting')).toEqual({ item: 'lighting', quantity: 60 });
    expect(inv.find((i) => i.item === 'flood_sack')).toEqual({ item: 'flood_sack', quantity: 30000 });
    expect(town).toMatchObject({ level: 'town', type: 'comprehensive' });
    expect(town.inventory).toEqual([
      { item: 'tent', quantity: 20 }, { item: 'quilt', quantity: 200 }, { item: 'folding_bed', quantity: 50 },
      { item: 'flood_sack', quantity: 2000 }, { item: 'pump', quantity: 2 }, { item: 'generator', quantity: 1 },
    ]);
  });

  it('reads a fire station’s force, type, vehicles by kind and equipment; a team’s equipment', () => {
    const [station] = run('fire_stations').features.map((f) => f.properties);
    expect(station).toMatchObject({ team_type: 'national', type: 'special', personnel: 52, response_min: 6.5 });
    const fleet = station.vehicle_list as { item: string; quantity: number }[];
    expect(fleet.reduce((s, v) => s + v.quantity, 0)).toBe(11);
    expect(fleet.find((v) => v.item === 'aerial')).toEqual({ item: 'aerial', quantity: 2 });
    expect(fleet.some((v) => v.item === 'other')).toBe(false);
    expect((station.equipment as unknown[]).length).toBe(21); // 24 equipment columns, 3 left empty
    const [team] = run('rescue_teams').features.map((f) => f.properties);
    expect(team).toMatchObject({ type: 'professional', specialty: 'water', members: 30, response_min: 25, contact: '王强' });
    expect(team.equipment).toContainEqual({ item: 'assault_boat', quantity: 3 });
  });

  it('names options by the census words as well as by their labels', () => {
    const field = (layer: string, name: string) => findLayer(layer)!.fields.find((f) => f.name === name)!;
    expect(optionFor(field('shelters', 'space_type'), '室内+室外')).toBe('both');
    expect(optionFor(field('shelters', 'grade'), '乡镇级')).toBe('town');
    expect(optionFor(field('depots', 'level'), '县级')).toBe('county');
    expect(optionFor(field('fire_stations', 'type'), '一级站')).toBe('class1');
    expect(optionFor(field('shelters', 'space_type'), '地下')).toBeUndefined();
  });
});
