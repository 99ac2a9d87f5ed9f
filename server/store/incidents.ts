/**
 * Stored incidents (migration 004_incidents.sql). Changes carry the version the caller last saw;
 * the write bumps it in one `UPDATE … WHERE version = $n` (as server/store/edit.ts does for
 * features), and every create, change and close writes its audit row (layer 'incidents') in the
 * same transaction.
 */
import crypto from 'node:crypto';
import type { Incident, IncidentArea, IncidentHazard } from '../../core/incident/schema.js';
import { recordAudit } from './audit.js';
import type { Db } from './db.js';
import type { Editor } from './edit.js';

export type { Incident };

/** The audit log's layer name for incidents. */
export const INCIDENT_AUDIT_LAYER = 'incidents';

export interface IncidentInput {
  title: string;
  hazard: IncidentHazard;
  lon: number;
  lat: number;
  crs: Incident['crs'];
  county: string | null;
  occurredAt?: string;
  affectedPersons?: number;
  area?: IncidentArea;
  closures?: unknown;
  notes?: string;
}

/** Fields a change may set; null clears an optional one. */
export interface IncidentChange {
  title?: string;
  hazard?: IncidentHazard;
  occurredAt?: string;
  affectedPersons?: number | null;
  area?: IncidentArea | null;
  closures?: unknown;
  notes?: string | null;
  status?: Incident['status'];
}

export class IncidentMissing extends Error {}

/** The stored version differs from the caller's; `current` is the incident as it is now. */
export class IncidentConflict extends Error {
  constructor(readonly current: Incident) {
    super('version conflict');
  }
}

interface Row {
  id: string;
  title: string;
  hazard: IncidentHazard;
  lon: number;
  lat: number;
  crs: Incident['crs'];
  county: string | null;
  occurred_at: Date | string;
  affected_persons: number | null;
  area: IncidentArea | null;
  closures: Incident['closures'];
  notes: string | null;
  status: Incident['status'];
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
  closed_at: Date | string | null;
  version: number;
}

const iso = (t: Date | string): string => new Date(t).toISOString();

const COLUMNS = `id, title, hazard, ST_X(geom) AS lon, ST_Y(geom) AS lat, crs, county, occurred_at, affected_persons,
  area, closures, notes, status, created_by, created_at, updated_at, closed_at, version`;

const incidentOf = (r: Row): Incident => ({
  id: r.id,
  title: r.title,
  hazard: r.hazard,
  lon: Number(r.lon),
  lat: Number(r.lat),
  crs: r.crs,
  county: r.county,
  occurredAt: iso(r.occurred_at),
  affectedPersons: r.affected_persons,
  area: r.area,
  closures: r.closures,
  notes: r.notes,
  status: r.status,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  closedAt: r.closed_at === null ? null : iso(r.closed_at),
  version: r.version,
});

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export async function getIncident(db: Db, id: string): Promise<Incident | undefined> {
  const [row] = await db.query<Row>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
  return row && incidentOf(row);
}

/** Newest first (by when they happened); `status` 'all' for both. */
export async function listIncidents(db: Db, status: Incident['status'] | 'all'): Promise<Incident[]> {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM incidents ${status === 'all' ? '' : 'WHERE status = $1'} ORDER BY occurred_at DESC, id`,
    status === 'all' ? [] : [status],
  );
  return rows.map(incidentOf);
}

export async function createIncident(db: Db, i: IncidentInput, who: Editor): Promise<Incident> {
  return db.transaction(async (tx) => {
    const id = crypto.randomUUID();
    await tx.query(
      `INSERT INTO incidents (id, title, hazard, geom, crs, county, occurred_at, affected_persons, area, closures, notes, created_by)
       VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, COALESCE($8::timestamptz, now()), $9, $10::jsonb, $11::jsonb, $12, $13)`,
      [id, i.title, i.hazard, i.lon, i.lat, i.crs, i.county, i.occurredAt ?? null, i.affectedPersons ?? null, json(i.area), json(i.closures), i.notes ?? null, who.actor],
    );
    const after = (await getIncident(tx, id))!;
    await recordAudit(tx, { ...who, action: 'create', layer: INCIDENT_AUDIT_LAYER, fid: id, after });
    return after;
  });
}

/** Applies a change made from `version`; closing sets closed_at, reopening clears it. */
export async function changeIncident(db: Db, id: string, version: number, change: IncidentChange, who: Editor): Promise<Incident> {
  return db.transaction(async (tx) => {
    const before = await getIncident(tx, id);
    if (!before) throw new IncidentMissing(id);
    if (before.version !== version) throw new IncidentConflict(before);
    const has = (k: keyof IncidentChange): boolean => k in change && change[k] !== undefined;
    const updated = await tx.query(
      `UPDATE incidents SET
         title = CASE WHEN $3 THEN $4 ELSE title END,
         hazard = CASE WHEN $5 THEN $6 ELSE hazard END,
         occurred_at = CASE WHEN $7 THEN $8::timestamptz ELSE occurred_at END,
         affected_persons = CASE WHEN $9 THEN $10::integer ELSE affected_persons END,
         area = CASE WHEN $11 THEN $12::jsonb ELSE area END,
         closures = CASE WHEN $13 THEN $14::jsonb ELSE closures END,
         notes = CASE WHEN $15 THEN $16 ELSE notes END,
         status = CASE WHEN $17 THEN $18 ELSE status END,
         closed_at = CASE WHEN NOT $17 OR $18 = status THEN closed_at WHEN $18 = 'closed' THEN now() ELSE NULL END,
         version = version + 1, updated_at = now()
       WHERE id = $1 AND version = $2 RETURNING id`,
      [
        id,
        version,
        has('title'),
        change.title ?? null,
        has('hazard'),
        change.hazard ?? null,
        has('occurredAt'),
        change.occurredAt ?? null,
        has('affectedPersons'),
        change.affectedPersons ?? null,
        has('area'),
        json(change.area),
        has('closures'),
        json(change.closures),
        has('notes'),
        change.notes ?? null,
        has('status'),
        change.status ?? null,
      ],
    );
    if (updated.length === 0) throw new IncidentConflict((await getIncident(tx, id))!);
    const after = (await getIncident(tx, id))!;
    const detail = before.status !== after.status ? { status: after.status } : undefined;
    await recordAudit(tx, { ...who, action: 'update', layer: INCIDENT_AUDIT_LAYER, fid: id, before, after, detail });
    return after;
  });
}
