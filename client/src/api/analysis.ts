/**
 * POST /api/analysis/*: the coverage analyses (server/routes/analysis.ts). A run of the analysis
 * panel is a mutation (an explicit "Run", timed); the rescue circle of a selected station is a
 * query, so each station's circle is computed once and then comes from the cache.
 */
import { useCallback, useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { FireCoverageResult } from '../../../core/analysis/fire-coverage';
import { RESCUE_CIRCLE, type IsochroneResult } from '../../../core/analysis/isochrone';
import type { ReliefReachResult } from '../../../core/analysis/relief-reach';
import type { ShelterCapacityResult, TownCapacityRow } from '../../../core/analysis/shelter-capacity';
import { DEFAULT_HAZARD_BUFFER_M, type Unsuitability } from '../../../core/analysis/suitability';
import type { Role } from '../../../core/catalogue/types';
import type { Mode } from '../../../core/network/graph';
import { FIRE_RESPONSE, PLAN_AREA_PER_RESIDENT_M2, RELIEF_TARGET_HOURS, SHELTER_SERVICE_RADIUS_M, type ShelterClass } from '../../../core/standards';
import { postJson } from './http';
import { defaultSitingDraft, type SitingBody, type SitingDraft, type SitingResult } from './siting';
import { useSitingPlan, type SitingPlan } from './sitingPlan';
import { useToken } from './token';

export type LonLat = [number, number];
export type AnalysisKind = 'isochrone' | 'fire' | 'shelter' | 'relief' | 'siting';

/** In the order the panel offers them. Only the isochrone reads nothing but public layers. */
export const ANALYSIS_KINDS: AnalysisKind[] = ['fire', 'shelter', 'relief', 'siting', 'isochrone'];
export const isPublicKind = (kind: AnalysisKind): boolean => kind === 'isochrone';

/** The analyses a role is offered (undefined: not known yet, so the public's). */
export const offeredKinds = (role: Role | undefined): AnalysisKind[] =>
  role && role !== 'public' ? ANALYSIS_KINDS : ANALYSIS_KINDS.filter(isPublicKind);

/** The chosen analysis if the role is offered it, else the first it is offered. */
export function offeredKind(kind: AnalysisKind, role: Role | undefined): AnalysisKind {
  const offered = offeredKinds(role);
  return offered.includes(kind) ? kind : offered[0];
}

const ENDPOINT: Record<AnalysisKind, string> = {
  isochrone: '/api/analysis/isochrone',
  fire: '/api/analysis/fire-coverage',
  shelter: '/api/analysis/shelter-capacity',
  relief: '/api/analysis/relief-reach',
  siting: '/api/analysis/siting',
};

export interface IsochroneBody {
  origins: LonLat[];
  minutes: number[];
  mode: Mode;
}

export interface FireBody {
  county: string;
  driveMinutes: number;
  turnoutMinutes: number;
  /** Absent: the analysis' default (every type but micro stations, core/analysis/fire-coverage.ts). */
  types?: string[];
  includePlanned: boolean;
}

export interface ShelterBody {
  county: string;
  /** Empty: every in-use shelter counts, whatever it is declared for. */
  hazard: string;
  areaPerResidentM2: number;
  serviceRadiusM: Record<ShelterClass, number>;
  metric: 'network' | 'straight-line';
  bufferM: number;
  includePlanned: boolean;
}

export interface ReliefBody {
  county: string;
  targetHours: number;
  /** Empty: depots holding any stock count. */
  item: string;
  dispatchHours: number;
}

/** A town of a population of 0 has no area per resident: JSON turns the analysis' Infinity into null. */
export type ShelterTownRow = Omit<TownCapacityRow, 'areaPerResidentM2'> & { areaPerResidentM2: number | null };
export interface ShelterResult extends Omit<ShelterCapacityResult, 'towns'> {
  towns: ShelterTownRow[];
  unsuitable: ({ id: string; name: string; lon: number; lat: number } & Unsuitability)[];
}

interface Bodies {
  isochrone: IsochroneBody;
  fire: FireBody;
  shelter: ShelterBody;
  relief: ReliefBody;
  siting: SitingBody;
}
interface Results {
  isochrone: IsochroneResult;
  fire: FireCoverageResult;
  shelter: ShelterResult;
  relief: ReliefReachResult;
  siting: SitingResult;
}

export type AnalysisRequest = { [K in AnalysisKind]: { kind: K; body: Bodies[K] } }[AnalysisKind];
/** A finished run: what was asked, the answer, and how long it took (ms). */
export type AnalysisRun = { [K in AnalysisKind]: { kind: K; body: Bodies[K]; data: Results[K]; ms: number } }[AnalysisKind];
export type RunOf<K extends AnalysisKind> = Extract<AnalysisRun, { kind: K }>;

/** The API's body: empty optional choices are left out, so the server's defaults apply. */
function wireBody(req: AnalysisRequest): unknown {
  if (req.kind === 'shelter' || req.kind === 'relief') {
    const { hazard, item, ...rest } = req.body as ShelterBody & ReliefBody;
    return { ...rest, ...(hazard ? { hazard } : {}), ...(item ? { item } : {}) };
  }
  return req.body;
}

export interface AnalysisRunner {
  /** What to show: the last successful run (kept while a new one runs or after one fails), or its what-if. */
  run?: AnalysisRun;
  /** The last successful run as the server solved it, before any what-if. */
  solved?: AnalysisRun;
  /** The what-if on a siting run. */
  plan: SitingPlan;
  pending: boolean;
  /** When the pending run started (ms since the epoch). */
  startedAt: number;
  error: Error | null;
  start(request: AnalysisRequest): void;
  /** Shows a run answered before (a saved scenario). */
  restore(run: AnalysisRun): void;
  clear(): void;
}

export function useAnalysisRun(): AnalysisRunner {
  const token = useToken();
  const [run, setRun] = useState<AnalysisRun>();
  const mutation = useMutation({
    mutationFn: async (req: AnalysisRequest): Promise<AnalysisRun> => {
      const start = performance.now();
      const data = await postJson<Results[typeof req.kind]>(ENDPOINT[req.kind], wireBody(req), token);
      return { ...req, data, ms: performance.now() - start } as AnalysisRun;
    },
    onSuccess: setRun,
  });
  const { mutate, reset } = mutation;
  const clear = useCallback(() => {
    reset();
    setRun(undefined);
  }, [reset]);
  const restore = useCallback(
    (r: AnalysisRun) => {
      reset();
      setRun(r);
    },
    [reset],
  );
  const plan = useSitingPlan(run?.kind === 'siting' ? run : undefined);
  const shown = useMemo(() => (run?.kind === 'siting' && plan.result ? { ...run, data: plan.result } : run), [run, plan.result]);
  return { run: shown, solved: run, plan, pending: mutation.isPending, startedAt: mutation.submittedAt, error: mutation.error, start: mutate, restore, clear };
}

/** "1小时救援圈" with its 15- and 30-minute rings. */
export const RESCUE_MINUTES = [15, 30, ...RESCUE_CIRCLE.minutes];

/** Layers whose features are rescue bases: selecting one shows its rescue circle. */
export const RESCUE_BASE_LAYERS = ['fire_stations', 'rescue_teams'];

export function useRescueCircle(origin: LonLat | undefined) {
  const body: IsochroneBody = { origins: origin ? [origin] : [], minutes: RESCUE_MINUTES, mode: RESCUE_CIRCLE.mode };
  return useQuery({
    queryKey: ['isochrone', body],
    queryFn: ({ signal }) => postJson<IsochroneResult>(ENDPOINT.isochrone, body, null, signal),
    enabled: Boolean(origin),
    // The road network changes rarely; a station's circle is worth keeping for the session.
    staleTime: 30 * 60_000,
  });
}

/** What the analysis forms hold between runs (the county comes from the area switcher). */
export interface AnalysisDrafts {
  kind: AnalysisKind;
  isochrone: { origins: LonLat[]; minutes: string; mode: Mode };
  /** Fire station types: null until the planner changes them (then the analysis' default applies). */
  fire: Omit<FireBody, 'county' | 'types'> & { types: string[] | null };
  shelter: Omit<ShelterBody, 'county'>;
  relief: Omit<ReliefBody, 'county'>;
  siting: SitingDraft;
}

/** Every default is the standard's (core/standards.ts). */
export const DEFAULT_DRAFTS: AnalysisDrafts = {
  kind: 'fire',
  isochrone: { origins: [], minutes: RESCUE_MINUTES.join(', '), mode: RESCUE_CIRCLE.mode },
  fire: { driveMinutes: FIRE_RESPONSE.driveMinutes, turnoutMinutes: FIRE_RESPONSE.turnoutMinutes, types: null, includePlanned: false },
  shelter: {
    hazard: '',
    areaPerResidentM2: PLAN_AREA_PER_RESIDENT_M2,
    serviceRadiusM: { ...SHELTER_SERVICE_RADIUS_M },
    metric: 'network',
    bufferM: DEFAULT_HAZARD_BUFFER_M,
    includePlanned: false,
  },
  relief: { targetHours: RELIEF_TARGET_HOURS, item: '', dispatchHours: 0 },
  siting: defaultSitingDraft(),
};

/** The isochrone thresholds typed as "15, 30, 60" (or with 、 or spaces); undefined unless all are positive numbers. */
export function parseMinutes(text: string): number[] | undefined {
  const values = text.split(/[\s,，、;；]+/).filter(Boolean).map(Number);
  return values.length > 0 && values.every((v) => Number.isFinite(v) && v > 0) ? values : undefined;
}
