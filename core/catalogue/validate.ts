import { note, type Note } from '../note.js';
import { controlCharacterAt, describeControlCharacter } from '../text.js';
import type { FieldDef, GeometryKind, LayerDef } from './types.js';

export interface FieldProblem {
  field: string;
  /** In English, for an API error's message. */
  reason: string;
  /** The same for a reader (the import report): field_* codes with their params. */
  note: Note;
}

type Problem = Omit<FieldProblem, 'field'>;
const problem = (reason: string, code: string, params?: Note['params']): Problem => ({ reason, note: note(code, params) });

function controlProblem(value: string): Problem | undefined {
  const i = controlCharacterAt(value);
  if (i < 0) return undefined;
  const char = `U+${value.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')}`;
  return problem(`${describeControlCharacter(value)}: remove it from the text`, 'field_control_character', { char, at: i + 1 });
}

function check(field: FieldDef, value: unknown): Problem | undefined {
  const values = field.options?.map((o) => o.value) ?? [];
  const options = values.join(', ');
  const shown = JSON.stringify(value);
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return problem(`expected text, got ${shown}`, 'field_not_text', { value: shown });
      return controlProblem(value);
    // Every number in the catalogue counts or measures something (persons, m², km/h, vehicles):
    // none can be negative.
    case 'integer':
      if (!Number.isInteger(value)) return problem(`expected a whole number, got ${shown}`, 'field_not_whole', { value: shown });
      return (value as number) < 0 ? problem(`must be 0 or more, got ${String(value)}`, 'field_negative', { value: shown }) : undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return problem(`expected a number, got ${shown}`, 'field_not_number', { value: shown });
      return value < 0 ? problem(`must be 0 or more, got ${value}`, 'field_negative', { value: shown }) : undefined;
    case 'enum':
      return values.includes(value as string) ? undefined : problem(`"${String(value)}" is not one of ${options}`, 'field_not_option', { value: String(value), options });
    case 'enum[]':
      if (!Array.isArray(value)) return problem(`expected a list of ${options}`, 'field_not_list', { options });
      return value.find((v) => !values.includes(v)) !== undefined
        ? problem(`${shown} has values outside ${options}`, 'field_not_options', { value: shown, options })
        : undefined;
    case 'items':
      if (!Array.isArray(value)) return problem('expected a list of {item, quantity}', 'field_not_items');
      for (const it of value as { item?: unknown; quantity?: unknown }[]) {
        if (!values.includes(it?.item as string)) return problem(`unknown item "${String(it?.item)}"; known: ${options}`, 'field_unknown_item', { item: String(it?.item), options });
        if (!Number.isInteger(it.quantity) || (it.quantity as number) < 0) return problem(`quantity of ${String(it.item)} must be a whole number ≥ 0`, 'field_item_quantity', { item: String(it.item) });
      }
      return undefined;
  }
}

const empty = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Checks a feature's properties against the catalogue: every present field has the right type and
 * an allowed value, and no property is unknown to the layer. A `required` field may not be emptied,
 * and with `whole` (a new feature, an imported row) it must be there; other fields may be missing.
 */
export function validateProperties(layer: LayerDef, properties: Record<string, unknown>, { whole = false }: { whole?: boolean } = {}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of layer.fields) {
    if (field.required && (whole || field.name in properties) && empty(properties[field.name])) {
      problems.push({ field: field.name, ...problem(`"${field.name}" is required`, 'field_required', { field: field.name }) });
    }
  }
  for (const [name, value] of Object.entries(properties)) {
    const field = layer.fields.find((f) => f.name === name);
    if (!field) {
      problems.push({ field: name, ...problem(`not a field of layer "${layer.id}"`, 'field_unknown', { field: name }) });
      continue;
    }
    if (value === null || value === undefined || (field.required && empty(value))) continue;
    const p = check(field, value);
    if (p) problems.push({ field: name, ...p });
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
