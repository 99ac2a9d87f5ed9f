/**
 * Who a fixed set of open facilities with capacities can serve within the threshold: the
 * capacitated coverage model of coverage.ts with every facility open, as a linear programme
 * (shares of a demand point may go to several facilities, as in the capacitated MCLP). The planner
 * reports coverage before and after, and what-if answers, through it, so that capacitated numbers
 * follow the solver's own definition of being served.
 */
import { coverage, coverageModel } from './coverage.js';
import { solveMilp } from './milp.js';
import { prepare, SitingError, type SitingProblem } from './problem.js';

export interface Served {
  /** Weight served within the threshold. */
  covered: number;
  /** Share of each demand point's weight that is served, in [0, 1]. */
  fraction: Float64Array;
  /** Weight each candidate serves. */
  load: Float64Array;
}

/** `problem.existing` is ignored: every candidate is open. */
export async function servedWithin(problem: SitingProblem, threshold: number, timeLimitSeconds = 30): Promise<Served> {
  const n = problem.demandIds.length;
  const m = problem.candidateIds.length;
  const fraction = new Float64Array(n);
  const load = new Float64Array(m);
  if (m === 0) return { covered: 0, fraction, load };
  const inst = prepare({ ...problem, existing: problem.candidateIds, capacities: problem.capacities ?? new Float64Array(m).fill(Infinity) });
  const cov = coverage(inst, threshold, false);
  const cm = coverageModel(inst, cov, { sense: 'maximize', siteCost: 0, servedGain: 1, fullCover: false });
  // Every x is fixed at 1, so the relaxation is the model itself.
  const res = await solveMilp(cm.model, { relax: true, timeLimitSeconds });
  if (res.status !== 'optimal') throw new SitingError(`the capacitated assignment could not be solved within ${timeLimitSeconds} s`, 'capacities');
  const share = new Float64Array(cov.groups);
  let covered = 0;
  cm.served.vars.forEach((v, k) => {
    const z = Math.min(1, Math.max(0, res.values[v]));
    const g = cm.servedGroup![k];
    share[g] += z;
    load[cm.servedSite![k]] += cm.served.coefs[k] * z;
    covered += cm.served.coefs[k] * z;
  });
  for (let g = 0; g < cov.groups; g++) {
    for (let k = cov.memberStart[g]; k < cov.memberStart[g + 1]; k++) fraction[cov.members[k]] = Math.min(1, share[g]);
  }
  return { covered, fraction, load };
}
