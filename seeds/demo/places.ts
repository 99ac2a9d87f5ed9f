/** Where demo features go: the shipped boundaries, random points inside a town, demo names. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { apportion } from '../../core/population/apportion.js';
import type { Rng } from './rng.js';

const GEODATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'geodata');

export interface County {
  code: string;
  name: string;
  seat: [number, number];
  source: string;
  geometry: MultiPolygon;
}

export interface Town {
  code: string;
  name: string;
  /** The name without 街道/镇/乡, as used in place names (观音桥街道 → 观音桥). */
  short: string;
  countyCode: string;
  population: number;
  source: string;
  labelPoint: [number, number];
  geometry: MultiPolygon;
  bbox: [number, number, number, number];
}

export interface Geodata {
  counties: County[];
  towns: Town[];
  /** Road vertices per town code, once the demo roads exist: facilities stand by a road. */
  roadside?: Map<string, Position[]>;
}

const read = (file: string): FeatureCollection<Polygon | MultiPolygon> =>
  JSON.parse(fs.readFileSync(path.join(GEODATA, file), 'utf8'));

const bboxOf = (g: MultiPolygon): [number, number, number, number] => {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of g.coordinates)
    for (const [x, y] of poly[0]) {
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x);
      b[3] = Math.max(b[3], y);
    }
  return b;
};

export function loadGeodata(): Geodata {
  const counties = read('counties.geojson').features.map((f) => ({
    code: f.properties!.code as string,
    name: f.properties!.name as string,
    seat: f.properties!.seat as [number, number],
    source: f.properties!.source as string,
    geometry: f.geometry as MultiPolygon,
  }));
  const towns = read('towns.geojson').features.map((f) => {
    const name = f.properties!.name as string;
    return {
      code: f.properties!.code as string,
      name,
      short: name.replace(/(街道|镇|乡)$/, ''),
      countyCode: f.properties!.county_code as string,
      population: f.properties!.population as number,
      source: f.properties!.source as string,
      labelPoint: f.properties!.label_point as [number, number],
      geometry: f.geometry as MultiPolygon,
      bbox: bboxOf(f.geometry as MultiPolygon),
    };
  });
  return { counties, towns };
}

/** A uniformly random point inside the town's polygon, rounded to 6 decimals (≈0.1 m). */
export function pointIn(town: Town, rng: Rng): Position {
  const [x0, y0, x1, y1] = town.bbox;
  for (let i = 0; i < 10_000; i++) {
    const p = [Number(rng.between(x0, x1).toFixed(6)), Number(rng.between(y0, y1).toFixed(6))];
    if (booleanPointInPolygon(p, town.geometry)) return p;
  }
  throw new Error(`no point found inside ${town.name}`);
}

/** Groups the vertices of road lines by the town they lie in. */
export function roadsideIndex(towns: Town[], roads: DemoFeature[]): Map<string, Position[]> {
  const out = new Map<string, Position[]>(towns.map((t) => [t.code, []]));
  for (const road of roads) {
    if (road.geometry.type !== 'LineString') continue;
    for (const p of road.geometry.coordinates) {
      const town = towns.find((t) => p[0] >= t.bbox[0] && p[0] <= t.bbox[2] && p[1] >= t.bbox[1] && p[1] <= t.bbox[3] && booleanPointInPolygon(p, t.geometry));
      if (town) out.get(town.code)!.push(p);
    }
  }
  return out;
}

/**
 * Where a facility (shelter, depot, station, team base) stands: beside a road of the town, 10–40 m
 * off a road vertex, as buildings do; anywhere in the town when there are no roads.
 */
export function sitePointIn(town: Town, rng: Rng, roadside?: Map<string, Position[]>): Position {
  const vertices = roadside?.get(town.code) ?? [];
  for (let i = 0; vertices.length && i < 50; i++) {
    const [x, y] = rng.pick(vertices);
    const d = rng.between(10, 40) / 111_000;
    const a = rng.between(0, 2 * Math.PI);
    const p = [Number((x + (d * Math.cos(a)) / Math.cos((y * Math.PI) / 180)).toFixed(6)), Number((y + d * Math.sin(a)).toFixed(6))];
    if (booleanPointInPolygon(p, town.geometry)) return p;
  }
  return pointIn(town, rng);
}

/** Spreads `count` features over towns in proportion to their population. */
export function perTown(towns: Town[], count: number): number[] {
  return apportion(count, towns.map((t) => t.population));
}

/** The town whose polygon contains the county seat, i.e. the urban core. */
export function seatTown(county: County, towns: Town[]): Town {
  return towns.find((t) => booleanPointInPolygon(county.seat, t.geometry)) ?? towns[0];
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '秀英', '华', '建国', '志强', '红梅', '德明', '小红', '永福', '春兰'];

export const personName = (rng: Rng): string => rng.pick([...SURNAMES]) + rng.pick(GIVEN);

/**
 * Demo phone numbers use the 0000 exchange, which no Chinese operator assigns, so a demo number
 * can never ring a real person.
 */
export const demoPhone = (rng: Rng, areaCode: string): string => `${areaCode}-0000-${String(rng.int(0, 9999)).padStart(4, '0')}`;

export const AREA_PHONE_CODE: Record<string, string> = { '510802': '0839' };
export const phoneCode = (countyCode: string): string => AREA_PHONE_CODE[countyCode] ?? '023';

/** Names unique within a generator run: a repeated name gets 二号, 三号 … appended. */
export function uniqueNames(): (name: string) => string {
  const seen = new Map<string, number>();
  const numerals = '一二三四五六七八九十';
  return (name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}${n <= 10 ? numerals[n - 1] : n}号`;
  };
}


export type DemoFeature = Feature<Geometry, Record<string, unknown>>;

export const pointFeature = (id: string, coordinates: Position, properties: Record<string, unknown>): DemoFeature => ({
  type: 'Feature',
  id,
  geometry: { type: 'Point', coordinates },
  properties,
});

/** The properties every resource feature carries: where it is, and that it is demo. */
export const placeProps = (town: Town, name: string, address: string): Record<string, unknown> => ({
  name,
  address,
  county_code: town.countyCode,
  town: town.name,
});

export const seq = (n: number): string => String(n).padStart(3, '0');
