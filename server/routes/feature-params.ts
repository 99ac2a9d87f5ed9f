/** Parses and validates the query string of `GET /api/layers/:id/features`. */
import { fieldsFor, type LayerDef, type Role } from '../../core/catalogue/index.js';
import { badRequest } from '../errors.js';
import type { FeatureQuery, FieldFilter } from '../store/index.js';

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10000;
const RESERVED = new Set(['bbox', 'limit', 'offset', 'q']);
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

type Query = Record<string, unknown>;

/** A query parameter given at most once (400 when repeated). */
export function single(query: Query, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badRequest(name, `"${name}" must be given once, as a plain value.`);
  return v;
}

/** A whole-number query parameter within [min, max] (400 naming it otherwise). */
export function integer(query: Query, name: string, fallback: number, min: number, max: number): number {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw badRequest(name, `"${name}" must be a whole number from ${min} to ${max}, got "${raw}".`);
  }
  return n;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO 8601 date or date-time, checked field by field: JavaScript's Date reads "2026-02-30" as
 * 2 March, which a filter must not silently do.
 */
export function isoDateTime(raw: string): Date | undefined {
  const m = ISO.exec(raw);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1, 7).map((x) => x ?? undefined) as string[];
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  const date = new Date(raw.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function bbox(raw: string | undefined): FeatureQuery['bbox'] {
  if (raw === undefined) return undefined;
  const texts = raw.split(',').map((s) => s.trim());
  const parts = texts.map(Number);
  const hint = 'Give "bbox=minLon,minLat,maxLon,maxLat" in WGS84 degrees, e.g. bbox=106.4,29.5,106.7,29.7.';
  // Number('') is 0: an empty part ("1,,2,3") must not pass as a zero.
  if (parts.length !== 4 || texts.some((t) => !DECIMAL.test(t))) {
    throw badRequest('bbox', `"bbox" must be four numbers, got "${raw}". ${hint}`);
  }
  const [x0, y0, x1, y1] = parts;
  if (x0 < -180 || x1 > 180 || y0 < -90 || y1 > 90) {
    throw badRequest('bbox', `"bbox" is outside the WGS84 range (lon −180…180, lat −90…90): "${raw}". Projected coordinates are not accepted. ${hint}`);
  }
  if (x0 > x1 || y0 > y1) throw badRequest('bbox', `"bbox" minimum exceeds maximum in "${raw}". ${hint}`);
  return [x0, y0, x1, y1];
}

/** `accepted`: further parameter names the caller handles itself (e.g. OGC API's `f`). */
export function parseFeatureParams(layer: LayerDef, role: Role, query: Query, accepted: readonly string[] = []): FeatureQuery {
  const fields = fieldsFor(layer, role);
  const filterable = fields.filter((f) => f.filter);
  const filters: FieldFilter[] = [];
  for (const name of Object.keys(query)) {
    if (RESERVED.has(name) || accepted.includes(name)) continue;
    const field = filterable.find((f) => f.name === name);
    if (!field) {
      const allowed = [...RESERVED, ...accepted, ...filterable.map((f) => f.name)].join(', ');
      throw badRequest(name, `Unknown parameter "${name}" for layer "${layer.id}". Allowed: ${allowed}.`);
    }
    const raw = single(query, name) ?? '';
    const values = raw.split(',').map((s) => s.trim()).filter(Boolean);
    if (values.length === 0) throw badRequest(name, `"${name}" needs a value, e.g. ${name}=${field.options?.[0]?.value ?? '…'}.`);
    if (field.options) {
      const known = field.options.map((o) => o.value);
      const bad = values.find((v) => !known.includes(v));
      if (bad !== undefined) throw badRequest(name, `"${bad}" is not a value of "${name}". Allowed: ${known.join(', ')}.`);
    }
    if ((field.type === 'integer' || field.type === 'number') && values.some((v) => !Number.isFinite(Number(v)))) {
      throw badRequest(name, `"${name}" takes numbers, got "${raw}".`);
    }
    filters.push({ field, values });
  }
  const q = single(query, 'q');
  if (q !== undefined && q.length > 100) throw badRequest('q', '"q" is limited to 100 characters.');
  return {
    layer: layer.id,
    bbox: bbox(single(query, 'bbox')),
    q: q?.trim() || undefined,
    searchFields: fields.filter((f) => f.search).map((f) => f.name),
    filters,
    limit: integer(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: integer(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}
