/**
 * Planner siting on a county: where should the next p fire stations, shelters or depots go?
 * Demand is the county's population grid (persons per cell); existing facilities are pre-selected
 * (they count but cost nothing); candidates are the populated cells of a coarser grid snapped to
 * the road network, or sites the planner gives. Costs are network travel times from each facility
 * (bounded searches, core/analysis/reach.ts), or straight-line times when asked. The models and
 * their optimality labels are those of core/analysis/siting; this module builds the instance and
 * tells the planner what the answer does, town by town and site by site — for the solver's sites
 * (`plannerSiting`) or for sites the planner has moved, removed or added (`evaluatePlan`, the
 * what-if), through one description so the two always agree.
 *
 * Sites may carry their own service threshold (a shelter's class radius) and capacity, and demand
 * cells their own threshold (a fire station's urban or rural drive minutes by the cell's town). A
 * cell is covered by a site when the travel time is within the limit of that pair: the smaller of
 * the site's own and the cell's own, the common threshold when neither has one. Covering models see
 * each cost scaled by (threshold ÷ that limit), so that the solver's one threshold means each
 * pair's own; p-median and p-center use the travel times as they are.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { MultiPolygon, Polygon } from 'geojson';
import { note, type Note } from '../../note.js';
import { haversineM, WALK_SPEED_MS, type Graph, type Mode } from '../../network/graph.js';
import type { Snap } from '../../network/snap.js';
import type { PopulationGrid } from '../../population/grid.js';
import { floorShare, percentOf } from '../siting/coverage.js';
import { evaluate } from '../siting/evaluate.js';
import { prepare } from '../siting/problem.js';
import { servedWithin } from '../siting/served.js';
import { solveSiting, type SitingModelName, type SitingProblem, type SitingResult } from '../siting/index.js';
import { arrival, searchFrom, snapPlaces } from '../reach.js';

export type SitingMode = Mode | 'straight-line';

export interface PlannerSite {
  id: string;
  lon: number;
  lat: number;
  /** This site's service threshold, minutes (default: the options' thresholdMinutes). */
  minutes?: number;
  /** Persons this site can serve (default: no limit). */
  capacity?: number;
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
  /** Service threshold, minutes of travel (of every pair whose site and cell have none of their own). */
  thresholdMinutes: number;
  /** Each demand cell's own threshold, minutes (grid order; covering models): e.g. urban or rural by its town. */
  demandMinutes?: ArrayLike<number>;
  mode: SitingMode;
  /** Straight-line mode: which speed turns metres into minutes. */
  straightLineMode?: Mode;
  method?: 'auto' | 'exact' | 'heuristic';
  /** Covers building the travel-time table and solving (default 60). */
  timeLimitSeconds?: number;
  /** Cell size of the candidate grid, metres (default 1500). */
  candidateCellM?: number;
  /** Travel times already computed for this grid and mode (see TravelTimes). */
  travel?: TravelTimes;
}

export interface ChosenSite {
  id: string;
  lon: number;
  lat: number;
  /** 1 = adds the most people on top of the existing facilities, 2 = the most on top of those, … */
  rank: number;
  /**
   * The site's number on the map and in the tables, kept while the planner moves sites: a solve's
   * rank; a what-if's position in the sites it was given (the client keeps the optimum's numbers).
   */
  number: number;
  /** People this site newly brings within the threshold, in rank order (they add up to after − before). */
  addedPopulation: number;
  town: string | null;
  townCode: string | null;
  /** This site's service threshold, minutes; null when each cell's own applies (the urban/rural rule). */
  serviceMinutes: number | null;
  /** Persons it can serve; null = no limit. */
  capacity: number | null;
  /** Persons it serves: its share of the capacitated assignment, else those within its threshold whose nearest such site it is. */
  served: number;
}

export interface Coverage {
  covered: number;
  share: number;
  /** Population-weighted mean minutes to the nearest open site, over people who reach one (within the search bound). */
  meanMinutes: number | null;
  /** Worst minutes to the nearest open site; null when someone reaches none. */
  worstMinutes: number | null;
}

export interface PlannerSitingResult {
  chosen: ChosenSite[];
  existing: number;
  before: Coverage;
  after: Coverage;
  towns: { code: string; name: string; population: number; coveredBefore: number; coveredAfter: number }[];
  objective: number | null;
  /** What the objective measures. */
  objectiveMeaning: Note;
  /** `evaluated`: a what-if answer for given sites, not a solver's. */
  status: SitingResult['status'] | 'evaluated';
  gap: number | null;
  /** Solver time. */
  seconds: number;
  /** Time to snap the sites and build the travel-time matrix. */
  costSeconds: number;
  timing: { table: number; solve: number; total: number };
  method: SitingResult['method'] | null;
  candidates: number;
  demandCells: number;
  /** Travel times beyond this are treated as unreachable, minutes (null: unbounded). */
  searchMinutes: number | null;
  notes: Note[];
}

/** Straight-line speeds: walking 5 km/h; driving 30 km/h, the design speed of a 三级公路 (see ROAD_CLASSES). */
const STRAIGHT_SPEED_MS: Record<Mode, number> = { walk: WALK_SPEED_MS, drive: 30 / 3.6 };
/** How far a site or a cell may be from a usable road, metres, as the coverage analyses use. */
const MAX_SNAP_M: Record<Mode, number> = { drive: 1000, walk: 500 };

/** What each model's objective measures (note.siting_meaning_<model>). */
const MEANING: Record<SitingModelName, Note> = {
  mclp: note('siting_meaning_mclp'),
  lscp: note('siting_meaning_lscp'),
  pmedian: note('siting_meaning_pmedian'),
  pcenter: note('siting_meaning_pcenter'),
};

/** The travel-time table could not be built within the time limit. */
export class TableTimeLimit extends Error {
  override name = 'TableTimeLimit';
  constructor(
    readonly done: number,
    readonly total: number,
    readonly seconds: number,
  ) {
    super(`the travel-time table reached ${done} of ${total} sites in ${seconds.toFixed(1)} s, the time limit`);
  }
}

/**
 * Travel times from sites to every cell of a grid, one search per site, kept for reuse (most
 * recently used first, up to `maxBytes`): a what-if that moves one site searches from that site only.
 */
export class TravelTimes {
  private places?: (Snap | null)[];
  private readonly columns = new Map<string, Float32Array>();
  private readonly maxColumns: number;
  /** Searches run so far (what a what-if costs). */
  searches = 0;

  constructor(
    readonly graph: Graph | undefined,
    readonly grid: PopulationGrid,
    readonly mode: SitingMode,
    readonly straightLineMode: Mode = 'drive',
    maxBytes = 96 * 2 ** 20,
  ) {
    if (mode !== 'straight-line' && !graph) throw new RangeError(`mode "${mode}" needs a road network; load one or ask for mode "straight-line"`);
    this.maxColumns = Math.max(16, Math.floor(maxBytes / (4 * Math.max(1, grid.count))));
  }

  /**
   * Seconds from the site to each grid entry, Infinity beyond `boundSeconds` or unreachable.
   * `keep` = false computes without keeping (a solve's many candidates would only push out the
   * sites a what-if needs again).
   */
  column(site: { lon: number; lat: number }, boundSeconds: number, keep = true): Float32Array {
    const key = `${site.lon},${site.lat},${boundSeconds}`;
    const hit = this.columns.get(key);
    if (hit) {
      this.columns.delete(key);
      this.columns.set(key, hit);
      return hit;
    }
    const col = this.search(site, boundSeconds);
    if (keep) this.keep(site, boundSeconds, col);
    return col;
  }

  keep(site: { lon: number; lat: number }, boundSeconds: number, col: Float32Array): void {
    const key = `${site.lon},${site.lat},${boundSeconds}`;
    this.columns.delete(key);
    this.columns.set(key, col);
    if (this.columns.size > this.maxColumns) this.columns.delete(this.columns.keys().next().value!);
  }

  private search(site: { lon: number; lat: number }, bound: number): Float32Array {
    this.searches++;
    const { grid } = this;
    const n = grid.count;
    const col = new Float32Array(n).fill(Infinity);
    if (this.mode === 'straight-line') {
      const speed = STRAIGHT_SPEED_MS[this.straightLineMode];
      for (let i = 0; i < n; i++) {
        const t = haversineM(grid.lon[i], grid.lat[i], site.lon, site.lat) / speed;
        if (t <= bound) col[i] = t;
      }
      return col;
    }
    const g = this.graph!;
    const mode = this.mode;
    // As in fire-coverage.ts: a vehicle serves a cell at the road beside it (within the cell);
    // a person walks the whole way.
    const placeSnap = mode === 'drive' ? (grid.cellSizeM * Math.SQRT2) / 2 : MAX_SNAP_M[mode];
    this.places ??= snapPlaces(g, Array.from({ length: n }, (_, i) => [grid.lon[i], grid.lat[i]] as const), mode, placeSnap);
    const [snapped] = snapPlaces(g, [[site.lon, site.lat]], mode, MAX_SNAP_M[mode]);
    if (!snapped) return col;
    const time = searchFrom(g, [snapped], mode, bound);
    for (let i = 0; i < n; i++) {
      const t = arrival(g, this.places[i], mode, time, mode === 'drive' ? 'none' : 'walk');
      if (t <= bound) col[i] = t;
    }
    return col;
  }
}

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

/** The instance both the solver and the what-if read: existing sites first, then the others. */
interface Table {
  grid: PopulationGrid;
  facilities: PlannerSite[];
  existing: number;
  travel: TravelTimes;
  /** Search bound of each facility, seconds. */
  bounds: number[];
  /** Raw seconds from each facility to each grid entry. */
  cols: Float32Array[];
  /** Each facility's own service threshold, seconds; Infinity when it has none. */
  own: number[];
  /** Seconds within which facility j covers cell i. */
  limit: (i: number, j: number) => number;
  /** Whether cells have their own thresholds. */
  perDemand: boolean;
  /** The common threshold, seconds. */
  threshold: number;
  covering: boolean;
  problem: SitingProblem;
  capacitated: boolean;
  seconds: number;
}

function buildTable(
  graph: Graph | undefined,
  grid: PopulationGrid,
  existing: readonly PlannerSite[],
  others: readonly PlannerSite[],
  o: PlannerSitingOptions,
  t0: number,
  deadline: number,
  keepOthers: boolean,
): Table {
  const travel = o.travel ?? new TravelTimes(graph, grid, o.mode, o.straightLineMode);
  const threshold = o.thresholdMinutes * 60;
  const covering = o.model === 'mclp' || o.model === 'lscp';
  const facilities = [...existing, ...others];
  const own = facilities.map((f) => (f.minutes === undefined ? Infinity : f.minutes * 60));
  const cell = o.demandMinutes && Float64Array.from(o.demandMinutes, (x) => x * 60);
  if (cell && cell.length !== grid.count) throw new RangeError(`demandMinutes has ${cell.length} entries for ${grid.count} grid cells`);
  const limit = cell
    ? (i: number, j: number) => Math.min(own[j], cell[i])
    : (_i: number, j: number) => (own[j] === Infinity ? threshold : own[j]);
  // A site covers nothing beyond the largest limit it takes part in.
  const widest = cell?.reduce((a, x) => Math.max(a, x), 0);
  const bounds = own.map((l) => (!covering ? Infinity : widest === undefined ? (l === Infinity ? threshold : l) : Math.min(l, widest)));
  const cols = facilities.map((f, j) => {
    if (performance.now() > deadline) throw new TableTimeLimit(j, facilities.length, (performance.now() - t0) / 1000);
    // p-median and p-center must assign every person to some open site, however far: unbounded searches.
    return travel.column(f, bounds[j], j < existing.length || keepOthers);
  });
  const n = grid.count;
  const m = facilities.length;
  const cost = new Float32Array(n * m);
  cols.forEach((col, j) => {
    for (let i = 0; i < n; i++) {
      const l = covering ? limit(i, j) : threshold;
      cost[i * m + j] = l === threshold ? col[i] : col[i] * (threshold / l);
    }
  });
  const capacitated = facilities.some((f) => f.capacity !== undefined);
  return {
    grid,
    facilities,
    existing: existing.length,
    travel,
    bounds,
    cols,
    own,
    limit,
    perDemand: Boolean(cell),
    threshold,
    covering,
    capacitated,
    problem: {
      demandIds: Array.from({ length: n }, (_, i) => String(i)),
      weights: grid.population,
      candidateIds: facilities.map((f) => f.id),
      cost,
      existing: existing.map((f) => f.id),
      capacities: capacitated ? Float64Array.from(facilities, (f) => f.capacity ?? Infinity) : undefined,
    },
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Solves the model on the grid, existing sites pre-selected, new ones chosen among `candidates`. */
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
  const limit = (o.timeLimitSeconds ?? 60) * 1000;
  const table = buildTable(graph, grid, existing, candidates, o, t0, t0 + limit, false);
  const solved = await solveSiting(table.problem, {
    model: o.model,
    p: o.model === 'lscp' ? undefined : o.p,
    threshold: table.threshold,
    target: o.model === 'lscp' ? o.coverageTarget : undefined,
    method: o.method,
    // Whatever the table left; the heuristic answers even when that is little.
    timeLimitSeconds: Math.max((t0 + limit - performance.now()) / 1000, 0.05),
  });
  const index = new Map(table.facilities.map((f, j) => [f.id, j]));
  const chosenIdx = solved.status === 'infeasible' ? [] : solved.chosen.map((id) => index.get(id)!);
  // The chosen sites are where the planner's what-if starts.
  for (const j of chosenIdx) table.travel.keep(table.facilities[j], table.bounds[j], table.cols[j]);
  const d = await describe(table, towns, chosenIdx, 'rank');
  const notes = [...solved.notes, ...d.notes];
  if (!table.covering) notes.push(note('siting_unbounded_search'));
  if (solved.uncoverable.length) notes.push(note('siting_cells_out_of_reach', { count: solved.uncoverable.length }));
  const total = (performance.now() - t0) / 1000;
  return {
    ...d.report,
    objective: solved.objective,
    objectiveMeaning: MEANING[o.model],
    status: solved.status,
    gap: solved.gap,
    seconds: solved.seconds,
    costSeconds: table.seconds,
    timing: { table: table.seconds, solve: total - table.seconds, total },
    method: solved.method,
    candidates: candidates.length,
    searchMinutes: table.covering ? Math.max(...table.bounds) / 60 : null,
    notes,
  };
}

/**
 * What-if: the model's objective and the coverage for the existing sites plus exactly `sites`
 * (the planner's moved, removed or added ones), described as a solver's answer is. For the
 * solver's own sites the objective equals the solver's.
 */
export async function evaluatePlan(
  graph: Graph | undefined,
  grid: PopulationGrid,
  towns: readonly PlannerTown[],
  existing: readonly PlannerSite[],
  sites: readonly PlannerSite[],
  o: PlannerSitingOptions,
): Promise<PlannerSitingResult> {
  if (o.mode !== 'straight-line' && !graph) throw new RangeError(`mode "${o.mode}" needs a road network; load one or ask for mode "straight-line"`);
  const t0 = performance.now();
  const limit = (o.timeLimitSeconds ?? 60) * 1000;
  const table = buildTable(graph, grid, existing, sites, o, t0, t0 + limit, true);
  const m = table.facilities.length;
  const newIdx = sites.map((_, k) => table.existing + k);
  const d = await describe(table, towns, newIdx, 'given');
  const notes = [...d.notes];
  let objective: number | null;
  if (o.model === 'lscp') {
    objective = sites.length;
    const target = o.coverageTarget ?? 1;
    notes.push(note(d.report.after.share + 1e-12 >= target ? 'siting_whatif_target_met' : 'siting_whatif_target_not_met', { percent: percentOf(floorShare(d.report.after.share)), targetPercent: percentOf(target) }));
  } else if (table.capacitated && o.model === 'mclp') {
    objective = d.servedAfter;
  } else if (table.capacitated && o.model === 'pmedian') {
    const solved = await solveSiting(
      { ...table.problem, existing: table.problem.candidateIds },
      { model: 'pmedian', p: 0, threshold: table.threshold, timeLimitSeconds: Math.max((t0 + limit - performance.now()) / 1000, 0.05) },
    );
    objective = solved.objective;
    if (solved.status === 'infeasible') notes.push(note('siting_whatif_capacity_short'));
  } else if (m === 0) {
    // Nothing open: nobody covered; no travel time to sum or to take the worst of.
    objective = o.model === 'mclp' ? 0 : null;
  } else {
    const inst = prepare(table.problem);
    const e = evaluate(inst, new Uint8Array(m).fill(1), table.threshold);
    if (o.model === 'mclp') objective = e.covered;
    else if (o.model === 'pmedian') objective = e.totalCost;
    else {
      let worst = 0;
      for (let i = 0; i < inst.n; i++) if (inst.weights[i] > 0 && e.nearest[i] >= 0) worst = Math.max(worst, e.nearestCost[i]);
      objective = worst;
    }
    if (!table.covering && e.unreachedWeight > 0) notes.push(note('siting_whatif_unreached', { persons: e.unreachedWeight }));
  }
  const total = (performance.now() - t0) / 1000;
  return {
    ...d.report,
    objective,
    objectiveMeaning: MEANING[o.model],
    status: 'evaluated',
    gap: null,
    seconds: total - table.seconds,
    costSeconds: table.seconds,
    timing: { table: table.seconds, solve: total - table.seconds, total },
    method: null,
    candidates: sites.length,
    searchMinutes: table.covering ? Math.max(...table.bounds) / 60 : null,
    notes,
  };
}

type Described = Pick<PlannerSitingResult, 'chosen' | 'existing' | 'before' | 'after' | 'towns' | 'demandCells'>;

/**
 * Coverage before (existing sites) and after (plus `chosen`, facility indices), town by town;
 * the new sites ranked greedily by the people each adds. With capacities, "covered" is what the
 * capacitated assignment serves within the threshold (servedWithin), and sites are added in the
 * order of what they serve in the full assignment.
 */
async function describe(t: Table, towns: readonly PlannerTown[], chosen: number[], numberBy: 'rank' | 'given'): Promise<{ report: Described; notes: Note[]; servedAfter: number }> {
  const { grid, facilities, cols, limit } = t;
  const n = grid.count;
  const w = grid.population;
  const existingIdx = Array.from({ length: t.existing }, (_, j) => j);
  const within = (i: number, j: number): boolean => cols[j][i] <= limit(i, j);
  const townOf = new Map(towns.map((x, k) => [x.code, k]));
  const cellTown = Int32Array.from({ length: n }, (_, i) => townOf.get(grid.units[grid.unit[i]]) ?? -1);
  /**
   * Persons covered per town and in all. Capacitated shares are fractional: the total is rounded
   * and the towns get whole persons by largest remainder, so that they add up to it.
   */
  const tally = (amount: Float64Array): { total: number; byTown: number[] } => {
    const raw = new Float64Array(towns.length + 1);
    for (let i = 0; i < n; i++) raw[cellTown[i] < 0 ? towns.length : cellTown[i]] += amount[i];
    const total = Math.round(raw.reduce((s, x) => s + x, 0));
    const byTown = Array.from(raw, Math.floor);
    let left = total - byTown.reduce((s, x) => s + x, 0);
    const order = Array.from(raw.keys()).sort((a, b) => raw[b] - byTown[b] - (raw[a] - byTown[a]));
    for (const k of order) if (left-- > 0) byTown[k]++;
    return { total, byTown };
  };
  const notes: Note[] = [];
  const served = new Float64Array(facilities.length);
  let beforeAmount: Float64Array;
  let afterAmount: Float64Array;
  let ranked: { j: number; added: number }[];
  let servedAfter: number;

  if (!t.capacitated) {
    const covered = new Uint8Array(n);
    for (const j of existingIdx) for (let i = 0; i < n; i++) if (within(i, j)) covered[i] = 1;
    beforeAmount = Float64Array.from(covered, (c, i) => c * w[i]);
    const left = [...chosen];
    ranked = [];
    while (left.length) {
      let bestK = 0;
      let bestGain = -1;
      left.forEach((j, k) => {
        let g = 0;
        for (let i = 0; i < n; i++) if (!covered[i] && within(i, j)) g += w[i];
        if (g > bestGain) (bestGain = g), (bestK = k);
      });
      const j = left.splice(bestK, 1)[0];
      for (let i = 0; i < n; i++) if (within(i, j)) covered[i] = 1;
      ranked.push({ j, added: bestGain });
    }
    afterAmount = Float64Array.from(covered, (c, i) => c * w[i]);
    servedAfter = afterAmount.reduce((s, x) => s + x, 0);
    const open = [...existingIdx, ...chosen];
    for (let i = 0; i < n; i++) {
      let best = -1;
      for (const j of open) if (within(i, j) && (best < 0 || cols[j][i] < cols[best][i])) best = j;
      if (best >= 0) served[best] += w[i];
    }
  } else {
    const run = async (set: number[]) => {
      const r = await servedWithin(subProblem(t, set), t.threshold);
      return { ...r, amount: Float64Array.from(r.fraction, (f, i) => f * w[i]) };
    };
    const before = await run(existingIdx);
    const all = await run([...existingIdx, ...chosen]);
    beforeAmount = before.amount;
    afterAmount = all.amount;
    servedAfter = all.covered;
    all.load.forEach((x, k) => (served[k < t.existing ? k : chosen[k - t.existing]] = x));
    const order = [...chosen].sort((a, b) => served[b] - served[a]);
    ranked = [];
    let prev = tally(beforeAmount).total;
    for (let k = 0; k < order.length; k++) {
      const amount = k === order.length - 1 ? afterAmount : (await run([...existingIdx, ...order.slice(0, k + 1)])).amount;
      const now = tally(amount).total;
      ranked.push({ j: order[k], added: now - prev });
      prev = now;
    }
    notes.push(note('siting_capacitated_covered'));
  }

  const b = tally(beforeAmount);
  const a = tally(afterAmount);
  let population = 0;
  for (let i = 0; i < n; i++) population += w[i];
  const townPop = tally(Float64Array.from(w)).byTown;
  const share = (x: number) => (population ? x / population : 0);
  const times = (open: number[]): Pick<Coverage, 'meanMinutes' | 'worstMinutes'> => {
    let sum = 0;
    let weight = 0;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      let best = Infinity;
      for (const j of open) if (cols[j][i] < best) best = cols[j][i];
      if (best === Infinity) worst = Infinity;
      else {
        sum += w[i] * best;
        weight += w[i];
        worst = Math.max(worst, best);
      }
    }
    return { meanMinutes: weight ? sum / weight / 60 : null, worstMinutes: worst === Infinity || !open.length ? null : worst / 60 };
  };
  return {
    report: {
      chosen: ranked.map(({ j, added }, k) => {
        const f = facilities[j];
        const town = towns.find((x) => booleanPointInPolygon([f.lon, f.lat], x.geometry));
        return {
          id: f.id,
          lon: f.lon,
          lat: f.lat,
          rank: k + 1,
          number: numberBy === 'rank' ? k + 1 : chosen.indexOf(j) + 1,
          addedPopulation: added,
          town: town?.name ?? null,
          townCode: town?.code ?? null,
          serviceMinutes: t.own[j] !== Infinity ? t.own[j] / 60 : t.perDemand ? null : t.threshold / 60,
          capacity: f.capacity ?? null,
          served: Math.round(served[j]),
        };
      }),
      existing: t.existing,
      before: { covered: b.total, share: share(b.total), ...times(existingIdx) },
      after: { covered: a.total, share: share(a.total), ...times([...existingIdx, ...chosen]) },
      towns: towns.map((x, k) => ({ code: x.code, name: x.name, population: townPop[k], coveredBefore: b.byTown[k], coveredAfter: a.byTown[k] })),
      demandCells: n,
    },
    notes,
    servedAfter,
  };
}

/** The covering instance restricted to the facilities `set` (costs scaled to each pair's own threshold). */
function subProblem(t: Table, set: number[]): SitingProblem {
  const n = t.grid.count;
  const k = set.length;
  const cost = new Float64Array(n * k);
  set.forEach((j, c) => {
    for (let i = 0; i < n; i++) cost[i * k + c] = t.cols[j][i] * (t.threshold / t.limit(i, j));
  });
  return {
    demandIds: t.problem.demandIds,
    weights: t.problem.weights,
    candidateIds: set.map((j) => t.facilities[j].id),
    cost,
    capacities: Float64Array.from(set, (j) => t.facilities[j].capacity ?? Infinity),
  };
}
