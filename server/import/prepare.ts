/**
 * Source records → features ready to write: geometry converted to WGS84 and checked against the
 * layer's geometry kind, properties mapped, coerced and validated against the catalogue. Rows that
 * fail are rejected with (row, field, reason); the rest are importable. Works a batch at a time.
 */
import { note } from '../../core/note.js';
import { controlCharacterAt } from '../../core/text.js';
import type { Feature, Geometry, Position } from 'geojson';
import { GEOMETRY_TYPES, validateProperties, type LayerDef } from '../../core/catalogue/index.js';
import {
  addCoordinateCounts,
  coordinateWarnings,
  countCoordinates,
  mapPositions,
  unswap,
  type Bbox,
  type CoordinateCounts,
  type CoordinateWarning,
  type Crs,
} from '../../core/geo/crs.js';
import type { Props } from '../store/index.js';
import { coerce, coerceItem, extendColumns, type ColumnMap } from './mapping.js';
import type { Source, SourceRecord } from '../formats/source.js';
import type { Duplicate, Rejection } from '../../core/import-report.js';

export type { Duplicate, Rejection };

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

export interface PrepareOptions {
  crs: Crs;
  /** Area the data should fall in (WGS84), for the outside-area warning. */
  area?: Bbox;
  /** `source` for rows that do not name one, e.g. "import: shelters.csv". */
  source: string;
  /** Prefix of generated ids for rows without one. */
  idPrefix: string;
}

export interface PreparedBatch {
  features: ImportFeature[];
  rejected: Rejection[];
  duplicates: Duplicate[];
}

/**
 * Prepares a file batch by batch: remembers the ids seen so far (a repeated id rejects the later
 * row), the column mapping (GeoJSON properties may first appear late) and the coordinate counts
 * behind the warnings.
 */
export class Preparer {
  readonly columns: ColumnMap = { fields: {}, items: {}, unmapped: [] };
  private seen = new Map<string, number>();
  private counts: CoordinateCounts = { points: 0, notDegrees: 0, degrees: 0, swapped: 0, outside: 0 };

  constructor(
    private layer: LayerDef,
    private opts: PrepareOptions,
  ) {}

  /** Row of an id this import has accepted, if any. */
  rowOf(id: string): number | undefined {
    return this.seen.get(id);
  }

  warnings(): CoordinateWarning[] {
    return coordinateWarnings(this.counts, this.opts.crs, this.opts.area);
  }

  batch(records: SourceRecord[], columns: string[]): PreparedBatch {
    const { layer, opts } = this;
    extendColumns(layer, this.columns, columns);
    const rejected: Rejection[] = [];
    const duplicates: Duplicate[] = [];
    const features: ImportFeature[] = [];
    const points: [number, number][] = [];
    for (const rec of records) {
      const problems: Rejection[] = [];
      let geometry: Geometry | undefined;
      if (!rec.geometry) {
        const reason = rec.geometryNote ?? (rec.geometryError ? note('import_geometry_unreadable', { detail: rec.geometryError }) : note('import_no_geometry'));
        problems.push({ row: rec.row, field: 'geometry', reason });
      } else if (!GEOMETRY_TYPES[layer.geometry].includes(rec.geometry.type)) {
        const expected = GEOMETRY_TYPES[layer.geometry].join(' / ');
        problems.push({ row: rec.row, field: 'geometry', reason: note('import_geometry_kind', { type: rec.geometry.type, expected }) });
      } else {
        const pos = positions(rec.geometry);
        const bad = pos.find((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
        if (bad || pos.length === 0) problems.push({ row: rec.row, field: 'geometry', reason: note('import_positions_not_numbers', { position: JSON.stringify(bad ?? []) }) });
        else {
          pos.forEach((p) => points.push([p[0], p[1]]));
          geometry = mapPositions(rec.geometry, (p) => {
            const [x, y] = opts.crs.toWgs84(unswap(p, opts.crs));
            return [Math.round(x * 1e8) / 1e8, Math.round(y * 1e8) / 1e8];
          });
          const out = positions(geometry).find((p) => !(Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90));
          if (out) {
            // Projected metres need crs=EPSG:45xx, degrees crs=wgs84/gcj02/bd09.
            problems.push({ row: rec.row, field: 'geometry', reason: note('import_position_outside_crs', { position: positions(rec.geometry)[0].join(', '), crs: opts.crs.name }) });
          }
        }
      }
      const props: Props = {};
      for (const [col, value] of Object.entries(rec.values)) {
        const name = this.columns.fields[col];
        if (!name) continue;
        const field = layer.fields.find((f) => f.name === name)!;
        const item = this.columns.items[col];
        if (item) {
          const q = coerceItem(field, item, value, col);
          if ('reason' in q) problems.push({ row: rec.row, field: name, reason: { ...q.reason, params: { ...q.reason.params, column: col } } });
          else if (q.value !== null) props[name] = [...((props[name] as unknown[] | undefined) ?? []), q.value];
          continue;
        }
        const c = coerce(field, value, col);
        if ('reason' in c) problems.push({ row: rec.row, field: name, reason: { ...c.reason, params: { ...c.reason.params, column: col } } });
        else if (c.value !== null) props[name] = c.value;
      }
      if (layer.fields.some((f) => f.name === 'source') && props.source === undefined) props.source = opts.source;
      for (const p of validateProperties(layer, props, { whole: true })) problems.push({ row: rec.row, field: p.field, reason: p.note });
      const id = rec.id ?? `${opts.idPrefix}${rec.row}`;
      const control = controlCharacterAt(id);
      if (control >= 0) {
        const char = `U+${id.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0')}`;
        problems.push({ row: rec.row, field: 'id', reason: note('field_control_character', { char, at: control + 1 }) });
      }
      const earlier = this.seen.get(id);
      if (earlier !== undefined) {
        problems.push({ row: rec.row, field: 'id', reason: note('import_id_repeats', { id, earlier }) });
        // The later row is not imported.
        duplicates.push({ row: rec.row, reason: note('import_duplicate_id', { id, earlier }) });
      }
      if (problems.length) {
        rejected.push(...problems);
        continue;
      }
      this.seen.set(id, rec.row);
      features.push({ type: 'Feature', id, row: rec.row, geometry: geometry!, properties: props });
    }
    this.counts = addCoordinateCounts(this.counts, countCoordinates(points, opts.crs, opts.area));
    return { features, rejected, duplicates };
  }
}

/** A whole in-memory source at once. */
export function prepare(layer: LayerDef, src: Source, opts: PrepareOptions): Prepared {
  const p = new Preparer(layer, opts);
  const { features, rejected } = p.batch(src.records, src.columns);
  return { columns: p.columns, features, rejected, warnings: p.warnings() };
}
