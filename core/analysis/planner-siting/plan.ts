/**
 * From a siting request and the catalogue's features to the instance planner-siting.ts solves, and
 * from its result to the answer: which facilities already serve (in service), what they hold
 * (capacities), the service threshold of each site (class radii), where new sites may go (the
 * candidates: grid, planned, drawn points or area, a filtered layer), the checks that say what to
 * change, and the parameters the answer reports. Pure: the server reads the layers and the county,
 * and calls these in order.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { note, type Note } from '../../note.js';
import { ApiError } from '../../api-error.js';
import { layerWithRole } from '../../catalogue/roles.js';
import { findLayer } from '../../catalogue/access.js';
import { LAYERS as CATALOGUE } from '../../catalogue/layers.js';
import { isInService } from '../../catalogue/roles.js';
import type { Graph, Mode } from '../../network/graph.js';
import type { PopulationGrid } from '../../population/grid.js';
import { FIRE_RESPONSE, FIRE_RURAL_RESPONSE, SHELTER_CLASSES, shelterCapacity, shelterServiceMinutes, SITING_DEFAULTS, type ShelterClass } from '../../standards.js';
import { checkUrbanTowns, townRule } from '../fire-coverage/index.js';
import type { SitingModelName } from '../siting/model.js';
import { SitingError, type SitingParameter } from '../siting/problem.js';
import { hazardPointsOf } from '../shelter-capacity/index.js';
import type { CountyInput, SiteRecord } from '../slice.js';
import { screenCandidates, type ExcludedSite, type HazardZone } from './hazards.js';
import type { HazardPoint } from '../shelter-capacity/suitability.js';
import { evaluatePlan, gridCandidates, plannerSiting, TableTimeLimit, type PlannerSite, type PlannerSitingResult, type TravelTimes } from './planner-siting.js';
import { PLANNER_SITING, SITING_EVALUATE, type EvaluateRequest, type SitingCommon, type SitingLayer, type SitingRequest } from './request.js';

const bad = (parameter: string, message: string) => new ApiError(400, 'bad_parameter', message, parameter);
const HINT = `Send JSON like ${PLANNER_SITING.example}.`;
const EVALUATE_HINT = `Send JSON like ${SITING_EVALUATE.example}.`;

/** The point layer whose active geohazards rule out candidates nearby (as shelter-capacity reads it). */
export const SITING_HAZARD_POINTS = 'geohazards';
/** The polygon layer of hazard zones (the catalogue's hazard_zone role). */
export const SITING_HAZARD_ZONES = layerWithRole('hazard_zone').id;

/** Point layers candidates may come from. */
const POINT_LAYERS = CATALOGUE.filter((l) => l.geometry === 'Point').map((l) => l.id);
/** Models whose MILP takes capacities (core/analysis/siting: mclp, lscp, pmedian). */
const CAPACITATED: readonly SitingModelName[] = ['mclp', 'lscp', 'pmedian'];

/** Which facilities already serve: in service (open or full shelters); micro fire stations are not 消防站 (see core/analysis/fire-coverage/). */
export function inService(layer: SitingLayer, s: SiteRecord): boolean {
  if (layer === 'fire_stations' && s.p.type === 'micro') return false;
  return isInService(findLayer(layer)!, s.p);
}

const isClass = (x: unknown): x is ShelterClass => typeof x === 'string' && (SHELTER_CLASSES as string[]).includes(x);

/**
 * Persons a facility can serve per the layer: a shelter's `capacity` (GB 51143-2015: effective
 * area ÷ per-person area, computed from `area_m2` and the class when missing), a depot's
 * `supply_persons`. Undefined when the record does not say.
 */
export function layerCapacity(layer: SitingLayer, s: SiteRecord): number | undefined {
  const v = layer === 'shelters' ? s.p.capacity : s.p.supply_persons;
  if (typeof v === 'number' && v >= 0) return v;
  if (layer === 'shelters' && typeof s.p.area_m2 === 'number' && isClass(s.p.class)) return shelterCapacity(s.p.class, s.p.area_m2);
  return undefined;
}

/**
 * Fire stations' urban/rural rule, as fire coverage applies it: a cell's drive limit is the urban
 * minutes when its town is urban (a 街道, or marked; townRule), else the rural minutes.
 */
export interface UrbanRural {
  urbanDriveMinutes: number;
  ruralDriveMinutes: number;
  /** Turn-out before driving, minutes (FIRE_RESPONSE; stated in the rules, not part of the drive). */
  turnoutMinutes: number;
  urbanTowns: string[];
  /** The two rules with their standards and clauses (fire coverage's own notes). */
  rules: Note[];
}

/** Coverage before and after in the urban or the rural towns. */
export interface ScopeCoverage {
  towns: number;
  population: number;
  coveredBefore: number;
  coveredAfter: number;
}

/** The model settings both endpoints share, checked, with the county's existing facilities. */
export interface Setting {
  mode: 'drive' | 'walk' | 'straight-line';
  /** Minutes of new sites without their own class (the urban drive minutes under the urban/rural rule). */
  threshold: number;
  /** Fire stations without one threshold: the urban/rural rule; null otherwise. */
  urbanRural: UrbanRural | null;
  classRadii: boolean;
  capacitated: boolean;
  existing: PlannerSite[];
  layerSites: SiteRecord[];
  notes: Note[];
  parameters: Omit<SitingParameters, 'candidates' | 'method'>;
  /** The speed that turns straight-line metres into minutes. */
  straightLineMode: Mode;
}

function checkCommon(b: SitingCommon, hint: string, method?: string): void {
  if (b.model !== 'lscp' && b.coverageTarget !== undefined) throw bad('coverageTarget', `coverageTarget applies to model lscp only. ${hint}`);
  const capacitated = b.capacities !== undefined || b.newSiteCapacity !== undefined;
  if (capacitated) {
    const which = b.capacities !== undefined ? 'capacities' : 'newSiteCapacity';
    if (b.facilityLayer === 'fire_stations') {
      throw bad(which, 'Fire stations have no capacity in persons; capacities apply to shelters (persons they hold) and depots (persons they supply).');
    }
    if (!CAPACITATED.includes(b.model)) throw bad(which, `Model ${b.model} does not take capacities; models ${CAPACITATED.join(', ')} do.`);
    if (method === 'heuristic') throw bad(which, 'The heuristic does not handle capacities; use method "exact" or "auto".');
  }
  if (b.facilityLayer !== 'shelters') {
    if (b.siteClass !== undefined) throw bad('siteClass', `siteClass applies to shelters only, not ${b.facilityLayer}.`);
    if (b.radii !== undefined) throw bad('radii', `radii applies to shelters only, not ${b.facilityLayer}.`);
  }
  for (const key of ['urbanDriveMinutes', 'ruralDriveMinutes', 'urbanTowns'] as const) {
    if (b[key] === undefined) continue;
    if (b.facilityLayer !== 'fire_stations') throw bad(key, `${key} applies to fire stations only (the urban/rural rule of fire coverage), not ${b.facilityLayer}. ${hint}`);
    if (b.threshold !== undefined) {
      throw bad(key, `threshold applies one limit to every town; send either threshold or the urban/rural rule (urbanDriveMinutes, ruralDriveMinutes, urbanTowns), not both. ${hint}`);
    }
  }
}

/** The checks of a solve request that need no data. */
export function checkSolve(b: SitingRequest): void {
  if (b.model !== 'lscp' && b.p === undefined) throw bad('p', `model ${b.model} needs p, the number of new sites to open. ${HINT}`);
  if (b.model === 'lscp' && b.p !== undefined) throw bad('p', `model lscp finds the number of sites itself; send coverageTarget (a share 0–1) instead of p. ${HINT}`);
  checkCommon(b, HINT, b.method);
}

/** The checks of a what-if request that need no data. */
export function checkEvaluate(b: EvaluateRequest): void {
  checkCommon(b, EVALUATE_HINT);
  if (b.facilityLayer !== 'shelters' && b.sites.some((x) => x.class !== undefined)) {
    throw bad('sites', `A site's class applies to shelters only, not ${b.facilityLayer}.`);
  }
  if (b.facilityLayer === 'fire_stations' && b.sites.some((x) => x.capacity !== undefined)) {
    throw bad('sites', "Fire stations have no capacity in persons; leave out the sites' capacity.");
  }
  if (!CAPACITATED.includes(b.model) && b.sites.some((x) => x.capacity !== undefined)) {
    throw bad('sites', `Model ${b.model} does not take capacities; models ${CAPACITATED.join(', ')} do.`);
  }
}

/** The setting of a request on the county's features of the facility layer. */
export function sitingSetting(b: SitingCommon, layerSites: SiteRecord[]): Setting {
  const defaults = SITING_DEFAULTS[b.facilityLayer];
  const mode = b.mode ?? defaults.mode;
  // Class radii are walking distances (GB 21734-2008): they apply to shelters reached on foot.
  const classRadii = b.facilityLayer === 'shelters' && mode !== 'drive' && b.radii !== 'uniform';
  const siteClass = b.siteClass ?? 'fixed_short';
  // Fire stations: the urban/rural rule of fire coverage unless one threshold is asked for.
  const split = b.facilityLayer === 'fire_stations' && b.threshold === undefined;
  const urbanRural: UrbanRural | null = split ? urbanRuralOf(b) : null;
  const threshold = urbanRural?.urbanDriveMinutes ?? b.threshold ?? (classRadii ? shelterServiceMinutes(siteClass) : defaults.minutes);
  const capacitated = b.capacities !== undefined || b.newSiteCapacity !== undefined;
  const notes: Note[] = [];
  const given = typeof b.capacities === 'object' ? b.capacities : undefined;
  const inUse = layerSites.filter((s) => inService(b.facilityLayer, s));
  if (given) {
    const ids = new Set(inUse.map((s) => s.id));
    const unknown = Object.keys(given).filter((id) => !ids.has(id));
    if (unknown.length) {
      throw bad(
        'capacities',
        `No ${b.facilityLayer} in service in county ${b.county} with id ${unknown
          .slice(0, 5)
          .map((x) => `"${x}"`)
          .join(', ')}; capacities are given by existing facility id (or send "layer").`,
      );
    }
  }
  let missing = 0;
  const existing = inUse.map((s): PlannerSite => {
    const site: PlannerSite = { id: s.id, lon: s.lon, lat: s.lat };
    if (classRadii) site.minutes = isClass(s.p.class) ? shelterServiceMinutes(s.p.class) : threshold;
    if (b.capacities === 'layer') {
      const c = layerCapacity(b.facilityLayer, s);
      if (c === undefined) missing++;
      else site.capacity = c;
    } else if (given?.[s.id] !== undefined) site.capacity = given[s.id];
    return site;
  });
  if (missing) notes.push(note('siting_capacity_missing', { count: missing, layer: b.facilityLayer }));
  if (capacitated && b.newSiteCapacity === undefined) notes.push(note('siting_new_unlimited'));
  if (b.facilityLayer === 'fire_stations' && !urbanRural) notes.push(note('siting_fire_single_threshold', { minutes: threshold }));
  const radii = classRadii ? (Object.fromEntries(SHELTER_CLASSES.map((c) => [c, shelterServiceMinutes(c)])) as Record<ShelterClass, number>) : null;
  const basis = urbanRural
    ? note('siting_basis_fire_urban_rural', { urbanDrive: urbanRural.urbanDriveMinutes, ruralDrive: urbanRural.ruralDriveMinutes })
    : classRadii
    ? b.threshold === undefined
      ? note('siting_basis_class_radii', { minutes: threshold, siteClass })
      : note('siting_basis_class_radii_set', { minutes: threshold })
    : threshold === defaults.minutes
      ? defaults.basis
      : note('siting_basis_set', { minutes: threshold, defaultMinutes: defaults.minutes });
  return {
    mode,
    threshold,
    urbanRural,
    classRadii,
    capacitated,
    existing,
    layerSites,
    notes,
    straightLineMode: defaults.mode,
    parameters: {
      model: b.model,
      facilityLayer: b.facilityLayer,
      county: b.county,
      p: b.p ?? null,
      coverageTarget: b.model === 'lscp' ? (b.coverageTarget ?? 1) : null,
      threshold,
      urbanRural,
      mode,
      timeLimitSeconds: b.timeLimitSeconds,
      capacities: b.capacities === 'layer' ? 'layer' : given ? 'given' : null,
      newSiteCapacity: b.newSiteCapacity ?? null,
      siteClass: b.facilityLayer === 'shelters' ? siteClass : null,
      radii,
      basis,
      ...(mode === 'straight-line' ? { speed: defaults.mode === 'walk' ? note('siting_speed_straight', { kmh: 5, mode: 'walk' }) : note('siting_speed_straight', { kmh: 30, mode: 'drive' }) } : {}),
    },
  };
}

function urbanRuralOf(b: SitingCommon): UrbanRural {
  const urbanDriveMinutes = b.urbanDriveMinutes ?? FIRE_RESPONSE.driveMinutes;
  const ruralDriveMinutes = b.ruralDriveMinutes ?? FIRE_RURAL_RESPONSE.driveMinutes;
  const turnout = FIRE_RESPONSE.turnoutMinutes;
  return {
    urbanDriveMinutes,
    ruralDriveMinutes,
    turnoutMinutes: turnout,
    urbanTowns: [...(b.urbanTowns ?? [])],
    rules: [
      note('fire_basis_urban', { minutes: turnout + urbanDriveMinutes, turnout, drive: urbanDriveMinutes }),
      note('fire_basis_rural', { minutes: turnout + ruralDriveMinutes, turnout, drive: ruralDriveMinutes }),
    ],
  };
}

/**
 * Each demand cell's drive limit under the urban/rural rule, minutes (grid order), by the same
 * rule fire coverage applies (townRule); undefined without the rule. Towns marked urban that are
 * not the county's are a 400.
 */
export function demandMinutes(s: Setting, county: Pick<CountyInput, 'grid' | 'towns'>, countyCode: string): Float64Array | undefined {
  const r = s.urbanRural;
  if (!r) return undefined;
  checkUrbanTowns(county.towns, r.urbanTowns, countyCode);
  const rule = townRule(county.towns, r.urbanTowns);
  const byUnit = county.grid.units.map((code) => (rule(code) ? r.urbanDriveMinutes : r.ruralDriveMinutes));
  return Float64Array.from(county.grid.unit, (u) => byUnit[u]);
}

/** Coverage before and after, urban and rural towns apart (their sum is the towns' total), as fire coverage reports it. */
export function urbanRuralCoverage(
  s: Setting,
  towns: readonly { code: string; name: string }[],
  rows: PlannerSitingResult['towns'],
): { urban: ScopeCoverage; rural: ScopeCoverage } | null {
  if (!s.urbanRural) return null;
  const rule = townRule(towns, s.urbanRural.urbanTowns);
  const scope = (urban: boolean): ScopeCoverage => {
    const part = rows.filter((r) => Boolean(rule(r.code)) === urban);
    const sum = (key: 'population' | 'coveredBefore' | 'coveredAfter') => part.reduce((a, r) => a + r[key], 0);
    return { towns: part.length, population: sum('population'), coveredBefore: sum('coveredBefore'), coveredAfter: sum('coveredAfter') };
  };
  return { urban: scope(true), rural: scope(false) };
}

/** The catalogue layer candidates are taken from, checked (400 unless a point layer with those fields); undefined for other candidate kinds. */
export function candidateLayer(b: SitingRequest): string | undefined {
  if (typeof b.candidates !== 'object' || !('layer' in b.candidates)) return undefined;
  const { layer, where = {} } = b.candidates;
  const def = findLayer(layer);
  if (def?.geometry !== 'Point') throw bad('candidates', `candidates.layer "${layer}" is not a point layer; use one of ${POINT_LAYERS.join(', ')}.`);
  for (const field of Object.keys(where)) {
    if (!def.fields.some((f) => f.name === field)) throw bad('candidates', `candidates.where: layer "${layer}" has no field "${field}".`);
  }
  return layer;
}

/** What rules candidates out (hazards.ts): the county's geohazard points and hazard zones. */
export interface SitingHazards {
  points: readonly HazardPoint[];
  zones: readonly HazardZone[];
}
export const NO_HAZARDS: SitingHazards = { points: [], zones: [] };

/**
 * Where new sites may go, and how the answer names them. `layerSites` are the county's features of
 * candidateLayer(b), when the candidates come from a layer. However they were made, candidates a
 * hazard threatens are ruled out (`excluded`, each with its reasons).
 */
export function sitingCandidates(
  b: SitingRequest,
  s: Setting,
  county: { graph: Graph | undefined; grid: PopulationGrid },
  layerSites: readonly SiteRecord[] = [],
  hazards: SitingHazards = NO_HAZARDS,
): { candidates: PlannerSite[]; kind: Note; excluded: ExcludedSite[] } {
  const graph = s.mode === 'straight-line' ? undefined : county.graph;
  let candidates: PlannerSite[];
  let kind: Note;
  if (b.candidates === 'grid') {
    candidates = gridCandidates(county.grid, graph, s.mode, b.candidateCellM);
    kind = note(s.mode === 'straight-line' ? 'siting_candidates_grid_straight' : 'siting_candidates_grid', { cellM: b.candidateCellM ?? 1500 });
  } else if (b.candidates === 'planned') {
    // A planned shelter keeps its own class's radius.
    candidates = s.layerSites
      .filter((x) => x.p.status === 'planned')
      .map(({ id, lon, lat, p }) => ({ id, lon, lat, ...(s.classRadii && isClass(p.class) ? { minutes: shelterServiceMinutes(p.class) } : {}) }));
    kind = note('siting_candidates_planned', { layer: b.facilityLayer });
    if (candidates.length === 0) throw bad('candidates', `County ${b.county} has no planned ${b.facilityLayer}; use "grid" or draw candidate points. ${HINT}`);
  } else if ('geometry' in b.candidates) {
    const inside = b.candidates;
    candidates = gridCandidates(county.grid, graph, s.mode, b.candidateCellM).filter((c) => booleanPointInPolygon([c.lon, c.lat], inside.geometry));
    kind = note('siting_candidates_area', { cellM: b.candidateCellM ?? 1500 });
    if (candidates.length === 0) throw bad('candidates', `The drawn area holds no populated grid cell of county ${b.county}: draw it over where people live, or use a finer candidateCellM. ${HINT}`);
  } else if ('layer' in b.candidates) {
    const { layer, where = {} } = b.candidates;
    const taken = new Set(s.existing.map((e) => e.id));
    candidates = layerSites
      .filter((x) => !taken.has(x.id) && Object.entries(where).every(([f, values]) => values.includes(String(x.p[f]))))
      .map(({ id, lon, lat }) => ({ id, lon, lat }));
    const filter = Object.entries(where)
      .map(([f, v]) => `${f} ∈ {${v.join(', ')}}`)
      .join(' ∧ ');
    kind = filter ? note('siting_candidates_layer_where', { layer, where: filter }) : note('siting_candidates_layer', { layer });
    if (candidates.length === 0) throw bad('candidates', `No ${layer}${filter ? ` where ${filter}` : ''} in county ${b.county} (existing facilities excluded). ${HINT}`);
  } else {
    candidates = b.candidates.features.map((f, k) => ({
      id: String(f.id ?? f.properties?.id ?? `drawn-${k + 1}`),
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
    }));
    kind = note('siting_candidates_drawn');
    const ids = new Set(s.existing.map((e) => e.id));
    for (const c of candidates) {
      if (ids.has(c.id)) throw bad('candidates', `Candidate id "${c.id}" appears twice (or is an existing facility's id): give each point a distinct id.`);
      ids.add(c.id);
    }
  }
  const screened = screenCandidates(candidates, b.facilityLayer, hazards.points, hazards.zones);
  const { excluded } = screened;
  candidates = screened.kept;
  const ruledOut = excluded.length ? `, ${excluded.length} more ruled out by hazards (see the geohazard buffer and hazard zones)` : '';
  if (candidates.length === 0) {
    throw new ApiError(400, 'bad_parameter', `Every candidate site lies within a hazard (${excluded.length} ruled out); give candidates elsewhere. ${HINT}`, 'candidates', { excluded: excluded.length });
  }
  if (b.p !== undefined && b.p > candidates.length) {
    throw bad('p', `p = ${b.p} but there are only ${candidates.length} candidate sites${ruledOut}; lower p or give more candidates.`);
  }
  for (const c of candidates) {
    if (s.classRadii) c.minutes ??= s.threshold;
    if (b.newSiteCapacity !== undefined) c.capacity = b.newSiteCapacity;
  }
  return { candidates, kind, excluded };
}

/** The what-if's new sites, with their thresholds and capacities. */
export function evaluatedSites(b: EvaluateRequest, s: Setting): PlannerSite[] {
  const ids = new Set(s.existing.map((e) => e.id));
  return b.sites.map((x): PlannerSite => {
    if (ids.has(x.id)) throw bad('sites', `Site id "${x.id}" appears twice (or is an existing facility's id): give each new site a distinct id.`);
    ids.add(x.id);
    const site: PlannerSite = { id: x.id, lon: x.lon, lat: x.lat };
    if (s.classRadii) site.minutes = x.class ? shelterServiceMinutes(x.class) : s.threshold;
    const capacity = x.capacity ?? b.newSiteCapacity;
    if (capacity !== undefined) site.capacity = capacity;
    return site;
  });
}

/** The request parameter each solver input stands for (the solver's `target` is the request's coverageTarget). */
const REQUEST_PARAMETER: Record<SitingParameter, string> = {
  model: 'model',
  method: 'method',
  p: 'p',
  threshold: 'threshold',
  target: 'coverageTarget',
  capacities: 'capacities',
  nearest: 'method',
  timeLimitSeconds: 'timeLimitSeconds',
  gapTolerance: 'method',
  demand: 'candidates',
  candidates: 'candidates',
  weights: 'candidates',
  cost: 'candidates',
  existing: 'candidates',
  table: 'candidates',
};

/** A failure of the solver or the table as an answer that says what to change; other errors are passed on. */
export function sitingFailure(err: unknown, b: SitingCommon, capacitated: boolean, evaluate = false): unknown {
  const hint = evaluate ? EVALUATE_HINT : HINT;
  if (err instanceof TableTimeLimit) {
    return new ApiError(
      503,
      'time_limit',
      `Building the travel-time table did not finish within timeLimitSeconds = ${b.timeLimitSeconds}: ${err.message}. Raise timeLimitSeconds (up to 30), use a coarser candidateCellM, fewer candidates, or mode "straight-line".`,
      'timeLimitSeconds',
    );
  }
  if (err instanceof SitingError && capacitated && err.tooLarge) {
    // The solver's advice (heuristic, nearest) does not apply with capacities.
    return bad(
      'candidates',
      `${err.message.replace(/;.*/, '')}: with capacities only the exact model applies, so give fewer candidates (planned or drawn sites) or a coarser candidateCellM.`,
    );
  }
  if (err instanceof SitingError) return bad(REQUEST_PARAMETER[err.parameter], `${err.message}. ${hint}`);
  return err;
}

/** What the answer reports of the request besides the result. */
export interface SitingParameters {
  model: SitingModelName;
  facilityLayer: SitingLayer;
  county: string;
  p: number | null;
  coverageTarget: number | null;
  threshold: number;
  mode: Setting['mode'];
  timeLimitSeconds: number;
  /** Fire stations' urban/rural rule; null when one threshold applies everywhere. */
  urbanRural: UrbanRural | null;
  capacities: 'layer' | 'given' | null;
  newSiteCapacity: number | null;
  siteClass: ShelterClass | null;
  radii: Record<ShelterClass, number> | null;
  basis: Note;
  speed?: Note;
  /** How the candidates were made (siting_candidates_given for a what-if). */
  candidates: Note;
  method: SitingRequest['method'] | null;
}

/** The answer of both endpoints: the result with the request's notes and parameters. */
export interface PlannerSitingAnswer extends PlannerSitingResult {
  parameters: SitingParameters;
  /** Candidates ruled out by hazards, with their reasons (none for a what-if). */
  excluded: ExcludedSite[];
  /** The facilities already serving (drawn on the compare maps and the report's map). */
  existingSites: { id: string; lon: number; lat: number }[];
  /** Under the urban/rural rule: coverage in the urban and in the rural towns apart; null otherwise. */
  split: { urban: ScopeCoverage; rural: ScopeCoverage } | null;
}

const existingSites = (s: Setting): PlannerSitingAnswer['existingSites'] => s.existing.map(({ id, lon, lat }) => ({ id, lon, lat }));

/** The 422's developer message; the client says it from the note's code and params. */
function infeasibleMessage(why: Note | undefined): string {
  const share = why?.params?.share;
  if (share !== undefined) return `No choice of sites meets the model: all candidates together reach a share of ${share} at most; set a target share of at most ${share}, add candidates or lengthen the service time (threshold, or urbanDriveMinutes / ruralDriveMinutes for fire stations).`;
  return `No choice of sites meets the model (${why?.code ?? 'infeasible'}): check capacities and p.`;
}

/**
 * The answer to a solve; a model no choice of sites meets is a 422 naming the parameter to relax,
 * with the solver's reason as a note's code and params (e.g. the reachable share, rounded down).
 */
export function sitingAnswer(
  result: PlannerSitingResult,
  b: SitingRequest,
  s: Setting,
  candidates: Note,
  excluded: ExcludedSite[] = [],
  split: PlannerSitingAnswer['split'] = null,
): PlannerSitingAnswer {
  if (result.status === 'infeasible') {
    // The solver's reason: the note with the share to advise, else its last word on feasibility.
    const why = result.notes.find((x) => x.params?.share !== undefined) ?? result.notes.find((x) => /infeasible|no_cover/.test(x.code)) ?? result.notes.at(-1);
    throw new ApiError(
      422,
      'infeasible',
      infeasibleMessage(why),
      s.capacitated && b.model === 'pmedian' ? 'capacities' : b.model === 'lscp' ? 'coverageTarget' : 'p',
      why ? { note: why.code, ...why.params } : undefined,
    );
  }
  const screened = excluded.length ? [note('siting_excluded_count', { count: excluded.length })] : [];
  return { ...result, notes: [...s.notes, ...screened, ...result.notes], parameters: { ...s.parameters, candidates, method: b.method }, excluded, existingSites: existingSites(s), split };
}

/**
 * The answer to a what-if. The planner's own sites are evaluated as given, but those a hazard
 * threatens are listed under `excluded` with their reasons, and a note says how many.
 */
export const whatIfAnswer = (result: PlannerSitingResult, s: Setting, threatened: ExcludedSite[] = [], split: PlannerSitingAnswer['split'] = null): PlannerSitingAnswer => ({
  ...result,
  notes: [...s.notes, ...(threatened.length ? [note('siting_whatif_in_hazard', { count: threatened.length })] : []), ...result.notes],
  parameters: { ...s.parameters, candidates: note('siting_candidates_given'), method: null },
  excluded: threatened,
  existingSites: existingSites(s),
  split,
});

/** Travel times kept between runs on one county grid (the server's cache), or a fresh table. */
export type TravelFor = (graph: Graph | undefined, grid: PopulationGrid, s: Setting) => TravelTimes | undefined;

/**
 * A solve on a county: the setting from the facility layer's features, the candidates (from the
 * candidate layer's features when asked), the model, the answer. `input.sites` holds the facility
 * layer and candidateLayer(b).
 */
export async function runPlannerSiting(input: CountyInput, b: SitingRequest, travelFor: TravelFor = () => undefined, zones: readonly HazardZone[] = []): Promise<PlannerSitingAnswer> {
  checkSolve(b);
  const s = sitingSetting(b, input.sites[b.facilityLayer] ?? []);
  const layer = candidateLayer(b);
  const hazards = { points: hazardPointsOf(input.sites[SITING_HAZARD_POINTS] ?? []), zones };
  const { candidates, kind, excluded } = sitingCandidates(b, s, input, layer ? (input.sites[layer] ?? []) : [], hazards);
  const cells = demandMinutes(s, input, b.county);
  try {
    const result = await plannerSiting(input.graph, input.grid, input.towns, s.existing, candidates, {
      model: b.model,
      p: b.p,
      coverageTarget: b.coverageTarget,
      thresholdMinutes: s.threshold,
      demandMinutes: cells,
      mode: s.mode,
      straightLineMode: s.straightLineMode,
      method: b.method,
      timeLimitSeconds: b.timeLimitSeconds,
      candidateCellM: b.candidateCellM,
      travel: travelFor(input.graph, input.grid, s),
    });
    return sitingAnswer(result, b, s, kind, excluded, urbanRuralCoverage(s, input.towns, result.towns));
  } catch (err) {
    throw sitingFailure(err, b, s.capacitated);
  }
}

/** A what-if on a county: the answer for exactly the request's sites. `input.sites` holds the facility layer. */
export async function runWhatIf(input: CountyInput, b: EvaluateRequest, travelFor: TravelFor = () => undefined, zones: readonly HazardZone[] = []): Promise<PlannerSitingAnswer> {
  checkEvaluate(b);
  const s = sitingSetting(b, input.sites[b.facilityLayer] ?? []);
  const sites = evaluatedSites(b, s);
  const cells = demandMinutes(s, input, b.county);
  try {
    const result = await evaluatePlan(input.graph, input.grid, input.towns, s.existing, sites, {
      model: b.model,
      coverageTarget: b.coverageTarget,
      thresholdMinutes: s.threshold,
      demandMinutes: cells,
      mode: s.mode,
      straightLineMode: s.straightLineMode,
      timeLimitSeconds: b.timeLimitSeconds,
      travel: travelFor(input.graph, input.grid, s),
    });
    const threatened = screenCandidates(sites, b.facilityLayer, hazardPointsOf(input.sites[SITING_HAZARD_POINTS] ?? []), zones).excluded;
    return whatIfAnswer(result, s, threatened, urbanRuralCoverage(s, input.towns, result.towns));
  } catch (err) {
    throw sitingFailure(err, b, s.capacitated, true);
  }
}
