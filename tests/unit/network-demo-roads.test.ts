import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { components } from '../../core/network/components.js';
import { buildGraph, ROAD_CLASSES } from '../../core/network/graph.js';
import { generateRoads } from '../../seeds/demo/roads.js';
import { loadGeodata } from '../../seeds/demo/places.js';

const geodata = loadGeodata();
const roads = generateRoads(geodata);

describe('demo road network', () => {
  it('is the same on every run, and labelled demo', () => {
    expect(JSON.stringify(generateRoads(geodata))).toBe(JSON.stringify(roads));
    expect(new Set(roads.map((f) => f.id)).size).toBe(roads.length);
    for (const f of roads) {
      expect(f.properties.source).toMatch(/^demo/);
      expect(f.geometry.type).toBe('LineString');
      expect(Object.keys(ROAD_CLASSES)).toContain(f.properties.class);
    }
  });

  it('stays inside the real county boundaries', () => {
    for (const county of geodata.counties) {
      const own = roads.filter((f) => f.properties.county_code === county.code);
      expect(own.length, county.name).toBeGreaterThan(100);
      for (const f of own) {
        const line = (f.geometry as GeoJSON.LineString).coordinates;
        for (const p of line) expect(booleanPointInPolygon(p, county.geometry), `${f.id} ${p}`).toBe(true);
      }
    }
  });

  it('connects every county into one drivable piece with arterials between all town centres', () => {
    const g = buildGraph(roads);
    const c = components(g, 'drive');
    expect(c.count).toBe(geodata.counties.length);
    const nodeAt = new Map<string, number>();
    for (let v = 0; v < g.nodeCount; v++) nodeAt.set(`${g.lon[v]},${g.lat[v]}`, v);
    for (const county of geodata.counties) {
      const centres = geodata.towns
        .filter((t) => t.countyCode === county.code && booleanPointInPolygon(t.labelPoint, county.geometry))
        .map((t) => nodeAt.get(`${t.labelPoint[0]},${t.labelPoint[1]}`));
      expect(centres.every((v) => v !== undefined), county.name).toBe(true);
      expect(new Set(centres.map((v) => c.componentOf[v!])).size, county.name).toBe(1);
      const classes = new Set(roads.filter((f) => f.properties.county_code === county.code).map((f) => f.properties.class));
      expect([...classes].sort(), county.name).toEqual(expect.arrayContaining(['primary', 'secondary', 'tertiary']));
    }
  });
});
