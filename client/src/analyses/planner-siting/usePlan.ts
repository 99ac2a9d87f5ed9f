/**
 * The planner's what-if on a siting answer: move, remove or add new sites and see the answer for
 * exactly those sites (POST /api/analysis/siting/evaluate), re-asked once the marker has stopped
 * moving; the optimisation's own answer is kept to go back to.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { SITING_EVALUATE } from '../../../../core/analysis/planner-siting/request';
import { postJson } from '../../api/http';
import { useToken } from '../../api/token';
import { evaluateBody, numbered, siteNumbers, type EvaluateBody, type PlanSite, type SitingBody, type SitingResult } from './goals';

const EVALUATE = `/api/analysis/${SITING_EVALUATE.route}`;
/** A dragged marker fires many moves; only where it settles is evaluated. */
const DEBOUNCE_MS = 350;

/** The optimisation a what-if starts from (the siting run of the analysis panel). */
export interface SitingBase {
  body: SitingBody;
  data: SitingResult;
}

export interface SitingPlan {
  /** The sites as the planner has them now; undefined: the optimum's, untouched. */
  sites?: PlanSite[];
  /** The answer for the sites (the last one while a newer is computed); undefined: none yet. */
  result?: SitingResult;
  pending: boolean;
  error: Error | null;
  /** Each site's number on the map and in the tables, kept through moves (goals.ts siteNumbers). */
  numbers: ReadonlyMap<string, number>;
  /** The planner said yes to drawing more than DRAW_LIMIT sites of this answer. */
  drawAll: boolean;
  setDrawAll(all: boolean): void;
  move(id: string, lonLat: [number, number]): void;
  remove(id: string): void;
  add(lonLat: [number, number]): void;
  /** Back to the optimum. */
  reset(): void;
  /** A saved scenario's sites on its base, with the answer saved with it (shown without asking again). */
  restore(base: SitingBase, sites: PlanSite[], result?: SitingResult): void;
}

export const isManualSite = (id: string): boolean => id.startsWith('manual-');

const queryKey = (body: EvaluateBody) => ['siting-evaluate', body] as const;
/** Two evaluate bodies for the same model, layer, county, threshold and mode (whatever the sites). */
const sameModel = (a: EvaluateBody, b: EvaluateBody): boolean => JSON.stringify({ ...a, sites: null }) === JSON.stringify({ ...b, sites: null });

export function useSitingPlan(base: SitingBase | undefined): SitingPlan {
  const token = useToken();
  const client = useQueryClient();
  const [plan, setPlan] = useState<{ base: SitingBase; sites: PlanSite[] } | null>(null);
  // A plan belongs to its optimisation: a new run (or clearing) ends it.
  const active = plan && plan.base === base ? plan : null;
  const [settled, setSettled] = useState<PlanSite[] | undefined>(undefined);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(active?.sites), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [active?.sites]);

  const body = active && settled ? evaluateBody(active.base.body, settled) : undefined;
  const query = useQuery({
    queryKey: body ? queryKey(body) : ['siting-evaluate', null],
    queryFn: ({ signal }) => postJson<SitingResult>(EVALUATE, body, token, signal),
    enabled: Boolean(body),
    // While the next answer is computed the last one stays, if it was for the same model.
    placeholderData: (previous, previousQuery) => {
      const key = previousQuery?.queryKey[1] as EvaluateBody | null | undefined;
      return body && key && sameModel(key, body) ? previous : undefined;
    },
    staleTime: 5 * 60_000,
    retry: false,
  });

  const edit = useCallback(
    (change: (sites: PlanSite[]) => PlanSite[]) => {
      if (!base) return;
      setPlan((p) => ({ base, sites: change(p && p.base === base ? p.sites : optimumSites(base)) }));
    },
    [base],
  );
  const move = useCallback((id: string, [lon, lat]: [number, number]) => edit((s) => s.map((x) => (x.id === id ? { id, lon: round(lon), lat: round(lat) } : x))), [edit]);
  const remove = useCallback((id: string) => edit((s) => s.filter((x) => x.id !== id)), [edit]);
  const add = useCallback(
    ([lon, lat]: [number, number]) =>
      edit((s) => {
        const n = Math.max(0, ...s.filter((x) => isManualSite(x.id)).map((x) => Number(x.id.slice('manual-'.length)) || 0)) + 1;
        return [...s, { id: `manual-${n}`, lon: round(lon), lat: round(lat) }];
      }),
    [edit],
  );
  const reset = useCallback(() => setPlan(null), []);
  const restore = useCallback(
    (b: SitingBase, sites: PlanSite[], result?: SitingResult) => {
      if (result) client.setQueryData(queryKey(evaluateBody(b.body, sites)), result);
      setPlan({ base: b, sites });
      setSettled(sites);
    },
    [client],
  );

  const [drawAllFor, setDrawAllFor] = useState<SitingBase | undefined>(undefined);
  const setDrawAll = useCallback((all: boolean) => setDrawAllFor(all ? base : undefined), [base]);
  const numbers = useMemo(() => (base ? siteNumbers(base.data, active?.sites) : new Map<string, number>()), [base, active?.sites]);
  // One object per answer: the map parts that draw it re-publish only when it changes.
  const asked = Boolean(active && body);
  const current = useMemo(() => (asked && query.data ? numbered(query.data, numbers) : undefined), [asked, query.data, numbers]);
  const sites = active?.sites;
  const drawAll = Boolean(base) && drawAllFor === base;
  const pending = Boolean(active) && (query.isFetching || settled !== sites);
  const error = active ? query.error : null;
  // One object while nothing in it changes: the shell memoises the markers on it.
  return useMemo(
    () => ({ sites, numbers, drawAll, setDrawAll, result: current, pending, error, move, remove, add, reset, restore }),
    [sites, numbers, drawAll, setDrawAll, current, pending, error, move, remove, add, reset, restore],
  );
}

const optimumSites = (b: SitingBase): PlanSite[] => b.data.chosen.map(({ id, lon, lat }) => ({ id, lon, lat }));

/** Coordinates to 6 decimals (≈ 0.1 m), as the server's candidates are. */
const round = (x: number) => Math.round(x * 1e6) / 1e6;
