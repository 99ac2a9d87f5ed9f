/**
 * Planner siting on a county: where should the next p fire stations, shelters or depots go?
 * Demand is the county's population grid (persons per cell); existing facilities are pre-selected
 * (they count but cost nothing); candidates are the populated cells of a coarser grid snapped to
 * the road network, or sites the planner gives. Costs are network travel times from each facility
 * (bounded searches, core/analysis/reach.ts), or straight-line times when asked. The models and
 * their optimality labels are those of core/analysis/siting; this module builds the instance and
 * tells the planner what the answer does, town by town and site by site.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { haversineM, WALK_SPEED_MS, type Graph, type Mode } from '../network/graph.js';
import type { PopulationGrid } from '../population/grid.js';
import { solveSiting, type SitingModelName, type SitingResult } from './siting/index.js';
import { arrival, searchFrom, snapPlaces } from './reach.js';

export type SitingMode = Mode | 'straight-line';

export interface PlannerSite {
  id: string;
  lon: number;
  lat: number;
}

export interface PlannerTown {
  code: string;
  name: string;
  geometry: Polygon | MultiPolygon;
}

export interface PlannerSitingOptions {
  model: SitingModelName;
  p?: number;
  /** lscp: share of the population to cover, (0, 1]. */
  coverageTarget?: number;
  /** Service threshold, minutes of travel. */
  thresholdMinutes: number;
  mode: SitingMode;
  /** Straight-line mode: which speed turns metres into minutes. */
  straightLineMode?: Mode;
  method?: 'auto' | 'exact' | 'heuristic';
  timeLimitSeconds?: number;
  /** Cell size of the candidate grid, metres (default 1500). */
  candidateCellM?: number;
}

export interface ChosenSite {
  id: string;
  lon: number;
  lat: number;
  /** 1 = adds the most people on top of the existing facilities, 2 = the most on top of those, … */
  rank: number;
  /** People this site newly brings within the threshold, in rank order (they add up to after − before). */
  addedPopulation: number;
  town: string | null;
  townCode: string | null;
}

export interface PlannerSitingResult {
  chosen: ChosenSite[];
  existing: number;
  before: { covered: number; share: number };
  after: { covered: number; share: number };
  towns: { code: string; name: string; population: number; coveredBefore: number; coveredAfter: number }[];
  objective: number | null;
  /** What the objective measures, in words. */
  objectiveMeaning: string;
  status: SitingResult['status'];
  gap: number | null;
  /** Solver time. */
  seconds: number;
  /** Time to snap the sites and build the travel-time matrix. */
  costSeconds: number;
  method: SitingResult['method'];
  candidates: number;
  demandCells: number;
  /** Travel times beyond this are treated as unreachable, minutes (null: unbounded). */
  searchMinutes: number | null;
  notes: string[];
}

/** Straight-line speeds: walking 5 km/h; driving 30 km/h, the design speed of a 三级公路 (see ROAD_CLASSES). */
const STRAIGHT_SPEED_MS: Record<Mode, number> = { walk: WALK_SPEED_MS, drive: 30 / 3.6 };
/** How far a site or a cell may be from a usable road, metres, as the coverage analyses use. */
const MAX_SNAP_M: Record<Mode, number> = { drive: 1000, walk: 500 };

const MEANING: Record<SitingModelName, string> = {
  mclp: 'persons within the threshold of an open facility',
  lscp: 'new sites needed',
  pmedian: 'Σ persons × seconds to the nearest open facility',
  pcenter: 'worst travel time to the nearest open facility, seconds',
};

/**
 * A candidate at every coarse cell (`cellM`) that holds population, at the block centre moved to
 * the nearest usable road (dropped when none lies within the cell size); straight-line mode keeps
 * the block centre.
 */
export function gridCandidates(grid: PopulationGrid, graph: Graph | undefined, mode: SitingMode, cellM = 1500): PlannerSite[] {
  const k = Math.max(1, Math.round(cellM / grid.cellSizeM));
  const blocks = new Map<string, [number, number]>();
  for (let i = 0; i < grid.count; i++) {
    if (grid.population[i] <= 0) continue;
    const bc = Math.floor((grid.cell[i] % grid.cols) / k);
    const br = Math.floor(Math.floor(grid.cell[i] / grid.cols) / k);
    blocks.set(`grid-${bc}-${br}`, [bc, br]);
  }
  const size = k * grid.cellSizeM;
  const centres = [...blocks].map(([id, [bc, br]]) => ({
    id,
    lon: grid.lon0 + (grid.x0 + (bc + 0.5) * size) / grid.kx,
    lat: grid.lat0 + (grid.y0 + (br + 0.5) * size) / grid.ky,
  }));
  if (mode === 'straight-line' || !graph) return centres;
  const snapped = snapPlaces(graph, centres.map((c) => [c.lon, c.lat] as const), mode, size);
  return centres.flatMap((c, j) => {
    const s = snapped[j];
    return s ? [{ id: c.id, lon: +s.lon.toFixed(6), lat: +s.lat.toFixed(6) }] : [];
  });
}

export async function plannerSiting(
  graph: Graph | undefined,
  grid: PopulationGrid,
  towns: readonly PlannerTown[],
  existing: readonly PlannerSite[],
  candidates: readonly PlannerSite[],
  o: PlannerSitingOptions,
): Promise<PlannerSitingResult> {
  if (o.mode !== 'straight-line' && !graph) throw new RangeError(`mode "${o.mode}" needs a road network; load one or ask for mode "straight-line"`);
  const t0 = performance.now();
  const limit = o.thresholdMinutes * 60;
  const covering = o.model === 'mclp' || o.model === 'lscp';
  // p-median and p-center must assign every person to some open site, however far: unbounded searches.
  const search = covering ? limit : Infinity;
  const facilities = [...existing, ...candidates];
  const n = grid.count;
  const m = facilities.length;
  const cost = new Float32Array(n * m).fill(Infinity);
  if (o.mode === 'straight-line') {
    const speed = STRAIGHT_SPEED_MS[o.straightLineMode ?? 'drive'];
    facilities.forEach((f, j) => {
      for (let i = 0; i < n; i++) {
        const t = haversineM(grid.lon[i], grid.lat[i], f.lon, f.lat) / speed;
        if (t <= search) cost[i * m + j] = t;
      }
    });
  } else {
    const g = graph!;
    const mode = o.mode;
    // As in fire-coverage.ts: a vehicle serves a cell at the road beside it (within the cell);
    // a person walks the whole way.
    const placeSnap = mode === 'drive' ? (grid.cellSizeM * Math.SQRT2) / 2 : MAX_SNAP_M[mode];
    const places = snapPlaces(g, Array.from({ length: n }, (_, i) => [grid.lon[i], grid.lat[i]] as const), mode, placeSnap);
    const snapped = snapPlaces(g, facilities.map((f) => [f.lon, f.lat] as const), mode, MAX_SNAP_M[mode]);
    facilities.forEach((_, j) => {
      if (!snapped[j]) return;
      const time = searchFrom(g, [snapped[j]], mode, search);
      for (let i = 0; i < n; i++) {
        const t = arrival(g, places[i], mode, time, mode === 'drive' ? 'none' : 'walk');
        if (t <= search) cost[i * m + j] = t;
      }
    });
  }
  const costSeconds = (performance.now() - t0) / 1000;

  const solved = await solveSiting(
    {
      demandIds: Array.from({ length: n }, (_, i) => String(i)),
      weights: grid.population,
      candidateIds: facilities.map((f) => f.id),
      cost,
      existing: existing.map((f) => f.id),
    },
    {
      model: o.model,
      p: o.model === 'lscp' ? undefined : o.p,
      threshold: limit,
      target: o.model === 'lscp' ? o.coverageTarget : undefined,
      method: o.method,
      timeLimitSeconds: o.timeLimitSeconds,
    },
  );

  // Coverage before (existing only) and after, cell by cell; new sites ranked greedily by what they add.
  const best = new Float64Array(n).fill(Infinity);
  for (let j = 0; j < existing.length; j++) for (let i = 0; i < n; i++) best[i] = Math.min(best[i], cost[i * m + j]);
  const coveredBefore = Uint8Array.from(best, (t) => (t <= limit ? 1 : 0));
  const covered = coveredBefore.slice();
  const index = new Map(facilities.map((f, j) => [f.id, j]));
  const left = solved.chosen.map((id) => index.get(id)!);
  const gains = (j: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) if (!covered[i] && cost[i * m + j] <= limit) s += grid.population[i];
    return s;
  };
  const chosen: ChosenSite[] = [];
  while (left.length) {
    let bestK = 0;
    let bestGain = -1;
    left.forEach((j, k) => {
      const g = gains(j);
      if (g > bestGain) (bestGain = g), (bestK = k);
    });
    const j = left.splice(bestK, 1)[0];
    for (let i = 0; i < n; i++) if (cost[i * m + j] <= limit) covered[i] = 1;
    const f = facilities[j];
    const town = towns.find((t) => booleanPointInPolygon([f.lon, f.lat], t.geometry));
    chosen.push({ id: f.id, lon: f.lon, lat: f.lat, rank: chosen.length + 1, addedPopulation: bestGain, town: town?.name ?? null, townCode: town?.code ?? null });
  }

  const byTown = new Map(towns.map((t) => [t.code, { population: 0, before: 0, after: 0 }]));
  let total = 0;
  let before = 0;
  let after = 0;
  for (let i = 0; i < n; i++) {
    const w = grid.population[i];
    const t = byTown.get(grid.units[grid.unit[i]]);
    total += w;
    if (coveredBefore[i]) before += w;
    if (covered[i]) after += w;
    if (t) {
      t.population += w;
      if (coveredBefore[i]) t.before += w;
      if (covered[i]) t.after += w;
    }
  }
  const share = (x: number) => (total ? x / total : 0);
  const notes = [...solved.notes];
  if (!covering) notes.push('travel times searched without a bound (every person is assigned to the nearest open site); the threshold only counts coverage');
  if (solved.uncoverable.length) notes.push(`${solved.uncoverable.length} populated cells lie beyond the reach of every site and candidate`);
  return {
    chosen,
    existing: existing.length,
    before: { covered: before, share: share(before) },
    after: { covered: after, share: share(after) },
    towns: towns.map((t) => {
      const x = byTown.get(t.code)!;
      return { code: t.code, name: t.name, population: x.population, coveredBefore: x.before, coveredAfter: x.after };
    }),
    objective: solved.objective,
    objectiveMeaning: MEANING[o.model],
    status: solved.status,
    gap: solved.gap,
    seconds: solved.seconds,
    costSeconds,
    method: solved.method,
    candidates: candidates.length,
    demandCells: n,
    searchMinutes: Number.isFinite(search) ? search / 60 : null,
    notes,
  };
}
