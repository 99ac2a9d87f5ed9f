/**
 * The islands map layer: every piece of the county's roads but the largest (GET
 * /api/network/components), drawn as red lines on a white halo so they stand out from the roads
 * beneath, each labelled with its nodes and links. Not pickable: a click reaches the road below.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, MultiLineString } from 'geojson';
import type { IslandProps, NetworkPieces } from '../api/network';
import type { I18n } from '../i18n';
import { textLayer, type AnalysisDeck, type Label, type LegendGroup } from './analysisLayers';
import { hexToRgba } from './symbols';

export const ISLAND_COLOR = '#d7191c';
/** The deck.gl layer of the islands (the test hook counts its features). */
export const ISLANDS_LAYER = 'network-islands';

type Island = Feature<MultiLineString, IslandProps>;

/** Where an island's label sits: the middle of its first link. */
function labelAt(f: Island): [number, number] {
  const [[x0, y0], [x1, y1]] = f.geometry.coordinates[0];
  return [(x0 + x1) / 2, (y0 + y1) / 2];
}

export function islandDeck(pieces: NetworkPieces, i18n: I18n): AnalysisDeck {
  const { t, n } = i18n;
  const line = (id: string, color: [number, number, number, number], width: number) =>
    new GeoJsonLayer<IslandProps>({
      id,
      data: pieces.features,
      stroked: true,
      filled: false,
      getLineColor: color,
      getLineWidth: width,
      lineWidthUnits: 'pixels',
      lineCapRounded: true,
      lineJointRounded: true,
    });
  const labels: Label[] = pieces.features.map((f) => ({
    position: labelAt(f),
    text: t('islands.label', { nodes: n(f.properties.nodes), links: n(f.properties.links) }),
    color: hexToRgba(ISLAND_COLOR),
  }));
  return {
    under: [],
    over: [line(`${ISLANDS_LAYER}-halo`, [255, 255, 255, 230], 9), line(ISLANDS_LAYER, hexToRgba(ISLAND_COLOR), 4)],
    top: [textLayer(`${ISLANDS_LAYER}-labels`, labels, 12)],
  };
}

/** Every piece but the largest, drawn or not (the server draws at most 2,000 a county). */
export const islandCount = (pieces: NetworkPieces): number => Math.max(0, pieces.summary.count - 1);

export function islandLegend(pieces: NetworkPieces, i18n: I18n): LegendGroup {
  return {
    title: i18n.t('islands.title'),
    entries: [{ color: ISLAND_COLOR, style: 'outline', label: i18n.t('islands.count', { count: i18n.n(islandCount(pieces)) }) }],
  };
}
