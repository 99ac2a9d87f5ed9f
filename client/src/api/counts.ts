/**
 * How many features of a layer match its filters — in all, or inside a box (the map view): the
 * features endpoint's `numberMatched` with `limit=1`, so no features travel. Tiled layers get their
 * totals this way (their features never come whole), and the layer panel its counts in view.
 */
import { useQueries } from '@tanstack/react-query';
import type { Bbox } from './areas';
import { filterParams, type FeaturePage, type Filters } from './features';
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

export function useCounts(requests: CountRequest[]): (number | undefined)[] {
  const token = useToken();
  return useQueries({
    queries: requests.map(({ layerId, filters, bbox, enabled }) => ({
      queryKey: ['count', token, layerId, filterParams(filters), bbox?.join(',') ?? ''],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        getJson<FeaturePage>(
          `/api/layers/${encodeURIComponent(layerId)}/features${queryString({ ...filterParams(filters), bbox: bbox?.join(','), limit: 1 })}`,
          token,
          signal,
        ),
      enabled,
      staleTime: 30_000,
      placeholderData: (previous: FeaturePage | undefined) => previous,
    })),
    combine: (results) => results.map((r) => r.data?.numberMatched),
  });
}
