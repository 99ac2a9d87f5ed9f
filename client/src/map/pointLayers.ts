/**
 * Point layers drawn by deck.gl: one ScatterplotLayer per catalogue layer (colours precomputed
 * once per data page, so a toggle or an opacity change touches only uniforms — the ~1,500
 * geohazard points stay fast), plus the layer's one-character glyph once zoomed in far enough
 * for it to be legible. Planned features are hollow rings in their class colour.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import type { Point } from 'geojson';
import type { FeaturePage, Props } from '../api/features';
import type { Layer } from '../api/layers';
import type { Obstacles } from './labelLayers';
import { featureColor, hexToRgba, isPlanned, LABEL_FONT, SELECTION_COLOR, type Rgba } from './symbols';

export interface PointDatum {
  fid: string;
  position: [number, number];
  props: Props;
  fill: Rgba;
  line: Rgba;
  glyphColor: Rgba;
  lineWidth: number;
}

/** From this zoom points grow and show their glyph. */
export const GLYPH_ZOOM = 12;
const GLYPH_SCALE = 1.6;
const WHITE: Rgba = [255, 255, 255, 255];

const cache = new WeakMap<FeaturePage, PointDatum[]>();

export function pointData(layer: Layer, page: FeaturePage): PointDatum[] {
  let data = cache.get(page);
  if (!data) {
    data = [];
    for (const f of page.features) {
      if (f.geometry?.type !== 'Point') continue;
      const [lon, lat] = (f.geometry as Point).coordinates;
      const color = hexToRgba(featureColor(layer, f.properties));
      const planned = isPlanned(f.properties);
      data.push({
        fid: f.id,
        position: [lon, lat],
        props: f.properties,
        fill: planned ? [255, 255, 255, 200] : color,
        line: planned ? color : WHITE,
        glyphColor: planned ? color : WHITE,
        lineWidth: planned ? 2.5 : 1.2,
      });
    }
    cache.set(page, data);
  }
  return data;
}

export interface PointLayerState {
  layer: Layer;
  data: PointDatum[];
  visible: boolean;
  opacity: number;
}

export function pointLayers({ layer, data, visible, opacity }: PointLayerState, zoom: number): DeckLayer[] {
  const radius = layer.symbol.radius ?? 6;
  const grown = zoom >= GLYPH_ZOOM;
  const layers: DeckLayer[] = [
    new ScatterplotLayer<PointDatum>({
      id: layer.id,
      data,
      visible,
      opacity,
      pickable: true,
      autoHighlight: true,
      highlightColor: hexToRgba(SELECTION_COLOR, 200),
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
      getPosition: (d) => d.position,
      getRadius: radius,
      radiusScale: grown ? GLYPH_SCALE : 1,
      getFillColor: (d) => d.fill,
      getLineColor: (d) => d.line,
      getLineWidth: (d) => d.lineWidth,
    }),
  ];
  if (layer.symbol.glyph) {
    const glyph = layer.symbol.glyph;
    layers.push(
      new TextLayer<PointDatum>({
        id: `${layer.id}-glyph`,
        data,
        visible: visible && grown,
        opacity,
        characterSet: [glyph],
        fontFamily: LABEL_FONT,
        fontWeight: 700,
        getPosition: (d) => d.position,
        getText: () => glyph,
        getSize: radius * GLYPH_SCALE * 1.2,
        getColor: (d) => d.glyphColor,
        sizeUnits: 'pixels',
      }),
    );
  }
  return layers;
}

/** The visible point symbols at `zoom`, which the polygon names move off (labelLayers.declutter). */
export function pointObstacles(shown: readonly PointLayerState[], zoom: number): Obstacles {
  const visible = shown.filter((s) => s.visible);
  const scale = zoom >= GLYPH_ZOOM ? GLYPH_SCALE : 1;
  return {
    key: `${scale}:${visible.map((s) => `${s.layer.id}/${s.data.length}`).join(',')}`,
    points: visible.flatMap((s) => s.data.map((d) => ({ position: d.position, radius: (s.layer.symbol.radius ?? 6) * scale + 1 }))),
  };
}

/** A ring around the selected point. */
export function selectionLayer(position: [number, number] | undefined, radius: number, zoom: number): DeckLayer | null {
  if (!position) return null;
  return new ScatterplotLayer<[number, number]>({
    id: 'selection',
    data: [position],
    getPosition: (d) => d,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getRadius: radius * (zoom >= GLYPH_ZOOM ? GLYPH_SCALE : 1) + 5,
    filled: false,
    stroked: true,
    getLineColor: hexToRgba(SELECTION_COLOR),
    getLineWidth: 3.5,
  });
}
