/**
 * The client's analyses, one entry per slice (client/src/analyses/<slice>/), in the order of the
 * core registry (core/analysis/registry.ts). The panel, the map, the legend, the tables, the
 * export and the runner are built from these entries; nothing in the client switches over
 * analysis kinds.
 */
import { ANALYSES, type AnalysisId } from '../../../core/analysis/registry';
import type { Role } from '../../../core/catalogue/types';
import type { Area, Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import type { I18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import type { AnalysisDeck, LegendGroup } from '../map/analysisLayers';
import type { Chart } from '../panels/BarChart';
import type { AnyTable } from '../panels/resultTables';
import { fireCoverage } from './fire-coverage';
import { isochrone } from './isochrone';
import { plannerSiting } from './planner-siting';
import { reliefReach } from './relief-reach';
import { shelterCapacity } from './shelter-capacity';
import type { AnyClientAnalysis, ClientAnalysis, LonLat, ResultMarker, Run, Session, Summary } from './types';

const BY_ID = {
  fire: fireCoverage,
  shelter: shelterCapacity,
  relief: reliefReach,
  siting: plannerSiting,
  isochrone,
} satisfies { [K in AnalysisId]: AnyClientAnalysis & { definition: { id: K } } };

export type AnalysisKind = AnalysisId;
type Entry<K extends AnalysisKind> = (typeof BY_ID)[K];
type BodyOf<K extends AnalysisKind> = Entry<K> extends ClientAnalysis<K, infer B, unknown, unknown> ? B : never;
type DataOf<K extends AnalysisKind> = Entry<K> extends ClientAnalysis<K, unknown, infer D, unknown> ? D : never;
type DraftOf<K extends AnalysisKind> = Entry<K> extends ClientAnalysis<K, unknown, unknown, infer F> ? F : never;

export type RunOf<K extends AnalysisKind> = Run<K, BodyOf<K>, DataOf<K>>;
/** A finished run of any analysis. */
export type AnalysisRun = { [K in AnalysisKind]: RunOf<K> }[AnalysisKind];
export type AnalysisRequest = { [K in AnalysisKind]: { kind: K; body: BodyOf<K> } }[AnalysisKind];
/** What the analysis forms hold between runs (the county comes from the area switcher). */
export type AnalysisDrafts = { kind: AnalysisKind } & { [K in AnalysisKind]: DraftOf<K> };

export const analysisOf = (kind: AnalysisKind): AnyClientAnalysis => BY_ID[kind];

/** In the order the panel offers them. */
export const ANALYSIS_KINDS: AnalysisKind[] = ANALYSES.map((d) => d.id);
const ENTRIES = ANALYSIS_KINDS.map(analysisOf);

/** Analyses that read nothing but public layers. */
export const isPublicKind = (kind: AnalysisKind): boolean => analysisOf(kind).definition.access === 'public';

/** The analyses a role is offered (undefined: not known yet, so the public's). */
export const offeredKinds = (role: Role | undefined): AnalysisKind[] =>
  role && role !== 'public' ? ANALYSIS_KINDS : ANALYSIS_KINDS.filter(isPublicKind);

/** The chosen analysis if the role is offered it, else the first it is offered. */
export function offeredKind(kind: AnalysisKind, role: Role | undefined): AnalysisKind {
  const offered = offeredKinds(role);
  return offered.includes(kind) ? kind : offered[0];
}

/** Every default is the standard's (core/standards.ts). */
export const DEFAULT_DRAFTS = Object.fromEntries([['kind', ANALYSIS_KINDS[0]], ...ENTRIES.map((a) => [a.definition.id, a.defaultDraft])]) as AnalysisDrafts;

/** Parameter names the API may report in a 400, as the forms label them. */
export const PARAM_LABEL: Record<string, MessageKey> = Object.assign({ county: 'area' as MessageKey }, ...ENTRIES.map((a) => a.params));

const finite = (o: object): boolean =>
  Object.values(o).every((v) => (typeof v === 'number' ? Number.isFinite(v) : typeof v === 'object' && v !== null && !Array.isArray(v) ? finite(v) : true));

/** The request the drafts make for the chosen analysis, or why they make none. */
export function buildRequest(drafts: AnalysisDrafts, county: string | undefined): { request?: AnalysisRequest; problem?: MessageKey } {
  const a = analysisOf(drafts.kind);
  const draft = drafts[drafts.kind];
  if (a.perCounty && !county) return { problem: 'needCounty' };
  if (a.perCounty && !finite(draft)) return { problem: 'needNumbers' };
  const made = a.request(draft, county ?? '');
  return 'problem' in made ? { problem: made.problem } : { request: { kind: drafts.kind, body: made.body } as AnalysisRequest };
}

export const runLayers = (run: AnalysisRun, adminUnits: FeaturePage | undefined, i18n: I18n): AnalysisDeck => analysisOf(run.kind).layers(run, adminUnits, i18n);
export const runTitle = (run: AnalysisRun, i18n: I18n): string => {
  const a = analysisOf(run.kind);
  return a.title ? a.title(run, i18n) : i18n.t(a.name);
};
export const runLegend = (run: AnalysisRun, i18n: I18n): LegendGroup[] => analysisOf(run.kind).legend(run, i18n);
export const runTables = (run: AnalysisRun, layers: readonly Layer[], i18n: I18n): AnyTable[] => analysisOf(run.kind).tables(run, layers, i18n);
export const runChart = (run: AnalysisRun, i18n: I18n): Chart => analysisOf(run.kind).chart(run, i18n);
export const runSummary = (run: AnalysisRun, i18n: I18n): Summary => analysisOf(run.kind).summary(run, i18n);
/** The county a run is of, for those run per county. */
export const runCounty = (run: AnalysisRun): string | undefined => (analysisOf(run.kind).perCounty ? (run.body as { county: string }).county : undefined);
/** What the run's files are called: the analysis' route (fire-coverage, siting, …). */
export const runFileName = (run: AnalysisRun): string => analysisOf(run.kind).definition.route;

/** Where a run lies: its own extent, or its county's. */
export function runBbox(run: AnalysisRun, areas: readonly Area[]): Bbox | undefined {
  const a = analysisOf(run.kind);
  if (a.bbox) return a.bbox(run);
  const county = runCounty(run);
  return areas.find((x) => x.code === county)?.bbox;
}

/** The run's map layers as one FeatureCollection; each feature's `layer` says which layer it is. */
export function resultGeoJson(run: AnalysisRun, adminUnits: FeaturePage | undefined) {
  const { features, parameters } = analysisOf(run.kind).geojson(run, adminUnits);
  return { type: 'FeatureCollection' as const, analysis: run.kind, parameters, features };
}

/** Map layers of the chosen analysis' draft (isochrone origins not yet run). */
export const draftLayers = (drafts: AnalysisDrafts, kind: AnalysisKind): AnalysisDeck | undefined => analysisOf(kind).draftLayers?.(drafts[kind]);

/** The draggable markers of a run (siting's new sites). */
export const runMarkers = (run: AnalysisRun | undefined, session: unknown): ResultMarker[] | undefined => (run ? analysisOf(run.kind).markers?.(run, session) : undefined);

/** What dragging or removing a run's marker does. */
export const markerHandlers = (run: AnalysisRun | undefined, session: unknown) => (run ? analysisOf(run.kind).markerHandlers?.(session) : undefined);

/**
 * A point picked on the map: on a result of the chosen analysis that takes one, the result's
 * (siting: a site placed by hand); else the chosen draft's (isochrone: an origin).
 */
export function pickPoint(drafts: AnalysisDrafts, run: AnalysisRun | undefined, session: unknown, point: LonLat): AnalysisDrafts {
  const a = analysisOf(drafts.kind);
  if (run?.kind === drafts.kind && a.pickOnResult) {
    a.pickOnResult(session, point);
    return drafts;
  }
  const taker = a.pick ? a : ENTRIES.find((x) => x.pick)!;
  const kind = taker.definition.id as AnalysisKind;
  return { ...drafts, [kind]: taker.pick!(drafts[kind], point) };
}

/**
 * The what-if of each analysis that has one (by kind), on the run when it is of that analysis.
 * The entries are fixed, so the hooks are called in the same order on every render.
 */
export function useSessions(run: AnalysisRun | undefined): Partial<Record<AnalysisKind, Session<unknown>>> {
  const sessions: Partial<Record<AnalysisKind, Session<unknown>>> = {};
  for (const a of ENTRIES) {
    // biome-ignore lint/correctness/useHookAtTopLevel: ENTRIES is a constant list, so the same hooks run in the same order on every render.
    if (a.useSession) sessions[a.definition.id as AnalysisKind] = a.useSession(run?.kind === a.definition.id ? run : undefined);
  }
  return sessions;
}
