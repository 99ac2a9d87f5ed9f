/**
 * What every export writer is given: features in the chosen CRS and the flat columns that CSV,
 * GeoPackage and KML store them as (GeoJSON keeps the properties as they are).
 *
 * Column choices, the same in all flat formats so a file reads the same in Excel, QGIS and Ovital:
 * - the column name is the field name (`class`, `capacity`), which our importer maps back exactly;
 * - an enum stores its code and is followed by `<field>_名称` with the Chinese label (场所类别 →
 *   "紧急避难场所"), so the file is readable without the catalogue and still filterable by code;
 * - an enum[] stores its codes joined by ";" (the importer splits on it) and `<field>_名称` the labels
 *   joined by "、";
 * - an items list (a depot's inventory) is one text column "帐篷 200 顶；大米 5000 kg" (readable;
 *   the importer takes inventories from GeoJSON only);
 * - without a catalogue (an analysis result), columns are the properties' keys in first-seen order,
 *   objects and arrays as JSON text.
 */
import type { Feature, Geometry } from 'geojson';
import type { FieldDef, GeometryKind } from '../../core/catalogue/index.js';
import { mapPositions, parseCrs } from '../../core/geo/crs.js';

export type ExportCrs = 'wgs84' | 'gcj02';
export const EXPORT_CRS: ExportCrs[] = ['wgs84', 'gcj02'];

export type ColumnType = 'text' | 'integer' | 'real';
export type Cell = string | number | null;

export interface Column {
  name: string;
  type: ColumnType;
  value(properties: Record<string, unknown>): Cell;
}

export type ExportFeature = Feature<Geometry | null, Record<string, unknown>>;

export interface ExportData {
  /** Table / document name, ASCII-safe: `shelters`, `analysis`. */
  name: string;
  /** Human title, e.g. 应急避难场所. */
  title: string;
  /** Coordinates already in `crs`. */
  features: ExportFeature[];
  columns: Column[];
  crs: ExportCrs;
  /** The layer's geometry kind, for the file's geometry type when there are no features to tell. */
  geometry?: GeometryKind;
}

/** How a file tells a reader what its coordinates are. */
export const CRS_NOTE: Record<ExportCrs, string> = {
  wgs84: 'WGS 84 longitude/latitude (EPSG:4326)',
  gcj02:
    'GCJ-02 (国测局坐标, as used by Amap/Tencent maps): WGS 84 longitude/latitude shifted by the national obfuscation, 300–700 m in China. It is not an EPSG system; import it again with crs=gcj02.',
};

const LABEL_SUFFIX = '_名称';

const text = (v: unknown): Cell => (v === undefined || v === null || v === '' ? null : typeof v === 'object' ? JSON.stringify(v) : String(v));

function numberCell(v: unknown): Cell {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function labelOf(field: FieldDef, code: unknown): string {
  return field.options?.find((o) => o.value === code)?.zh ?? String(code);
}

/** Columns for a catalogue layer's fields (the ones the caller may see), after an `id` column. */
export function catalogueColumns(fields: FieldDef[]): Column[] {
  const cols: Column[] = [{ name: 'id', type: 'text', value: (p) => text(p.id) }];
  for (const field of fields) {
    const get = (p: Record<string, unknown>): unknown => p[field.name];
    switch (field.type) {
      case 'string':
        cols.push({ name: field.name, type: 'text', value: (p) => text(get(p)) });
        break;
      case 'integer':
        cols.push({ name: field.name, type: 'integer', value: (p) => numberCell(get(p)) });
        break;
      case 'number':
        cols.push({ name: field.name, type: 'real', value: (p) => numberCell(get(p)) });
        break;
      case 'enum':
        cols.push({ name: field.name, type: 'text', value: (p) => text(get(p)) });
        cols.push({ name: field.name + LABEL_SUFFIX, type: 'text', value: (p) => (text(get(p)) === null ? null : labelOf(field, get(p))) });
        break;
      case 'enum[]': {
        const list = (p: Record<string, unknown>): unknown[] => (Array.isArray(get(p)) ? (get(p) as unknown[]) : []);
        cols.push({ name: field.name, type: 'text', value: (p) => text(list(p).join(';')) });
        cols.push({ name: field.name + LABEL_SUFFIX, type: 'text', value: (p) => text(list(p).map((c) => labelOf(field, c)).join('、')) });
        break;
      }
      case 'items':
        cols.push({
          name: field.name,
          type: 'text',
          value: (p) => {
            const items = get(p);
            if (!Array.isArray(items)) return text(items);
            return text(
              items
                .map((it: { item?: unknown; quantity?: unknown }) => {
                  const opt = field.options?.find((o) => o.value === it.item);
                  return `${opt?.zh ?? String(it.item)} ${it.quantity ?? ''}${opt?.unit ? ` ${opt.unit.zh}` : ''}`.trim();
                })
                .join('；'),
            );
          },
        });
        break;
    }
  }
  return cols;
}

/** Columns for features without a catalogue: every property key, typed by the values found. */
export function inferColumns(features: ExportFeature[]): Column[] {
  const seen = new Map<string, unknown[]>();
  const hasId = features.some((f) => f.id !== undefined);
  for (const f of features) for (const [k, v] of Object.entries(f.properties ?? {})) (seen.get(k) ?? seen.set(k, []).get(k)!).push(v);
  const cols: Column[] = hasId && !seen.has('id') ? [{ name: 'id', type: 'text', value: (p) => text(p.id) }] : [];
  for (const [name, values] of seen) {
    const present = values.filter((v) => v !== null && v !== undefined);
    const numeric = present.length > 0 && present.every((v) => typeof v === 'number');
    const type: ColumnType = !numeric ? 'text' : present.every((v) => Number.isInteger(v)) ? 'integer' : 'real';
    cols.push({ name, type, value: (p) => (type === 'text' ? text(p[name]) : numberCell(p[name])) });
  }
  return cols;
}

/** The properties a column reads: the feature's own, with its id as `id` when it has none. */
export const rowOf = (f: ExportFeature): Record<string, unknown> => ({ id: f.id, ...(f.properties ?? {}) });

/** Features converted from WGS84 into the export CRS (coordinates to 1e-7°, about 1 cm). */
export function toExportCrs(features: ExportFeature[], crs: ExportCrs): ExportFeature[] {
  const c = parseCrs(crs)!;
  const round = (v: number): number => Math.round(v * 1e7) / 1e7;
  return features.map((f) => ({
    ...f,
    geometry: f.geometry && mapPositions(f.geometry, (p) => {
      const [x, y] = c.fromWgs84(p);
      return [round(x), round(y)];
    }),
  }));
}

/** [minX, minY, maxX, maxY] of all positions, or undefined when there are none. */
export function extent(features: ExportFeature[]): [number, number, number, number] | undefined {
  let b: [number, number, number, number] | undefined;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      const [x, y] = c as number[];
      b = b ? [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  const geom = (g: Geometry): void => (g.type === 'GeometryCollection' ? g.geometries.forEach(geom) : walk(g.coordinates));
  for (const f of features) if (f.geometry) geom(f.geometry);
  return b;
}
