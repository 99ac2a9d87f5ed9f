/**
 * The column headers of a layer's table as a bureau keeps it: for shelters, depots, fire stations
 * and rescue teams the survey tables of the first national natural-disaster risk census
 * (第一次全国自然灾害综合风险普查: 应急避难场所, 救灾物资储备库（点）, 综合性/专职消防救援队伍与装备,
 * 社会应急力量), with an inventory, a fleet or an equipment list spelled out one column per item as
 * those tables do; for the other layers the catalogue's field labels. Point layers end with 经度 and
 * 纬度, line and area layers with a WKT column. Every header maps to a field (columns.ts), so a
 * blank template filled in imports completely.
 */
import { findLayer } from './access.js';
import type { LayerDef } from './types.js';

/**
 * The census tables' own columns, in their order (`items:<field>[:n]` expands to the field's first
 * n items). The teams' table follows the 社会应急力量 register (队伍类型, 专业方向, 人员, 装备, 联系人).
 */
const CENSUS: Record<string, string[]> = {
  shelters: ['名称', '地址', '避灾种类', '避难时长', '室内/室外', '占地总面积', '室内面积', '避难所容纳人数', '应急设施情况', '管理人员'],
  depots: ['名称', '地址', '等级', '类型', '有效库容', 'items:inventory:15'],
  fire_stations: ['名称', '地址', '队伍类型', '消防站类型', '人员', 'items:vehicle_list', 'items:equipment', '平均响应时间'],
  rescue_teams: ['名称', '地址', '队伍类型', '专业方向', '人员', 'items:equipment', '平均响应时间', '联系人'],
};

/** The census-shaped layers: a bureau's 普查 tables exist for these. */
export const CENSUS_LAYERS: readonly string[] = Object.keys(CENSUS);

/** The first `count` items of an items field (all when absent), by their zh labels without the bracketed note. */
function itemColumns(layer: LayerDef, spec: string): string[] {
  const [, field, count] = spec.split(':');
  const options = layer.fields.find((f) => f.name === field)?.options ?? [];
  return options.slice(0, count ? Number(count) : undefined).map((o) => o.zh.replace(/（.*?）/g, ''));
}

const geometryColumns = (layer: LayerDef): string[] => (layer.geometry === 'Point' ? ['经度', '纬度'] : ['WKT']);

/**
 * The ordered column headers of a blank table for the layer: the census table's where there is
 * one, else the field labels (`source`, filled by the import, left out). Unknown layer: [].
 */
export function censusColumns(layerId: string): string[] {
  const layer = findLayer(layerId);
  if (!layer) return [];
  const census = CENSUS[layerId];
  const own = census
    ? census.flatMap((h) => (h.startsWith('items:') ? itemColumns(layer, h) : [h]))
    : layer.fields.filter((f) => f.name !== 'source').map((f) => f.label.zh);
  return [...own, ...geometryColumns(layer)];
}
