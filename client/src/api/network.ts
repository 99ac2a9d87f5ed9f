/**
 * The road network's pieces and connectivity rules (server/routes/network.ts): the islands map
 * layer of a county (staff), the rules per county, and an admin's change of one.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ComponentSummary } from '../../../core/network/components';
import { CONNECTIVITIES, type Connectivity } from '../../../core/network/graph';
import type { IslandProps, NetworkPieces } from '../../../core/network/islands';
import { getJson, queryString, sendJson } from './http';
import { useToken } from './token';

export type { Connectivity, IslandProps, NetworkPieces };

export { CONNECTIVITIES };

/** The key of the rule for roads without a county code (server/store/network.ts ANY_COUNTY). */
export const ANY_COUNTY = '*';

export interface ConnectivitySetting {
  rules: Record<string, Connectivity>;
  /** The rule of a county without one of its own. */
  fallback: Connectivity;
}

export interface ConnectivityChanged {
  rules: Record<string, Connectivity>;
  county: string;
  connectivity: Connectivity;
  /** The county's pieces under the new rule (null: it has no roads). */
  network: ComponentSummary | null;
}

const ISLANDS = 'network-islands';
const RULES = 'network-connectivity';

export function useIslands(county: string | undefined, enabled: boolean) {
  const token = useToken();
  return useQuery({
    queryKey: [ISLANDS, token, county],
    queryFn: ({ signal }) => getJson<NetworkPieces>(`/api/network/components${queryString({ county })}`, token, signal),
    enabled: enabled && Boolean(county),
    retry: false,
  });
}

export function useConnectivity(enabled = true) {
  return useQuery({
    queryKey: [RULES],
    queryFn: ({ signal }) => getJson<ConnectivitySetting>('/api/network/connectivity', null, signal),
    enabled,
  });
}

/** PUT one county's rule; the rules and the islands reload (the graph was rebuilt). */
export function useSetConnectivity() {
  const token = useToken();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { county: string; connectivity: Connectivity }) => sendJson<ConnectivityChanged>('PUT', '/api/network/connectivity', change, token),
    onSuccess: () => queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === RULES || q.queryKey[0] === ISLANDS }),
  });
}
