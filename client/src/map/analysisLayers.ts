/**
 * Analysis results as deck.gl layers, and the legend that explains them (colours are defined once,
 * here, for both). Nothing here is pickable: a click goes through to the stations underneath.
 * - isochrones: one translucent fill per threshold, widest at the bottom, labelled at its
 *   northernmost point; straight-line fallbacks violet with a dashed outline and "直线估算";
 * - fire coverage: each station's service area in its own colour with the station's name, red
 *   outline where the area exceeds the 建标152-2017 limit;
 * - population cells outside coverage: 500 m squares coloured by persons (fixed classes, so two
 *   results read alike);
 * - shelter capacity and relief reach: towns (admin_units, joined on the town code) coloured by
 *   m² per resident against the threshold, or by the worst hours against the target;
 * - siting: towns coloured by the share of people covered with the new sites (the classes of the
 *   before/after maps); the sites themselves are draggable MapLibre markers (siteMarkers.ts).
 */
import { GeoJsonLayer, GridCellLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { IsochroneResult } from '../../../core/analysis/isochrone';
import type { AnalysisRun, LonLat, RunOf } from '../api/analysis';
import type { Bbox } from '../api/areas';
import type { FeaturePage } from '../api/features';
import type { I18n } from '../i18n';
import { geometryBbox } from './camera';
import { labelPoint } from './labelLayers';
import { hexToRgba, LABEL_FONT, type Rgba } from './symbols';

/**
 * Layers of a result: areas go under the map's own labels, names over them (and under the points),
 * and `top` — what the result is about, such as shelters ruled out — over the points too.
 */
export interface AnalysisDeck {
  under: DeckLayer[];
  over: DeckLayer[];
  top?: DeckLayer[];
}

export interface LegendEntry {
  color: string;
  label: string;
  /** fill: a translucent area; outline: a coloured border; dashed: a dashed border; cell: a grid square. */
  style: 'fill' | 'outline' | 'dashed' | 'cell';
}

export interface LegendGroup {
  title: string;
  entries: LegendEntry[];
}

/** Side of a population-grid cell: the server's grid (core/population/grid.ts, default 500 m). */
export const POPULATION_CELL_M = 500;

/** Green (near) to red (far), for the thresholds of an isochrone in ascending order. */
const RING_RAMP = ['#1a9850', '#91cf60', '#fee08b', '#fc8d59', '#d73027'];
const STRAIGHT_LINE = '#7e57c2';
const FILL_ALPHA = 70;

/** Persons per cell: class upper bounds, and colours: YlOrRd alone, Purples over a town choropleth. */
const CELL_BREAKS = [50, 200, 500, 1000];
const CELL_COLORS = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
const CELL_COLORS_OVER = ['#efedf5', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];

/**
 * Service areas: qualitative colours (ColorBrewer Paired / Dark2 / Set3) without the yellows, oranges
 * and reds of the uncovered cells next to them, reused round-robin.
 */
const STATION_COLORS = ['#1f78b4', '#33a02c', '#6a3d9a', '#a6cee3', '#b2df8a', '#cab2d6', '#1b9e77', '#7570b3', '#66a61e', '#8dd3c7', '#bebada', '#80b1d3'];
const EXCEEDS = '#d50000';

/** Towns: shelter area per resident relative to the threshold T, and relief hours relative to the target H. */
const SHELTER_CLASSES = [
  { min: 2, color: '#1a9850' },
  { min: 1, color: '#a6d96a' },
  { min: 0.5, color: '#fdae61' },
  { min: 0, color: '#d73027' },
];
const RELIEF_CLASSES = [
  { max: 0.25, color: '#1a9850' },
  { max: 0.5, color: '#a6d96a' },
  { max: 1, color: '#fee08b' },
  { max: Infinity, color: '#d73027' },
];
const UNREACHABLE = '#6a1b9a';
const NO_DATA = '#9e9e9e';

function cellColor(population: number, colors: readonly string[]): string {
  const i = CELL_BREAKS.findIndex((b) => population < b);
  return colors[i < 0 ? CELL_BREAKS.length : i];
}

export const shelterColor = (perResident: number | null, threshold: number): string =>
  perResident === null ? NO_DATA : SHELTER_CLASSES.find((c) => perResident >= c.min * threshold)!.color;

export const reliefColor = (hours: number | null, target: number): string =>
  hours === null ? UNREACHABLE : RELIEF_CLASSES.find((c) => hours <= c.max * target)!.color;

function ringColors(result: IsochroneResult): Map<number, string> {
  const minutes = [...new Set(result.features.filter((f) => f.properties.method === 'network').map((f) => f.properties.minutes))].sort((a, b) => a - b);
  const last = RING_RAMP.length - 1;
  return new Map(minutes.map((m, i) => [m, RING_RAMP[minutes.length === 1 ? last : Math.round((i * last) / (minutes.length - 1))]]));
}

type Polygonal = Polygon | MultiPolygon;

/** The northernmost vertex of a ring's outline: where its label sits, clear of the rings inside it. */
function topOf(g: Polygonal): Position {
  const outer = g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
  let top = outer[0][0];
  for (const ring of outer) for (const p of ring) if (p[1] > top[1]) top = p;
  return top;
}

/** Every other edge of each outline: a dashed line without the dash extension. */
function dashes(g: Polygonal): Position[][] {
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  return rings.flatMap((ring) => ring.slice(0, -1).flatMap((p, i) => (i % 2 === 0 ? [[p, ring[i + 1]]] : [])));
}

interface Label {
  position: Position;
  text: string;
  color: Rgba;
}

function textLayer(id: string, data: Label[], size: number): TextLayer<Label> {
  return new TextLayer<Label>({
    id,
    data,
    characterSet: 'auto',
    fontFamily: LABEL_FONT,
    fontWeight: 600,
    getPosition: (d) => d.position as [number, number],
    getText: (d) => d.text,
    getColor: (d) => d.color,
    getSize: size,
    sizeUnits: 'pixels',
    getAlignmentBaseline: 'bottom',
    getPixelOffset: [0, -4],
    background: true,
    getBackgroundColor: [255, 255, 255, 225],
    backgroundPadding: [4, 2],
    backgroundBorderRadius: 3,
  });
}

function originLayer(id: string, origins: readonly LonLat[]): DeckLayer {
  return new ScatterplotLayer<LonLat>({
    id,
    data: [...origins],
    getPosition: (d) => d,
    getRadius: 5,
    radiusUnits: 'pixels',
    getFillColor: [33, 33, 33, 255],
    getLineColor: [255, 255, 255, 255],
    stroked: true,
    getLineWidth: 2,
    lineWidthUnits: 'pixels',
  });
}

/** The origins of an isochrone not yet run. */
export const originMarkers = (origins: readonly LonLat[]): AnalysisDeck => ({ under: [], over: [originLayer('draft-origins', origins)] });

type RingFeature = IsochroneResult['features'][number];

/** Isochrone rings (widest first, so narrower ones draw on top) with their labels; `id` prefixes every layer. */
export function isochroneLayers(id: string, result: IsochroneResult, origins: readonly LonLat[], i18n: I18n): AnalysisDeck {
  const { t, n } = i18n;
  const colors = ringColors(result);
  const color = (f: RingFeature) => (f.properties.method === 'network' ? colors.get(f.properties.minutes)! : STRAIGHT_LINE);
  const rings = [...result.features].sort((a, b) => b.properties.minutes - a.properties.minutes);
  const straight = rings.filter((f) => f.properties.method === 'straight-line');
  const labels: Label[] = rings.map((f) => {
    const { minutes, population, method } = f.properties;
    const persons = population === null ? '—' : n(population, 0);
    return {
      position: topOf(f.geometry),
      text: t(method === 'network' ? 'ringLabel' : 'ringLabelStraight', { minutes: n(minutes), persons }),
      color: hexToRgba(method === 'network' ? '#263238' : STRAIGHT_LINE),
    };
  });
  return {
    under: [
      new GeoJsonLayer<RingFeature['properties']>({
        id,
        data: rings,
        filled: true,
        stroked: true,
        getFillColor: (f) => hexToRgba(color(f as RingFeature), f.properties.method === 'network' ? FILL_ALPHA : 35),
        getLineColor: (f) => hexToRgba(color(f as RingFeature)),
        getLineWidth: (f) => (f.properties.method === 'network' ? 2 : 0),
        lineWidthUnits: 'pixels',
      }),
      new PathLayer<Position[]>({
        id: `${id}-dashes`,
        data: straight.flatMap((f) => dashes(f.geometry)),
        getPath: (d) => d as [number, number][],
        getColor: hexToRgba(STRAIGHT_LINE),
        getWidth: 2.5,
        widthUnits: 'pixels',
      }),
    ],
    over: [originLayer(`${id}-origins`, origins), textLayer(`${id}-labels`, labels, 13)],
  };
}

interface ServiceArea extends Feature<MultiPolygon, RunOf<'fire'>['data']['serviceAreas']['features'][number]['properties']> {
  fill: Rgba;
  exceeds: boolean;
}

function fireLayers(run: RunOf<'fire'>): AnalysisDeck {
  const exceeding = new Set(run.data.stations.filter((s) => s.exceedsArea).map((s) => s.id));
  const areas: ServiceArea[] = run.data.serviceAreas.features.map((f, i) => ({
    ...f,
    fill: hexToRgba(STATION_COLORS[i % STATION_COLORS.length], 115),
    exceeds: exceeding.has(f.properties.station),
  }));
  const names: Label[] = areas.map((f) => ({ position: labelPoint(f.geometry), text: f.properties.name, color: [38, 50, 56, 255] }));
  return {
    under: [
      new GeoJsonLayer({
        id: 'analysis-service-areas',
        data: areas,
        filled: true,
        stroked: true,
        getFillColor: (f) => (f as ServiceArea).fill,
        getLineColor: [255, 255, 255, 220],
        getLineWidth: 1,
        lineWidthUnits: 'pixels',
      }),
      uncoveredLayer(run.data.uncovered.features),
      // Red on a white halo, so the outline stands out from the red cells around it.
      ...[
        { id: 'halo', color: [255, 255, 255, 255] as Rgba, width: 6 },
        { id: 'outline', color: hexToRgba(EXCEEDS), width: 3 },
      ].map(
        (o) =>
          new GeoJsonLayer({
            id: `analysis-exceeding-${o.id}`,
            data: areas.filter((f) => f.exceeds),
            filled: false,
            stroked: true,
            getLineColor: o.color,
            getLineWidth: o.width,
            lineWidthUnits: 'pixels',
          }),
      ),
    ],
    over: [textLayer('analysis-service-labels', names, 12)],
  };
}

type Cell = Feature<Point, { population: number; town: string }>;

/** Population cells; over a town choropleth they are drawn smaller, so the town colour shows between them. */
function uncoveredLayer(cells: Cell[], overTowns = false): DeckLayer {
  const colors = overTowns ? CELL_COLORS_OVER : CELL_COLORS;
  return new GridCellLayer<Cell>({
    id: 'analysis-uncovered',
    data: cells,
    extruded: false,
    cellSize: POPULATION_CELL_M,
    coverage: overTowns ? 0.55 : 1,
    // The points are cell centres; GridCellLayer's default offset would take them as corners.
    offset: [0, 0],
    getPosition: (d) => d.geometry.coordinates as [number, number],
    getFillColor: (d) => hexToRgba(cellColor(d.properties.population, colors), overTowns ? 230 : 200),
  });
}

/** The result rows joined to their town polygons (admin_units, level town, on the town code). */
export function joinTowns<R extends { code: string }>(adminUnits: FeaturePage | undefined, rows: readonly R[]): Feature<Polygonal, R>[] {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const out: Feature<Polygonal, R>[] = [];
  for (const f of adminUnits?.features ?? []) {
    const g = f.geometry;
    const row = byCode.get(String(f.properties.code));
    if (row && f.properties.level === 'town' && (g?.type === 'Polygon' || g?.type === 'MultiPolygon')) out.push({ type: 'Feature', geometry: g, properties: row });
  }
  return out;
}

interface TownFeature extends Feature<Polygonal> {
  fill: Rgba;
}

/** Towns of the result coloured by their row. */
function townLayer<R extends { code: string }>(adminUnits: FeaturePage | undefined, rows: readonly R[], colorOf: (row: R) => string): DeckLayer {
  const data: TownFeature[] = joinTowns(adminUnits, rows).map((f) => ({ ...f, fill: hexToRgba(colorOf(f.properties), 150) }));
  return new GeoJsonLayer({
    id: 'analysis-towns',
    data,
    filled: true,
    stroked: true,
    getFillColor: (f) => (f as TownFeature).fill,
    getLineColor: [255, 255, 255, 255],
    getLineWidth: 1.5,
    lineWidthUnits: 'pixels',
  });
}

/** Proposed sites: numbered markers (siteMarkers.ts, styled in styles.css); sites placed by hand (what-if) in their own colour. */
export const SITE_COLOR = '#1565c0';
export const MANUAL_COLOR = '#ef6c00';

/**
 * Share of a town's population within the service threshold: the same classes on the main map and
 * on the before and after maps, so a town's change of colour is a change of class (ColorBrewer YlGn).
 * Fine at the low end: a 4-minute fire service reaches a small share of a rural town.
 */
export const COVERAGE_CLASSES = [
  { min: 0.75, color: '#006837' },
  { min: 0.5, color: '#31a354' },
  { min: 0.25, color: '#78c679' },
  { min: 0.1, color: '#c2e699' },
  { min: 0, color: '#ffffcc' },
];
export const coverageColor = (covered: number, population: number): string =>
  population > 0 ? COVERAGE_CLASSES.find((c) => covered / population >= c.min)!.color : NO_DATA;

export function coverageLegend(i18n: I18n): LegendGroup {
  const { t, n } = i18n;
  return {
    title: t('legendCoverageShare'),
    entries: [
      ...COVERAGE_CLASSES.map((c, i) => ({
        color: c.color,
        style: 'fill' as const,
        label: i === 0 ? `≥ ${n(c.min * 100)}%` : `${n(c.min * 100)}–${n(COVERAGE_CLASSES[i - 1].min * 100)}%`,
      })),
      { color: NO_DATA, style: 'fill' as const, label: t('legendNoPopulation') },
    ],
  };
}

/** Towns by the share covered with the new sites; the sites themselves are markers (siteMarkers.ts). */
function sitingLayers(run: RunOf<'siting'>, adminUnits: FeaturePage | undefined): AnalysisDeck {
  return { under: [townLayer(adminUnits, run.data.towns, (r) => coverageColor(r.coveredAfter, r.population))], over: [] };
}

/** The deck.gl layers of a finished analysis run; `adminUnits` is the admin_units page (town polygons). */
export function analysisLayers(run: AnalysisRun, adminUnits: FeaturePage | undefined, i18n: I18n): AnalysisDeck {
  switch (run.kind) {
    case 'isochrone':
      return isochroneLayers('analysis-isochrone', run.data, run.body.origins, i18n);
    case 'fire':
      return fireLayers(run);
    case 'shelter': {
      const threshold = run.data.parameters.areaPerResidentM2;
      const towns = townLayer(adminUnits, run.data.towns, (r) => shelterColor(r.areaPerResidentM2, threshold));
      return { under: [towns, uncoveredLayer(run.data.uncovered.features, true)], over: [], top: [unsuitableLayer(run.data.unsuitable)] };
    }
    case 'siting':
      return sitingLayers(run, adminUnits);
    case 'relief': {
      const target = run.data.parameters.targetHours;
      return { under: [townLayer(adminUnits, run.data.towns, (r) => reliefColor(r.worstHours, target))], over: [] };
    }
  }
}

/** Shelters ruled out near a geohazard point: a red ring around the shelter's own symbol. */
const UNSUITABLE = '#d50000';
function unsuitableLayer(shelters: RunOf<'shelter'>['data']['unsuitable']): DeckLayer {
  return new ScatterplotLayer({
    id: 'analysis-unsuitable',
    data: shelters,
    getPosition: (s) => [s.lon, s.lat],
    radiusUnits: 'pixels',
    getRadius: 13,
    filled: false,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
    getLineColor: hexToRgba(UNSUITABLE, 255),
  });
}

function cellLegend(title: string, colors: readonly string[], i18n: I18n): LegendGroup {
  const { t, n } = i18n;
  const bounds = [0, ...CELL_BREAKS];
  return {
    title,
    entries: colors.map((color, i) => ({
      color,
      style: 'cell' as const,
      label: i < CELL_BREAKS.length ? t('personsRange', { from: n(bounds[i]), to: n(bounds[i + 1]) }) : t('personsAtLeast', { value: n(bounds[i]) }),
    })),
  };
}

export function isochroneLegend(result: IsochroneResult, i18n: I18n): LegendGroup {
  const { t, n } = i18n;
  const entries: LegendEntry[] = [...ringColors(result)].map(([minutes, color]) => ({ color, style: 'fill', label: t('minutesWithin', { minutes: n(minutes) }) }));
  if (result.features.some((f) => f.properties.method === 'straight-line')) entries.push({ color: STRAIGHT_LINE, style: 'dashed', label: t('straightLine') });
  return { title: t('legendRings'), entries };
}

/** The legend of a run: one group per kind of symbol on the map. */
export function analysisLegend(run: AnalysisRun, i18n: I18n): LegendGroup[] {
  const { t, n } = i18n;
  switch (run.kind) {
    case 'siting':
      return [
        {
          title: t('kindSiting'),
          entries: [
            { color: SITE_COLOR, style: 'fill', label: t('legendSites') },
            { color: MANUAL_COLOR, style: 'fill', label: t('legendManual') },
          ],
        },
        coverageLegend(i18n),
      ];
    case 'isochrone':
      return [isochroneLegend(run.data, i18n)];
    case 'fire':
      return [
        {
          title: t('legendServiceAreas'),
          entries: [
            { color: STATION_COLORS[0], style: 'fill', label: t('legendStationArea') },
            { color: EXCEEDS, style: 'outline', label: t('legendExceeds') },
          ],
        },
        cellLegend(t('legendUncovered'), CELL_COLORS, i18n),
      ];
    case 'shelter': {
      const threshold = run.data.parameters.areaPerResidentM2;
      const m2 = (k: number) => n(k * threshold);
      return [
        {
          title: t('legendPerResident', { threshold: n(threshold) }),
          entries: [
            { color: SHELTER_CLASSES[0].color, style: 'fill', label: t('legendAtLeast', { value: m2(2) }) },
            { color: SHELTER_CLASSES[1].color, style: 'fill', label: t('legendMeets', { from: m2(1), to: m2(2) }) },
            { color: SHELTER_CLASSES[2].color, style: 'fill', label: t('legendFails', { from: m2(0.5), to: m2(1) }) },
            { color: SHELTER_CLASSES[3].color, style: 'fill', label: t('legendBelow', { value: m2(0.5) }) },
          ],
        },
        cellLegend(t('legendOutOfReach'), CELL_COLORS_OVER, i18n),
        {
          title: t('legendUnsuitableTitle'),
          entries: [{ color: UNSUITABLE, style: 'outline', label: t('legendUnsuitable', { m: n(run.body.bufferM) }) }],
        },
      ];
    }
    case 'relief': {
      const target = run.data.parameters.targetHours;
      const h = (k: number) => n(k * target, 1);
      return [
        {
          title: t('legendWorstHours', { target: n(target) }),
          entries: [
            { color: RELIEF_CLASSES[0].color, style: 'fill', label: t('legendHoursUpTo', { value: h(0.25) }) },
            { color: RELIEF_CLASSES[1].color, style: 'fill', label: t('legendHoursRange', { from: h(0.25), to: h(0.5) }) },
            { color: RELIEF_CLASSES[2].color, style: 'fill', label: t('legendHoursRange', { from: h(0.5), to: h(1) }) },
            { color: RELIEF_CLASSES[3].color, style: 'fill', label: t('legendHoursBeyond', { value: h(1) }) },
            { color: UNREACHABLE, style: 'fill', label: t('unreachable') },
          ],
        },
      ];
    }
  }
}

/** Where an isochrone result lies, for fitting the map to it; undefined when it is empty. */
export function isochroneBbox(result: IsochroneResult): Bbox | undefined {
  if (result.features.length === 0) return undefined;
  return result.features.map((f) => geometryBbox(f.geometry)).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}
