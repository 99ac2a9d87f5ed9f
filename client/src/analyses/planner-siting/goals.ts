/**
 * The planner's siting run (POST /api/analysis/siting, core/analysis/planner-siting/): the goals it
 * offers in plain words, each a model on a facility layer with the standard's default threshold.
 */
import type { PlannerSitingAnswer } from '../../../../core/analysis/planner-siting/plan';
import type { EvaluateBody, SitingBody as RequestBody, SitingLayer } from '../../../../core/analysis/planner-siting/request';
import { FIRE_RESPONSE, FIRE_RURAL_RESPONSE, SITING_DEFAULTS } from '../../../../core/standards';
import type { Run } from '../types';
import { markedIn, type MarkedTowns } from '../urbanTowns';

export type { SitingLayer };
export type SitingMode = NonNullable<RequestBody['mode']>;

/** What the planner asks, in the order the form offers it. */
export const SITING_GOALS = [
  { id: 'fire-mclp', model: 'mclp', layer: 'fire_stations' },
  { id: 'shelter-mclp', model: 'mclp', layer: 'shelters' },
  { id: 'shelter-lscp', model: 'lscp', layer: 'shelters' },
  { id: 'fire-lscp', model: 'lscp', layer: 'fire_stations' },
  { id: 'depot-pmedian', model: 'pmedian', layer: 'depots' },
  { id: 'fire-pcenter', model: 'pcenter', layer: 'fire_stations' },
] as const;
export type SitingGoal = (typeof SITING_GOALS)[number]['id'];
export const goalOf = (id: SitingGoal) => SITING_GOALS.find((g) => g.id === id)!;

/**
 * Where new sites may go: the generated grid (populated 1.5 km cells moved onto the road), the
 * layer's planned sites, or the larger shelters (central and fixed: the parks, squares and school
 * grounds a fire station or depot could share).
 */
export const CANDIDATE_CHOICES = ['grid', 'planned', 'shelters'] as const;
export type CandidateChoice = (typeof CANDIDATE_CHOICES)[number];
const CANDIDATES: Record<CandidateChoice, SitingBody['candidates']> = {
  grid: undefined,
  planned: 'planned',
  shelters: { layer: 'shelters', where: { class: ['central', 'fixed_long', 'fixed_medium'] } },
};

/** The body of a run from the panel: the request schema's, with the mode always given (and the threshold, or fire stations' urban/rural minutes). */
export type SitingBody = RequestBody & Required<Pick<RequestBody, 'mode'>>;

/** A siting run of the panel. */
export type SitingRun = Run<'siting', SitingBody, SitingResult>;

/** A site as the planner has it: proposed by a run, moved, or placed by hand (id `manual-n`). */
export interface PlanSite {
  id: string;
  lon: number;
  lat: number;
}

/** An optimisation's answer, or (status 'evaluated') a what-if's for a given set of sites (POST …/siting/evaluate). */
export type SitingResult = PlannerSitingAnswer;

/** The planner's draft: the goal and its numbers. */
export interface SitingDraft {
  goal: SitingGoal;
  p: number;
  coverageTarget: number;
  threshold: number;
  /** Fire goals: one threshold for every town (`threshold`) instead of fire coverage's urban/rural rule. */
  oneThreshold: boolean;
  /** Fire goals under the urban/rural rule: driving minutes in urban towns (GB 51080-2015 §4.1.3) and in the others (a setting). */
  urbanDriveMinutes: number;
  ruralDriveMinutes: number;
  /** Towns marked urban besides the 街道, per county (as fire coverage's form keeps them). */
  urbanTowns: MarkedTowns;
  mode: SitingMode;
  candidates: CandidateChoice;
  /** Shelter goals: count what each shelter holds (the layer's capacities) and what a new one would. */
  capacityAware: boolean;
  /** Persons a new shelter holds (capacity-aware only). */
  newSiteCapacity: number;
}

/** Goals whose model takes capacities (core/analysis/planner-siting/plan.ts: mclp, lscp, pmedian on shelters or depots). */
export const takesCapacity = (goal: SitingGoal): boolean => goalOf(goal).layer === 'shelters';

/** A new shelter's default capacity in the form: 4,000 m² of a 固定 (short-term) shelter at 2 m² a person (GB 51143-2015). */
export const DEFAULT_NEW_SITE_CAPACITY = 2000;

export const defaultSitingDraft = (goal: SitingGoal = 'fire-mclp'): SitingDraft => {
  const d = SITING_DEFAULTS[goalOf(goal).layer];
  return {
    goal,
    p: goal.startsWith('shelter') ? 4 : 3,
    coverageTarget: 0.8,
    threshold: d.minutes,
    oneThreshold: false,
    urbanDriveMinutes: FIRE_RESPONSE.driveMinutes,
    ruralDriveMinutes: FIRE_RURAL_RESPONSE.driveMinutes,
    urbanTowns: {},
    mode: d.mode,
    candidates: 'grid',
    capacityAware: false,
    newSiteCapacity: DEFAULT_NEW_SITE_CAPACITY,
  };
};

/** Whether the draft applies fire coverage's urban/rural rule (fire goals, unless one threshold is asked for). */
export const urbanRuralRule = (draft: SitingDraft): boolean => goalOf(draft.goal).layer === 'fire_stations' && !draft.oneThreshold;

/** The body of a run from the draft. */
export function sitingBody(draft: SitingDraft, county: string): SitingBody {
  const g = goalOf(draft.goal);
  const candidates = CANDIDATES[draft.candidates];
  const capacities = draft.capacityAware && takesCapacity(draft.goal) ? ({ capacities: 'layer', newSiteCapacity: draft.newSiteCapacity } as const) : {};
  const marked = markedIn(draft.urbanTowns, county);
  const limits = urbanRuralRule(draft)
    ? { urbanDriveMinutes: draft.urbanDriveMinutes, ruralDriveMinutes: draft.ruralDriveMinutes, ...(marked.length ? { urbanTowns: marked } : {}) }
    : { threshold: draft.threshold };
  const base = { model: g.model, facilityLayer: g.layer, county, ...limits, mode: draft.mode, ...(candidates ? { candidates } : {}), ...capacities } as const;
  return g.model === 'lscp' ? { ...base, coverageTarget: draft.coverageTarget } : { ...base, p: draft.p };
}

/** The body of a what-if: the model of the optimisation, evaluated for exactly these new sites. */
export function evaluateBody(optimum: SitingBody, sites: readonly PlanSite[]): EvaluateBody {
  const { model, facilityLayer, county, threshold, urbanDriveMinutes, ruralDriveMinutes, urbanTowns, mode, coverageTarget, capacities, newSiteCapacity } = optimum;
  // LSCP's objective (sites needed for the target share) is only defined with its target.
  return {
    model,
    facilityLayer,
    county,
    ...(threshold === undefined ? {} : { threshold }),
    ...(urbanDriveMinutes === undefined ? {} : { urbanDriveMinutes }),
    ...(ruralDriveMinutes === undefined ? {} : { ruralDriveMinutes }),
    ...(urbanTowns === undefined ? {} : { urbanTowns }),
    mode,
    ...(coverageTarget === undefined ? {} : { coverageTarget }),
    ...(capacities === undefined ? {} : { capacities }),
    ...(newSiteCapacity === undefined ? {} : { newSiteCapacity }),
    sites: sites.map(({ id, lon, lat }) => ({ id, lon, lat })),
  };
}

/**
 * The planner's site numbers, kept while sites are moved, removed or added: the optimum's sites
 * keep theirs (its rank), a site placed by hand (`manual-n`) comes after them (count + n).
 */
export function siteNumbers(optimum: SitingResult, sites: readonly PlanSite[] | undefined): Map<string, number> {
  const numbers = new Map(optimum.chosen.map((c) => [c.id, c.number]));
  const after = Math.max(0, ...numbers.values());
  for (const s of sites ?? []) {
    const manual = /^manual-(\d+)$/.exec(s.id);
    if (!numbers.has(s.id) && manual) numbers.set(s.id, after + Number(manual[1]));
  }
  return numbers;
}

/** A what-if's answer with the planner's numbers on its sites. */
export const numbered = (result: SitingResult, numbers: ReadonlyMap<string, number>): SitingResult => ({
  ...result,
  chosen: result.chosen.map((c) => ({ ...c, number: numbers.get(c.id) ?? c.number })),
});
export type { EvaluateBody };

/**
 * How far a what-if's objective is from the optimum's, in the model's own sense: MCLP maximises
 * persons covered; LSCP (sites needed), p-median (person-seconds) and p-center (worst seconds)
 * minimise. `share` is relative to the optimum; `worse` false when the what-if does better (with more sites, say).
 */
export function fromOptimum(model: SitingBody['model'], whatIf: number | null, optimum: number | null): { difference: number; share: number | null; worse: boolean } | undefined {
  if (whatIf === null || optimum === null) return undefined;
  const difference = model === 'mclp' ? optimum - whatIf : whatIf - optimum;
  return { difference, share: optimum !== 0 ? Math.abs(difference) / Math.abs(optimum) : null, worse: difference > 0 };
}
