/**
 * A siting instance: who needs service (demand points with weights, e.g. persons per cell or
 * tract), where a facility could go (candidate sites), and the travel cost between every demand
 * point and every candidate. Every model in this folder reads the same instance.
 */

/** cost[i * candidates + j]: travel cost from demand i to candidate j; Infinity where unreachable. */
export type CostMatrix = Float64Array | Float32Array;

export interface SitingProblem {
  demandIds: readonly string[];
  /** Weight of each demand point (persons, households, …): finite and ≥ 0. */
  weights: ArrayLike<number>;
  candidateIds: readonly string[];
  /** Row-major demand × candidate travel costs (metres, seconds, …): ≥ 0, or Infinity if unreachable. */
  cost: CostMatrix;
  /** Candidates already open: they serve demand in every model but cost nothing and are not among the p new sites. */
  existing?: readonly string[];
  /** Capacity of each candidate in weight units (e.g. persons a shelter holds); Infinity for none. */
  capacities?: ArrayLike<number>;
}

/** What a SitingError is about: a solver option or a part of the problem. */
export type SitingParameter =
  | 'model'
  | 'method'
  | 'p'
  | 'threshold'
  | 'target'
  | 'capacities'
  | 'nearest'
  | 'timeLimitSeconds'
  | 'gapTolerance'
  | 'demand'
  | 'candidates'
  | 'weights'
  | 'cost'
  | 'existing'
  | 'table';

/** Bad input: the message says what is wrong and where; `parameter` says which input, as data. */
export class SitingError extends Error {
  override name = 'SitingError';
  constructor(
    message: string,
    readonly parameter: SitingParameter,
    /** The exact model would be too large to build (the advice is then about its size). */
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** A checked, indexed view of a problem that the models share. */
export interface Instance {
  problem: SitingProblem;
  /** Demand points. */
  n: number;
  /** Candidates, existing ones included. */
  m: number;
  weights: Float64Array;
  totalWeight: number;
  cost: CostMatrix;
  /** 1 where the candidate is an existing facility. */
  isExisting: Uint8Array;
  existingIdx: number[];
  /** Candidates that may be chosen as new sites. */
  newIdx: number[];
  capacities?: Float64Array;
  /** 1 where the demand point reaches at least one candidate. */
  reachable: Uint8Array;
}

export function prepare(problem: SitingProblem): Instance {
  const { demandIds, candidateIds, cost } = problem;
  const n = demandIds.length;
  const m = candidateIds.length;
  if (n === 0) throw new SitingError('the problem has no demand points', 'demand');
  if (m === 0) throw new SitingError('the problem has no candidate sites', 'candidates');
  uniqueIds(demandIds, 'demand');
  const candidateIndex = uniqueIds(candidateIds, 'candidate');
  if (problem.weights.length !== n) {
    throw new SitingError(`weights has ${problem.weights.length} entries but there are ${n} demand points`, 'weights');
  }
  if (cost.length !== n * m) {
    throw new SitingError(`cost has ${cost.length} entries; expected ${n} demand points × ${m} candidates = ${n * m}`, 'cost');
  }
  const weights = Float64Array.from(problem.weights);
  let totalWeight = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i];
    if (!Number.isFinite(w) || w < 0) {
      throw new SitingError(`weight of demand '${demandIds[i]}' is ${w}: weights must be finite numbers ≥ 0`, 'weights');
    }
    totalWeight += w;
  }
  const reachable = new Uint8Array(n);
  for (let k = 0; k < cost.length; k++) {
    const c = cost[k];
    // NaN fails both comparisons; Infinity (unreachable) passes.
    if (!(c >= 0)) {
      const i = Math.floor(k / m);
      throw new SitingError(
        `cost from demand '${demandIds[i]}' to candidate '${candidateIds[k - i * m]}' is ${c}: costs must be ≥ 0 (Infinity = unreachable)`,
        'cost',
      );
    }
    if (c !== Infinity) reachable[Math.floor(k / m)] = 1;
  }
  const isExisting = new Uint8Array(m);
  for (const id of problem.existing ?? []) {
    const j = candidateIndex.get(id);
    if (j === undefined) throw new SitingError(`existing facility '${id}' is not one of the ${m} candidates`, 'existing');
    isExisting[j] = 1;
  }
  let capacities: Float64Array | undefined;
  if (problem.capacities) {
    if (problem.capacities.length !== m) {
      throw new SitingError(`capacities has ${problem.capacities.length} entries but there are ${m} candidates`, 'capacities');
    }
    capacities = Float64Array.from(problem.capacities);
    capacities.forEach((c, j) => {
      if (!(c >= 0)) throw new SitingError(`capacity of candidate '${candidateIds[j]}' is ${c}: capacities must be ≥ 0 (Infinity = none)`, 'capacities');
    });
  }
  const existingIdx: number[] = [];
  const newIdx: number[] = [];
  for (let j = 0; j < m; j++) (isExisting[j] ? existingIdx : newIdx).push(j);
  return { problem, n, m, weights, totalWeight, cost, isExisting, existingIdx, newIdx, capacities, reachable };
}

function uniqueIds(ids: readonly string[], what: 'demand' | 'candidate'): Map<string, number> {
  const index = new Map<string, number>();
  ids.forEach((id, k) => {
    if (index.has(id)) throw new SitingError(`${what} id '${id}' appears twice (positions ${index.get(id)! + 1} and ${k + 1})`, what === 'demand' ? 'demand' : 'candidates');
    index.set(id, k);
  });
  return index;
}

/** One demand–candidate pair of a long origin–destination table. */
export interface CostPair {
  demand: string;
  candidate: string;
  cost: number;
}

/**
 * Builds a problem from a long table (one row per demand–candidate pair, as routing tools export
 * it). Pairs missing from the table are unreachable. Demand points are ordered as `weights`
 * lists them, candidates in order of first appearance unless `candidateIds` is given.
 */
export function problemFromPairs(
  pairs: Iterable<CostPair>,
  weights: ReadonlyMap<string, number>,
  options: { candidateIds?: readonly string[]; existing?: readonly string[]; capacities?: ReadonlyMap<string, number> } = {},
): SitingProblem {
  const list = [...pairs];
  const demandIds = [...weights.keys()];
  const demandIndex = new Map(demandIds.map((id, i) => [id, i]));
  const candidateIds = options.candidateIds ? [...options.candidateIds] : [...new Set(list.map((p) => p.candidate))];
  const candidateIndex = new Map(candidateIds.map((id, j) => [id, j]));
  const m = candidateIds.length;
  const cost = new Float64Array(demandIds.length * m).fill(Infinity);
  const seen = new Uint8Array(cost.length);
  for (const p of list) {
    const i = demandIndex.get(p.demand);
    if (i === undefined) throw new SitingError(`demand '${p.demand}' is in the cost table but has no weight`, 'weights');
    const j = candidateIndex.get(p.candidate);
    if (j === undefined) throw new SitingError(`candidate '${p.candidate}' is in the cost table but not in the candidate list`, 'candidates');
    if (seen[i * m + j]) throw new SitingError(`the pair demand '${p.demand}' – candidate '${p.candidate}' appears twice in the cost table`, 'cost');
    seen[i * m + j] = 1;
    cost[i * m + j] = p.cost;
  }
  let capacities: Float64Array | undefined;
  if (options.capacities) {
    capacities = new Float64Array(m).fill(Infinity);
    for (const [id, c] of options.capacities) {
      const j = candidateIndex.get(id);
      if (j === undefined) throw new SitingError(`capacity given for '${id}', which is not a candidate`, 'capacities');
      capacities[j] = c;
    }
  }
  return {
    demandIds,
    weights: demandIds.map((id) => weights.get(id)!),
    candidateIds,
    cost,
    existing: options.existing,
    capacities,
  };
}
