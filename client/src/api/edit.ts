/**
 * The editing API (POST / PATCH / DELETE /api/layers/:id/features, commander and admin only).
 * Every write names the version it was based on; a stale one answers 409 with the current feature,
 * which the client shows instead of overwriting. After a write the layer's cached data is refetched.
 */
import { useMemo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Geometry } from 'geojson';
import { ApiAnswerError, sendJson } from './http';
import type { OneFeature, Props } from './features';
import { useToken } from './token';

/** A feature as staff get it: with the version a write must name. */
export type VersionedFeature = OneFeature & { version?: number; updated_at?: string };

export interface FeaturePatch {
  version: number;
  properties?: Props;
  geometry?: Geometry;
}

const featuresPath = (layerId: string) => `/api/layers/${encodeURIComponent(layerId)}/features`;
const featurePath = (layerId: string, fid: string) => `${featuresPath(layerId)}/${encodeURIComponent(fid)}`;

/** The current feature of a 409 version_conflict answer, if the error is one. */
export function conflictOf(err: unknown): VersionedFeature | undefined {
  if (!(err instanceof ApiAnswerError) || err.status !== 409) return undefined;
  return (err.body as { current?: VersionedFeature }).current;
}

/**
 * The fields a 400 answer blames, with the server's message for each. The API names one field in
 * `parameter` ("capacity" or "properties.capacity"); a body may also list `problems: [{field, reason}]`.
 */
export function fieldErrorsOf(err: unknown): Record<string, string> {
  if (!(err instanceof ApiAnswerError) || err.status !== 400) return {};
  const out: Record<string, string> = {};
  const body = err.body as { problems?: unknown; error?: { problems?: unknown } };
  const problems = body.problems ?? body.error?.problems;
  if (Array.isArray(problems)) {
    for (const p of problems as { field?: string; reason?: string }[]) if (p?.field) out[p.field.replace(/^properties[./]/, '')] = p.reason ?? err.message;
  }
  if (err.parameter) out[err.parameter.replace(/^properties[./]/, '')] ??= err.message;
  return out;
}

export interface FeatureWrites {
  create(layerId: string, feature: { geometry: Geometry; properties: Props }): Promise<VersionedFeature>;
  update(layerId: string, fid: string, patch: FeaturePatch): Promise<VersionedFeature>;
  remove(layerId: string, fid: string, version: number): Promise<void>;
}

export function useFeatureWrites(): FeatureWrites {
  const token = useToken();
  const client = useQueryClient();
  return useMemo(() => {
    // The layer's pages and details, the feature counts, searches and the audit log all change.
    const refresh = (layerId: string) =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['features', token, layerId] }),
        client.invalidateQueries({ queryKey: ['feature', token, layerId] }),
        client.invalidateQueries({ queryKey: ['layers'] }),
        client.invalidateQueries({ queryKey: ['search'] }),
        client.invalidateQueries({ queryKey: ['audit'] }),
      ]);
    // A conflict or a missing feature means what the client shows is out of date: fetch it again, then fail.
    const staleAfter = (layerId: string) => (err: unknown) => {
      if (err instanceof ApiAnswerError && (err.status === 409 || err.status === 404)) void refresh(layerId);
      throw err;
    };
    return {
      async create(layerId, feature) {
        const created = await sendJson<VersionedFeature>('POST', featuresPath(layerId), { type: 'Feature', ...feature }, token);
        await refresh(layerId);
        return created;
      },
      async update(layerId, fid, patch) {
        const updated = await sendJson<VersionedFeature>('PATCH', featurePath(layerId, fid), patch, token).catch(staleAfter(layerId));
        client.setQueryData(['feature', token, layerId, fid], updated);
        await refresh(layerId);
        return updated;
      },
      async remove(layerId, fid, version) {
        await sendJson<void>('DELETE', `${featurePath(layerId, fid)}?version=${version}`, undefined, token).catch(staleAfter(layerId));
        client.removeQueries({ queryKey: ['feature', token, layerId, fid] });
        await refresh(layerId);
      },
    };
  }, [client, token]);
}
