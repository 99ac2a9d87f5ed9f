/**
 * The incident endpoints (server/routes/incidents.ts): the assessment of a place (POST
 * /api/analysis/incident) as a query keyed by its request, so a changed closure or head count
 * recomputes it and the last answer stays on screen meanwhile; the stored incidents (list, create,
 * change, close, reopen) and their warnings CSV.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AssessmentRequest, Incident, IncidentAssessment, IncidentCreate, IncidentPatch } from '../../../core/incident/schema';
import { fetchFile, getJson, postJson, sendJson } from '../api/http';
import { useToken } from '../api/token';

export type IncidentStatusFilter = 'open' | 'closed' | 'all';

export function useAssessment(request: AssessmentRequest | undefined) {
  const token = useToken();
  return useQuery({
    queryKey: ['incident-assessment', token, request],
    queryFn: ({ signal }) => postJson<IncidentAssessment>('/api/analysis/incident', request, token, signal),
    enabled: Boolean(request),
    placeholderData: keepPreviousData,
    // An answer for exactly this request does not change while the incident is worked on.
    staleTime: 5 * 60_000,
    retry: false,
  });
}

const listKey = (status: IncidentStatusFilter) => ['incidents', status];

/** The stored incidents of a status; fetched only while `enabled` (the sheet is open). */
export function useIncidents(status: IncidentStatusFilter, enabled: boolean) {
  const token = useToken();
  return useQuery({
    queryKey: [...listKey(status), token],
    queryFn: ({ signal }) => getJson<{ incidents: Incident[] }>(`/api/incidents?status=${status}`, token, signal),
    select: (body) => body.incidents,
    enabled,
  });
}

export type SaveRequest = { create: IncidentCreate } | { id: string; patch: IncidentPatch };

/** Creates or changes an incident; every incident list is refreshed after. */
export function useSaveIncident() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (save: SaveRequest) =>
      'create' in save ? postJson<Incident>('/api/incidents', save.create) : sendJson<Incident>('PATCH', `/api/incidents/${encodeURIComponent(save.id)}`, save.patch),
    onSuccess: () => client.invalidateQueries({ queryKey: ['incidents'] }),
  });
}

/** The server's warnings list of a saved incident (UTF-8 CSV with a byte-order mark). */
export const fetchWarningsCsv = (id: string) => fetchFile(`/api/incidents/${encodeURIComponent(id)}/warnings.csv`);
