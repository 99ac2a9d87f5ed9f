/**
 * Exporting: a layer (GET /api/layers/:id/export) or an analysis result's map layers (POST
 * /api/export, a GeoJSON FeatureCollection with the request and the standard's basis as foreign
 * members) as a file the server writes in the chosen format and CRS; an analysis' tables as CSV
 * written here (RFC 4180, UTF-8 with a byte-order mark so that Excel reads Chinese correctly, CRLF).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { queryString, fetchFile } from './api/http';
import { filterParams, type Filters } from './api/features';
import type { I18n } from './i18n';
import { POPULATION_CELL_M } from './map/analysisLayers';
import { headerText, type AnyTable, type CellValue, type Column } from './panels/resultTables';

const BOM = '\uFEFF';

function csvField(v: CellValue, column: Column<never>, i18n: I18n): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  let s: string;
  if (typeof v === 'number') s = String(Number(v.toFixed(column.digits ?? 6)));
  else if (typeof v === 'boolean') s = i18n.t(v ? 'yes' : 'no');
  // A text starting like a formula would run as one in a spreadsheet.
  else s = /^[=+\-@]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table as CSV text, header first, the totals row last, starting with the BOM. */
export function tableCsv(table: AnyTable, i18n: I18n): string {
  const line = (cells: string[]) => cells.join(',');
  const header = line(table.columns.map((c) => csvField(headerText(c, i18n, true), c, i18n)));
  const rows = table.rows.map((r) => line(table.columns.map((c) => csvField(c.value(r), c, i18n))));
  const totals = line(table.columns.map((c) => (c.total ? csvField(c.total(table.rows), c, i18n) : '')));
  return `${BOM}${[header, ...rows, totals].join('\r\n')}\r\n`;
}

/** Features of one of a result's map layers, each tagged with the layer (and `extra` properties), for the export. */
export const tagFeatures = <P extends object>(layer: string, features: readonly Feature<Geometry, P>[], extra: object = {}): Feature[] =>
  features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { layer, ...f.properties, ...extra } }));

/** Population cells outside coverage, with their size. */
export const cellFeatures = (fc: { features: Feature<Geometry, object>[] }): Feature[] => tagFeatures('uncovered_cell', fc.features, { cellSizeM: POPULATION_CELL_M });

/** A run as far as its file names go: of a county, or not. */
interface Named {
  body: object;
}

/** e.g. fire-coverage-500117: what the result is, and of which county. */
export const resultName = (run: Named, what: string): string => `${what}${'county' in run.body ? `-${(run.body as { county: string }).county}` : ''}`;

/** e.g. fire-coverage-500117-20250301-0930.csv */
export function exportName(run: Named, what: string, ext: string): string {
  const d = new Date();
  const p = (x: number) => String(x).padStart(2, '0');
  return `${resultName(run, what)}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.${ext}`;
}

export const EXPORT_FORMATS = ['geojson', 'csv', 'gpkg', 'kml', 'fgb', 'shp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** WGS84 (as GPS, 天地图 and GIS software) or GCJ-02 (as 高德 / 腾讯 web maps). */
export type ExportCrs = 'wgs84' | 'gcj02';

const EXTENSION: Record<ExportFormat, string> = { geojson: 'geojson', csv: 'csv', gpkg: 'gpkg', kml: 'kml', fgb: 'fgb', shp: 'shp.zip' };

/** Downloads a layer as the server writes it; the filters are those of /features (the server keeps public users to public fields). */
export async function exportLayer(layerId: string, format: ExportFormat, crs: ExportCrs, filters: Filters = {}): Promise<void> {
  const { blob, name } = await fetchFile(`/api/layers/${encodeURIComponent(layerId)}/export${queryString({ ...filterParams(filters), format, crs })}`);
  download(name ?? `${layerId}.${EXTENSION[format]}`, blob);
}

/** Downloads a layer's blank census-shaped import template (xlsx). */
export async function downloadTemplate(layerId: string): Promise<void> {
  const { blob, name } = await fetchFile(`/api/layers/${encodeURIComponent(layerId)}/template.xlsx`);
  download(name ?? `${layerId}-template.xlsx`, blob);
}

/** Downloads a FeatureCollection (an analysis result) converted by the server. */
export async function exportCollection(collection: FeatureCollection, name: string, format: ExportFormat, crs: ExportCrs): Promise<void> {
  const { blob, name: given } = await fetchFile(`/api/export${queryString({ format, crs, name })}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(collection),
  });
  download(given ?? `${name}.${EXTENSION[format]}`, blob);
}

/** Saves text or bytes as a file through the browser's download. */
export function download(name: string, content: string | Blob, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(typeof content === 'string' ? new Blob([content], { type }) : content);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has its own reference by now; a short delay covers slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
