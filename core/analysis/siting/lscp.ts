/**
 * Location set covering problem (Toregas et al. 1971): the fewest new sites so that every demand
 * point lies within the threshold of an open facility — or, with a target, at least that share of
 * the total weight. Demand no candidate reaches makes full coverage infeasible; it is reported.
 */
import { note, type Note } from '../../note.js';
import { coverage, coverageModel, coverageNotes, coverageServed, coverageStart, floorShare, percentOf, round } from './coverage.js';
import { lscpHeuristic } from './heuristic.js';
import { openSites, type SitingModel } from './model.js';
import type { Instance } from './problem.js';

/** `target`: share of the total weight to cover, in (0, 1]; undefined = every demand point with weight > 0. */
export function lscp(inst: Instance, threshold: number, target?: number): SitingModel {
  const capacitated = inst.capacities !== undefined;
  const cov = coverage(inst, threshold, !capacitated);
  const notes = coverageNotes(inst, cov);
  const reachable = inst.totalWeight - cov.uncoverableWeight;
  let infeasible: Note | undefined;
  // Weight the groups must add to what existing facilities already cover.
  let required: number | undefined;
  if (target === undefined) {
    if (cov.uncoverable.length > 0) {
      const share = floorShare(reachable / inst.totalWeight);
      infeasible = note('siting_lscp_cover_all', { threshold, share, percent: percentOf(share) });
    }
  } else {
    const goal = target * inst.totalWeight;
    if (goal > reachable * (1 + 1e-12)) {
      const share = floorShare(reachable / inst.totalWeight);
      infeasible = note('siting_lscp_target', {
        target,
        targetPercent: percentOf(target),
        goal: round(goal),
        reachable: round(reachable),
        total: round(inst.totalWeight),
        share,
        percent: percentOf(share),
      });
    }
    required = Math.max(0, goal - cov.baseWeight);
  }
  return {
    sense: 'minimize',
    uncoverable: cov.uncoverable,
    notes,
    infeasible,
    objective: (sites) => sites.length,
    heuristic: capacitated ? undefined : () => lscpHeuristic(inst, cov, required),
    size: cov.cand.length * (capacitated ? 3 : 1) + cov.groups,
    integral: true,
    formulate() {
      const cm = coverageModel(inst, cov, { sense: 'minimize', siteCost: 1, servedGain: 0, fullCover: required === undefined });
      if (required !== undefined) cm.model.addRow('target', cm.served.vars, cm.served.coefs, '>=', required);
      const sites = (values: ArrayLike<number>): number[] => openSites(cm.x, inst.newIdx, values);
      return {
        model: cm.model,
        offset: 0,
        start: capacitated ? undefined : (s) => coverageStart(cov, cm, s),
        sites,
        served: capacitated
          ? (values) => {
              const s = coverageServed(inst, cov, cm, values);
              return { objective: sites(values).length, ...s };
            }
          : undefined,
      };
    },
  };
}
