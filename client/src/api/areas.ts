/** GET /api/areas: the districts/counties with their extents. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Area as CatalogueArea } from '../../../core/areas';
import { getJson } from './http';

export type Bbox = [number, number, number, number];

export interface Area extends Pick<CatalogueArea, 'code' | 'name' | 'population' | 'populationSource' | 'plan'> {
  bbox: Bbox;
  center: [number, number];
}

export const areasQuery = queryOptions({ queryKey: ['areas'], queryFn: ({ signal }) => getJson<Area[]>('/api/areas', null, signal), staleTime: Infinity });

export const useAreas = () => useQuery(areasQuery);
