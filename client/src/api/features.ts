/** GET /api/layers/:id/features (all pages, or a search) and GET /api/layers/:id/features/:fid. */
import { useQueries, useQuery } from '@tanstack/react-query';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { getJson, queryString } from './http';
import type { Layer } from './layers';
import { useToken } from './token';

export type Props = Record<string, unknown>;
export type OneFeature = Feature<Geometry, Props> & { id: string };

export interface FeaturePage extends FeatureCollection<Geometry, Props> {
  features: OneFeature[];
  numberMatched: number;
  numberReturned: number;
}

/** Attribute filters as the API takes them: field name → accepted values (OR). */
export type Filters = Record<string, string[]>;

/** The API's largest page (server/routes/feature-params.ts MAX_LIMIT). */
const PAGE = 10000;

/** The filters as query parameters (a field's values joined by commas). */
export const filterParams = (filters: Filters): Record<string, string> =>
  Object.fromEntries(Object.entries(filters).filter(([, v]) => v.length > 0).map(([k, v]) => [k, v.join(',')]));

async function allFeatures(layerId: string, filters: Filters, token: string | null, signal: AbortSignal): Promise<FeaturePage> {
  const base = `/api/layers/${encodeURIComponent(layerId)}/features`;
  const first = await getJson<FeaturePage>(base + queryString({ ...filterParams(filters), limit: PAGE }), token, signal);
  const features = [...first.features];
  while (features.length < first.numberMatched) {
    const next = await getJson<FeaturePage>(base + queryString({ ...filterParams(filters), limit: PAGE, offset: features.length }), token, signal);
    if (next.features.length === 0) break;
    features.push(...next.features);
  }
  return { ...first, features, numberReturned: features.length };
}

export interface LayerRequest {
  layerId: string;
  filters: Filters;
  /** Hidden layers are not fetched until first shown. */
  enabled: boolean;
}

/** Every feature of each layer that passes its filters; one query per layer, results in request order. */
export function useLayersFeatures(requests: LayerRequest[]) {
  const token = useToken();
  return useQueries({
    queries: requests.map(({ layerId, filters, enabled }) => ({
      queryKey: ['features', token, layerId, filterParams(filters)],
      queryFn: ({ signal }: { signal: AbortSignal }) => allFeatures(layerId, filters, token, signal),
      enabled,
      staleTime: 60_000,
    })),
  });
}

export function useFeature(layerId: string | undefined, fid: string | undefined) {
  const token = useToken();
  return useQuery({
    queryKey: ['feature', token, layerId, fid],
    queryFn: ({ signal }) =>
      getJson<OneFeature>(`/api/layers/${encodeURIComponent(layerId!)}/features/${encodeURIComponent(fid!)}`, token, signal),
    enabled: Boolean(layerId && fid),
  });
}

export const SEARCH_LIMIT = 8;

/** `?q=` over every searchable layer the caller may see; one result list per layer. */
export function useSearch(q: string, layers: Layer[]) {
  const token = useToken();
  const searchable = layers.filter((l) => l.fields.some((f) => f.search));
  return useQueries({
    queries: searchable.map((layer) => ({
      queryKey: ['search', token, layer.id, q],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        getJson<FeaturePage>(`/api/layers/${encodeURIComponent(layer.id)}/features${queryString({ q, limit: SEARCH_LIMIT })}`, token, signal),
      enabled: q.length > 0,
      staleTime: 60_000,
    })),
    combine: (results) => ({
      pending: results.some((r) => r.isFetching),
      error: results.find((r) => r.error)?.error ?? null,
      groups: results.flatMap((r, i) => (r.data && r.data.numberMatched > 0 ? [{ layer: searchable[i], page: r.data }] : [])),
    }),
  });
}
