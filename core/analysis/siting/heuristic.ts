/**
 * Fast heuristics for instances too large to prove: greedy construction followed by vertex
 * substitution (Teitz & Bart 1968) in the fast-interchange form of Whitaker (1983), where one pass
 * prices every (site in, site out) swap in O(demand × candidates). Existing facilities stay open
 * and are never swapped out. The answers are good but unproven: callers pair them with a bound.
 */
import { groupsBySite, type Coverage } from './coverage.js';
import type { Instance } from './problem.js';

const EPS = 1e-9;

/** Maximal covering: p new sites that cover the most group weight (existing coverage already settled). */
export function mclpHeuristic(inst: Instance, cov: Coverage, p: number): number[] {
  const inv = groupsBySite(inst, cov);
  const w = cov.groupWeight;
  const count = new Int32Array(cov.groups);
  // With count = 1, siteSum is the one open site covering the group.
  const siteSum = new Float64Array(cov.groups);
  const isOpen = new Uint8Array(inst.m);
  const open: number[] = [];
  const toggle = (j: number, d: 1 | -1): void => {
    isOpen[j] = d === 1 ? 1 : 0;
    for (let k = inv.start[j]; k < inv.start[j + 1]; k++) {
      count[inv.groups[k]] += d;
      siteSum[inv.groups[k]] += d * j;
    }
  };
  const gainOf = (j: number): number => {
    let gain = 0;
    for (let k = inv.start[j]; k < inv.start[j + 1]; k++) if (count[inv.groups[k]] === 0) gain += w[inv.groups[k]];
    return gain;
  };
  for (let t = 0; t < p; t++) {
    let best = -1;
    let bestGain = -1;
    for (const j of inst.newIdx) {
      if (isOpen[j]) continue;
      const gain = gainOf(j);
      if (gain > bestGain) {
        bestGain = gain;
        best = j;
      }
    }
    open.push(best);
    toggle(best, 1);
  }
  const slot = new Int32Array(inst.m).fill(-1);
  const loss = new Float64Array(p);
  const saved = new Float64Array(p);
  for (;;) {
    open.forEach((j, s) => (slot[j] = s));
    // loss[s]: weight only open site s covers.
    loss.fill(0);
    for (let g = 0; g < cov.groups; g++) if (count[g] === 1) loss[slot[siteSum[g]]] += w[g];
    let bestDelta = EPS * (cov.baseWeight + sum(w) + 1);
    let bestIn = -1;
    let bestOut = -1;
    for (const j of inst.newIdx) {
      if (isOpen[j]) continue;
      let add = 0;
      saved.fill(0);
      for (let k = inv.start[j]; k < inv.start[j + 1]; k++) {
        const g = inv.groups[k];
        if (count[g] === 0) add += w[g];
        else if (count[g] === 1) saved[slot[siteSum[g]]] += w[g];
      }
      for (let s = 0; s < p; s++) {
        const delta = add - (loss[s] - saved[s]);
        if (delta > bestDelta) {
          bestDelta = delta;
          bestIn = j;
          bestOut = s;
        }
      }
    }
    if (bestIn < 0) break;
    toggle(open[bestOut], -1);
    slot[open[bestOut]] = -1;
    open[bestOut] = bestIn;
    toggle(bestIn, 1);
  }
  return open.sort((a, b) => a - b);
}

/**
 * Fewest new sites covering every group (`required` = undefined) or at least `required` weight:
 * greedy by newly covered groups (weight when a share is asked), drop sites that became
 * redundant, then replace two sites by one while some single site does their job (and while
 * there are more than `goodEnough` sites: p-center only asks whether p suffice).
 */
export function lscpHeuristic(inst: Instance, cov: Coverage, required?: number, goodEnough = 0): number[] {
  const inv = groupsBySite(inst, cov);
  const w = cov.groupWeight;
  const count = new Int32Array(cov.groups);
  const isOpen = new Uint8Array(inst.m);
  const chosen: number[] = [];
  let coveredGroups = 0;
  let coveredWeight = 0;
  const enough = (groups: number, weight: number): boolean =>
    required === undefined ? groups === cov.groups : weight >= required - EPS * (required + 1);
  const toggle = (j: number, d: 1 | -1): void => {
    isOpen[j] = d === 1 ? 1 : 0;
    for (let k = inv.start[j]; k < inv.start[j + 1]; k++) {
      const g = inv.groups[k];
      const before = count[g];
      count[g] += d;
      if (before === 0 || count[g] === 0) {
        coveredGroups += d;
        coveredWeight += d * w[g];
      }
    }
  };
  /** What opening j would add: groups, or weight when a share is asked. */
  const gainOf = (j: number): number => {
    let gain = 0;
    for (let k = inv.start[j]; k < inv.start[j + 1]; k++) if (count[inv.groups[k]] === 0) gain += required === undefined ? 1 : w[inv.groups[k]];
    return gain;
  };
  while (!enough(coveredGroups, coveredWeight)) {
    let best = -1;
    let bestGain = 0;
    for (const j of inst.newIdx) {
      if (isOpen[j]) continue;
      const gain = gainOf(j);
      if (gain > bestGain) {
        bestGain = gain;
        best = j;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    toggle(best, 1);
  }
  const dropRedundant = (): void => {
    for (let t = chosen.length - 1; t >= 0; t--) {
      const j = chosen[t];
      toggle(j, -1);
      if (enough(coveredGroups, coveredWeight)) chosen.splice(t, 1);
      else toggle(j, 1);
    }
  };
  dropRedundant();
  // Two for one: each try prices every candidate, so it is bounded by the work it takes.
  const work = ((chosen.length * (chosen.length - 1)) / 2) * (cov.cand.length + inst.m);
  for (let improved = work < 5e7 && enough(coveredGroups, coveredWeight); improved && chosen.length > goodEnough; ) {
    improved = false;
    search: for (let a = 0; a < chosen.length; a++) {
      for (let b = a + 1; b < chosen.length; b++) {
        toggle(chosen[a], -1);
        toggle(chosen[b], -1);
        for (const c of inst.newIdx) {
          if (isOpen[c] || c === chosen[a] || c === chosen[b]) continue;
          const gain = gainOf(c);
          if (required === undefined ? coveredGroups + gain === cov.groups : enough(0, coveredWeight + gain)) {
            toggle(c, 1);
            chosen.splice(b, 1);
            chosen.splice(a, 1, c);
            dropRedundant();
            improved = true;
            break search;
          }
        }
        toggle(chosen[a], 1);
        toggle(chosen[b], 1);
      }
    }
  }
  return chosen.sort((a, b) => a - b);
}

/** Nearest and second-nearest open facility of every demand point. */
interface Nearest {
  c1: Int32Array;
  d1: Float64Array;
  d2: Float64Array;
}

/** Weights with demand points that reach no candidate set to 0: no choice of sites changes them. */
function activeWeights(inst: Instance): Float64Array {
  return Float64Array.from(inst.weights, (w, i) => (inst.reachable[i] ? w : 0));
}

/**
 * The cost matrix with unreachable pairs at a finite cost larger than all reachable demand
 * together costs, so that reaching everyone comes first and sums stay finite (no ∞ − ∞).
 * A copy only when the matrix has unreachable pairs.
 */
function finiteCosts(inst: Instance): { cost: Float32Array | Float64Array; none: number } {
  let maxFinite = 0;
  let unreachable = false;
  for (let k = 0; k < inst.cost.length; k++) {
    const c = inst.cost[k];
    if (c === Infinity) unreachable = true;
    else if (c > maxFinite) maxFinite = c;
  }
  let minWeight = Infinity;
  for (let i = 0; i < inst.n; i++) if (inst.weights[i] > 0 && inst.weights[i] < minWeight) minWeight = inst.weights[i];
  const big = (maxFinite + 1) * (inst.totalWeight / minWeight + 1);
  // `none`: the distance of a demand point to no facility at all, above every pair.
  if (!unreachable) return { cost: inst.cost, none: 2 * big };
  return { cost: Float64Array.from(inst.cost, (c) => (c === Infinity ? big : c)), none: 2 * big };
}

function nearest(D: Float32Array | Float64Array, n: number, m: number, open: number[], none: number): Nearest {
  const c1 = new Int32Array(n).fill(-1);
  const d1 = new Float64Array(n).fill(none);
  const d2 = new Float64Array(n).fill(none);
  for (let i = 0; i < n; i++) {
    const row = i * m;
    for (const j of open) {
      const c = D[row + j];
      if (c < d1[i]) {
        d2[i] = d1[i];
        d1[i] = c;
        c1[i] = j;
      } else if (c < d2[i]) d2[i] = c;
    }
  }
  return { c1, d1, d2 };
}

type Costs = Float32Array | Float64Array;

/**
 * Shared skeleton of the p-median and p-center heuristics: greedy additions priced by `addScores`
 * (score of opening each candidate; lower is better), then best-improvement swaps priced by
 * `swapScores` (score of swapping candidate j in for chosen slot s, at j * p + s), both computed
 * over the whole matrix in row order. Scores of open candidates are ignored.
 */
function greedySwap(
  inst: Instance,
  p: number,
  objective: (near: Nearest) => number,
  addScores: (D: Costs, near: Nearest) => Float64Array,
  swapScores: (D: Costs, near: Nearest, slot: Int32Array, p: number) => Float64Array,
): number[] {
  const { n, m } = inst;
  const { cost: D, none } = finiteCosts(inst);
  const isOpen = inst.isExisting.slice();
  const chosen: number[] = [];
  let near = nearest(D, n, m, inst.existingIdx, none);
  for (let t = 0; t < p; t++) {
    const score = addScores(D, near);
    let best = -1;
    for (const j of inst.newIdx) if (!isOpen[j] && (best < 0 || score[j] < score[best])) best = j;
    chosen.push(best);
    isOpen[best] = 1;
    near = nearest(D, n, m, [...inst.existingIdx, ...chosen], none);
  }
  let current = objective(near);
  const slot = new Int32Array(m).fill(-1);
  for (;;) {
    slot.fill(-1);
    chosen.forEach((j, s) => (slot[j] = s));
    const score = swapScores(D, near, slot, p);
    let bestIn = -1;
    let bestOut = -1;
    let bestScore = current - EPS * (Math.abs(current) + 1);
    for (const j of inst.newIdx) {
      if (isOpen[j]) continue;
      for (let s = 0; s < p; s++) {
        const v = score[j * p + s];
        if (v < bestScore) {
          bestScore = v;
          bestIn = j;
          bestOut = s;
        }
      }
    }
    if (bestIn < 0) break;
    isOpen[chosen[bestOut]] = 0;
    isOpen[bestIn] = 1;
    chosen[bestOut] = bestIn;
    near = nearest(D, n, m, [...inst.existingIdx, ...chosen], none);
    current = objective(near);
  }
  return chosen.sort((a, b) => a - b);
}

/** p-median: p new sites minimising Σ weight × cost to the nearest open facility. */
export function pmedianHeuristic(inst: Instance, p: number): number[] {
  const { n, m } = inst;
  const weights = activeWeights(inst);
  const total = (near: Nearest): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i] * near.d1[i];
    return sum;
  };
  return greedySwap(
    inst,
    p,
    total,
    (D, near) => {
      const score = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        const w = weights[i];
        if (w === 0) continue;
        const row = i * m;
        const d1 = near.d1[i];
        for (let j = 0; j < m; j++) {
          const c = D[row + j];
          score[j] += w * (c < d1 ? c : d1);
        }
      }
      return score;
    },
    (D, near, slot, p) => {
      // Δ(in, out) = −Σ_i w (d1 − d_in)⁺ + Σ_{i: c1 = out, d_in ≥ d1} w (min(d2, d_in) − d1).
      const base = total(near);
      const gain = new Float64Array(m);
      const score = new Float64Array(m * p);
      for (let i = 0; i < n; i++) {
        const w = weights[i];
        if (w === 0) continue;
        const row = i * m;
        const d1 = near.d1[i];
        const d2 = near.d2[i];
        const s = slot[near.c1[i]];
        if (s < 0) {
          // Served by an existing facility, which stays: only gains count.
          for (let j = 0; j < m; j++) {
            const c = D[row + j];
            if (c < d1) gain[j] += w * (d1 - c);
          }
          continue;
        }
        for (let j = 0; j < m; j++) {
          const c = D[row + j];
          if (c < d1) gain[j] += w * (d1 - c);
          else score[j * p + s] += w * ((c < d2 ? c : d2) - d1);
        }
      }
      for (let j = 0; j < m; j++) for (let s = 0; s < p; s++) score[j * p + s] += base - gain[j];
      return score;
    },
  );
}

/** p-center: p new sites minimising the largest cost to the nearest open facility (demand with weight > 0). */
export function pcenterHeuristic(inst: Instance, p: number): number[] {
  const { n, m } = inst;
  const weights = activeWeights(inst);
  return greedySwap(
    inst,
    p,
    (near) => {
      let worst = 0;
      for (let i = 0; i < n; i++) if (weights[i] > 0 && near.d1[i] > worst) worst = near.d1[i];
      return worst;
    },
    (D, near) => {
      const score = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        if (weights[i] === 0) continue;
        const row = i * m;
        const d1 = near.d1[i];
        for (let j = 0; j < m; j++) {
          const c = D[row + j];
          const a = c < d1 ? c : d1;
          if (a > score[j]) score[j] = a;
        }
      }
      return score;
    },
    (D, near, slot, p) => {
      // Worst cost after swapping in j for slot s: max(kept[j][s], max over slots t ≠ s of stay[j][t]),
      // where demand served by s falls back to min(d2, d_j) and everyone else to min(d1, d_j).
      // Demand served by an existing facility is never moved: it goes to the extra slot p.
      const q = p + 1;
      const kept = new Float64Array(m * p);
      const stay = new Float64Array(m * q);
      for (let i = 0; i < n; i++) {
        if (weights[i] === 0) continue;
        const row = i * m;
        const d1 = near.d1[i];
        const d2 = near.d2[i];
        const s = slot[near.c1[i]];
        const t = s >= 0 ? s : p;
        for (let j = 0; j < m; j++) {
          const c = D[row + j];
          const a = c < d1 ? c : d1;
          if (a > stay[j * q + t]) stay[j * q + t] = a;
          if (s >= 0) {
            const b = c < d2 ? c : d2;
            if (b > kept[j * p + s]) kept[j * p + s] = b;
          }
        }
      }
      const score = new Float64Array(m * p);
      for (let j = 0; j < m; j++) {
        for (let s = 0; s < p; s++) {
          let worst = kept[j * p + s];
          for (let t = 0; t < q; t++) if (t !== s && stay[j * q + t] > worst) worst = stay[j * q + t];
          score[j * p + s] = worst;
        }
      }
      return score;
    },
  );
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k];
  return s;
}
