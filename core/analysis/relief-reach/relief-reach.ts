/**
 * Relief reach: how long relief supplies take to reach each town's residents from the nearest
 * depot that holds stock, driving. Towns whose residents are beyond the target are flagged: by
 * default the national 10 hours (国家综合防灾减灾规划（2021—2025年）, 国减发〔2022〕1号: 受灾群众
 * 10小时内得到基本生活救助); plans may set tighter ones (巫山: 4 hours).
 */
import type { Graph } from '../../network/graph.js';
import type { PopulationGrid } from '../../population/grid.js';
import { RELIEF_TARGET_HOURS } from '../../standards.js';
import { arrival, searchFrom, snapPlaces } from '../reach.js';

export interface DepotSite {
  id: string;
  name: string;
  status: string;
  lon: number;
  lat: number;
  inventory: readonly { item: string; quantity: number }[];
}

export interface ReliefReachOptions {
  targetHours?: number;
  /** Only depots holding this item count (e.g. "tent"); any stock when absent. */
  item?: string;
  /** Time to load and set off before driving, hours (default 0). */
  dispatchHours?: number;
  maxSnapM?: number;
}

export interface TownRelief {
  code: string;
  name: string;
  population: number;
  /** Hours to the town's farthest resident that a truck can reach; null when none can. */
  worstHours: number | null;
  /** Population-weighted mean hours over the residents that can be reached. */
  meanHours: number | null;
  /** Residents with no road within reach of a supply truck (counted as beyond the target). */
  populationUnreachable: number;
  populationBeyondTarget: number;
  withinTarget: boolean;
}

export interface ReliefReachResult {
  towns: TownRelief[];
  depots: { id: string; name: string }[];
  parameters: { targetHours: number; item: string | null; dispatchHours: number; basis: string };
}

export const RELIEF_BASIS = '国家综合防灾减灾规划（2021—2025年）(国减发〔2022〕1号): relief within 10 hours';

export function reliefReach(
  graph: Graph,
  grid: PopulationGrid,
  units: readonly { code: string; name: string }[],
  depots: readonly DepotSite[],
  options: ReliefReachOptions = {},
): ReliefReachResult {
  const target = options.targetHours ?? RELIEF_TARGET_HOURS;
  const dispatch = options.dispatchHours ?? 0;
  if (!(target > 0 && target <= 72)) throw new RangeError(`targetHours must be above 0 and at most 72, got ${target}`);
  if (!(dispatch >= 0 && dispatch < target)) throw new RangeError(`dispatchHours must be ≥ 0 and below the target, got ${dispatch}`);
  const stocked = depots.filter(
    (d) => d.status !== 'planned' && d.inventory.some((i) => i.quantity > 0 && (!options.item || i.item === options.item)),
  );
  const maxSnap = options.maxSnapM ?? 2000;
  const time = searchFrom(graph, snapPlaces(graph, stocked.map((d) => [d.lon, d.lat] as const), 'drive', maxSnap), 'drive', Infinity);
  const places = snapPlaces(graph, Array.from({ length: grid.count }, (_, i) => [grid.lon[i], grid.lat[i]] as const), 'drive', maxSnap);

  const acc = new Map(units.map((u) => [u.code, { pop: 0, reachedPop: 0, weighted: 0, worst: 0, unreachable: 0, beyond: 0 }]));
  for (let i = 0; i < grid.count; i++) {
    const a = acc.get(grid.units[grid.unit[i]]);
    if (!a) continue;
    const p = grid.population[i];
    // Supplies are handed over at the road; the last stretch on foot is not timed.
    const hours = arrival(graph, places[i], 'drive', time, 'none') / 3600 + dispatch;
    a.pop += p;
    if (!Number.isFinite(hours)) {
      a.unreachable += p;
      a.beyond += p;
      continue;
    }
    a.reachedPop += p;
    a.weighted += p * hours;
    a.worst = Math.max(a.worst, hours);
    if (hours > target) a.beyond += p;
  }
  return {
    towns: units.map((u) => {
      const a = acc.get(u.code)!;
      return {
        code: u.code,
        name: u.name,
        population: a.pop,
        worstHours: a.reachedPop ? a.worst : null,
        meanHours: a.reachedPop ? a.weighted / a.reachedPop : null,
        populationUnreachable: a.unreachable,
        populationBeyondTarget: a.beyond,
        withinTarget: a.beyond === 0,
      };
    }),
    depots: stocked.map((d) => ({ id: d.id, name: d.name })),
    parameters: { targetHours: target, item: options.item ?? null, dispatchHours: dispatch, basis: RELIEF_BASIS },
  };
}
