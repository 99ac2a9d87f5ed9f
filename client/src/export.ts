/**
 * Exporting: a layer (GET /api/layers/:id/export) or an analysis result's map layers (POST
 * /api/export, a GeoJSON FeatureCollection with the request and the standard's basis as foreign
 * members) as a file the server writes in the chosen format and CRS; an analysis' tables as CSV
 * written here (RFC 4180, UTF-8 with a byte-order mark so that Excel reads Chinese correctly, CRLF).
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { AnalysisRun } from './api/analysis';
import { queryString, fetchFile } from './api/http';
import { filterParams, type FeaturePage, type Filters } from './api/features';
import type { I18n } from './i18n';
import { joinTowns, POPULATION_CELL_M } from './map/analysisLayers';
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
  const header = line(table.columns.map((c) => csvField(headerText(c, i18n), c, i18n)));
  const rows = table.rows.map((r) => line(table.columns.map((c) => csvField(c.value(r), c, i18n))));
  const totals = line(table.columns.map((c) => (c.total ? csvField(c.total(table.rows), c, i18n) : '')));
  return `${BOM}${[header, ...rows, totals].join('\r\n')}\r\n`;
}

type Collection = FeatureCollection<Geometry> & { analysis: string; parameters: unknown };

/** The run's map layers as one FeatureCollection; each feature's `layer` says which layer it is. */
export function resultGeoJson(run: AnalysisRun, adminUnits: FeaturePage | undefined): Collection {
  const tag = <P extends object>(layer: string, features: Feature<Geometry, P>[], extra: object = {}): Feature[] =>
    features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { layer, ...f.properties, ...extra } }));
  const cells = (fc: { features: Feature<Geometry, object>[] }) => tag('uncovered_cell', fc.features, { cellSizeM: POPULATION_CELL_M });
  let features: Feature[];
  let parameters: unknown;
  switch (run.kind) {
    case 'isochrone':
      features = tag('isochrone', run.data.features);
      parameters = { ...run.body, origins: run.data.origins.map((o) => ({ ...o, lonLat: run.body.origins[o.index] })) };
      break;
    case 'fire': {
      const stations = new Map(run.data.stations.map((s) => [s.id, s]));
      const areas = run.data.serviceAreas.features.map((f) => {
        const s = stations.get(f.properties.station);
        return { ...f, properties: { ...f.properties, maxAreaKm2: s?.maxAreaKm2 ?? null, exceedsArea: s?.exceedsArea ?? false } };
      });
      features = [...tag('service_area', areas), ...cells(run.data.uncovered)];
      parameters = { county: run.body.county, ...run.data.parameters };
      break;
    }
    case 'shelter':
      features = [...tag('town', joinTowns(adminUnits, run.data.towns)), ...cells(run.data.uncovered)];
      parameters = { county: run.body.county, ...run.data.parameters, excluded: run.data.excluded, unsuitable: run.data.unsuitable };
      break;
    case 'siting':
      features = [
        ...tag(
          'site',
          run.data.chosen.map((c) => ({ type: 'Feature' as const, properties: c, geometry: { type: 'Point' as const, coordinates: [c.lon, c.lat] } })),
        ),
        ...tag('town', joinTowns(adminUnits, run.data.towns)),
      ];
      parameters = { ...run.data.parameters, status: run.data.status, gap: run.data.gap, objective: run.data.objective, objectiveMeaning: run.data.objectiveMeaning, before: run.data.before, after: run.data.after, notes: run.data.notes };
      break;
    case 'relief':
      features = tag('town', joinTowns(adminUnits, run.data.towns));
      parameters = { county: run.body.county, ...run.data.parameters, depots: run.data.depots };
      break;
  }
  return { type: 'FeatureCollection', analysis: run.kind, parameters, features };
}

/** e.g. fire-coverage-500117: what the result is, and of which county. */
export const resultName = (run: AnalysisRun, what: string): string => `${what}${'county' in run.body ? `-${run.body.county}` : ''}`;

/** e.g. fire-coverage-500117-20250301-0930.csv */
export function exportName(run: AnalysisRun, what: string, ext: string): string {
  const d = new Date();
  const p = (x: number) => String(x).padStart(2, '0');
  return `${resultName(run, what)}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.${ext}`;
}

export const EXPORT_FORMATS = ['geojson', 'csv', 'gpkg', 'kml'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** WGS84 (as GPS, 天地图 and GIS software) or GCJ-02 (as 高德 / 腾讯 web maps). */
export type ExportCrs = 'wgs84' | 'gcj02';

const EXTENSION: Record<ExportFormat, string> = { geojson: 'geojson', csv: 'csv', gpkg: 'gpkg', kml: 'kml' };

/** Downloads a layer as the server writes it; the filters are those of /features (the server keeps public users to public fields). */
export async function exportLayer(layerId: string, format: ExportFormat, crs: ExportCrs, filters: Filters = {}): Promise<void> {
  const { blob, name } = await fetchFile(`/api/layers/${encodeURIComponent(layerId)}/export${queryString({ ...filterParams(filters), format, crs })}`);
  download(name ?? `${layerId}.${EXTENSION[format]}`, blob);
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
