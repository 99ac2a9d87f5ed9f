/**
 * The public data packs: per county, everything the public shelter finder ranks and draws on the
 * phone — public shelters (public fields only, with their hazard suitability computed here from
 * the internal geohazards, whose positions stay here, and from the hazard zones), the walking
 * network, the county and town boundaries and the names to search. Version = a hash of the
 * pack's bytes, so a new version is a new URL and a URL's bytes never change.
 */
import { createHash } from 'node:crypto';
import { bbox as bboxOf } from '@turf/bbox';
import { pointOnFeature } from '@turf/point-on-feature';
import type { Geometry, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { AREAS } from '../../core/areas.js';
import { activeGeohazard, hazardZonesOf, sheltersInHazardZones, unsuitableShelters } from '../../core/analysis/shelter-capacity/index.js';
import { findLayer, HAZARDS, isDemo, layerWithRole, projectProperties } from '../../core/catalogue/index.js';
import { DEFAULT_CLASS, haversineM } from '../../core/network/graph.js';
import {
  encodePack,
  type PackPlace,
  type PackRoad,
  type PackShelter,
  type PublicArea,
  type PublicManifest,
  type PublicPack,
  type ShelterStatus,
} from '../../core/public/pack.js';
import { featuresNearCounty, hasDemoData, queryFeatures, type DatedFeature, type Db, type VersionedFeature } from '../store/index.js';

/**
 * Roads and shelters within this distance outside a county go into its pack too, so a walk that
 * crosses the county border (to a nearer shelter, or along a road that leaves and re-enters) is
 * found: 3 km is beyond the longest walking service radius of GB 21734-2008 (固定避难场所 2–3 km).
 */
export const BORDER_MARGIN_M = 3000;

/** A change to any of these layers makes new packs (geohazards and hazard zones: the suitability flags). */
const ROADS = layerWithRole('network');
const BOUNDARY = layerWithRole('boundary');
const HAZARD_ZONES = layerWithRole('hazard_zone');
export const PACK_LAYERS = ['shelters', ROADS.id, BOUNDARY.id, 'geohazards', HAZARD_ZONES.id];

/** Why a shelter is not suitable for a hazard (codes the public shell renders in zh/en). */
export const NEAR_GEOHAZARD = 'near_geohazard';
/** Params: those of the suitability Note `shelter_in_hazard_zone` (zone name and id, hazard, level, zones). */
export const IN_HAZARD_ZONE = 'in_hazard_zone';

const SHELTER_STATUSES: readonly ShelterStatus[] = ['open', 'full', 'closed', 'planned'];

export interface BuiltPack {
  county: string;
  version: string;
  /** "500105-<version>.pack", under data/packs/. */
  file: string;
  bytes: Uint8Array;
}

export interface PublicData {
  manifest: PublicManifest;
  packs: BuiltPack[];
}

const ALL = { offset: 0, limit: Number.MAX_SAFE_INTEGER };

/** Builds every county's pack and the manifest listing them. `asOf`: the latest change of the packs' layers. */
export async function buildPublicData(db: Db, asOf: string | null): Promise<PublicData> {
  const generatedAt = asOf ?? new Date(0).toISOString();
  const level = BOUNDARY.fields.find((f) => f.name === 'level')!;
  const units = (await queryFeatures(db, { layer: BOUNDARY.id, filters: [{ field: level, values: ['county', 'town'] }], versions: true, ...ALL })).features as VersionedFeature[];
  const counties = units.filter((u) => u.properties.level === 'county' && isArea(u.geometry));
  const demo = await hasDemoData(db);
  const packs: BuiltPack[] = [];
  const areas: PublicArea[] = [];
  for (const county of counties) {
    const code = String(county.properties.code);
    const towns = units.filter((u) => u.properties.level === 'town' && u.properties.county_code === code && isArea(u.geometry));
    const pack = await countyPack(db, county, towns, demo);
    const built = versioned(pack);
    packs.push(built);
    const known = AREAS.find((a) => a.code === code);
    const name = String(county.properties.name);
    areas.push({
      code,
      name: known?.name ?? { zh: name, en: name },
      bbox: bboxOf(county.geometry) as [number, number, number, number],
      url: `packs/${built.file}`,
      bytes: built.bytes.length,
      version: built.version,
    });
  }
  const manifest: PublicManifest = {
    generatedAt,
    demo,
    hazards: HAZARDS.map((h) => ({ value: h.value, zh: h.zh, en: h.en })),
    areas: areas.sort((a, b) => a.code.localeCompare(b.code)),
  };
  return { manifest, packs };
}

/** Version = the first 16 hex digits of the SHA-256 of the pack encoded with an empty version. */
function versioned(pack: PublicPack): BuiltPack {
  const version = createHash('sha256').update(encodePack({ ...pack, version: '' })).digest('hex').slice(0, 16);
  return { county: pack.county, version, file: `${pack.county}-${version}.pack`, bytes: encodePack({ ...pack, version }) };
}

const isArea = (g: Geometry): g is Polygon | MultiPolygon => g.type === 'Polygon' || g.type === 'MultiPolygon';

/**
 * One county's pack. Its `generatedAt` is the latest change among the features it was made from,
 * so the pack is a function of its data alone: an edit elsewhere leaves its bytes and URL as they were.
 */
async function countyPack(db: Db, county: VersionedFeature, towns: VersionedFeature[], demo: boolean): Promise<PublicPack> {
  const code = String(county.properties.code);
  // Zones reaching into the margin are all those that can hold a shelter of the pack.
  const [shelterRows, roadRows, hazardRows, zoneRows] = [
    await featuresNearCounty(db, 'shelters', code, BORDER_MARGIN_M),
    await featuresNearCounty(db, ROADS.id, code, BORDER_MARGIN_M),
    await featuresNearCounty(db, 'geohazards', code, BORDER_MARGIN_M),
    await featuresNearCounty(db, HAZARD_ZONES.id, code, BORDER_MARGIN_M),
  ];
  const shelters = publicShelters(shelterRows, hazardRows, zoneRows);
  const roads = publicRoads(roadRows);
  const generatedAt = [county.updated_at, ...towns.map((t) => t.updated_at), ...[...shelterRows, ...roadRows, ...hazardRows, ...zoneRows].map((f) => f.updatedAt)].reduce((a, b) => (a > b ? a : b));
  const places: PackPlace[] = [
    ...towns.map((t): PackPlace => {
      const [lon, lat] = pointOnFeature(t.geometry as Polygon | MultiPolygon).geometry.coordinates;
      return { name: String(t.properties.name), kind: 'town', lon, lat };
    }),
    ...streetPlaces(roads),
    ...shelters.map((s): PackPlace => ({ name: s.name, kind: 'shelter', lon: s.lon, lat: s.lat })),
  ];
  return {
    county: code,
    version: '',
    generatedAt,
    demo,
    shelters,
    roads,
    boundary: county.geometry as Polygon | MultiPolygon,
    towns: towns.map((t) => ({ code: String(t.properties.code), name: String(t.properties.name), geometry: t.geometry as Polygon | MultiPolygon })),
    places,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));

/**
 * Shelters with public fields only. A shelter without a status is a designated shelter and
 * counted open. `demo` is read from the internal `source` (only the flag leaves the server).
 * Unsuitable for a hazard: near an active geohazard point, or inside a hazard zone that rules it
 * out for that hazard (the shelter analysis' rule, suitability.ts sheltersInHazardZones).
 */
export function publicShelters(rows: DatedFeature[], hazardRows: DatedFeature[], zoneRows: DatedFeature[]): PackShelter[] {
  const layer = findLayer('shelters')!;
  const points = rows.filter((f) => f.geometry.type === 'Point');
  const at = (f: DatedFeature) => (f.geometry as { coordinates: Position }).coordinates;
  const sites = points.map((f) => ({ id: String(f.id), lon: at(f)[0], lat: at(f)[1] }));
  const unsuitable = unsuitableShelters(
    sites,
    hazardRows.filter((h) => h.geometry.type === 'Point').map((h) => ({ id: String(h.id), lon: at(h)[0], lat: at(h)[1], active: activeGeohazard(h.properties.status) })),
  );
  const zones = hazardZonesOf(
    zoneRows.filter((z) => isArea(z.geometry)).map((z) => ({ id: String(z.id), geometry: z.geometry as Polygon | MultiPolygon, p: z.properties })),
  );
  const zoned = zones.length ? HAZARDS.map((h) => ({ hazard: h.value, inside: sheltersInHazardZones(sites, zones, h.value) })) : [];
  const reasons = (id: string): PackShelter['unsuitable'] => {
    const near = unsuitable.get(id)?.hazards ?? [];
    return [
      ...near.map((hazard) => ({ hazard, reason: NEAR_GEOHAZARD })),
      ...zoned.flatMap(({ hazard, inside }) => {
        const z = inside.get(id);
        return z && !near.includes(hazard) ? [{ hazard, reason: IN_HAZARD_ZONE, params: { ...z.note.params } }] : [];
      }),
    ];
  };
  return points.map((f) => {
    const p = projectProperties(layer, 'public', f.properties);
    const status = SHELTER_STATUSES.includes(p.status as ShelterStatus) ? (p.status as ShelterStatus) : 'open';
    const s: PackShelter = {
      id: String(f.id),
      name: String(p.name ?? f.id),
      lon: at(f)[0],
      lat: at(f)[1],
      class: String(p.class ?? ''),
      status,
      hazards: strings(p.hazards),
      unsuitable: reasons(String(f.id)),
      facilities: strings(p.facilities),
      accessibility: strings(p.accessibility),
      demo: isDemo(f.properties),
    };
    const address = str(p.address);
    const town = str(p.town);
    const capacity = num(p.capacity);
    const areaM2 = num(p.area_m2);
    if (address !== undefined) s.address = address;
    if (town !== undefined) s.town = town;
    if (capacity !== undefined) s.capacity = capacity;
    if (areaM2 !== undefined) s.areaM2 = areaM2;
    return s;
  });
}

/** Road lines with their public fields; a MultiLineString becomes one road per part. */
function publicRoads(rows: DatedFeature[]): PackRoad[] {
  const layer = ROADS;
  const out: PackRoad[] = [];
  for (const f of rows) {
    const parts = f.geometry.type === 'LineString' ? [f.geometry.coordinates] : f.geometry.type === 'MultiLineString' ? f.geometry.coordinates : [];
    const p = projectProperties(layer, 'public', f.properties);
    for (const coords of parts) {
      if (coords.length < 2) continue;
      const road: PackRoad = { coords: coords.map((c) => [c[0], c[1]]), class: String(p.class ?? DEFAULT_CLASS) };
      const name = str(p.name);
      const oneway = str(p.oneway);
      const speed = num(p.speed_kmh);
      if (name !== undefined) road.name = name;
      if (oneway !== undefined) road.oneway = oneway;
      if (speed !== undefined) road.speedKmh = speed;
      out.push(road);
    }
  }
  return out;
}

/** One search place per street name: the point halfway along the longest piece of that name. */
function streetPlaces(roads: PackRoad[]): PackPlace[] {
  const longest = new Map<string, { coords: [number, number][]; metres: number }>();
  for (const r of roads) {
    if (!r.name) continue;
    const metres = lengthM(r.coords);
    const best = longest.get(r.name);
    if (!best || metres > best.metres) longest.set(r.name, { coords: r.coords, metres });
  }
  return [...longest].map(([name, { coords, metres }]) => {
    const [lon, lat] = along({ type: 'LineString', coordinates: coords }, metres / 2);
    return { name, kind: 'street', lon, lat };
  });
}

function lengthM(coords: [number, number][]): number {
  let m = 0;
  for (let i = 1; i < coords.length; i++) m += haversineM(coords[i - 1][0], coords[i - 1][1], coords[i][0], coords[i][1]);
  return m;
}

/** The point `metres` along a line (linear between vertices). */
function along(line: LineString, metres: number): [number, number] {
  const c = line.coordinates;
  let left = metres;
  for (let i = 1; i < c.length; i++) {
    const d = haversineM(c[i - 1][0], c[i - 1][1], c[i][0], c[i][1]);
    if (d >= left && d > 0) {
      const t = left / d;
      return [c[i - 1][0] + t * (c[i][0] - c[i - 1][0]), c[i - 1][1] + t * (c[i][1] - c[i - 1][1])];
    }
    left -= d;
  }
  return [c[c.length - 1][0], c[c.length - 1][1]];
}
