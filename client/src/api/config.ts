/** GET /api/config: demo flag and the optional online basemaps. */
import { useQuery } from '@tanstack/react-query';
import { getJson } from './http';

export interface Basemap {
  id: string;
  name: { zh: string; en: string };
  tiles: string[];
  labels?: string[];
  attribution: string;
  maxzoom: number;
}

export interface ClientConfig {
  demo: boolean;
  basemaps: Basemap[];
}

export const useConfig = () =>
  useQuery({ queryKey: ['config'], queryFn: ({ signal }) => getJson<ClientConfig>('/api/config', null, signal), staleTime: Infinity });
