/**
 * What a set of open facilities does for the demand: each demand point's nearest open facility
 * and the coverage, total and worst cost that follow. Every model reports its answer through this
 * one function, so the numbers a planner sees never depend on which solver produced the sites.
 */
import type { Instance } from './problem.js';

export interface Evaluation {
  /** Nearest open facility of each demand point (candidate index), -1 if none is reachable. */
  nearest: Int32Array;
  nearestCost: Float64Array;
  /** Weight within `threshold` of an open facility (within reach at all when no threshold is given). */
  covered: number;
  /** Σ weight × cost to the nearest open facility, over reachable demand. */
  totalCost: number;
  /** Largest cost to the nearest open facility over demand with weight > 0 (Infinity if some is unreachable). */
  maxCost: number;
  /** Weight with no reachable open facility. */
  unreachedWeight: number;
}

/** `open[j]` = 1 for every open candidate, existing facilities included. */
export function evaluate(inst: Instance, open: Uint8Array, threshold?: number): Evaluation {
  const { n, m, cost, weights } = inst;
  const openIdx: number[] = [];
  for (let j = 0; j < m; j++) if (open[j]) openIdx.push(j);
  const nearest = new Int32Array(n).fill(-1);
  const nearestCost = new Float64Array(n).fill(Infinity);
  const limit = threshold ?? Infinity;
  let covered = 0;
  let totalCost = 0;
  let maxCost = 0;
  let unreachedWeight = 0;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    let best = Infinity;
    let bestJ = -1;
    for (const j of openIdx) {
      const c = cost[row + j];
      if (c < best) {
        best = c;
        bestJ = j;
      }
    }
    nearest[i] = bestJ;
    nearestCost[i] = best;
    const w = weights[i];
    if (bestJ < 0) {
      unreachedWeight += w;
      if (w > 0) maxCost = Infinity;
      continue;
    }
    if (best <= limit) covered += w;
    totalCost += w * best;
    if (w > 0 && best > maxCost) maxCost = best;
  }
  return { nearest, nearestCost, covered, totalCost, maxCost, unreachedWeight };
}

export function openSet(inst: Instance, newSites: Iterable<number>): Uint8Array {
  const open = inst.isExisting.slice();
  for (const j of newSites) open[j] = 1;
  return open;
}
