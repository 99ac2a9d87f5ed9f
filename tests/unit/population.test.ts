import fs from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../core/network/graph.js';
import { apportion } from '../../core/population/apportion.js';
import { buildPopulationGrid, populationByUnit, PopulationError, type PopulationUnit } from '../../core/population/grid.js';
import { ROAD_DENSITY_WEIGHTING, roadDensityWeight } from '../../core/population/road-density.js';
import { createRng } from '../../seeds/demo/rng.js';

const M = 111195.0797; // metres per degree on the 6371008.8 m sphere
/** A rectangle in metres around (lon0, lat0), as a lon/lat polygon. */
function rect(x0: number, y0: number, x1: number, y1: number, lon0 = 106.5, lat0 = 29.5): Polygon {
  const kx = M * Math.cos((lat0 * Math.PI) / 180);
  const p = (x: number, y: number): number[] => [lon0 + x / kx, lat0 + y / M];
  return { type: 'Polygon', coordinates: [[p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1), p(x0, y0)]] };
}

describe('apportion', () => {
  it('splits exactly, each share within one person of its quota', () => {
    const rng = createRng(4);
    for (let k = 0; k < 200; k++) {
      const n = rng.int(1, 40);
      const w = Array.from({ length: n }, () => (rng.chance(0.2) ? 0 : rng.between(0, 10)));
      const total = rng.int(0, 100000);
      const out = apportion(total, w);
      expect(out.reduce((a, b) => a + b, 0)).toBe(total);
      const sum = w.reduce((a, b) => a + b, 0);
      out.forEach((v, i) => expect(Math.abs(v - (sum > 0 ? (total * w[i]) / sum : total / n))).toBeLessThan(1));
    }
  });

  it('gives the leftover persons to the largest remainders, ties to the first', () => {
    expect(apportion(10, [1, 1, 1, 1, 1, 1, 1, 1])).toEqual([2, 2, 1, 1, 1, 1, 1, 1]);
    expect(apportion(7, [1, 2, 4])).toEqual([1, 2, 4]);
    expect(apportion(5, [1, 1, 1.2])).toEqual([2, 1, 2]);
  });
});

describe('population grid', () => {
  // 2.1 × 1.1 km centred on the projection origin: the cell centres inside are x = ±250, ±750 and y = ±250.
  const block: PopulationUnit = { code: 'A', population: 10, geometry: rect(-1050, -550, 1050, 550) };

  it('puts a unit on the cells whose centres it holds, summing exactly', () => {
    const g = buildPopulationGrid([block], { cellSizeM: 500 });
    expect(g.count).toBe(8);
    expect([...g.population]).toEqual([2, 2, 1, 1, 1, 1, 1, 1]);
    expect(Math.abs((g.lon[0] - 106.5) * M * Math.cos((29.5 * Math.PI) / 180) - -750)).toBeLessThan(1e-3);
    expect(Math.abs((g.lat[0] - 29.5) * M - -250)).toBeLessThan(1e-3);
  });

  it('follows the weighting', () => {
    const east = (lon: number): number => (lon > 106.5 ? 3 : 1);
    const g = buildPopulationGrid([{ ...block, population: 1000 }], { cellSizeM: 500, weight: east, weighting: 'test: east weighs 3' });
    expect([...g.population]).toEqual([63, 63, 188, 188, 62, 62, 187, 187]);
    expect(g.weighting).toBe('test: east weighs 3');
  });

  it('gives a unit smaller than a cell one entry at an interior point', () => {
    const tiny = rect(3000, 3000, 3060, 3060);
    const g = buildPopulationGrid([block, { code: 'T', population: 321, geometry: tiny }], { cellSizeM: 500 });
    const entries = [...g.unit.keys()].filter((i) => g.unit[i] === 1);
    expect(entries).toHaveLength(1);
    expect(g.population[entries[0]]).toBe(321);
    expect(booleanPointInPolygon([g.lon[entries[0]], g.lat[entries[0]]], tiny)).toBe(true);
  });

  it('never gives a cell to two units that share a border, and drops no cell between them', () => {
    const west = rect(-1050, -550, 0, 550);
    const east = rect(0, -550, 1050, 550);
    const g = buildPopulationGrid(
      [
        { code: 'W', population: 4000, geometry: west },
        { code: 'E', population: 4000, geometry: east },
      ],
      { cellSizeM: 250 },
    );
    const cells = [...g.cell];
    expect(new Set(cells).size).toBe(cells.length);
    expect(cells.length).toBe(8 * 4); // centres at x = ±125 … ±875 and y = ±125, ±375
  });

  it('sums exactly to every real town population (111 towns, demo road-density weighting)', () => {
    const towns = JSON.parse(fs.readFileSync(path.join(__dirname, '../../geodata/towns.geojson'), 'utf8'));
    const units: PopulationUnit[] = towns.features.map((f: any) => ({ code: f.properties.code, population: f.properties.population, geometry: f.geometry }));
    const roads = buildGraph([{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[106.4, 29.5], [106.7, 29.7]] } }]);
    const g = buildPopulationGrid(units, { cellSizeM: 500, weight: roadDensityWeight(roads), weighting: ROAD_DENSITY_WEIGHTING });
    const sums = populationByUnit(g);
    for (const u of units) expect(sums[u.code], u.code).toBe(u.population);
    expect([...g.population].every((p) => p > 0)).toBe(true);
    expect(g.weighting).toMatch(/^demo/);
  });

  it.each([
    [{ ...block, population: -1 }, /Unit A: population must be a whole number ≥ 0, got -1/],
    [{ ...block, population: 2.5 }, /Unit A: population must be a whole number/],
    [{ ...block, geometry: { type: 'Point', coordinates: [0, 0] } as never }, /Unit A: geometry must be a Polygon or MultiPolygon/],
  ])('refuses bad units: %#', (unit, message) => {
    expect(() => buildPopulationGrid([unit])).toThrow(PopulationError);
    expect(() => buildPopulationGrid([unit])).toThrow(message);
  });

  it('refuses a negative weight', () => {
    expect(() => buildPopulationGrid([block], { weight: () => -1 })).toThrow(/Weighting returned -1 for a cell of unit A/);
  });
});

describe('road-density weighting (demo)', () => {
  it('weighs places near roads above places away from them', () => {
    const g = buildGraph([{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[106.5, 29.5], [106.52, 29.5]] } }]);
    const w = roadDensityWeight(g);
    expect(w(106.51, 29.5)).toBeGreaterThan(1);
    expect(w(106.51, 29.55)).toBeCloseTo(0.05, 10);
  });
});

describe('apportion refuses what it cannot split', () => {
  it('names the bad input', () => {
    expect(() => apportion(-1, [1])).toThrow(/whole number/);
    expect(() => apportion(1.5, [1])).toThrow(/whole number/);
    expect(() => apportion(3, [])).toThrow(/no weights/);
    expect(() => apportion(3, [1, Number.NaN])).toThrow(/at 1/);
    expect(apportion(4, [0, 0])).toEqual([2, 2]);
  });
});
