/** Saved siting scenarios (migration 003_scenarios.sql): request, answer and sites, by county. */
import crypto from 'node:crypto';
import type { Scenario, ScenarioSummary } from '../../core/scenario.js';
import type { Db } from './db.js';

export interface ScenarioInput {
  name: string;
  county: string;
  model: string;
  facilityLayer: string;
  request: unknown;
  result: unknown;
  sites: unknown[];
  createdBy: string;
}

export type { Scenario, ScenarioSummary };

interface Row {
  id: string;
  name: string;
  county: string;
  model: string;
  facility_layer: string;
  request?: unknown;
  result?: unknown;
  sites?: unknown[];
  site_count?: number;
  created_by: string;
  created_at: Date | string;
}

const iso = (t: Date | string): string => new Date(t).toISOString();

const full = (r: Row): Scenario => ({
  id: r.id,
  name: r.name,
  county: r.county,
  request: r.request,
  result: r.result,
  sites: r.sites ?? [],
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

export async function createScenario(db: Db, s: ScenarioInput): Promise<Scenario> {
  const [row] = await db.query<Row>(
    `INSERT INTO scenarios (id, name, county, model, facility_layer, request, result, sites, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9) RETURNING *`,
    [crypto.randomUUID(), s.name, s.county, s.model, s.facilityLayer, JSON.stringify(s.request), JSON.stringify(s.result), JSON.stringify(s.sites), s.createdBy],
  );
  return full(row);
}

/** Newest first, without the stored answers. */
export async function listScenarios(db: Db, county?: string): Promise<ScenarioSummary[]> {
  const rows = await db.query<Row>(
    `SELECT id, name, county, model, facility_layer, created_by, created_at, jsonb_array_length(sites)::int AS site_count
     FROM scenarios ${county ? 'WHERE county = $1' : ''} ORDER BY created_at DESC, id`,
    county ? [county] : [],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    county: r.county,
    model: r.model,
    facilityLayer: r.facility_layer,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    siteCount: r.site_count ?? 0,
  }));
}

export async function getScenario(db: Db, id: string): Promise<Scenario | undefined> {
  const [row] = await db.query<Row>('SELECT * FROM scenarios WHERE id = $1', [id]);
  return row && full(row);
}

/** False when there was no such scenario. */
export async function deleteScenario(db: Db, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM scenarios WHERE id = $1 RETURNING id', [id]);
  return rows.length > 0;
}
