/**
 * Relief reach: whether each town's residents get their basic living relief within the target
 * time, item by item. The target is by default the national 10 hours (国家综合防灾减灾规划
 * （2021—2025年）, 国减发〔2022〕1号: 受灾群众10小时内得到基本生活救助); plans may set tighter ones
 * (巫山: 4 hours).
 *
 * - Need: the persons needing relief in each population cell (its residents × `evacuateShare`)
 *   times the per-person rates of core/incident/supply.ts (Sphere Handbook 2018; consumables for
 *   `days` days) — the same rates as the incident view.
 * - Supply: every in-service depot's stock, shared out nearest-first without double counting: all
 *   (depot, cell) pairs the depot reaches within the target (dispatch + driving) are taken in
 *   order of arrival time (ties: depot order, then cell order), and each gives the cell what it
 *   still needs of the item, up to what the depot still holds. A unit of stock is allocated once.
 * - Reported per town and per item: need, reachable supply, covered share; the item that binds
 *   (the smallest covered share); county totals; and, as before, the hours to the farthest and the
 *   average resident from the nearest stocked depot.
 */
import type { Graph } from '../../network/graph.js';
import type { PopulationGrid } from '../../population/grid.js';
import { DEFAULT_EVACUATE_SHARE } from '../../incident/assess.js';
import type { SupplyRate } from '../../incident/schema.js';
import { DEFAULT_DAYS, ratesWith, stockOf } from '../../incident/supply.js';
import { note, type Note } from '../../note.js';
import { RELIEF_TARGET_HOURS } from '../../standards.js';
import { arrival, searchFrom, snapPlaces } from '../reach.js';

export interface DepotSite {
  id: string;
  name: string;
  status: string;
  lon: number;
  lat: number;
  inventory: readonly { item: string; quantity: number }[];
  /** 区县级 / 乡镇（街道）级 / 村（社区）级, for the depot standard; absent: not county-level. */
  level?: string;
}

export interface ReliefReachOptions {
  targetHours?: number;
  /** Weigh only this item (and time only the depots holding it); every rated item when absent. */
  item?: string;
  /** Time to load and set off before driving, hours (default 0). */
  dispatchHours?: number;
  maxSnapM?: number;
  /** Share of the residents needing relief (0–1); default DEFAULT_EVACUATE_SHARE = 1, every resident. */
  evacuateShare?: number;
  /** Days of consumables the need covers; default DEFAULT_DAYS = 1. */
  days?: number;
  /** Per-person rates; default the Sphere rates of core/incident/supply.ts. */
  rates?: readonly SupplyRate[];
}

/** One item's need against the stock allocated within the target. */
export interface ItemCover {
  item: string;
  /** Whole units needed (rounded up). */
  need: number;
  /** Whole units allocated from depots within the target (rounded down, at most the need). */
  supply: number;
  /** supply / need; 1 when nothing is needed. */
  covered: number;
}

export interface TownRelief {
  code: string;
  name: string;
  population: number;
  /** Residents needing relief: population × evacuateShare. */
  persons: number;
  /** Hours to the town's farthest resident that a truck can reach; null when none can. */
  worstHours: number | null;
  /** Population-weighted mean hours over the residents that can be reached. */
  meanHours: number | null;
  /** Residents with no road within reach of a supply truck (counted as beyond the target). */
  populationUnreachable: number;
  populationBeyondTarget: number;
  withinTarget: boolean;
  items: ItemCover[];
  /** The item with the smallest covered share (first in rate order on a tie); null without rates. */
  binding: string | null;
  /** The binding item's covered share: the share of the need met for every item. */
  covered: number;
  /** Why the town falls short, if it does. */
  shortfalls: Note[];
}

export interface DepotUse {
  id: string;
  name: string;
  /** Stock and how much of it went to cells within the target, per weighed item. */
  items: { item: string; stock: number; allocated: number }[];
}

export interface ReliefReachResult {
  towns: TownRelief[];
  county: { population: number; persons: number; items: ItemCover[]; binding: string | null; covered: number };
  depots: DepotUse[];
  parameters: {
    targetHours: number;
    item: string | null;
    dispatchHours: number;
    evacuateShare: number;
    days: number;
    rates: SupplyRate[];
    basis: Note[];
  };
}

export const RELIEF_NATIONAL_HOURS = RELIEF_TARGET_HOURS;

/** Whole units, float noise rounded away first. */
const clean = (x: number): number => Math.round(x * 1e6) / 1e6;

function cover(item: string, need: number, allocated: number): ItemCover {
  const n = Math.ceil(clean(need));
  const s = Math.min(n, Math.floor(clean(allocated)));
  return { item, need: n, supply: s, covered: n > 0 ? s / n : 1 };
}

function binding(items: readonly ItemCover[]): { binding: string | null; covered: number } {
  let best: ItemCover | null = null;
  for (const i of items) if (!best || i.covered < best.covered) best = i;
  return best ? { binding: best.item, covered: best.covered } : { binding: null, covered: 1 };
}

function grow<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Pair indices (pushed depot by depot, cell by cell) by arrival time to the millisecond, ties in
 * index order (depot, then cell): time and index packed into one float64 and sorted natively,
 * which is many times faster than a comparator over hundreds of thousands of pairs.
 */
function nearestFirst(seconds: Float64Array): Uint32Array {
  const n = seconds.length;
  const shift = 2 ** Math.ceil(Math.log2(n + 1));
  const maxMs = seconds.reduce((m, s) => Math.max(m, Math.round(s * 1000)), 0);
  if ((maxMs + 1) * shift > Number.MAX_SAFE_INTEGER) {
    return Uint32Array.from(Array.from(seconds.keys()).sort((a, b) => seconds[a] - seconds[b] || a - b));
  }
  const keys = new Float64Array(n);
  for (let j = 0; j < n; j++) keys[j] = Math.round(seconds[j] * 1000) * shift + j;
  keys.sort();
  return Uint32Array.from(keys, (k) => k % shift);
}

export function reliefReach(
  graph: Graph,
  grid: PopulationGrid,
  units: readonly { code: string; name: string }[],
  depots: readonly DepotSite[],
  options: ReliefReachOptions = {},
): ReliefReachResult {
  const target = options.targetHours ?? RELIEF_TARGET_HOURS;
  const dispatch = options.dispatchHours ?? 0;
  const share = options.evacuateShare ?? DEFAULT_EVACUATE_SHARE;
  const days = options.days ?? DEFAULT_DAYS;
  if (!(target > 0 && target <= 72)) throw new RangeError(`targetHours must be above 0 and at most 72, got ${target}`);
  if (!(dispatch >= 0 && dispatch < target)) throw new RangeError(`dispatchHours must be ≥ 0 and below the target, got ${dispatch}`);
  if (!(share >= 0 && share <= 1)) throw new RangeError(`evacuateShare must be between 0 and 1, got ${share}`);
  if (!(days > 0)) throw new RangeError(`days must be above 0, got ${days}`);
  const allRates = options.rates ?? ratesWith();
  const rates = options.item ? allRates.filter((r) => r.item === options.item) : [...allRates];
  const weighed = new Set(rates.map((r) => r.item));
  // Depots holding some of a weighed item; planned ones hold nothing yet.
  const stocked = depots.filter((d) => d.status !== 'planned' && d.inventory.some((i) => i.quantity > 0 && weighed.has(i.item)));
  const maxSnap = options.maxSnapM ?? 2000;
  const depotPlaces = snapPlaces(graph, stocked.map((d) => [d.lon, d.lat] as const), 'drive', maxSnap);
  const places = snapPlaces(graph, Array.from({ length: grid.count }, (_, i) => [grid.lon[i], grid.lat[i]] as const), 'drive', maxSnap);
  // Supplies are handed over at the road; the last stretch on foot is not timed.
  const hoursAt = (time: Float64Array, i: number) => arrival(graph, places[i], 'drive', time, 'none') / 3600 + dispatch;

  const unitIndex = new Map(units.map((u, k) => [u.code, k]));
  const townOf = Int32Array.from({ length: grid.count }, (_, i) => unitIndex.get(grid.units[grid.unit[i]]) ?? -1);
  const acc = units.map(() => ({ pop: 0, reachedPop: 0, weighted: 0, worst: 0, unreachable: 0, beyond: 0 }));
  const nearest = searchFrom(graph, depotPlaces, 'drive', Infinity);
  for (let i = 0; i < grid.count; i++) {
    if (townOf[i] < 0) continue;
    const a = acc[townOf[i]];
    const p = grid.population[i];
    const hours = hoursAt(nearest, i);
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

  // Every (depot, cell) pair within the target, nearest first.
  let pairSeconds = new Float64Array(grid.count);
  let pairDepot = new Int32Array(grid.count);
  let pairCell = new Int32Array(grid.count);
  let pairs = 0;
  const bound = (target - dispatch) * 3600;
  stocked.forEach((_, d) => {
    const time = searchFrom(graph, [depotPlaces[d]], 'drive', bound);
    for (let i = 0; i < grid.count; i++) {
      if (townOf[i] < 0 || grid.population[i] <= 0) continue;
      const h = hoursAt(time, i);
      if (h <= target) {
        if (pairs === pairSeconds.length) [pairSeconds, pairDepot, pairCell] = [grow(pairSeconds), grow(pairDepot), grow(pairCell)];
        pairSeconds[pairs] = h * 3600;
        pairDepot[pairs] = d;
        pairCell[pairs++] = i;
      }
    }
  });
  const order = nearestFirst(pairSeconds.subarray(0, pairs));

  const townNeed = rates.map(() => new Float64Array(units.length));
  const townSupply = rates.map(() => new Float64Array(units.length));
  const depotAllocated = rates.map(() => new Float64Array(stocked.length));
  rates.forEach((r, k) => {
    const each = r.perPerson * (r.perDay ? days : 1);
    const need = new Float64Array(grid.count);
    for (let i = 0; i < grid.count; i++) {
      if (townOf[i] < 0) continue;
      need[i] = grid.population[i] * share * each;
      townNeed[k][townOf[i]] += need[i];
    }
    const left = Float64Array.from(stocked, (d) => stockOf(d.inventory, r.item));
    for (let o = 0; o < pairs; o++) {
      const j = order[o];
      const d = pairDepot[j];
      const i = pairCell[j];
      const give = Math.min(left[d], need[i]);
      if (give <= 0) continue;
      left[d] -= give;
      need[i] -= give;
      townSupply[k][townOf[i]] += give;
      depotAllocated[k][d] += give;
    }
  });

  const towns: TownRelief[] = units.map((u, t) => {
    const a = acc[t];
    const items = rates.map((r, k) => cover(r.item, townNeed[k][t], townSupply[k][t]));
    const b = binding(items);
    const shortfalls: Note[] = [];
    if (a.unreachable > 0) shortfalls.push(note('relief_unreachable', { persons: a.unreachable }));
    for (const i of items) if (i.supply < i.need) shortfalls.push(note('relief_item_short', { item: i.item, need: i.need, supply: i.supply, hours: target }));
    return {
      code: u.code,
      name: u.name,
      population: a.pop,
      persons: clean(a.pop * share),
      worstHours: a.reachedPop ? a.worst : null,
      meanHours: a.reachedPop ? a.weighted / a.reachedPop : null,
      populationUnreachable: a.unreachable,
      populationBeyondTarget: a.beyond,
      withinTarget: a.beyond === 0,
      items,
      ...b,
      shortfalls,
    };
  });
  const countyItems = rates.map((r, k) => {
    const need = towns.reduce((s, t) => s + t.items[k].need, 0);
    const supply = towns.reduce((s, t) => s + t.items[k].supply, 0);
    return { item: r.item, need, supply, covered: need > 0 ? supply / need : 1 };
  });
  const population = towns.reduce((s, t) => s + t.population, 0);
  return {
    towns,
    county: { population, persons: clean(population * share), items: countyItems, ...binding(countyItems) },
    depots: stocked.map((d, n) => ({
      id: d.id,
      name: d.name,
      items: rates.map((r, k) => ({ item: r.item, stock: stockOf(d.inventory, r.item), allocated: clean(depotAllocated[k][n]) })),
    })),
    parameters: {
      targetHours: target,
      item: options.item ?? null,
      dispatchHours: dispatch,
      evacuateShare: share,
      days,
      rates: [...rates],
      basis: [
        note('relief_basis_target', { hours: target, national: RELIEF_NATIONAL_HOURS }),
        note('relief_basis_need', { share, days }),
        note('relief_basis_allocation', { hours: target }),
      ],
    },
  };
}
