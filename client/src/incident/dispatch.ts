/**
 * The dispatch sheet (调度单): one A4 landscape page, drawn with the report's page, tables and PDF
 * (report/report.ts, report/pdf.ts) — the map with the incident, its area, the routes of the
 * resources listed and the closures; the ranked resources with ETA, distance, tier and contacts;
 * supplies against need per tier with shortfalls in red and in words; shelter places; who must be
 * warned; the closures that applied; the time, the author, and the demo notice on demo data.
 *
 * The map is drawn here on a 2D canvas in Web Mercator (towns from admin_units as the backdrop):
 * it needs no WebGL read-back, no tiles and no glyphs, so it prints the same offline.
 */
import type { Geometry, Position } from 'geojson';
import type { IncidentAssessment } from '../../../core/incident/schema';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import type { I18n } from '../i18n';
import { LABEL_FONT } from '../map/symbols';
import { heading, INK, M, MUTED, paragraph, REPORT_SIZE, reportFooter, reportPage, table } from '../report/report';
import type { ClosureFeature } from './draft';
import { CLOSURE_COLOR, INCIDENT_COLOR } from './incidentLayers';
import { GROUP_STYLE } from './groups';
import { resourcesTable, suppliesTable, warnTable } from './tables';
import type { WarnRow } from './warnings';
import { rateSource } from './format';

export interface DispatchContent {
  title: string;
  /** Hazard, time, place, persons affected. */
  question: string;
  date: string;
  author: string;
  demo?: string;
  assessment: IncidentAssessment;
  position: [number, number];
  closures: readonly ClosureFeature[];
  closureLines: string[];
  warnRows: WarnRow[];
  factLines: string[];
  adminUnits?: FeaturePage;
  layers: readonly Layer[];
}

/** Resources per group on the sheet (the screen lists ten). */
const PER_GROUP = 3;
const MAP = { width: 760, height: 500 };
/** Table rows (25 px) that fit between y and the footer, keeping room for a "more" line. */
const rowsFitting = (y: number) => Math.max(1, Math.floor((REPORT_SIZE.height - M - 40 - y) / 25) - 2);

type Project = (p: Position) => [number, number];

/** Web Mercator fitted to the lon/lat box inside width × height with a margin. */
function projection(points: Position[], width: number, height: number, margin: number): Project {
  const merc = ([lon, lat]: Position): [number, number] => [(lon * Math.PI) / 180, Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
  const xy = points.map(merc);
  const minX = Math.min(...xy.map((p) => p[0]));
  const maxX = Math.max(...xy.map((p) => p[0]));
  const minY = Math.min(...xy.map((p) => p[1]));
  const maxY = Math.max(...xy.map((p) => p[1]));
  // A lone point (no routes yet) is shown with ~2 km around it.
  const span = Math.max(maxX - minX, maxY - minY, 0.0006);
  const scale = Math.min((width - 2 * margin) / Math.max(maxX - minX, span * 0.2), (height - 2 * margin) / Math.max(maxY - minY, span * 0.2));
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return (p) => {
    const [x, y] = merc(p);
    return [width / 2 + (x - cx) * scale, height / 2 - (y - cy) * scale];
  };
}

function path(g: CanvasRenderingContext2D, line: Position[], project: Project): void {
  g.beginPath();
  line.forEach((p, i) => {
    const [x, y] = project(p);
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
}

function rings(geometry: Geometry): Position[][] {
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/** Metres per pixel at the centre, for the scale bar. */
function scaleBar(g: CanvasRenderingContext2D, project: Project, centre: Position, { t, n }: I18n): void {
  const [x0] = project(centre);
  const [x1] = project([centre[0] + 0.01, centre[1]]);
  const metresPerPx = (0.01 * 111_320 * Math.cos((centre[1] * Math.PI) / 180)) / Math.abs(x1 - x0);
  const target = metresPerPx * 120;
  const nice = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best));
  const px = nice / metresPerPx;
  g.fillStyle = 'rgba(255,255,255,0.85)';
  g.fillRect(10, MAP.height - 34, px + 70, 26);
  g.strokeStyle = INK;
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(18, MAP.height - 16);
  g.lineTo(18, MAP.height - 12);
  g.lineTo(18 + px, MAP.height - 12);
  g.lineTo(18 + px, MAP.height - 16);
  g.stroke();
  g.font = `400 13px ${LABEL_FONT}`;
  g.fillStyle = INK;
  g.textAlign = 'left';
  g.textBaseline = 'middle';
  g.fillText(nice >= 1000 ? t('incKm', { km: n(nice / 1000) }) : t('incMetres', { m: n(nice) }), 24 + px, MAP.height - 16);
}

export function dispatchMap(c: DispatchContent, i18n: I18n): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = MAP.width;
  canvas.height = MAP.height;
  const g = canvas.getContext('2d')!;
  const a = c.assessment;
  const shown = a.closest.groups.flatMap((grp) => grp.items.slice(0, PER_GROUP).map((item, i) => ({ group: grp.key, item, rank: i + 1 })));
  const extent: Position[] = [c.position, ...shown.flatMap((s) => s.item.route), ...c.closures.flatMap((f) => (f.geometry.type === 'Point' ? [f.geometry.coordinates] : f.geometry.type === 'LineString' ? f.geometry.coordinates : f.geometry.coordinates[0]))];
  if (a.areaGeometry) extent.push(...rings(a.areaGeometry).flat());
  const project = projection(extent, MAP.width, MAP.height, 28);

  g.fillStyle = '#eef2f0';
  g.fillRect(0, 0, MAP.width, MAP.height);
  // Towns as the backdrop, white with grey borders, named at their label point when inside the frame.
  for (const f of c.adminUnits?.features ?? []) {
    if (!f.geometry || f.properties.level !== 'town') continue;
    for (const ring of rings(f.geometry)) {
      path(g, ring, project);
      g.closePath();
      g.fillStyle = '#fbfcfb';
      g.fill();
      g.strokeStyle = '#b8c2c9';
      g.lineWidth = 1;
      g.stroke();
    }
  }
  if (a.areaGeometry) {
    for (const ring of rings(a.areaGeometry)) {
      path(g, ring, project);
      g.closePath();
      g.fillStyle = 'rgba(255,111,0,0.15)';
      g.fill();
      g.strokeStyle = '#ff6f00';
      g.lineWidth = 2;
      g.stroke();
    }
  }
  g.lineJoin = 'round';
  g.lineCap = 'round';
  for (const s of [...shown].reverse()) {
    path(g, s.item.route, project);
    g.strokeStyle = GROUP_STYLE[s.group].color;
    g.globalAlpha = s.rank === 1 ? 0.95 : 0.55;
    g.lineWidth = s.rank === 1 ? 4 : 2.5;
    g.stroke();
    g.globalAlpha = 1;
  }
  // Closures black on a white halo (apart from the groups' colours); a point closure is a no-entry sign.
  for (const f of c.closures) {
    const geom = f.geometry;
    if (geom.type === 'Point') {
      const [x, y] = project(geom.coordinates);
      g.beginPath();
      g.arc(x, y, 10, 0, 2 * Math.PI);
      g.fillStyle = '#ffffff';
      g.fill();
      g.strokeStyle = CLOSURE_COLOR;
      g.lineWidth = 3;
      g.stroke();
      g.beginPath();
      g.moveTo(x - 5, y - 5);
      g.lineTo(x + 5, y + 5);
      g.moveTo(x - 5, y + 5);
      g.lineTo(x + 5, y - 5);
      g.stroke();
      continue;
    }
    const line = geom.type === 'LineString' ? geom.coordinates : geom.coordinates[0];
    for (const [color, width] of [
      ['#ffffff', 8],
      [CLOSURE_COLOR, 4],
    ] as const) {
      path(g, line, project);
      if (geom.type === 'Polygon') g.closePath();
      g.strokeStyle = color;
      g.lineWidth = width;
      g.stroke();
    }
    if (geom.type === 'Polygon') {
      g.fillStyle = 'rgba(33,33,33,0.18)';
      g.fill();
    }
  }
  // The resources at the start of their routes, numbered by rank within their group.
  g.font = `700 12px ${LABEL_FONT}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  for (const s of shown) {
    const start = s.item.route[0];
    if (!start) continue;
    const [x, y] = project(start);
    g.beginPath();
    g.arc(x, y, 9, 0, 2 * Math.PI);
    g.fillStyle = GROUP_STYLE[s.group].color;
    g.fill();
    g.lineWidth = 2;
    g.strokeStyle = '#ffffff';
    g.stroke();
    g.fillStyle = '#ffffff';
    g.fillText(String(s.rank), x, y + 0.5);
  }
  const [ix, iy] = project(c.position);
  g.beginPath();
  g.arc(ix, iy, 12, 0, 2 * Math.PI);
  g.fillStyle = INCIDENT_COLOR;
  g.fill();
  g.lineWidth = 3;
  g.strokeStyle = '#ffffff';
  g.stroke();
  g.fillStyle = '#ffffff';
  g.font = `700 16px ${LABEL_FONT}`;
  g.fillText('!', ix, iy + 1);
  scaleBar(g, project, c.position, i18n);
  return canvas;
}

/** The legend under the map: one swatch per group shown, the incident and the closures. */
function mapLegend(g: CanvasRenderingContext2D, c: DispatchContent, x: number, y: number, width: number, { t }: I18n): number {
  const entries = [
    { color: INCIDENT_COLOR, label: t('incLegendIncident') },
    ...c.assessment.closest.groups.filter((grp) => grp.items.length > 0).map((grp) => ({ color: GROUP_STYLE[grp.key].color, label: t(GROUP_STYLE[grp.key].name) })),
    ...(c.closures.length ? [{ color: CLOSURE_COLOR, label: t('incLegendClosure') }] : []),
  ];
  g.font = `400 13px ${LABEL_FONT}`;
  g.textBaseline = 'middle';
  g.textAlign = 'left';
  let cx = x;
  for (const e of entries) {
    const w = 22 + g.measureText(e.label).width + 16;
    if (cx + w > x + width) (cx = x), (y += 22);
    g.fillStyle = e.color;
    g.fillRect(cx, y + 3, 16, 12);
    g.fillStyle = INK;
    g.fillText(e.label, cx + 22, y + 9);
    cx += w;
  }
  return y + 26;
}

export function drawDispatch(c: DispatchContent, i18n: I18n): HTMLCanvasElement {
  const { t } = i18n;
  const { canvas, g, y } = reportPage({ title: c.title, date: c.date, demo: c.demo, question: c.question });
  const W = canvas.width - 2 * M;

  // Left: the map and its legend, the closures, who must be warned.
  const left = { x: M, width: MAP.width };
  g.drawImage(dispatchMap(c, i18n), left.x, y);
  g.strokeStyle = '#d5dbe0';
  g.strokeRect(left.x + 0.5, y + 0.5, MAP.width - 1, MAP.height - 1);
  let ly = mapLegend(g, c, left.x, y + MAP.height + 6, left.width, i18n);
  ly = heading(g, t('incClosures'), left.x, ly, left.width);
  for (const line of c.closureLines.length ? c.closureLines : [t('incNoClosures')]) ly = paragraph(g, line, left.x, ly, left.width, 14, 400, c.closureLines.length ? INK : MUTED);
  ly += 8;
  const warn = warnTable(c.warnRows, i18n);
  ly = heading(g, t('incWarnings'), left.x, ly, left.width);
  const warnFit = rowsFitting(ly);
  ly = table(g, { ...warn, rows: c.warnRows.slice(0, warnFit) }, i18n, left.x, ly, left.width, false);
  if (c.warnRows.length > warnFit) paragraph(g, t('incMoreRows', { count: c.warnRows.length - warnFit }), left.x, ly + 2, left.width, 13, 400, MUTED);

  // Right: the facts, the ranked resources, supplies against need.
  const right = { x: left.x + left.width + 32, width: M + W - (left.x + left.width + 32) };
  let ry = y;
  for (const line of c.factLines) ry = paragraph(g, line, right.x, ry, right.width, 15, 400, INK);
  ry += 6;
  const resources = resourcesTable(c.assessment, c.layers, PER_GROUP, i18n);
  ry = heading(g, t('incResourcesTop', { count: PER_GROUP }), right.x, ry, right.width);
  ry = table(g, resources, i18n, right.x, ry, right.width, false) + 10;
  const supplies = suppliesTable(c.assessment, c.layers, i18n);
  const needed = supplies.rows.filter((r) => r.need > 0);
  ry = heading(g, t('incSuppliesFor', { persons: i18n.n(c.assessment.affected.persons, 0), days: c.assessment.supply.days }), right.x, ry, right.width);
  const sources = [...new Set(c.assessment.supply.rates.map((r) => rateSource(r, i18n)))];
  if (sources.length) ry = paragraph(g, t('incRatesSources', { sources: sources.join(t('listSeparator')) }), right.x, ry + 2, right.width, 13, 400, MUTED) + 4;
  const supplyFit = rowsFitting(ry);
  ry = table(g, { ...supplies, rows: needed.slice(0, supplyFit) }, i18n, right.x, ry, right.width, false);
  if (needed.length > supplyFit) paragraph(g, t('incMoreRows', { count: needed.length - supplyFit }), right.x, ry + 2, right.width, 13, 400, MUTED);

  reportFooter(g, t('incDispatchFooter', { author: c.author, date: c.date }) + (c.demo ? ` · ${t('demoNoticeDetail')}` : ''));
  return canvas;
}
