/**
 * p-median (Hakimi 1964; ReVelle & Swain 1970): open p new sites minimising the total
 * weight × cost of serving every demand point from one open facility, optionally within
 * facility capacities (then each demand point goes whole to one facility).
 *
 * The formulation keeps only the pairs that can matter: without capacities a demand point never
 * uses a new site farther than its nearest existing facility. With `nearest` = k it keeps only
 * the k nearest new sites per demand point plus a catch-all that costs the (k+1)-th nearest
 * (Garcia, Labbé & Marín 2011): the model then bounds the full problem from below, and the answer
 * counts as optimal only when its full-matrix cost meets that bound.
 */
import { note, type Note } from '../../note.js';
import { round } from './coverage.js';
import { evaluate, openSet } from './evaluate.js';
import { pmedianHeuristic } from './heuristic.js';
import { pmedianBound } from './lagrange.js';
import { LinearModel } from './milp.js';
import { kth } from './select.js';
import { openSites, type SitingModel } from './model.js';
import type { Instance } from './problem.js';

export function pmedian(inst: Instance, p: number, options: { threshold?: number; nearest?: number } = {}): SitingModel {
  const { n, m, cost, weights, isExisting, capacities } = inst;
  const k = options.nearest ?? Infinity;
  // Without capacities, the nearest of p open new sites is among the (new sites − p + 1) nearest.
  const sure = capacities ? Infinity : inst.newIdx.length - p + 1;
  // One counting pass sizes the model and finds unreachable demand; the lists are built only
  // when the model is (sorting every row of a county-sized matrix takes seconds).
  const limit = new Float64Array(n).fill(Infinity);
  const nearestExisting = new Int32Array(n).fill(-1);
  const uncoverable: number[] = [];
  let uncoverableWeight = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) continue;
    const row = i * m;
    if (!capacities) {
      for (const j of inst.existingIdx) if (cost[row + j] < limit[i]) (limit[i] = cost[row + j]), (nearestExisting[i] = j);
    }
    let count = 0;
    let reach = nearestExisting[i] >= 0;
    for (let j = 0; j < m; j++) {
      const c = cost[row + j];
      if (c === Infinity || (isExisting[j] && !capacities)) continue;
      reach = true;
      if (c < limit[i]) count++;
    }
    if (!reach) {
      uncoverable.push(i);
      uncoverableWeight += weights[i];
      limit[i] = -1;
      continue;
    }
    pairs += Math.min(count, k, sure) + (nearestExisting[i] >= 0 ? 1 : 0);
  }
  /** Per demand point: the candidates it may use (ascending cost) and the catch-all cost, if any. */
  const candidateLists = (): { lists: Int32Array[]; catchAll: Float64Array } => {
    const lists: Int32Array[] = new Array(n);
    const catchAll = new Float64Array(n).fill(Infinity);
    const buf = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      if (weights[i] === 0 || limit[i] < 0) continue;
      const row = i * m;
      const lim = limit[i];
      const usable = (j: number): boolean => cost[row + j] < lim && !(isExisting[j] && !capacities);
      // Only the k + 1 nearest usable sites matter: select the (k + 1)-th cost before sorting.
      let cut = Infinity;
      if (k + 1 < m) {
        for (let j = 0; j < m; j++) buf[j] = usable(j) ? cost[row + j] : Infinity;
        cut = kth(buf, k);
      }
      const kept: number[] = [];
      for (let j = 0; j < m; j++) if (usable(j) && cost[row + j] <= cut) kept.push(j);
      kept.sort((a, b) => cost[row + a] - cost[row + b]);
      if (kept.length > k && k < sure) catchAll[i] = cost[row + kept[k]];
      kept.length = Math.min(kept.length, k, sure);
      if (nearestExisting[i] >= 0) kept.push(nearestExisting[i]);
      lists[i] = Int32Array.from(kept);
    }
    return { lists, catchAll };
  };
  const notes: Note[] = [];
  if (uncoverable.length > 0) notes.push(note('siting_unreachable_weight', { count: uncoverable.length, weight: round(uncoverableWeight) }));
  if (Number.isFinite(k)) notes.push(note('siting_pmedian_nearest', { k }));
  const objective = (sites: number[]): number => {
    const e = evaluate(inst, openSet(inst, sites), options.threshold);
    return e.unreachedWeight > uncoverableWeight * (1 + 1e-12) + 1e-12 ? Infinity : e.totalCost;
  };
  return {
    sense: 'minimize',
    uncoverable,
    notes,
    objective,
    heuristic: capacities ? undefined : () => pmedianHeuristic(inst, p),
    lagrangian: capacities ? undefined : (sites, incumbent, budget) => pmedianBound(inst, p, sites, incumbent, budget),
    size: 2 * pairs + n,
    integral: false,
    formulate() {
      const { lists, catchAll } = candidateLists();
      const model = new LinearModel('minimize');
      const x = new Int32Array(m).fill(-1);
      for (const j of inst.newIdx) x[j] = model.addVar(`x${j}`, 0, { binary: true });
      if (capacities) for (const j of inst.existingIdx) x[j] = model.addVar(`x${j}`, 0, { lower: 1, upper: 1, binary: true });
      const z: Int32Array[] = new Array(n);
      const u = new Int32Array(n).fill(-1);
      const load = new Map<number, { vars: number[]; coefs: number[] }>();
      for (let i = 0; i < n; i++) {
        const list = lists[i];
        if (!list) continue;
        const w = weights[i];
        z[i] = list.map((j) => {
          const v = model.addVar(`z${i}_${j}`, w * cost[i * m + j], { upper: 1, binary: capacities !== undefined });
          if (!isExisting[j]) model.addRow(`l${i}_${j}`, [v, x[j]], [1, -1], '<=', 0);
          if (capacities && Number.isFinite(capacities[j])) {
            const row = load.get(j) ?? { vars: [], coefs: [] };
            row.vars.push(v);
            row.coefs.push(w);
            load.set(j, row);
          }
          return v;
        });
        const terms = Array.from(z[i]);
        if (catchAll[i] !== Infinity) terms.push((u[i] = model.addVar(`u${i}`, w * catchAll[i], { upper: 1 })));
        model.addRow(`a${i}`, terms, 1, '=', 1);
      }
      for (const [j, row] of load) model.addRow(`k${j}`, [...row.vars, x[j]], [...row.coefs, -capacities![j]], '<=', 0);
      model.addRow('p', inst.newIdx.map((j) => x[j]), 1, '=', p);
      const sites = (values: ArrayLike<number>): number[] => openSites(x, inst.newIdx, values);
      return {
        model,
        offset: 0,
        start: capacities
          ? undefined
          : (chosen) => {
              const values = new Float64Array(model.names.length);
              for (const j of chosen) values[x[j]] = 1;
              for (let i = 0; i < n; i++) {
                if (!lists[i]) continue;
                let best = -1;
                lists[i].forEach((j, t) => {
                  if ((isExisting[j] || values[x[j]] === 1) && (best < 0 || cost[i * m + j] < cost[i * m + lists[i][best]])) best = t;
                });
                if (best >= 0 && (u[i] < 0 || cost[i * m + lists[i][best]] <= catchAll[i])) values[z[i][best]] = 1;
                else if (u[i] >= 0) values[u[i]] = 1;
              }
              return values;
            },
        sites,
        served: capacities
          ? (values) => {
              const assignment = new Int32Array(n).fill(-1);
              let total = 0;
              let covered = 0;
              for (let i = 0; i < n; i++) {
                if (!lists[i]) continue;
                lists[i].forEach((j, t) => {
                  if (values[z[i][t]] > 0.5) {
                    assignment[i] = j;
                    total += weights[i] * cost[i * m + j];
                    if (cost[i * m + j] <= (options.threshold ?? Infinity)) covered += weights[i];
                  }
                });
              }
              return { objective: total, covered, assignment };
            }
          : undefined,
      };
    },
  };
}
