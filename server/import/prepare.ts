/**
 * Source records → features ready to write: geometry converted to WGS84 and checked against the
 * layer's geometry kind, properties mapped, coerced and validated against the catalogue. Rows that
 * fail are rejected with (row, field, reason); the rest are importable.
 */
import type { Feature, Geometry, Position } from 'geojson';
import { validateProperties, type LayerDef } from '../../core/catalogue/index.js';
import { checkCoordinates, unswap, type Bbox, type CoordinateWarning, type Crs } from '../../core/geo/crs.js';
import type { Props } from '../store/index.js';
import { coerce, mapColumns, type ColumnMap } from './mapping.js';
import type { Source } from './read.js';

export interface Rejection {
  row: number;
  field: string;
  reason: string;
}

export interface ImportFeature extends Feature<Geometry, Props> {
  id: string;
  /** Source row, for reporting write-time problems. */
  row: number;
}

export interface Prepared {
  columns: ColumnMap;
  features: ImportFeature[];
  rejected: Rejection[];
  warnings: CoordinateWarning[];
}

const ALLOWED: Record<LayerDef['geometry'], string[]> = {
  Point: ['Point'],
  LineString: ['LineString', 'MultiLineString'],
  Polygon: ['Polygon', 'MultiPolygon'],
};

function positions(g: Geometry): Position[] {
  if (g.type === 'GeometryCollection') return [];
  const out: Position[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') out.push(c as Position);
    else if (Array.isArray(c)) c.forEach(walk);
  };
  walk(g.coordinates);
  return out;
}

function mapPositions(g: Geometry, fn: (p: [number, number]) => [number, number]): Geometry {
  const walk = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? fn([c[0], c[1] as number]) : (c as unknown[]).map(walk);
  return { ...g, coordinates: walk((g as { coordinates: unknown }).coordinates) } as Geometry;
}

export interface PrepareOptions {
  crs: Crs;
  /** Area the data should fall in (WGS84), for the outside-area warning. */
  area?: Bbox;
  /** `source` for rows that do not name one, e.g. "import: shelters.csv". */
  source: string;
  /** Prefix of generated ids for rows without one. */
  idPrefix: string;
}

export function prepare(layer: LayerDef, src: Source, opts: PrepareOptions): Prepared {
  const columns = mapColumns(layer, src.columns);
  const rejected: Rejection[] = [];
  const features: ImportFeature[] = [];
  const seen = new Map<string, number>();
  const points: [number, number][] = [];
  for (const rec of src.records) {
    const problems: Rejection[] = [];
    let geometry: Geometry | undefined;
    if (!rec.geometry) problems.push({ row: rec.row, field: 'geometry', reason: rec.geometryError ?? 'no geometry' });
    else if (!ALLOWED[layer.geometry].includes(rec.geometry.type)) {
      problems.push({ row: rec.row, field: 'geometry', reason: `${rec.geometry.type} in a ${layer.geometry} layer; expected ${ALLOWED[layer.geometry].join(' or ')}` });
    } else {
      const pos = positions(rec.geometry);
      const bad = pos.find((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
      if (bad || pos.length === 0) problems.push({ row: rec.row, field: 'geometry', reason: `coordinates are not numbers: ${JSON.stringify(bad ?? [])}` });
      else {
        pos.forEach((p) => points.push([p[0], p[1]]));
        geometry = mapPositions(rec.geometry, (p) => {
          const [x, y] = opts.crs.toWgs84(unswap(p, opts.crs));
          return [Math.round(x * 1e8) / 1e8, Math.round(y * 1e8) / 1e8];
        });
        const out = positions(geometry).find((p) => !(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90));
        if (out) {
          problems.push({
            row: rec.row,
            field: 'geometry',
            reason: `(${positions(rec.geometry)[0].join(', ')}) is not a position in ${opts.crs.name}: projected metres need crs=EPSG:45xx, degrees need crs=wgs84/gcj02/bd09`,
          });
        }
      }
    }
    const props: Props = {};
    for (const [col, value] of Object.entries(rec.values)) {
      const name = columns.fields[col];
      if (!name) continue;
      const field = layer.fields.find((f) => f.name === name)!;
      const c = coerce(field, value, col);
      if ('reason' in c) problems.push({ row: rec.row, field: name, reason: `column "${col}": ${c.reason}` });
      else if (c.value !== null) props[name] = c.value;
    }
    if (layer.fields.some((f) => f.name === 'source') && props.source === undefined) props.source = opts.source;
    for (const p of validateProperties(layer, props)) problems.push({ row: rec.row, field: p.field, reason: p.reason });
    const id = rec.id ?? `${opts.idPrefix}${rec.row}`;
    if (seen.has(id)) problems.push({ row: rec.row, field: 'id', reason: `id "${id}" repeats row ${seen.get(id)}` });
    if (problems.length) {
      rejected.push(...problems);
      continue;
    }
    seen.set(id, rec.row);
    features.push({ type: 'Feature', id, row: rec.row, geometry: geometry!, properties: props });
  }
  return { columns, features, rejected, warnings: checkCoordinates(points, opts.crs, opts.area) };
}
