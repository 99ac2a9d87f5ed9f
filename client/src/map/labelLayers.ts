/**
 * Names of polygon features (county and town names) drawn by deck.gl: MapLibre text needs a
 * glyph server, which an offline bureau does not have, while deck.gl rasterises system fonts.
 * deck.gl does not declutter text, so labels are thinned here: the first option of `symbol.by`
 * (counties) first, then finer units from TOWN_ZOOM, each only where it does not overlap one
 * already placed, and moved off the point symbols (stations, shelters) drawn over it. Overlap
 * depends on the zoom and the symbols shown, so this runs once per change of either.
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

/** A point symbol drawn over the names: a name moves off it rather than sit under it. */
export interface Obstacle {
  position: Position;
  /** Its radius on screen, pixels. */
  radius: number;
}

/** The point symbols on the map at one zoom; `key` names the set (the layers drawn), for the cache. */
export interface Obstacles {
  key: string;
  points: readonly Obstacle[];
}

const NO_OBSTACLES: Obstacles = { key: '', points: [] };

/** A label placed: shifted by `offset` pixels from its point when a symbol sat there. */
export interface PlacedLabel extends Label {
  offset: [number, number];
}

type Box = [number, number, number, number];
const overlaps = (a: Box, b: Box): boolean => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1];

const decluttered = new WeakMap<Labels, { zoom: number; key: string; shown: PlacedLabel[] }>();

/**
 * The labels that fit without overlapping, greedily in priority order (counties, then the more
 * populous towns); `project` maps lon/lat to pixels at `zoom`. A label whose place a point symbol
 * covers (a station over a town's name) tries the places above, below, right and left of it
 * and takes the first clear one; a county name that finds none stays where it is, a town name
 * that overlaps another name is left out. Kept per zoom and symbol set, so the label layer's data
 * changes only when those do.
 */
export function declutter(labels: Labels, zoom: number, project: (p: Position) => { x: number; y: number }, obstacles: Obstacles = NO_OBSTACLES): PlacedLabel[] {
  const last = decluttered.get(labels);
  if (last?.zoom === zoom && last.key === obstacles.key) return last.shown;
  const symbols: Box[] = obstacles.points.map((o) => {
    const { x, y } = project(o.position);
    return [x - o.radius, y - o.radius, x + o.radius, y + o.radius];
  });
  const placed: Box[] = [];
  const out: PlacedLabel[] = [];
  for (const l of labels.all) {
    if (!l.major && zoom < TOWN_ZOOM) continue;
    const size = l.major ? MAJOR_SIZE : MINOR_SIZE;
    // CJK glyphs are about one em wide; Latin ones about half that.
    const width = [...l.text].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? size : size * 0.6), 0);
    const { x, y } = project(l.position);
    const at = ([dx, dy]: [number, number]): Box => [x + dx - width / 2 - PAD, y + dy - size / 2 - PAD, x + dx + width / 2 + PAD, y + dy + size / 2 + PAD];
    const step = size + PAD;
    const candidates: [number, number][] = [[0, 0], [0, -step], [0, step], [width / 2 + step, 0], [-width / 2 - step, 0]];
    const free = (o: [number, number]) => !placed.some((b) => overlaps(at(o), b)) && !symbols.some((b) => overlaps(at(o), b));
    const offset = candidates.find(free) ?? (l.major || !placed.some((b) => overlaps(at([0, 0]), b)) ? ([0, 0] as [number, number]) : undefined);
    if (!offset) continue;
    placed.push(at(offset));
    out.push({ ...l, offset });
  }
  decluttered.set(labels, { zoom, key: obstacles.key, shown: out });
  return out;
}

export function labelLayer(layer: Layer, data: Labels, shown: PlacedLabel[], visible: boolean, opacity: number): DeckLayer {
  return new TextLayer<PlacedLabel>({
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
    getPixelOffset: (d) => d.offset,
    getColor: (d) => (d.major ? [26, 35, 126, 255] : [57, 73, 171, 255]),
    sizeUnits: 'pixels',
  });
}
