/**
 * Isochrones on the map: one translucent fill per threshold, widest at the bottom, each labelled
 * on its edge at its own bearing (so nested rings' labels lie apart); straight-line fallbacks violet with a dashed outline and "直线估算"; the
 * origins as dots. Used by the analysis and by the rescue circle of a selected station.
 */
import { GeoJsonLayer, PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Position } from 'geojson';
import type { IsochroneResult } from '../../../../core/analysis/isochrone';
import type { Bbox } from '../../api/areas';
import type { I18n } from '../../i18n';
import { formatDuration } from '../../i18n/duration';
import { textLayer, type AnalysisDeck, type Label, type LegendEntry, type LegendGroup, type Polygonal } from '../../map/analysisLayers';
import { geometryBbox } from '../../map/camera';
import { hexToRgba } from '../../map/symbols';
import type { LonLat } from '../types';

/** Green (near) to red (far), for the thresholds of an isochrone in ascending order. */
const RING_RAMP = ['#1a9850', '#91cf60', '#fee08b', '#fc8d59', '#d73027'];
const STRAIGHT_LINE = '#7e57c2';
const FILL_ALPHA = 70;

function ringColors(result: IsochroneResult): Map<number, string> {
  const minutes = [...new Set(result.features.filter((f) => f.properties.method === 'network').map((f) => f.properties.minutes))].sort((a, b) => a - b);
  const last = RING_RAMP.length - 1;
  return new Map(minutes.map((m, i) => [m, RING_RAMP[minutes.length === 1 ? last : Math.round((i * last) / (minutes.length - 1))]]));
}



/**
 * Bearings (degrees clockwise from north) at which the labels of the rings sit, smallest ring
 * first: north, then round to the east and west, so that nested rings, whose northernmost points
 * often lie on the same road, never stack their labels on one spot.
 */
const LABEL_BEARINGS = [0, 60, 300, 120, 240, 180];

/**
 * Where each ring's label sits: the vertex of its outline farthest out along its own bearing
 * from `centre` (the origins' mean), so that every label is on its ring's edge and the labels of
 * nested rings lie apart. `rings` in ascending minutes; the answer in the same order.
 */
export function ringLabelPositions(rings: readonly Polygonal[], centre: Position): Position[] {
  const kx = Math.cos((centre[1] * Math.PI) / 180);
  return rings.map((g, i) => {
    const b = (LABEL_BEARINGS[i % LABEL_BEARINGS.length] * Math.PI) / 180;
    const [dx, dy] = [Math.sin(b), Math.cos(b)];
    const outer = g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
    let best = outer[0][0];
    let bestScore = -Infinity;
    for (const ring of outer) {
      for (const p of ring) {
        const score = (p[0] - centre[0]) * kx * dx + (p[1] - centre[1]) * dy;
        if (score > bestScore) [best, bestScore] = [p, score];
      }
    }
    return best;
  });
}

/** Every other edge of each outline: a dashed line without the dash extension. */
function dashes(g: Polygonal): Position[][] {
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  return rings.flatMap((ring) => ring.slice(0, -1).flatMap((p, i) => (i % 2 === 0 ? [[p, ring[i + 1]]] : [])));
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
  const ascending = [...rings].reverse();
  const centre: Position = origins.length
    ? [origins.reduce((a, o) => a + o[0], 0) / origins.length, origins.reduce((a, o) => a + o[1], 0) / origins.length]
    : [0, 0];
  const positions = ringLabelPositions(
    ascending.map((f) => f.geometry),
    centre,
  );
  const labels: Label[] = ascending.map((f, i) => {
    const { minutes, population, method } = f.properties;
    const persons = population === null ? '—' : n(population, 0);
    return {
      position: positions[i],
      text: t(method === 'network' ? 'ringLabel' : 'ringLabelStraight', { duration: formatDuration(minutes, i18n), persons }),
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

export function isochroneLegend(result: IsochroneResult, i18n: I18n): LegendGroup {
  const { t } = i18n;
  const entries: LegendEntry[] = [...ringColors(result)].map(([minutes, color]) => ({ color, style: 'fill', label: t('minutesWithin', { duration: formatDuration(minutes, i18n) }) }));
  if (result.features.some((f) => f.properties.method === 'straight-line')) entries.push({ color: STRAIGHT_LINE, style: 'dashed', label: t('straightLine') });
  return { title: t('legendRings'), entries };
}


/** Where an isochrone result lies, for fitting the map to it; undefined when it is empty. */
export function isochroneBbox(result: IsochroneResult): Bbox | undefined {
  if (result.features.length === 0) return undefined;
  return result.features.map((f) => geometryBbox(f.geometry)).reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])]);
}
