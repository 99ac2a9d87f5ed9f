/**
 * How many features of a layer match its filters — in all, or inside a box (the map view), from
 * the server's kept counts (GET /api/tiles/:layer/count: the layer's row count, and for a point
 * layer its cell summary), so neither features nor a count over every row are needed. Tiled
 * layers get their totals this way (their features never come whole), and the layer panel its
 * counts in view.
 */
import { useQueries } from '@tanstack/react-query';
import type { Bbox } from './areas';
import { filterParams, type Filters } from './features';
import { getJson, queryString } from './http';
import { useToken } from './token';

export interface CountRequest {
  layerId: string;
  filters: Filters;
  bbox?: Bbox;
  enabled: boolean;
}

/** The view's box clamped to WGS84 and rounded (a ~10 m shift asks nothing new). */
export function viewBbox(west: number, south: number, east: number, north: number): Bbox {
  const r = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)) * 1e4) / 1e4;
  return [r(west, -180, 180), r(south, -90, 90), r(east, -180, 180), r(north, -90, 90)];
}

interface Count {
  numberMatched: number;
}

export function useCounts(requests: CountRequest[]): (number | undefined)[] {
  const token = useToken();
  return useQueries({
    queries: requests.map(({ layerId, filters, bbox, enabled }) => ({
      queryKey: ['count', token, layerId, filterParams(filters), bbox?.join(',') ?? ''],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        getJson<Count>(
          `/api/tiles/${encodeURIComponent(layerId)}/count${queryString({ ...filterParams(filters), bbox: bbox?.join(',') })}`,
          token,
          signal,
        ),
      enabled,
      staleTime: 30_000,
      placeholderData: (previous: Count | undefined) => previous,
    })),
    combine: (results) => results.map((r) => r.data?.numberMatched),
  });
}
