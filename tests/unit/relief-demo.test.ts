/**
 * The demo depots' 可保障人数 (supply_persons) is derived from their inventory by the per-person
 * rates (core/incident/supply.ts), not copied from one item; and what the 铜梁 reserve standard
 * finds on them.
 */
import type { Point } from 'geojson';
import { describe, expect, it } from 'vitest';
import { depotStandard, depotsOf } from '../../core/analysis/relief-reach/index.js';
import { DEFAULT_DAYS, ratesWith, supplyPersonsOf } from '../../core/incident/supply.js';
import { generateDemo } from '../../seeds/demo/index.js';
import { loadGeodata } from '../../seeds/demo/places.js';

const geodata = loadGeodata();
const depots = generateDemo(geodata).depots;

describe('demo depots', () => {
  it('say how many persons their stock gives the whole kit, and every store gives someone', () => {
    expect(depots.length).toBeGreaterThan(100);
    for (const d of depots) {
      const p = d.properties as { inventory: { item: string; quantity: number }[]; supply_persons: number };
      expect(p.supply_persons, String(d.properties.name)).toBe(supplyPersonsOf(p.inventory));
      expect(p.supply_persons, String(d.properties.name)).toBeGreaterThan(0);
    }
    // 巫山's county reserve: “救灾物资储备量可保障受灾群众3000人”.
    const wushan = depots.find((d) => d.properties.county_code === '500237' && d.properties.level === 'county' && d.properties.status !== 'planned');
    expect(wushan?.properties.supply_persons).toBe(3000);
  });

  it('are checked against the 铜梁 standard per county and town', () => {
    const tongliang = geodata.towns.filter((t) => t.countyCode === '500151');
    const sites = depots
      .filter((d) => d.properties.county_code === '500151')
      .map((d) => {
        const [lon, lat] = (d.geometry as Point).coordinates;
        return { id: String(d.id), lon, lat, p: d.properties };
      });
    const check = depotStandard({ code: '500151', name: '铜梁区' }, tongliang.map((t) => ({ code: t.code, name: t.name, geometry: t.geometry })), depotsOf(sites), ratesWith(), DEFAULT_DAYS);
    expect(check.towns).toHaveLength(tongliang.length);
    for (const r of [check.county, ...check.towns]) expect(r.meets).toBe(r.persons >= r.standard);
  });
});
