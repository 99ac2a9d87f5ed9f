/**
 * p-center (Hakimi 1964): open p new sites minimising the largest cost from a demand point (with
 * weight > 0) to its nearest open facility. The optimum is one of the matrix costs, so the exact
 * method is a binary search over the sorted costs, each step a set-covering question (can p new
 * sites put everyone within r?) answered by a greedy cover when it can and by HiGHS otherwise
 * (Minieka 1970). Existing facilities count and are never moved.
 */
import { note, type Note } from '../../note.js';
import { coverage, coverageModel, round } from './coverage.js';
import { evaluate, openSet } from './evaluate.js';
import { lscpHeuristic, pcenterHeuristic } from './heuristic.js';
import { relativeGap, solveMilp, PROVEN_GAP } from './milp.js';
import { openSites, type Answer } from './model.js';
import type { Instance } from './problem.js';

type Check = { feasible: true; sites: number[] } | { feasible: false } | { feasible: undefined };

export async function solvePcenter(
  inst: Instance,
  p: number,
  options: { method: 'exact' | 'heuristic' | 'auto'; deadline: number },
): Promise<Answer> {
  const { n, m, cost, weights } = inst;
  const active: number[] = [];
  const uncoverable: number[] = [];
  let lowest = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) continue;
    let best = Infinity;
    for (let j = 0; j < m; j++) best = Math.min(best, cost[i * m + j]);
    if (best === Infinity) uncoverable.push(i);
    else {
      active.push(i);
      lowest = Math.max(lowest, best);
    }
  }
  const notes: Note[] = uncoverable.length ? [note('siting_unreachable_left_out', { count: uncoverable.length })] : [];
  const worst = (sites: number[]): number => {
    const e = evaluate(inst, openSet(inst, sites));
    let w = 0;
    for (const i of active) w = Math.max(w, e.nearestCost[i]);
    return w;
  };
  const seconds = (): number => (options.deadline - performance.now()) / 1000;
  const check = async (r: number, relax: boolean): Promise<Check> => {
    const cov = coverage(inst, r, true);
    if (!relax) {
      const greedy = lscpHeuristic(inst, cov, undefined, p);
      if (greedy.length <= p) return { feasible: true, sites: greedy };
    }
    const cm = coverageModel(inst, cov, { sense: 'minimize', siteCost: 1, servedGain: 0, fullCover: true });
    cm.model.addRow('p', inst.newIdx.map((j) => cm.x[j]), 1, '<=', p);
    // Any cover with at most p sites settles the question: stop at the first one.
    const res = await solveMilp(cm.model, { relax, gapTolerance: 1, timeLimitSeconds: Math.max(seconds(), 0.01) });
    if (res.status === 'infeasible') return { feasible: false };
    if (res.status === 'unknown') return { feasible: undefined };
    return { feasible: true, sites: openSites(cm.x, inst.newIdx, res.values) };
  };

  let heuristicSites = pcenterHeuristic(inst, p);
  let upper = worst(heuristicSites);
  if (upper === Infinity) {
    // The heuristic left someone unreached; whether any p sites reach everyone is a covering question.
    let largest = 0;
    for (const i of active) for (let j = 0; j < m; j++) if (cost[i * m + j] < Infinity) largest = Math.max(largest, cost[i * m + j]);
    const c = await check(largest, false);
    if (c.feasible !== true) {
      const why = c.feasible === false ? note('siting_pcenter_no_cover', { p }) : note('siting_pcenter_no_cover_in_time');
      return { sites: [], status: 'infeasible', method: 'exact', objective: null, bound: null, uncoverable, notes: [...notes, why] };
    }
    heuristicSites = c.sites;
    upper = worst(heuristicSites);
  }
  // Candidate radii between the largest nearest-candidate cost and the best answer so far.
  const values: number[] = [];
  for (const i of active) {
    for (let j = 0; j < m; j++) {
      const c = cost[i * m + j];
      if (c >= lowest && c <= upper) values.push(c);
    }
  }
  const radii = Float64Array.from(new Set(values)).sort();

  // Binary search: radii[lo] is the smallest radius not yet shown infeasible, radii[hi] one that is feasible.
  let lo = 0;
  let hi = radii.length - 1;
  let sites = heuristicSites;
  const relax = options.method === 'heuristic';
  let decided = true;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = await check(radii[mid], relax);
    if (c.feasible === undefined) {
      decided = false;
      break;
    }
    if (c.feasible) {
      hi = mid;
      if (!relax) sites = c.sites;
    } else lo = mid + 1;
  }
  sites = pad(inst, sites, p);
  const objective = worst(sites);
  const bound = radii[lo];
  const gap = relativeGap(objective, bound);
  if (!decided) notes.push(note('siting_pcenter_time_limit', { bound: round(bound), objective: round(objective) }));
  return {
    sites,
    status: gap <= PROVEN_GAP ? 'optimal' : 'feasible',
    method: relax ? 'heuristic' : 'exact',
    objective,
    bound,
    uncoverable,
    notes,
  };
}

/** A cover may need fewer than p sites; add the rest where they cut the total weighted cost most. */
function pad(inst: Instance, sites: number[], p: number): number[] {
  const { n, m, cost, weights } = inst;
  const chosen = [...sites];
  const open = openSet(inst, chosen);
  const d1 = evaluate(inst, open).nearestCost;
  while (chosen.length < p) {
    const total = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (w === 0) continue;
      for (let j = 0; j < m; j++) total[j] += w * Math.min(d1[i], cost[i * m + j]);
    }
    let best = -1;
    for (const j of inst.newIdx) if (!open[j] && (best < 0 || total[j] < total[best])) best = j;
    chosen.push(best);
    open[best] = 1;
    for (let i = 0; i < n; i++) d1[i] = Math.min(d1[i], cost[i * m + best]);
  }
  return chosen.sort((a, b) => a - b);
}
