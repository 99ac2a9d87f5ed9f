/**
 * The incident on the map, as deck.gl layers in the shape of analysisLayers.ts: the affected area
 * under the map's labels; every route (facility → incident) in its group's colour, the chosen one
 * wide on a white halo; closures in red (a cross on a point, a line, a hatched area) and the one
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
export const CLOSURE_COLOR = '#b71c1c';
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

/** A cross of two short strokes around a point, in metres at that latitude. */
function cross([lon, lat]: [number, number], m = 60): [number, number][][] {
  const dLat = m / 111_320;
  const dLon = m / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [
    [
      [lon - dLon, lat - dLat],
      [lon + dLon, lat + dLat],
    ],
    [
      [lon - dLon, lat + dLat],
      [lon + dLon, lat - dLat],
    ],
  ];
}

function closurePaths(closures: readonly ClosureFeature[]): [number, number][][] {
  return closures.flatMap((c) => {
    const g = c.geometry;
    if (g.type === 'Point') return cross(g.coordinates);
    if (g.type === 'LineString') return [g.coordinates];
    return g.coordinates;
  });
}

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
    new PathLayer<[number, number][]>({
      id: 'incident-closures',
      data: closurePaths(closures),
      getPath: (d) => d,
      getColor: hexToRgba(CLOSURE_COLOR),
      getWidth: 5,
      widthUnits: 'pixels',
      capRounded: true,
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
