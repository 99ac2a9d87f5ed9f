/**
 * The features of a dry run drawn over everything else, in a colour no catalogue layer uses
 * (magenta, white-rimmed) and named (names thinned out where they would overlap at this zoom),
 * so the planner sees at once whether they land in the right place before confirming. Pickable, so a test (or a curious click) can tell them from the layer's own.
 */
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Feature, FeatureCollection, Geometry, Point, Position } from 'geojson';
import type { Bbox } from '../api/areas';
import type { Props } from '../api/features';
import type { AnalysisDeck } from '../map/analysisLayers';
import { geometryBbox } from '../map/camera';
import { declutter, type Labels } from '../map/labelLayers';
import { LABEL_FONT, type Rgba } from '../map/symbols';

export const PREVIEW_LAYER = 'import-preview';
const PREVIEW: Rgba = [216, 27, 96, 255];
const WHITE: Rgba = [255, 255, 255, 255];

interface PreviewPoint {
  fid: string;
  position: [number, number];
  name: string;
}

const nameOf = (f: Feature<Geometry, Props>): string => (typeof f.properties?.name === 'string' ? f.properties.name : String(f.id ?? ''));

type Preview = FeatureCollection<Geometry, Props>;

const pointCache = new WeakMap<Preview, { points: PreviewPoint[]; labels: Labels }>();

function previewPoints(preview: Preview) {
  let out = pointCache.get(preview);
  if (!out) {
    const points: PreviewPoint[] = preview.features
      .filter((f) => f.geometry?.type === 'Point')
      .map((f) => ({ fid: String(f.id), position: (f.geometry as Point).coordinates as [number, number], name: nameOf(f) }));
    const all = points.map((p) => ({ text: p.name, position: p.position, major: true, population: 0 }));
    out = { points, labels: { all, characters: [...new Set(all.flatMap((l) => [...l.text]))] } };
    pointCache.set(preview, out);
  }
  return out;
}

/** `project` maps lon/lat to pixels at `zoom`, for thinning out the names. */
export function previewLayers(preview: Preview, zoom: number, project: (p: Position) => { x: number; y: number }): AnalysisDeck {
  const { points, labels } = previewPoints(preview);
  const named = declutter(labels, zoom, project);
  const others = preview.features.filter((f) => f.geometry && f.geometry.type !== 'Point').map((f) => ({ ...f, fid: String(f.id) }));
  const top: DeckLayer[] = [];
  if (others.length > 0) {
    top.push(
      new GeoJsonLayer({
        id: `${PREVIEW_LAYER}-shapes`,
        data: others,
        pickable: true,
        stroked: true,
        filled: true,
        getFillColor: [PREVIEW[0], PREVIEW[1], PREVIEW[2], 50],
        getLineColor: PREVIEW,
        getLineWidth: 3,
        lineWidthUnits: 'pixels',
      }),
    );
  }
  if (points.length > 0) {
    top.push(
      new ScatterplotLayer<PreviewPoint>({
        id: PREVIEW_LAYER,
        data: points,
        pickable: true,
        getPosition: (d) => d.position,
        getRadius: 8,
        radiusUnits: 'pixels',
        getFillColor: PREVIEW,
        getLineColor: WHITE,
        stroked: true,
        getLineWidth: 2.5,
        lineWidthUnits: 'pixels',
      }),
      new TextLayer<(typeof named)[number]>({
        id: `${PREVIEW_LAYER}-labels`,
        data: named,
        characterSet: labels.characters,
        fontFamily: LABEL_FONT,
        fontWeight: 700,
        getPosition: (d) => d.position as [number, number],
        getText: (d) => d.text,
        getSize: 13,
        sizeUnits: 'pixels',
        getColor: PREVIEW,
        getAlignmentBaseline: 'bottom',
        getPixelOffset: [0, -11],
        background: true,
        getBackgroundColor: [255, 255, 255, 225],
        backgroundPadding: [4, 2],
        backgroundBorderRadius: 3,
      }),
    );
  }
  return { under: [], over: [], top };
}

/** Extent of the preview features, or undefined when there are none. */
export function previewBbox(preview: FeatureCollection<Geometry, Props>): Bbox | undefined {
  const boxes = preview.features.filter((f) => f.geometry).map((f) => geometryBbox(f.geometry));
  if (boxes.length === 0) return undefined;
  return boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}
