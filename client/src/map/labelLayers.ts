/**
 * Names of polygon features (county and town names) drawn by deck.gl: MapLibre text needs a
 * glyph server, which an offline bureau does not have, while deck.gl rasterises system fonts.
 * deck.gl does not declutter text, so labels are thinned here: the first option of `symbol.by`
 * (counties) first, then finer units from TOWN_ZOOM, each only where it does not overlap one
 * already placed. Overlap depends on the zoom alone, so this runs once per zoom change.
 */
import { TextLayer } from '@deck.gl/layers';
import type { Layer as DeckLayer } from '@deck.gl/core';
import { booleanPointInPolygon, centerOfMass, pointOnFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import type { FeaturePage } from '../api/features';
import type { Layer } from '../api/layers';
import { LABEL_FONT, symbolOptions } from './symbols';

export interface Label {
  text: string;
  position: Position;
  major: boolean;
  population: number;
}

export const TOWN_ZOOM = 9;

/** Planar area of a ring in squared degrees; only used to pick a multipolygon's largest part. */
function ringArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
  return Math.abs(a / 2);
}

/** A point inside the polygon's largest part, near its centre of mass. */
export function labelPoint(geometry: Polygon | MultiPolygon): Position {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const largest = parts.reduce((best, p) => (ringArea(p[0]) > ringArea(best[0]) ? p : best));
  const part: Feature<Polygon> = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: largest } };
  const centre = centerOfMass(part);
  return booleanPointInPolygon(centre, part) ? centre.geometry.coordinates : pointOnFeature(part).geometry.coordinates;
}

export interface Labels {
  /** Major labels first, so they win when labels collide. */
  all: Label[];
  /** Every character of the names, so the font atlas is built once and not per zoom. */
  characters: string[];
}

const cache = new WeakMap<FeaturePage, Labels>();

export function labels(layer: Layer, page: FeaturePage): Labels {
  let out = cache.get(page);
  if (!out) {
    const majorValue = symbolOptions(layer)[0]?.value;
    const all: Label[] = [];
    for (const f of page.features) {
      const g = f.geometry;
      const name = f.properties.name;
      if (typeof name !== 'string' || (g?.type !== 'Polygon' && g?.type !== 'MultiPolygon')) continue;
      const major = !layer.symbol.by || f.properties[layer.symbol.by] === majorValue;
      const population = typeof f.properties.population === 'number' ? f.properties.population : 0;
      all.push({ text: name, position: labelPoint(g), major, population });
    }
    // Counties first, then the more populous towns.
    all.sort((a, b) => Number(b.major) - Number(a.major) || b.population - a.population);
    out = { all, characters: [...new Set(all.flatMap((l) => [...l.text]))] };
    cache.set(page, out);
  }
  return out;
}

const MAJOR_SIZE = 17;
const MINOR_SIZE = 12;
const PAD = 6;

const decluttered = new WeakMap<Labels, { zoom: number; shown: Label[] }>();

/**
 * The labels that fit without overlapping, greedily in priority order; `project` maps lon/lat to
 * pixels at `zoom`. Kept per zoom, so the label layer's data only changes when the zoom does.
 */
export function declutter(labels: Labels, zoom: number, project: (p: Position) => { x: number; y: number }): Label[] {
  const last = decluttered.get(labels);
  if (last?.zoom === zoom) return last.shown;
  const placed: [number, number, number, number][] = [];
  const out: Label[] = [];
  for (const l of labels.all) {
    if (!l.major && zoom < TOWN_ZOOM) continue;
    const size = l.major ? MAJOR_SIZE : MINOR_SIZE;
    // CJK glyphs are about one em wide; Latin ones about half that.
    const width = [...l.text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? size : size * 0.6), 0);
    const { x, y } = project(l.position);
    const box: [number, number, number, number] = [x - width / 2 - PAD, y - size / 2 - PAD, x + width / 2 + PAD, y + size / 2 + PAD];
    if (placed.some((b) => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
    placed.push(box);
    out.push(l);
  }
  decluttered.set(labels, { zoom, shown: out });
  return out;
}

export function labelLayer(layer: Layer, data: Labels, shown: Label[], visible: boolean, opacity: number): DeckLayer {
  return new TextLayer<Label>({
    id: `${layer.id}-labels`,
    data: shown,
    visible,
    opacity,
    characterSet: data.characters,
    fontFamily: LABEL_FONT,
    fontWeight: 600,
    fontSettings: { sdf: true, fontSize: 48, buffer: 6, radius: 12 },
    outlineWidth: 3,
    outlineColor: [255, 255, 255, 230],
    getPosition: (d) => d.position as [number, number],
    getText: (d) => d.text,
    getSize: (d) => (d.major ? MAJOR_SIZE : MINOR_SIZE),
    getColor: (d) => (d.major ? [26, 35, 126, 255] : [57, 73, 171, 255]),
    sizeUnits: 'pixels',
  });
}
