/** GET /api/config: demo flag and the optional online basemaps. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Basemap } from '../../../core/basemap';
import { getJson } from './http';

export type { Basemap };

export interface ClientConfig {
  demo: boolean;
  basemaps: Basemap[];
}

export const configQuery = queryOptions({ queryKey: ['config'], queryFn: ({ signal }) => getJson<ClientConfig>('/api/config', null, signal), staleTime: Infinity });

export const useConfig = () => useQuery(configQuery);
