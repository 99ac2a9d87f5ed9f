/**
 * The planner's siting run (POST /api/analysis/siting, server/routes/siting.ts): the goals it
 * offers in plain words, each a model on a facility layer with the standard's default threshold.
 */
import type { FeatureCollection, Point } from 'geojson';
import type { PlannerSitingResult } from '../../../core/analysis/planner-siting';
import { SITING_DEFAULTS } from '../../../core/standards';
import type { LonLat } from './analysis';

export type SitingLayer = keyof typeof SITING_DEFAULTS;
export type SitingMode = 'drive' | 'walk' | 'straight-line';

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

export interface SitingBody {
  model: 'mclp' | 'lscp' | 'pmedian' | 'pcenter';
  facilityLayer: SitingLayer;
  county: string;
  p?: number;
  coverageTarget?: number;
  threshold: number;
  mode: SitingMode;
  /** Absent: the generated grid. A what-if sends the proposed and manual sites. */
  candidates?: FeatureCollection<Point>;
  method?: 'exact';
}

export interface SitingResult extends PlannerSitingResult {
  parameters: { model: string; facilityLayer: string; county: string; threshold: number; mode: SitingMode; candidates: string; basis: string; coverageTarget: number | null; p: number | null };
}

/** The planner's draft: the goal and its numbers. */
export interface SitingDraft {
  goal: SitingGoal;
  p: number;
  coverageTarget: number;
  threshold: number;
  mode: SitingMode;
}

export const defaultSitingDraft = (goal: SitingGoal = 'fire-mclp'): SitingDraft => {
  const d = SITING_DEFAULTS[goalOf(goal).layer];
  return { goal, p: goal.startsWith('shelter') ? 4 : 3, coverageTarget: 0.8, threshold: d.minutes, mode: d.mode };
};

export const sitesCollection = (sites: readonly { id: string; lon: number; lat: number }[]): FeatureCollection<Point> => ({
  type: 'FeatureCollection',
  features: sites.map((s) => ({ type: 'Feature', id: s.id, properties: {}, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } })),
});

/** The body of a run from the draft: a search over the generated grid of candidates. */
export function sitingBody(draft: SitingDraft, county: string): SitingBody {
  const g = goalOf(draft.goal);
  const base = { model: g.model, facilityLayer: g.layer, county, threshold: draft.threshold, mode: draft.mode } as const;
  return g.model === 'lscp' ? { ...base, coverageTarget: draft.coverageTarget } : { ...base, p: draft.p };
}

/**
 * A what-if: the sites of the last run plus one placed by hand, all of them open (MCLP with p =
 * every given site, solved exactly), so the answer is the coverage of exactly these sites.
 */
export function whatIfBody(last: SitingBody, sites: readonly { id: string; lon: number; lat: number }[], added: LonLat): SitingBody {
  const manual = { id: `manual-${sites.filter((s) => s.id.startsWith('manual-')).length + 1}`, lon: added[0], lat: added[1] };
  const all = [...sites, manual];
  return { model: 'mclp', facilityLayer: last.facilityLayer, county: last.county, threshold: last.threshold, mode: last.mode, p: all.length, candidates: sitesCollection(all), method: 'exact' };
}
