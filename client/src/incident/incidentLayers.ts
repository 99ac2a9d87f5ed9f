/**
 * The incident on the map, as deck.gl layers in the shape of analysisLayers.ts: the affected area
 * under the map's labels; every route (facility → incident) in its group's colour, the chosen one
 * wide on a white halo; closures in black on white (a no-entry sign on a point, a line, an area) and the one
 * being drawn; the incident itself as a red marker above the resource points. Nothing is
 * pickable: a click goes through to the resources, or to the pick handler while placing.
 */
import { GeoJsonLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { ClosestGroupKey, IncidentAssessment } from '../../../core/incident/schema';
import type { AnalysisDeck } from '../map/analysisLayers';
import { hexToRgba, LABEL_FONT } from '../map/symbols';
import type { ClosureFeature } from './draft';
import { GROUP_STYLE } from './groups';

export const INCIDENT_COLOR = '#d50000';
/** Black on a white halo: apart from every group's colour (the fire stations' red among them). */
export const CLOSURE_COLOR = '#212121';
const AREA_COLOR = '#ff6f00';

/** What is being drawn: a closure's vertices so far. */
export interface Sketch {
  kind: 'line' | 'area';
  vertices: [number, number][];
}

export interface RouteDatum {
  key: string;
  group: ClosestGroupKey;
  path: [number, number][];
}

export const itemKey = (group: ClosestGroupKey, id: string) => `${group}/${id}`;

export function routes(assessment: IncidentAssessment): RouteDatum[] {
  return assessment.closest.groups.flatMap((g) => g.items.filter((i) => i.route.length > 1).map((i) => ({ key: itemKey(g.key, i.id), group: g.key, path: i.route })));
}

function closurePaths(closures: readonly ClosureFeature[]): [number, number][][] {
  return closures.flatMap((c) => {
    const g = c.geometry;
    if (g.type === 'Point') return [];
    if (g.type === 'LineString') return [g.coordinates];
    return g.coordinates;
  });
}

const closurePoints = (closures: readonly ClosureFeature[]): [number, number][] =>
  closures.flatMap((c) => (c.geometry.type === 'Point' ? [c.geometry.coordinates] : []));

export interface IncidentDeckInput {
  assessment?: IncidentAssessment;
  /** The incident's WGS84 position (the answer's, else a point clicked on the map). */
  position?: [number, number];
  selected?: string;
  closures: readonly ClosureFeature[];
  sketch?: Sketch;
}

export function incidentDeck({ assessment, position, selected, closures, sketch }: IncidentDeckInput): AnalysisDeck {
  const all = assessment ? routes(assessment) : [];
  const chosen = all.filter((r) => r.key === selected);
  const area: Feature<Polygon | MultiPolygon>[] = assessment?.areaGeometry ? [{ type: 'Feature', geometry: assessment.areaGeometry, properties: {} }] : [];
  const polygons = closures.filter((c) => c.geometry.type === 'Polygon');
  const under: DeckLayer[] = [
    new GeoJsonLayer({
      id: 'incident-area',
      data: area,
      filled: true,
      stroked: true,
      getFillColor: hexToRgba(AREA_COLOR, 40),
      getLineColor: hexToRgba(AREA_COLOR, 220),
      getLineWidth: 2,
      lineWidthUnits: 'pixels',
    }),
    new GeoJsonLayer({
      id: 'incident-closure-areas',
      data: polygons,
      filled: true,
      stroked: false,
      getFillColor: hexToRgba(CLOSURE_COLOR, 60),
    }),
  ];
  const over: DeckLayer[] = [
    new PathLayer<RouteDatum>({
      id: 'incident-routes',
      data: all.filter((r) => r.key !== selected),
      getPath: (d) => d.path,
      getColor: (d) => hexToRgba(GROUP_STYLE[d.group].color, 150),
      getWidth: 3,
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
    }),
    ...[
      { id: 'incident-route-halo', width: 11, color: () => [255, 255, 255, 255] as [number, number, number, number] },
      { id: 'incident-route-selected', width: 6, color: (d: RouteDatum) => hexToRgba(GROUP_STYLE[d.group].color) },
    ].map(
      (o) =>
        new PathLayer<RouteDatum>({
          id: o.id,
          data: chosen,
          getPath: (d) => d.path,
          getColor: o.color,
          getWidth: o.width,
          widthUnits: 'pixels',
          jointRounded: true,
          capRounded: true,
        }),
    ),
    ...[
      { id: 'incident-closures-halo', color: [255, 255, 255, 255] as [number, number, number, number], width: 9 },
      { id: 'incident-closures', color: hexToRgba(CLOSURE_COLOR), width: 5 },
    ].map(
      (o) =>
        new PathLayer<[number, number][]>({
          id: o.id,
          data: closurePaths(closures),
          getPath: (d) => d,
          getColor: o.color,
          getWidth: o.width,
          widthUnits: 'pixels',
          capRounded: true,
        }),
    ),
    // A point closure: a no-entry sign, the same size at every zoom.
    new ScatterplotLayer<[number, number]>({
      id: 'incident-closure-points',
      data: closurePoints(closures),
      getPosition: (d) => d,
      getRadius: 10,
      radiusUnits: 'pixels',
      getFillColor: [255, 255, 255, 255],
      getLineColor: hexToRgba(CLOSURE_COLOR),
      stroked: true,
      getLineWidth: 3,
      lineWidthUnits: 'pixels',
    }),
    new TextLayer<[number, number]>({
      id: 'incident-closure-glyphs',
      data: closurePoints(closures),
      getPosition: (d) => d,
      getText: () => '×',
      characterSet: ['×'],
      getColor: hexToRgba(CLOSURE_COLOR),
      getSize: 20,
      sizeUnits: 'pixels',
      fontWeight: 700,
      fontFamily: LABEL_FONT,
    }),
  ];
  const top: DeckLayer[] = [];
  if (sketch && sketch.vertices.length > 0) {
    const ring = sketch.kind === 'area' && sketch.vertices.length > 2 ? [...sketch.vertices, sketch.vertices[0]] : sketch.vertices;
    top.push(
      new PathLayer<[number, number][]>({
        id: 'incident-sketch',
        data: [ring],
        getPath: (d) => d,
        getColor: hexToRgba(CLOSURE_COLOR, 200),
        getWidth: 3,
        widthUnits: 'pixels',
      }),
      new ScatterplotLayer<[number, number]>({
        id: 'incident-sketch-vertices',
        data: sketch.vertices,
        getPosition: (d) => d,
        getRadius: 4,
        radiusUnits: 'pixels',
        getFillColor: [255, 255, 255, 255],
        getLineColor: hexToRgba(CLOSURE_COLOR),
        stroked: true,
        getLineWidth: 2,
        lineWidthUnits: 'pixels',
      }),
    );
  }
  if (position) {
    top.push(
      new ScatterplotLayer<[number, number]>({
        id: 'incident-marker',
        data: [position],
        getPosition: (d) => d,
        getRadius: 11,
        radiusUnits: 'pixels',
        getFillColor: hexToRgba(INCIDENT_COLOR),
        getLineColor: [255, 255, 255, 255],
        stroked: true,
        getLineWidth: 3,
        lineWidthUnits: 'pixels',
      }),
      new TextLayer<[number, number]>({
        id: 'incident-marker-glyph',
        data: [position],
        characterSet: 'auto',
        fontFamily: LABEL_FONT,
        fontWeight: 700,
        getPosition: (d) => d,
        getText: () => '!',
        getColor: [255, 255, 255, 255],
        getSize: 15,
        sizeUnits: 'pixels',
      }),
    );
  }
  return { under, over, top };
}
