/**
 * Planner siting: where should the next shelters, fire stations or depots go? One entry point for
 * the four classic location models, exact (MILP by HiGHS) or heuristic, on any demand × candidate
 * cost matrix. Every answer says whether it is proven optimal, and if not, how far from the best
 * bound it may be.
 */
import { note, type Note } from '../../note.js';
import { evaluate, openSet } from './evaluate.js';
import { lscp } from './lscp.js';
import { mclp } from './mclp.js';
import { relativeGap, solveMilp, PROVEN_GAP } from './milp.js';
import { SITING_MODELS, type Answer, type Formulation, type SitingModel, type SitingModelName } from './model.js';
import { solvePcenter } from './pcenter.js';
import { pmedian } from './pmedian.js';
import { prepare, SitingError, type Instance, type SitingProblem } from './problem.js';

export { SitingError, problemFromPairs, type CostPair, type SitingProblem } from './problem.js';
export { parseCsv, problemFromTables, type Table } from './table.js';

export { SITING_MODELS, type SitingModelName } from './model.js';

export interface SitingOptions {
  /** mclp: cover the most weight within `threshold`; lscp: fewest sites to cover everyone (or `target`);
   *  pmedian: least total weight × cost; pcenter: least worst cost. */
  model: SitingModelName;
  /** New sites to open (mclp, pmedian, pcenter). */
  p?: number;
  /** Service cost limit (mclp, lscp); for pmedian and pcenter only used to report `covered`. */
  threshold?: number;
  /** lscp: share of the total weight to cover, in (0, 1]; default every demand point. */
  target?: number;
  /** exact: MILP (warm-started by the heuristic) unless a bound already proves the heuristic's answer;
   *  heuristic: greedy + swaps with an LP or Lagrangian bound; auto (default): exact when the
   *  formulation is small enough, else heuristic. */
  method?: 'exact' | 'heuristic' | 'auto';
  /** Default 60 s. An exact solve stopped by it returns the best sites found, status feasible, and the gap. */
  timeLimitSeconds?: number;
  /** Stop once the proven relative gap is at most this (default 0: prove optimality); the answer
   *  is then labelled feasible with its gap unless the gap is 0. Not used by pcenter. */
  gapTolerance?: number;
  /** pmedian: keep only the k nearest new sites per demand point (see pmedian.ts). */
  nearest?: number;
}

export interface SitingResult {
  model: SitingModelName;
  /** What produced the sites. */
  method: 'exact' | 'heuristic';
  /** New sites, in candidate order (existing facilities are not listed). */
  chosen: string[];
  /** mclp: weight covered; lscp: new sites; pmedian: Σ weight × cost; pcenter: worst cost. Null when infeasible. */
  objective: number | null;
  /** Weight within the threshold of an open facility (of any open facility when no threshold applies). */
  covered: number;
  totalWeight: number;
  /** optimal: proven (objective meets the bound); feasible: not proven, see gap; infeasible: no sites can meet the model. */
  status: 'optimal' | 'feasible' | 'infeasible';
  /** |objective − bound| / |objective|; null without a bound. */
  gap: number | null;
  /** Best proven bound on the optimal objective; null if none was computed. */
  bound: number | null;
  seconds: number;
  /** Serving facility of each demand point (in demandIds order): the nearest open one, or with
   *  capacities the one the solution assigns (most of) it to; null if none. */
  assignment: (string | null)[];
  /** Demand points no candidate can serve. */
  uncoverable: string[];
  notes: Note[];
}

/**
 * Formulations up to this many nonzeros get their LP relaxation from HiGHS (larger ones a
 * Lagrangian bound), and `auto` tries the exact MILP on them. Measured on a 2-core machine:
 * spopt SF (6.5k) takes well under a second; a county MCLP (240k) needs 8–38 s for the LP alone.
 */
export const LP_SIZE = 100_000;
export const AUTO_EXACT_SIZE = 100_000;
/** Beyond this the formulation is not even built (a 20k × 1k p-median would need 40M). */
export const MILP_SIZE = 5_000_000;

export async function solveSiting(problem: SitingProblem, options: SitingOptions): Promise<SitingResult> {
  const t0 = performance.now();
  const inst = prepare(problem);
  const opt = checkOptions(inst, options);
  const deadline = t0 + opt.timeLimitSeconds * 1000;
  const answer =
    opt.model === 'pcenter' ? await solvePcenter(inst, opt.p, { method: opt.method, deadline }) : await drive(buildModel(inst, opt), opt, deadline);
  return report(inst, opt, answer, (performance.now() - t0) / 1000);
}

/**
 * The MILP a model solves, as CPLEX LP text, so that a reviewer can check an answer in any other
 * solver. Not for pcenter, which solves a sequence of covering models.
 */
export function sitingLp(problem: SitingProblem, options: SitingOptions): string {
  const inst = prepare(problem);
  const opt = checkOptions(inst, options);
  if (opt.model === 'pcenter') throw new SitingError('pcenter is solved as a sequence of covering models; there is no single LP to write', 'model');
  const f = buildModel(inst, opt).formulate();
  const { candidateIds } = inst.problem;
  return f.model.toLp(false, [
    `${opt.model} p=${opt.p} threshold=${opt.threshold ?? '-'}${opt.target !== undefined ? ` target=${opt.target}` : ''}`,
    ...(f.offset ? [`the model objective is this objective + ${f.offset} (weight existing facilities already cover)`] : []),
    ...inst.newIdx.slice(0, 20).map((j) => `x${j} = candidate '${candidateIds[j]}'`),
    ...(inst.newIdx.length > 20 ? ['x<j> = candidate at position j (0-based) of the candidate list'] : []),
  ]);
}

function buildModel(inst: Instance, opt: Checked): SitingModel {
  if (opt.model === 'mclp') return mclp(inst, opt.threshold!, opt.p);
  if (opt.model === 'lscp') return lscp(inst, opt.threshold!, opt.target);
  return pmedian(inst, opt.p, { threshold: opt.threshold, nearest: opt.nearest });
}

type Checked = Required<Pick<SitingOptions, 'model' | 'method' | 'timeLimitSeconds' | 'gapTolerance'>> &
  Pick<SitingOptions, 'threshold' | 'target' | 'nearest'> & { p: number };

function checkOptions(inst: Instance, o: SitingOptions): Checked {
  if (!SITING_MODELS.includes(o.model)) throw new SitingError(`unknown model '${o.model}'; use one of ${SITING_MODELS.join(', ')}`, 'model');
  const method = o.method ?? 'auto';
  if (!['exact', 'heuristic', 'auto'].includes(method)) throw new SitingError(`unknown method '${method}'; use exact, heuristic or auto`, 'method');
  const newSites = inst.newIdx.length;
  let p = 0;
  if (o.model !== 'lscp') {
    if (o.p === undefined) throw new SitingError(`model ${o.model} needs p, the number of new sites to open`, 'p');
    if (!Number.isInteger(o.p) || o.p < 0) throw new SitingError(`p must be a whole number ≥ 0, got ${o.p}`, 'p');
    if (o.p > newSites) throw new SitingError(`p = ${o.p} but there are only ${newSites} candidate sites besides the existing facilities`, 'p');
    p = o.p;
  }
  if (o.threshold !== undefined && !(o.threshold >= 0 && o.threshold < Infinity)) {
    throw new SitingError(`threshold must be a finite number ≥ 0, got ${o.threshold}`, 'threshold');
  }
  if ((o.model === 'mclp' || o.model === 'lscp') && o.threshold === undefined) {
    throw new SitingError(`model ${o.model} needs a threshold: the largest cost at which a facility still covers a demand point`, 'threshold');
  }
  if (o.target !== undefined) {
    if (o.model !== 'lscp') throw new SitingError(`target applies to lscp only, not ${o.model}`, 'target');
    if (!(o.target > 0 && o.target <= 1)) throw new SitingError(`target is a share of the total weight in (0, 1], got ${o.target}`, 'target');
  }
  if (inst.capacities && o.model === 'pcenter') throw new SitingError('capacities are not supported by pcenter; use pmedian, mclp or lscp', 'capacities');
  if (inst.capacities && method === 'heuristic') throw new SitingError('the heuristic does not handle capacities; use method exact or auto', 'capacities');
  if (o.nearest !== undefined) {
    if (o.model !== 'pmedian') throw new SitingError(`nearest applies to pmedian only, not ${o.model}`, 'nearest');
    if (!Number.isInteger(o.nearest) || o.nearest < 1) throw new SitingError(`nearest must be a whole number ≥ 1, got ${o.nearest}`, 'nearest');
    if (inst.capacities) throw new SitingError('nearest cannot be combined with capacities', 'capacities');
  }
  const timeLimitSeconds = o.timeLimitSeconds ?? 60;
  if (!(timeLimitSeconds > 0)) throw new SitingError(`timeLimitSeconds must be > 0, got ${o.timeLimitSeconds}`, 'timeLimitSeconds');
  const gapTolerance = o.gapTolerance ?? 0;
  if (!(gapTolerance >= 0 && gapTolerance < 1)) throw new SitingError(`gapTolerance must be in [0, 1), got ${o.gapTolerance}`, 'gapTolerance');
  return { model: o.model, method, timeLimitSeconds, gapTolerance, threshold: o.threshold, target: o.target, nearest: o.nearest, p };
}

/** Exact or heuristic, by the method and the formulation's size; the status always comes from a bound. */
async function drive(model: SitingModel, opt: Checked, deadline: number): Promise<Answer> {
  const base = { uncoverable: model.uncoverable, notes: [...model.notes] };
  if (model.infeasible) return { ...base, sites: [], status: 'infeasible', method: 'exact', objective: null, bound: null, notes: [...base.notes, model.infeasible] };
  const remaining = (): number => Math.max((deadline - performance.now()) / 1000, 0.01);
  const round = (b: number): number =>
    model.integral ? (model.sense === 'maximize' ? Math.floor(b + 1e-6) : Math.ceil(b - 1e-6)) : b;
  const label = (objective: number, bound: number | null): Answer['status'] =>
    bound !== null && relativeGap(objective, bound) <= PROVEN_GAP ? 'optimal' : 'feasible';

  let hSites: number[] | undefined;
  let hObjective = NaN;
  if (model.heuristic) {
    hSites = model.heuristic();
    hObjective = model.objective(hSites);
    if (!Number.isFinite(hObjective)) hSites = undefined;
  }
  if (opt.method === 'heuristic' && !hSites) {
    throw new SitingError(`the heuristic found no ${opt.p} new sites that reach every demand point; use method exact or a larger p`, 'method');
  }
  let formulation: Formulation | undefined;
  const formulate = (): Formulation => (formulation ??= model.formulate());
  const sign = model.sense === 'maximize' ? 1 : -1;
  const tighter = (a: number | null, b: number | null): number | null =>
    a === null ? b : b === null ? a : sign * Math.min(sign * a, sign * b);
  // Bounds, cheapest first: a Lagrangian bound (milliseconds on small instances, the only one
  // that fits in time on county-sized ones), then the LP relaxation by HiGHS where it is small.
  let bound: number | null = null;
  const settled = (): boolean => bound !== null && relativeGap(hObjective, bound) <= Math.max(PROVEN_GAP, opt.gapTolerance);
  const tooBig = (): SitingError =>
    new SitingError(
      `the exact model would have ${model.size} nonzeros, more than ${MILP_SIZE} can be built; use method auto or heuristic${opt.model === 'pmedian' ? ', or nearest (e.g. 10)' : ''}`,
      'method',
      true,
    );
  // An exact solve of a large model: build it first, so that the time split below is honest.
  if (opt.method === 'exact' && model.size > LP_SIZE) {
    if (model.size > MILP_SIZE) throw tooBig();
    formulate();
  }
  if (hSites && model.lagrangian) {
    const now = performance.now();
    const left = deadline - now;
    const until = model.size <= LP_SIZE ? now + Math.min(left / 4, 1000) : opt.method === 'exact' ? now + left / 2 : deadline;
    const b = model.lagrangian(hSites, hObjective, { deadline: until, gap: opt.gapTolerance });
    if (Number.isFinite(b)) bound = round(b);
    if (model.size > LP_SIZE) base.notes.push(note('siting_bound_lagrangian'));
  }
  if (hSites && !settled() && model.size <= LP_SIZE) {
    const f = formulate();
    const lp = await solveMilp(f.model, { relax: true, timeLimitSeconds: remaining() });
    if (lp.status === 'optimal') bound = tighter(bound, round(lp.objective + f.offset));
  }
  const heuristicAnswer = (): Answer => ({ ...base, sites: hSites!, status: label(hObjective, bound), method: 'heuristic', objective: hObjective, bound });
  // A heuristic answer within the asked gap of a bound needs no branching (optimal if it meets it).
  if (hSites && settled()) return heuristicAnswer();
  if (hSites && (opt.method === 'heuristic' || (opt.method === 'auto' && model.size > AUTO_EXACT_SIZE))) return heuristicAnswer();
  if (model.size > MILP_SIZE) throw tooBig();
  const f = formulate();
  // HiGHS needs about a second just to load and presolve a county-sized model.
  if (hSites && model.size > LP_SIZE && remaining() < 1) {
    base.notes.push(note('siting_no_time_exact'));
    return heuristicAnswer();
  }
  const res = await solveMilp(f.model, {
    timeLimitSeconds: remaining(),
    gapTolerance: opt.gapTolerance,
    start: hSites && f.start ? f.start(hSites) : undefined,
  });
  if (res.status === 'infeasible') {
    return { ...base, sites: [], status: 'infeasible', method: 'exact', objective: null, bound: null, notes: [...base.notes, note('siting_infeasible_model')] };
  }
  if (res.status === 'unknown') {
    if (!hSites) throw new SitingError(`no solution found within the time limit of ${opt.timeLimitSeconds} s; allow more time`, 'timeLimitSeconds');
    base.notes.push(note('siting_exact_nothing_better'));
    return heuristicAnswer();
  }
  const sites = f.sites(res.values);
  const served = f.served?.(res.values);
  const objective = served ? served.objective : model.objective(sites);
  const tightest = tighter(bound, Number.isFinite(res.bound) ? round(res.bound + f.offset) : null);
  if (hSites && sign * hObjective > sign * objective) return { ...heuristicAnswer(), bound: tightest, status: label(hObjective, tightest) };
  return { ...base, sites, status: label(objective, tightest), method: 'exact', objective, bound: tightest, served };
}

function report(inst: Instance, opt: Checked, a: Answer, seconds: number): SitingResult {
  const { demandIds, candidateIds } = inst.problem;
  const e = evaluate(inst, openSet(inst, a.sites), opt.threshold);
  const infeasible = a.status === 'infeasible';
  const assignment = a.served?.assignment ?? e.nearest;
  return {
    model: opt.model,
    method: a.method,
    chosen: a.sites.map((j) => candidateIds[j]),
    objective: infeasible ? null : a.objective,
    covered: a.served?.covered ?? e.covered,
    totalWeight: inst.totalWeight,
    status: a.status,
    gap: a.bound === null || a.objective === null || infeasible ? null : relativeGap(a.objective, a.bound),
    bound: infeasible ? null : a.bound,
    seconds,
    assignment: Array.from(assignment, (j) => (j < 0 ? null : candidateIds[j])),
    uncoverable: a.uncoverable.map((i) => demandIds[i]),
    notes: a.notes,
  };
}
