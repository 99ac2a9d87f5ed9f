/** The audit log as GET /api/audit answers it: written by server/store/audit.ts, read by the admin's log view. */

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'import'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  /** ISO 8601, UTC. */
  at: string;
  actor: string;
  /** The actor's role at the time (admin, commander). */
  role: string | null;
  action: AuditAction;
  layer: string;
  fid: string | null;
  before: unknown;
  after: unknown;
  /** E.g. an import's { file, format, mode, inserted, updated, deleted }. */
  detail: unknown;
}

export interface AuditPage {
  numberMatched: number;
  numberReturned: number;
  entries: AuditEntry[];
}
