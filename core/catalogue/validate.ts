import { describeControlCharacter } from '../text.js';
import type { FieldDef, GeometryKind, LayerDef } from './types.js';

export interface FieldProblem {
  field: string;
  reason: string;
}

function check(field: FieldDef, value: unknown): string | undefined {
  const values = field.options?.map((o) => o.value) ?? [];
  switch (field.type) {
    case 'string': {
      if (typeof value !== 'string') return `expected text, got ${JSON.stringify(value)}`;
      const control = describeControlCharacter(value);
      return control ? `${control}: remove it from the text` : undefined;
    }
    // Every number in the catalogue counts or measures something (persons, m², km/h, vehicles):
    // none can be negative.
    case 'integer':
      if (!Number.isInteger(value)) return `expected a whole number, got ${JSON.stringify(value)}`;
      return (value as number) < 0 ? `must be 0 or more, got ${String(value)}` : undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${JSON.stringify(value)}`;
      return value < 0 ? `must be 0 or more, got ${value}` : undefined;
    case 'enum':
      return values.includes(value as string) ? undefined : `"${String(value)}" is not one of ${values.join(', ')}`;
    case 'enum[]':
      if (!Array.isArray(value)) return `expected a list of ${values.join(', ')}`;
      return value.find((v) => !values.includes(v)) !== undefined ? `${JSON.stringify(value)} has values outside ${values.join(', ')}` : undefined;
    case 'items':
      if (!Array.isArray(value)) return 'expected a list of {item, quantity}';
      for (const it of value as { item?: unknown; quantity?: unknown }[]) {
        if (!values.includes(it?.item as string)) return `unknown item "${String(it?.item)}"; known: ${values.join(', ')}`;
        if (!Number.isInteger(it.quantity) || (it.quantity as number) < 0) return `quantity of ${String(it.item)} must be a whole number ≥ 0`;
      }
      return undefined;
  }
}

/**
 * Checks a feature's properties against the catalogue: every present field has the right type and
 * an allowed value, and no property is unknown to the layer. Missing fields are allowed (null).
 */
export function validateProperties(layer: LayerDef, properties: Record<string, unknown>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const field = layer.fields.find((f) => f.name === name);
    if (!field) {
      problems.push({ field: name, reason: `not a field of layer "${layer.id}"` });
      continue;
    }
    if (value === null || value === undefined) continue;
    const reason = check(field, value);
    if (reason) problems.push({ field: name, reason });
  }
  return problems;
}

/** GeoJSON types a layer of each kind stores: multi-part lines and areas are allowed. */
export const GEOMETRY_TYPES: Record<GeometryKind, readonly string[]> = {
  Point: ['Point'],
  LineString: ['LineString', 'MultiLineString'],
  Polygon: ['Polygon', 'MultiPolygon'],
};

/** How deep positions are nested in `coordinates`, and the fewest each innermost list needs. */
const SHAPE: Record<string, { depth: number; min: number }> = {
  Point: { depth: 0, min: 1 },
  LineString: { depth: 1, min: 2 },
  MultiLineString: { depth: 2, min: 2 },
  Polygon: { depth: 2, min: 4 },
  MultiPolygon: { depth: 3, min: 4 },
};

function positionProblem(p: unknown): string | undefined {
  if (!Array.isArray(p) || p.length < 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    return `${JSON.stringify(p)} is not a position [lon, lat]`;
  }
  const [lon, lat] = p as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
    return `[${lon}, ${lat}] is outside WGS84 (lon −180…180, lat −90…90); send WGS84 degrees, not projected or GCJ-02 shifted coordinates`;
  }
  return undefined;
}

/**
 * Why a GeoJSON geometry cannot go into this layer (wrong type for the layer, malformed or
 * out-of-range coordinates), or undefined. Topology (self-intersections) is PostGIS's to judge.
 */
export function geometryProblem(layer: LayerDef, g: unknown): string | undefined {
  const allowed = GEOMETRY_TYPES[layer.geometry];
  const type = (g as { type?: unknown } | null)?.type;
  if (!g || typeof g !== 'object' || typeof type !== 'string') return `expected a GeoJSON geometry {"type": "${allowed[0]}", "coordinates": …}`;
  if (!allowed.includes(type)) return `${type} in a ${layer.geometry} layer; expected ${allowed.join(' or ')}`;
  const { depth, min } = SHAPE[type];
  const walk = (c: unknown, d: number): string | undefined => {
    if (d === 0) return positionProblem(c);
    if (!Array.isArray(c) || c.some((x) => !Array.isArray(x))) {
      return `coordinates of a ${type} must be nested like ${'['.repeat(depth)}[lon, lat], …${']'.repeat(depth)}`;
    }
    if (d === 1 && c.length < min) return `a ${type} needs at least ${min} positions per ${type.endsWith('Polygon') ? 'ring' : 'line'}, got ${c.length}`;
    if (c.length === 0) return `a ${type} has an empty part`;
    for (const x of c) {
      const problem = walk(x, d - 1);
      if (problem) return problem;
    }
    return undefined;
  };
  return walk((g as { coordinates?: unknown }).coordinates, depth);
}
