/** GET /api/audit (admin only): who created, changed, deleted or imported what, with before/after. */
import { useQuery } from '@tanstack/react-query';
import { getJson, queryString } from './http';
import { useToken } from './token';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditPage } from '../../../core/audit';

export { AUDIT_ACTIONS, type AuditAction, type AuditEntry, type AuditPage };

/** What the server filters by (exact values). */
export interface AuditFilters {
  layer?: string;
  action?: string;
}

/** Entries shown, newest first (the server's page size). */
export const AUDIT_LIMIT = 200;

export function useAudit(filters: AuditFilters, enabled: boolean) {
  const token = useToken();
  return useQuery({
    queryKey: ['audit', token, filters],
    queryFn: ({ signal }) => getJson<AuditPage>(`/api/audit${queryString({ ...filters, limit: AUDIT_LIMIT })}`, token, signal),
    enabled,
  });
}

export interface DiffRow {
  /** A property name, or "geometry". */
  key: string;
  before: unknown;
  after: unknown;
}

const propsOf = (v: unknown): Record<string, unknown> | undefined => {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { type?: string; properties?: Record<string, unknown>; geometry?: unknown; version?: unknown };
  // A GeoJSON Feature: its properties, its geometry and its version as more rows.
  if (o.type === 'Feature') return { ...o.properties, geometry: o.geometry, version: o.version };
  return o as Record<string, unknown>;
};

/** What an entry changed: every key whose value differs between before and after (a create has no before, a delete no after). */
export function auditDiff(entry: Pick<AuditEntry, 'before' | 'after'>): DiffRow[] {
  const before = propsOf(entry.before) ?? {};
  const after = propsOf(entry.after) ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((key) => ({ key, before: before[key], after: after[key] }));
}
