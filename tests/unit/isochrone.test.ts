/**
 * Isochrone fixtures, Turf style: tests/fixtures/isochrone/in/<name>.geojson holds the roads, the
 * request, an optional population and hand-computed expectations; out/<name>.geojson is the
 * output it must reproduce. Regenerate the outputs (after a deliberate change, then review the
 * diff) with: REGEN=1 npx vitest run --project unit tests/unit/isochrone.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { area, booleanPointInPolygon, booleanValid, kinks } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { traceCells } from '../../core/analysis/cell-polygons.js';
import { isochrones, IsochroneError, RESCUE_CIRCLE, type IsochroneProperties, type IsochroneRequest } from '../../core/analysis/isochrone/index.js';
import { buildGraph } from '../../core/network/graph.js';
import { buildPopulationGrid } from '../../core/population/grid.js';
import { createRng } from '../../seeds/demo/rng.js';
import { syntheticNetwork } from '../fixtures/network/synthetic.js';

const DIR = path.join(__dirname, '../fixtures/isochrone');
const UPDATE = process.env.REGEN === '1';
const names = fs.readdirSync(path.join(DIR, 'in')).map((f) => f.replace(/\.geojson$/, ''));

type Iso = Feature<Polygon | MultiPolygon, IsochroneProperties>;
const inAny = (features: Iso[], p: number[]): boolean => features.some((f) => booleanPointInPolygon(p, f));

describe.each(names)('isochrone fixture %s', (name) => {
  const input = JSON.parse(fs.readFileSync(path.join(DIR, 'in', `${name}.geojson`), 'utf8'));
  const graph = buildGraph(input.features);
  const pop = input.population && buildPopulationGrid(input.population.units, { cellSizeM: input.population.cellSizeM });
  const result = isochrones(graph, pop, input.request as IsochroneRequest);
  const outFile = path.join(DIR, 'out', `${name}.geojson`);
  if (UPDATE) fs.writeFileSync(outFile, JSON.stringify(result) + '\n');

  it('reproduces out/', () => {
    expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(fs.readFileSync(outFile, 'utf8')));
  });

  const e = input.expect;
  const at = (m: string): Iso[] => result.features.filter((f) => String(f.properties.minutes) === m);

  it('matches the hand-computed population, area and containment', () => {
    for (const [m, persons] of Object.entries(e.population ?? {})) expect(at(m)[0].properties.population, `${m} min`).toBe(persons);
    for (const [key, km2] of Object.entries(e.areaKm2 ?? {}) as [string, number][]) {
      const [m, method = 'network'] = key.split(':');
      const f = at(m).find((x) => x.properties.method === method)!;
      expect(Math.abs(f.properties.areaKm2 - km2) / km2, `${key}: ${f.properties.areaKm2} km²`).toBeLessThan(0.005);
    }
    for (const [m, pts] of Object.entries(e.inside ?? {}) as [string, number[][]][]) for (const p of pts) expect(inAny(at(m), p), `${m} min contains ${p}`).toBe(true);
    for (const [m, pts] of Object.entries(e.outside ?? {}) as [string, number[][]][]) for (const p of pts) expect(inAny(at(m), p), `${m} min excludes ${p}`).toBe(false);
    if (e.methods) expect(result.features.map((f) => f.properties.method)).toEqual(e.methods);
  });

  it('gives valid polygons, each threshold inside the next', () => {
    for (const f of result.features) {
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const poly of polys) expect(booleanValid({ type: 'Polygon', coordinates: poly }), `${f.properties.minutes} min`).toBe(true);
      expect(kinks(f).features).toHaveLength(0);
    }
    const network = result.features.filter((f) => f.properties.method === 'network');
    for (let k = 1; k < network.length; k++) {
      expect(network[k].properties.areaKm2).toBeGreaterThanOrEqual(network[k - 1].properties.areaKm2);
      const smaller = network[k - 1].geometry;
      const exteriors: number[][][] = smaller.type === 'Polygon' ? [smaller.coordinates[0]] : smaller.coordinates.map((p) => p[0]);
      for (const ring of exteriors) {
        const [x0, y0] = ring[0];
        const [x1, y1] = ring[1];
        // A point just inside an edge of the smaller ring (CCW: inside is on the left) lies in the larger one.
        const probe = [(x0 + x1) / 2 - (y1 - y0) * 1e-3, (y0 + y1) / 2 + (x1 - x0) * 1e-3];
        expect(booleanPointInPolygon(probe, network[k])).toBe(true);
      }
    }
  });
});

describe('cell polygons', () => {
  const maskOf = (rows: string[]) => {
    const R = rows.length;
    const C = rows[0].length;
    const mask = new Uint8Array(R * C);
    rows.forEach((s, k) => [...s].forEach((ch, c) => (mask[(R - 1 - k) * C + c] = ch === '#' ? 1 : 0)));
    return { cols: C, rows: R, mask };
  };
  const ringArea = (ring: number[][]): number => ring.slice(1).reduce((a, p, k) => a + ring[k][0] * p[1] - p[0] * ring[k][1], 0) / 2;

  it.each([
    [['#'], [[1]]],
    [['##', '##'], [[4]]],
    [['#.', '.#'], [[1], [1]]],
    [['###', '#.#', '###'], [[9, -1]]],
    [['###', '#.#', '##.'], [[8, -1]]],
    [['.##', '#.#', '##.'], [[3], [3]]],
    [['#####', '#...#', '#.#.#', '#...#', '#####'], [[25, -9], [1]]],
  ])('traces %j into exteriors and holes with these areas', (rows, areas) => {
    const polys = traceCells(maskOf(rows));
    expect(polys.map((p) => p.map(ringArea)).sort((a, b) => b[0] - a[0])).toEqual(areas);
  });

  it('selects exactly the masked cells on random masks', () => {
    const rng = createRng(9);
    for (let k = 0; k < 30; k++) {
      const cols = rng.int(1, 25);
      const rows = rng.int(1, 25);
      const p = rng.between(0.2, 0.8);
      const mask = Uint8Array.from({ length: cols * rows }, () => +rng.chance(p));
      const polys = traceCells({ cols, rows, mask });
      const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: polys };
      // Each polygon is valid; polygons may touch at a corner (valid OGC, which turf's check for
      // MultiPolygons does not accept), and never overlap (the cell test below).
      for (const poly of polys) expect(booleanValid({ type: 'Polygon', coordinates: poly })).toBe(true);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const inside = polys.length > 0 && booleanPointInPolygon([c + 0.5, r + 0.5], geometry);
          expect(inside, `mask ${k}, cell ${c},${r}`).toBe(mask[r * cols + c] === 1);
        }
      }
      const total = polys.reduce((a, poly) => a + poly.reduce((b, ring) => b + ringArea(ring), 0), 0);
      expect(total).toBe(mask.reduce((a, b) => a + b, 0));
    }
  });
});

describe('isochrones', () => {
  const graph = buildGraph(syntheticNetwork({ side: 60, seed: 4 }));
  const centre: [number, number] = [106.2 + 0.09, 29.3 + 0.08];

  it('is the 60-minute drive for the one-hour rescue circle', () => {
    expect(RESCUE_CIRCLE).toEqual({ minutes: [60], mode: 'drive' });
  });

  it('reaches farther by car than on foot, and the union of two origins covers each alone', () => {
    const drive = isochrones(graph, undefined, { origins: [centre], minutes: [10], mode: 'drive' }).features[0];
    const walk = isochrones(graph, undefined, { origins: [centre], minutes: [10], mode: 'walk' }).features[0];
    expect(drive.properties.areaKm2).toBeGreaterThan(4 * walk.properties.areaKm2);
    expect(walk.properties.population).toBeNull();
    const other: [number, number] = [106.2 + 0.05, 29.3 + 0.05];
    const both = isochrones(graph, undefined, { origins: [centre, other], minutes: [5], mode: 'drive', cellSizeM: 50 }).features[0];
    const a = isochrones(graph, undefined, { origins: [centre], minutes: [5], mode: 'drive', cellSizeM: 50 }).features[0];
    const b = isochrones(graph, undefined, { origins: [other], minutes: [5], mode: 'drive', cellSizeM: 50 }).features[0];
    expect(both.properties.origins).toEqual([0, 1]);
    expect(both.properties.areaKm2).toBeGreaterThanOrEqual(Math.max(a.properties.areaKm2, b.properties.areaKm2));
    expect(both.properties.areaKm2).toBeLessThanOrEqual(a.properties.areaKm2 + b.properties.areaKm2 + 1e-9);
    expect(booleanPointInPolygon(centre, both) && booleanPointInPolygon(other, both)).toBe(true);
  });

  it('falls back to labelled straight-line circles without a network, and reports why', () => {
    const r = isochrones(undefined, undefined, { origins: [centre], minutes: [30], mode: 'walk' });
    expect(r.features).toHaveLength(1);
    expect(r.features[0].properties).toMatchObject({ method: 'straight-line', speedKmh: 4, minutes: 30 });
    expect(r.features[0].properties.areaKm2).toBeCloseTo(Math.PI * 2 * 2 * 0.998, 1);
    expect(r.origins).toEqual([{ index: 0, method: 'straight-line', reason: { code: 'isochrone_no_network' } }]);
    expect(area(r.features[0])).toBeGreaterThan(0);
  });

  it('counts the population of the population grid within each ring', () => {
    const kx = 111195 * Math.cos((29.3 * Math.PI) / 180);
    const box = (x0: number, y0: number, x1: number, y1: number) => ({
      type: 'Polygon' as const,
      coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
    });
    const span = (59 * 300) / kx;
    const pop = buildPopulationGrid([{ code: 'X', population: 100000, geometry: box(106.2, 29.3, 106.2 + span, 29.3 + (59 * 300) / 111195) }]);
    const r = isochrones(graph, pop, { origins: [centre], minutes: [5, 10, 60], mode: 'drive' });
    const persons = r.features.map((f) => f.properties.population!);
    expect(persons[0]).toBeGreaterThan(0);
    expect(persons[0]).toBeLessThan(persons[1]);
    expect(persons[2]).toBeLessThanOrEqual(100000);
    // Independent count: grid entries whose point lies in the 10-minute polygon.
    let inside = 0;
    for (let i = 0; i < pop.count; i++) if (booleanPointInPolygon([pop.lon[i], pop.lat[i]], r.features[1])) inside += pop.population[i];
    expect(persons[1]).toBe(inside);
  });

  it.each([
    [{ origins: [] }, 'origins', /Give 1 to 200 origins/],
    [{ origins: [[106.5]] }, 'origins', /Origin 0 is \[106.5\]; give \[longitude, latitude\]/],
    [{ origins: [[500000, 3300000]] }, 'origins', /WGS84/],
    [{ minutes: [] }, 'minutes', /Give 1 to 10 thresholds/],
    [{ minutes: [0] }, 'minutes', /Threshold 0 is not a number of minutes above 0/],
    [{ minutes: [15, 'x'] }, 'minutes', /Threshold "x"/],
    [{ mode: 'fly' }, 'mode', /Mode "fly" is not one of drive, walk/],
    [{ offRoadM: -1 }, 'offRoadM', /offRoadM must be from 0 to 5000 metres/],
  ])('refuses %j, naming the parameter', (patch, parameter, message) => {
    const req = { origins: [centre], minutes: [15], mode: 'drive', ...patch } as unknown as IsochroneRequest;
    let err: unknown;
    try {
      isochrones(graph, undefined, req);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IsochroneError);
    expect((err as IsochroneError).parameter).toBe(parameter);
    expect((err as Error).message).toMatch(message);
  });
});
