/** The audit log: who created, changed, deleted or imported what, and when. */
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../core/audit.js';
import type { Db } from './db.js';

export { AUDIT_ACTIONS, type AuditAction, type AuditEntry };

/** An entry to write; see core/audit.ts for the fields. */
export interface AuditInput {
  actor: string;
  role?: string | null;
  action: AuditAction;
  layer: string;
  fid?: string | null;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** Call INSIDE the writing transaction (`tx`): if the write rolls back, so does its audit row. */
export async function recordAudit(tx: Db, e: AuditInput): Promise<void> {
  await tx.query(
    `INSERT INTO audit (actor, role, action, layer, fid, before, after, detail)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb)`,
    [e.actor, e.role ?? null, e.action, e.layer, e.fid ?? null, json(e.before), json(e.after), json(e.detail)],
  );
}

export interface AuditQuery {
  layer?: string;
  fid?: string;
  actor?: string;
  action?: AuditAction;
  /** Entries at or after this instant. */
  since?: Date;
  limit: number;
  offset: number;
}

/** Matching entries, newest first, with how many match in all. */
export async function listAudit(db: Db, q: AuditQuery): Promise<{ numberMatched: number; entries: AuditEntry[] }> {
  const params: unknown[] = [];
  const clauses: string[] = [];
  const eq = (column: string, v: unknown): void => {
    if (v === undefined) return;
    params.push(v);
    clauses.push(`${column} = $${params.length}`);
  };
  eq('layer', q.layer);
  eq('fid', q.fid);
  eq('actor', q.actor);
  eq('action', q.action);
  if (q.since) {
    params.push(q.since.toISOString());
    clauses.push(`at >= $${params.length}::timestamptz`);
  }
  const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit ${where}`, params);
  const rows = await db.query<Omit<AuditEntry, 'at'> & { at: Date | string }>(
    `SELECT id::float8 AS id, at, actor, role, action, layer, fid, before, after, detail
       FROM audit ${where} ORDER BY at DESC, id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, q.limit, q.offset],
  );
  return { numberMatched: count.n, entries: rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })) };
}
