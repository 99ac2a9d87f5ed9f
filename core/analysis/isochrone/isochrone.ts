/**
 * Isochrones (等时圈): the area reachable from one or more origins within each of several
 * travel times, by driving or walking on the road network, with the population inside.
 *
 * Method "network": snap each origin to the nearest usable link (its leg to the road driven or walked as the
 * mode says, core/network/access-leg.ts), run one
 * bounded multi-source Dijkstra up to the largest threshold, compute the travel-time raster
 * (travel-time-raster.ts: along the road to the best point, then on foot for at most offRoadM),
 * and take, per threshold, the exact union of raster cells whose centre time is ≤ the threshold
 * (cell-polygons.ts). Features come in ascending minutes (duplicates dropped); a ring is the whole
 * area within its time, not the band between two thresholds. Population = persons of the population-grid entries whose point lies in such a cell.
 *
 * Method "straight-line": only for origins that no usable road lies near (snap refused), a circle
 * of radius speed × time around the origin (turf.circle), at the assumed speeds below. It is
 * returned as its own feature per threshold, labelled, never mixed into the network polygon.
 *
 * "1小时救援圈" (the one-hour rescue circle of the 十四五 emergency plans) is RESCUE_CIRCLE (request.ts): the
 * 60-minute drive isochrone from a rescue base or fire station.
 */
import { area } from '@turf/area';
import { circle } from '@turf/circle';
import { union } from '@turf/union';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { note, type Note } from '../../note.js';
import { dijkstra, type Source } from '../../network/dijkstra.js';
import { haversineM, MODES, type Graph, type Mode } from '../../network/graph.js';
import { accessSources } from '../../network/access-leg.js';
import { DEFAULT_MAX_SNAP_M, snap, snapIndexOf, type Snap } from '../../network/snap.js';
import type { PopulationGrid } from '../../population/grid.js';
import { traceCells } from '../cell-polygons.js';
import { cellAt, travelTimeRaster, vertexLonLat, type TimeRaster } from '../travel-time-raster.js';
import { LIMITS, type IsochroneRequest } from './request.js';

/**
 * How far from the road network a place may be and still count as reached on foot: 500 m, about
 * 6 minutes' walk. An assumption of this product, not a standard; callers may change it.
 */
export const DEFAULT_OFF_ROAD_M = 500;

/**
 * Straight-line fallback speeds (km/h, as the crow flies): the network default speeds of
 * secondary roads (30 km/h) and of walking (5 km/h) divided by a detour factor of about 1.25
 * between road and straight-line distance, rounded. Assumptions, labelled on the result.
 */
export const STRAIGHT_LINE_KMH: Readonly<Record<Mode, number>> = { drive: 24, walk: 4 };


export type IsochroneMethod = 'network' | 'straight-line';

export interface IsochroneProperties {
  minutes: number;
  method: IsochroneMethod;
  mode: Mode;
  /** Persons within, from the population grid; null when no grid was given. */
  population: number | null;
  areaKm2: number;
  /** Indexes (into the request's origins) of the origins this feature is drawn from. */
  origins: number[];
  /** Network: raster cell size and off-road distance used. */
  cellSizeM?: number;
  offRoadM?: number;
  /** Straight-line: the assumed speed. */
  speedKmh?: number;
}

export interface OriginReport {
  index: number;
  method: IsochroneMethod;
  /** Network: how far the origin is from its snap point, metres. */
  snapDistanceM?: number;
  /** Straight-line: why the network was not used (isochrone_no_network, isochrone_no_road {mode, maxSnapM}). */
  reason?: Note;
}

export interface IsochroneResult extends FeatureCollection<Polygon | MultiPolygon, IsochroneProperties> {
  origins: OriginReport[];
  /** How the population within was counted (population_weighting_<code>), when a grid was given. */
  notes: Note[];
}

export class IsochroneError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
  }
}

function validate(req: IsochroneRequest): void {
  const { origins, minutes, mode } = req;
  if (!Array.isArray(origins) || origins.length === 0 || origins.length > LIMITS.origins) {
    throw new IsochroneError(`Give 1 to ${LIMITS.origins} origins as [longitude, latitude] pairs.`, 'origins');
  }
  origins.forEach((p, i) => {
    const ok = Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]) && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
    if (!ok) throw new IsochroneError(`Origin ${i} is ${JSON.stringify(p)}; give [longitude, latitude] in WGS84 degrees, e.g. [106.55, 29.57].`, 'origins');
  });
  if (!Array.isArray(minutes) || minutes.length === 0 || minutes.length > LIMITS.thresholds) {
    throw new IsochroneError(`Give 1 to ${LIMITS.thresholds} thresholds in minutes, e.g. [15, 30, 60].`, 'minutes');
  }
  for (const m of minutes) {
    if (!(Number.isFinite(m) && m > 0 && m <= LIMITS.maxMinutes)) {
      throw new IsochroneError(`Threshold ${JSON.stringify(m)} is not a number of minutes above 0 and at most ${LIMITS.maxMinutes}.`, 'minutes');
    }
  }
  if (!MODES.includes(mode)) throw new IsochroneError(`Mode ${JSON.stringify(mode)} is not one of ${MODES.join(', ')}.`, 'mode');
  const range = (name: keyof IsochroneRequest, v: number | undefined, lo: number, hi: number): void => {
    if (v !== undefined && !(Number.isFinite(v) && v >= lo && v <= hi)) throw new IsochroneError(`${name} must be from ${lo} to ${hi} metres, got ${v}.`, name);
  };
  range('offRoadM', req.offRoadM, 0, LIMITS.maxOffRoadM);
  range('maxSnapM', req.maxSnapM, 0, LIMITS.maxOffRoadM);
  range('cellSizeM', req.cellSizeM, LIMITS.minCellM, LIMITS.maxCellM);
}

const round7 = (x: number): number => Math.round(x * 1e7) / 1e7;

function geometryOf(polys: Position[][][]): Polygon | MultiPolygon {
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function rasterPolygons(r: TimeRaster, seconds: number): Position[][][] {
  const mask = new Uint8Array(r.cols * r.rows);
  for (let k = 0; k < mask.length; k++) mask[k] = r.time[k] <= seconds ? 1 : 0;
  return traceCells({ cols: r.cols, rows: r.rows, mask }).map((poly) =>
    poly.map((ring) => ring.map(([i, j]) => vertexLonLat(r, i, j).map(round7))),
  );
}

const km2 = (g: Polygon | MultiPolygon): number => Math.round((area(g) / 1e6) * 1e4) / 1e4;

/**
 * Isochrones for `req` on `graph` (undefined = no network: straight-line for every origin), with
 * population from `population` when given. Throws IsochroneError (with the parameter) for bad input.
 */
export function isochrones(graph: Graph | undefined, population: PopulationGrid | undefined, req: IsochroneRequest): IsochroneResult {
  validate(req);
  const minutes = [...new Set(req.minutes)].sort((a, b) => a - b);
  const offRoadM = req.offRoadM ?? DEFAULT_OFF_ROAD_M;
  const maxSeconds = minutes[minutes.length - 1] * 60;

  const reports: OriginReport[] = [];
  const snapped: Array<{ index: number; lon: number; lat: number; snap: Snap }> = [];
  const fallback: number[] = [];
  const ix = graph && graph.linkCount > 0 ? snapIndexOf(graph) : undefined;
  req.origins.forEach(([lon, lat], index) => {
    if (!ix) {
      fallback.push(index);
      reports.push({ index, method: 'straight-line', reason: note('isochrone_no_network') });
      return;
    }
    const s = snap(ix, lon, lat, { mode: req.mode, maxDistanceM: req.maxSnapM ?? DEFAULT_MAX_SNAP_M });
    if (s.ok) {
      snapped.push({ index, lon, lat, snap: s });
      reports.push({ index, method: 'network', snapDistanceM: Math.round(s.distanceM * 10) / 10 });
    } else {
      fallback.push(index);
      reports.push({ index, method: 'straight-line', reason: note('isochrone_no_road', { mode: req.mode, maxSnapM: req.maxSnapM ?? DEFAULT_MAX_SNAP_M }) });
    }
  });

  const features: Array<Feature<Polygon | MultiPolygon, IsochroneProperties>> = [];
  let raster: TimeRaster | undefined;
  if (graph && snapped.length > 0) {
    const sources: Source[] = snapped.flatMap((o) => accessSources(graph, o.snap, req.mode));
    const { time } = dijkstra(req.mode === 'drive' ? graph.drive : graph.walkCsr, sources, maxSeconds);
    raster = travelTimeRaster(graph, time, snapped, { mode: req.mode, maxSeconds, offRoadM, cellSizeM: req.cellSizeM });
  }
  const popCells = raster && population ? Int32Array.from(population.lon, (lon, i) => cellAt(raster!, lon, population.lat[i])) : undefined;

  for (const m of minutes) {
    const seconds = m * 60;
    if (raster) {
      const geometry = geometryOf(rasterPolygons(raster, seconds));
      let persons: number | null = null;
      if (population && popCells) {
        persons = 0;
        for (let i = 0; i < population.count; i++) if (popCells[i] >= 0 && raster.time[popCells[i]] <= seconds) persons += population.population[i];
      }
      features.push({
        type: 'Feature',
        geometry,
        properties: {
          minutes: m,
          method: 'network',
          mode: req.mode,
          population: persons,
          areaKm2: km2(geometry),
          origins: snapped.map((o) => o.index),
          cellSizeM: raster.cellSizeM,
          offRoadM,
        },
      });
    }
    if (fallback.length > 0) {
      const speedKmh = STRAIGHT_LINE_KMH[req.mode];
      const radiusKm = (speedKmh * m) / 60;
      const circles = fallback.map((i) => circle(req.origins[i], radiusKm, { steps: 64, units: 'kilometers' }));
      const merged = circles.length === 1 ? circles[0] : union({ type: 'FeatureCollection', features: circles });
      const geometry = merged!.geometry;
      let persons: number | null = null;
      if (population) {
        persons = 0;
        for (let i = 0; i < population.count; i++) {
          if (fallback.some((k) => haversineM(req.origins[k][0], req.origins[k][1], population.lon[i], population.lat[i]) <= radiusKm * 1000)) {
            persons += population.population[i];
          }
        }
      }
      features.push({
        type: 'Feature',
        geometry,
        properties: { minutes: m, method: 'straight-line', mode: req.mode, population: persons, areaKm2: km2(geometry), origins: fallback, speedKmh },
      });
    }
  }
  const notes = population ? [note(`population_weighting_${population.weighting}`)] : [];
  return { type: 'FeatureCollection', features, origins: reports, notes };
}
