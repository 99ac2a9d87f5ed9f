/**
 * What the analyses' map layers share (each analysis draws its own, client/src/analyses/<slice>/):
 * the layer groups a result hands to the map, the legend entries, the population cells outside
 * coverage (500 m squares coloured by persons, fixed classes so two results read alike), towns
 * (admin_units, joined on the town code) coloured by their row, labels, and the coverage-share
 * classes of the siting maps. Nothing here is pickable: a click goes through to the stations
 * underneath.
 */
import { GeoJsonLayer, GridCellLayer, TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Feature, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { FeaturePage } from '../api/features';
import type { I18n } from '../i18n';
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

/** Persons per cell: class upper bounds, and colours: YlOrRd alone, Purples over a town choropleth. */
const CELL_BREAKS = [50, 200, 500, 1000];
export const CELL_COLORS = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'];
export const CELL_COLORS_OVER = ['#efedf5', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];

export const NO_DATA = '#9e9e9e';
/** Good and bad against a standard, in charts and tables. */
export const GOOD = '#1a9850';
export const BAD = '#f03b20';

function cellColor(population: number, colors: readonly string[]): string {
  const i = CELL_BREAKS.findIndex((b) => population < b);
  return colors[i < 0 ? CELL_BREAKS.length : i];
}

export type Polygonal = Polygon | MultiPolygon;

export interface Label {
  position: Position;
  text: string;
  color: Rgba;
}

export function textLayer(id: string, data: Label[], size: number): TextLayer<Label> {
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


export type Cell = Feature<Point, { population: number; town: string }>;

/** Population cells; over a town choropleth they are drawn smaller, so the town colour shows between them. */
export function uncoveredLayer(cells: Cell[], overTowns = false): DeckLayer {
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
export function townLayer<R extends { code: string }>(adminUnits: FeaturePage | undefined, rows: readonly R[], colorOf: (row: R) => string): DeckLayer {
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


export function cellLegend(title: string, colors: readonly string[], i18n: I18n): LegendGroup {
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

