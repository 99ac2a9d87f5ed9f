/** GET /api/layers: the catalogue as the signed-in role may see it, with feature counts. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { LayerDef, Role } from '../../../core/catalogue/types';
import { getJson } from './http';
import { useToken } from './token';

/** `version` changes with every write to the layer (tile URLs carry it). */
export type Layer = LayerDef & { count: number; version?: number };

export interface LayerList {
  role: Role;
  layers: Layer[];
}

export const layersQuery = (token: string | null) =>
  queryOptions({ queryKey: ['layers', token], queryFn: ({ signal }) => getJson<LayerList>('/api/layers', token, signal), staleTime: 60_000 });

export function useLayers() {
  const token = useToken();
  return useQuery({ ...layersQuery(token), select: (list) => ({ ...list, layers: [...list.layers].sort((a, b) => a.order - b.order) }) });
}
