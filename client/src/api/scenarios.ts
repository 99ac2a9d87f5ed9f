/**
 * Saved siting scenarios (GET/POST /api/scenarios, GET/DELETE /api/scenarios/:id; commander or
 * admin). A scenario keeps the optimisation's request, the answer shown when it was saved (a
 * what-if's carries the optimum's answer as `optimum`, to go back to) and the sites as they were.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, sendJson } from './http';
import type { PlanSite, SitingBody, SitingResult } from '../analyses/planner-siting/goals';
import { useToken } from './token';
import type { Scenario as SharedScenario, ScenarioSummary } from '../../../core/scenario';

export type { ScenarioSummary };

/** The answer saved: a what-if's with the optimum's inside, or the optimum's itself. */
export type ScenarioResult = SitingResult & { optimum?: SitingResult };

export type Scenario = SharedScenario<SitingBody, ScenarioResult, PlanSite>;

const listKey = (county: string | undefined) => ['scenarios', county] as const;

export function useScenarios(county: string | undefined) {
  const token = useToken();
  return useQuery({
    queryKey: listKey(county),
    queryFn: ({ signal }) => getJson<{ scenarios: ScenarioSummary[] }>(`/api/scenarios?county=${encodeURIComponent(county!)}`, token, signal).then((r) => r.scenarios),
    enabled: Boolean(county && token),
  });
}

export function useSaveScenario() {
  const token = useToken();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (s: { name: string; request: SitingBody; result: ScenarioResult; sites: PlanSite[] }) => sendJson<Scenario>('POST', '/api/scenarios', s, token),
    onSuccess: (s) => client.invalidateQueries({ queryKey: listKey(s.county) }),
  });
}

export function useDeleteScenario(county: string | undefined) {
  const token = useToken();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => sendJson<void>('DELETE', `/api/scenarios/${encodeURIComponent(id)}`, undefined, token),
    onSuccess: () => client.invalidateQueries({ queryKey: listKey(county) }),
  });
}

export function useOpenScenario() {
  const token = useToken();
  return useMutation({ mutationFn: (id: string) => getJson<Scenario>(`/api/scenarios/${encodeURIComponent(id)}`, token) });
}
