/**
 * Maximal covering location problem (Church & ReVelle 1974): open p new sites so that the most
 * demand weight lies within the threshold of an open facility. Existing facilities cover for free.
 */
import { coverage, coverageModel, coverageNotes, coverageServed, coverageStart } from './coverage.js';
import { evaluate, openSet } from './evaluate.js';
import { mclpHeuristic } from './heuristic.js';
import { mclpBound } from './lagrange.js';
import { openSites, type SitingModel } from './model.js';
import type { Instance } from './problem.js';

export function mclp(inst: Instance, threshold: number, p: number): SitingModel {
  const capacitated = inst.capacities !== undefined;
  const cov = coverage(inst, threshold, !capacitated);
  return {
    sense: 'maximize',
    uncoverable: cov.uncoverable,
    notes: coverageNotes(inst, cov),
    objective: (sites) => evaluate(inst, openSet(inst, sites), threshold).covered,
    heuristic: capacitated ? undefined : () => mclpHeuristic(inst, cov, p),
    lagrangian: capacitated ? undefined : (_sites, incumbent, budget) => mclpBound(inst, cov, p, incumbent, budget),
    size: cov.cand.length * (capacitated ? 3 : 1) + cov.groups,
    integral: inst.weights.every(Number.isInteger),
    formulate() {
      const cm = coverageModel(inst, cov, { sense: 'maximize', siteCost: 0, servedGain: 1, fullCover: false });
      cm.model.addRow('p', inst.newIdx.map((j) => cm.x[j]), 1, '=', p);
      return {
        model: cm.model,
        offset: cov.baseWeight,
        start: capacitated ? undefined : (sites) => coverageStart(cov, cm, sites),
        sites: (values) => openSites(cm.x, inst.newIdx, values),
        served: capacitated
          ? (values) => {
              const s = coverageServed(inst, cov, cm, values);
              return { objective: s.covered, ...s };
            }
          : undefined,
      };
    },
  };
}
