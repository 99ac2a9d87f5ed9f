/**
 * The population surface: a regular grid of square cells (default 500 m) in a local metric
 * projection, whose cell values are whole persons that add up EXACTLY to each admin unit's
 * population. A unit's persons are spread over the cells whose centre lies inside it, in
 * proportion to a weighting function, and rounded by the largest-remainder method. A unit too
 * small to hold any cell centre puts all its persons in the cell under an interior point.
 *
 * Projection: equirectangular about the grid's mid-latitude (x = Δlon·cos φ0, y = Δlat, in
 * metres). Across a county (±0.5° of latitude) cell areas are true to within 1%.
 */
import { pointOnFeature } from '@turf/point-on-feature';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { EARTH_RADIUS_M } from '../network/graph.js';
import { apportion } from './apportion.js';

const M_PER_DEG = (EARTH_RADIUS_M * Math.PI) / 180;

export interface PopulationUnit {
  code: string;
  population: number;
  geometry: Polygon | MultiPolygon;
}

/** Relative weight of a place (cell centre) within its unit; ≥ 0. */
export type Weighting = (lon: number, lat: number) => number;

export interface PopulationGridOptions {
  cellSizeM?: number;
  /** Default: every cell of a unit weighs the same. */
  weight?: Weighting;
  /** What the weighting is, as a code the client says (message `note.population_weighting_<code>`), e.g. "demo_road_density". */
  weighting?: string;
}

export interface PopulationGrid {
  cellSizeM: number;
  /** Projection origin. */
  lon0: number;
  lat0: number;
  /** Metres per degree of longitude / latitude in the projection. */
  kx: number;
  ky: number;
  /** Lower-left corner of cell (0, 0), metres, and the grid size. */
  x0: number;
  y0: number;
  cols: number;
  rows: number;
  /** Unit codes; `unit` below indexes this. */
  units: string[];
  weighting: string;
  /** Populated entries (one per cell and unit), as parallel arrays. */
  count: number;
  cell: Int32Array;
  unit: Int32Array;
  population: Int32Array;
  /** Where the entry's persons are: the cell centre, or a small unit's interior point. */
  lon: Float64Array;
  lat: Float64Array;
}

export class PopulationError extends Error {}

function ringsOf(g: Polygon | MultiPolygon): number[][][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export function buildPopulationGrid(units: readonly PopulationUnit[], options: PopulationGridOptions = {}): PopulationGrid {
  const size = options.cellSizeM ?? 500;
  if (!(size >= 10)) throw new PopulationError(`cellSizeM must be at least 10 m, got ${size}.`);
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  units.forEach((u, i) => {
    if (!Number.isInteger(u.population) || u.population < 0) {
      throw new PopulationError(`Unit ${u.code || `#${i}`}: population must be a whole number ≥ 0, got ${JSON.stringify(u.population)}.`);
    }
    if (u.geometry?.type !== 'Polygon' && u.geometry?.type !== 'MultiPolygon') {
      throw new PopulationError(`Unit ${u.code || `#${i}`}: geometry must be a Polygon or MultiPolygon.`);
    }
    for (const ring of ringsOf(u.geometry)) {
      for (const [x, y] of ring) {
        minLon = Math.min(minLon, x);
        maxLon = Math.max(maxLon, x);
        minLat = Math.min(minLat, y);
        maxLat = Math.max(maxLat, y);
      }
    }
  });
  if (units.length === 0) minLon = minLat = maxLon = maxLat = 0;
  const lon0 = (minLon + maxLon) / 2;
  const lat0 = (minLat + maxLat) / 2;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180);
  const ky = M_PER_DEG;
  const x0 = Math.floor(((minLon - lon0) * kx) / size) * size;
  const y0 = Math.floor(((minLat - lat0) * ky) / size) * size;
  const cols = Math.max(1, Math.ceil(((maxLon - lon0) * kx - x0) / size));
  const rows = Math.max(1, Math.ceil(((maxLat - lat0) * ky - y0) / size));
  const centreLon = (c: number): number => lon0 + (x0 + (c + 0.5) * size) / kx;
  const centreLat = (r: number): number => lat0 + (y0 + (r + 0.5) * size) / ky;

  const cell: number[] = [];
  const unit: number[] = [];
  const pop: number[] = [];
  const lon: number[] = [];
  const lat: number[] = [];
  const weight = options.weight ?? (() => 1);

  units.forEach((u, ui) => {
    const rings = ringsOf(u.geometry).map((ring) => ring.map(([x, y]) => [(x - lon0) * kx, (y - lat0) * ky]));
    const cells: number[] = [];
    let ylo = Infinity;
    let yhi = -Infinity;
    for (const ring of rings) for (const p of ring) (ylo = Math.min(ylo, p[1])), (yhi = Math.max(yhi, p[1]));
    const r0 = Math.max(0, Math.floor((ylo - y0) / size - 0.5));
    const r1 = Math.min(rows - 1, Math.ceil((yhi - y0) / size));
    const xs: number[] = [];
    for (let r = r0; r <= r1; r++) {
      const y = y0 + (r + 0.5) * size;
      xs.length = 0;
      // Even-odd crossings of the row's centre line; half-open in y so shared vertices count once.
      for (const ring of rings) {
        for (let k = 0, j = ring.length - 1; k < ring.length; j = k++) {
          const [xa, ya] = ring[j];
          const [xb, yb] = ring[k];
          if (ya <= y !== yb <= y) xs.push(xa + ((y - ya) / (yb - ya)) * (xb - xa));
        }
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const c0 = Math.max(0, Math.ceil((xs[k] - x0) / size - 0.5));
        const c1 = Math.min(cols - 1, Math.ceil((xs[k + 1] - x0) / size - 0.5) - 1);
        for (let c = c0; c <= c1; c++) cells.push(r * cols + c);
      }
    }
    if (cells.length === 0) {
      const [px, py] = pointOnFeature({ type: 'Feature', properties: {}, geometry: u.geometry } as Feature<Polygon | MultiPolygon>).geometry.coordinates;
      const c = Math.min(cols - 1, Math.max(0, Math.floor(((px - lon0) * kx - x0) / size)));
      const r = Math.min(rows - 1, Math.max(0, Math.floor(((py - lat0) * ky - y0) / size)));
      cell.push(r * cols + c);
      unit.push(ui);
      pop.push(u.population);
      lon.push(px);
      lat.push(py);
      return;
    }
    const weights = cells.map((k) => {
      const w = weight(centreLon(k % cols), centreLat(Math.floor(k / cols)));
      if (!(w >= 0) || !Number.isFinite(w)) throw new PopulationError(`Weighting returned ${w} for a cell of unit ${u.code}; weights must be finite and ≥ 0.`);
      return w;
    });
    const persons = apportion(u.population, weights);
    cells.forEach((k, i) => {
      if (persons[i] === 0) return;
      cell.push(k);
      unit.push(ui);
      pop.push(persons[i]);
      lon.push(centreLon(k % cols));
      lat.push(centreLat(Math.floor(k / cols)));
    });
  });

  return {
    cellSizeM: size,
    lon0,
    lat0,
    kx,
    ky,
    x0,
    y0,
    cols,
    rows,
    units: units.map((u) => u.code),
    weighting: options.weighting ?? 'uniform',
    count: pop.length,
    cell: Int32Array.from(cell),
    unit: Int32Array.from(unit),
    population: Int32Array.from(pop),
    lon: Float64Array.from(lon),
    lat: Float64Array.from(lat),
  };
}

/** Persons per unit code, summed from the grid (equals the input populations). */
export function populationByUnit(grid: PopulationGrid): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(grid.units.map((c) => [c, 0]));
  for (let i = 0; i < grid.count; i++) out[grid.units[grid.unit[i]]] += grid.population[i];
  return out;
}
