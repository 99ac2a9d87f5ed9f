/**
 * The incident sheet beyond the ranked resources: how many people are affected, whether the
 * supplies within reach are enough, where people can walk to shelter, what is threatened and who
 * must be warned. Pure: the server passes the graph, population surface and layers it read.
 *
 * The affected area is a circle (straight-line radius) or an isochrone from the incident
 * (core/analysis/isochrone.ts); its residents are the population-surface entries inside it.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { circle } from '@turf/circle';
import type { MultiPolygon, Polygon } from 'geojson';
import { arrival, searchFrom, snapPlaces } from '../analysis/reach.js';
import { isochrones } from '../analysis/isochrone/isochrone.js';
import {
  activeGeohazard,
  DEFAULT_HAZARD_BUFFER_M,
  RULED_OUT_BY_GEOHAZARD,
  sheltersInHazardZones,
  unsuitableShelters,
  type HazardZone,
} from '../analysis/shelter-capacity/suitability.js';
import type { Note } from '../note.js';
import { haversineM, type Graph } from '../network/graph.js';
import { DEFAULT_MAX_SNAP_M } from '../network/snap.js';
import type { PopulationGrid } from '../population/grid.js';
import type { ClosestResult, IncidentArea, IncidentAssessment, IncidentHazard, Message, SupplyRate } from './schema.js';
import { supplyVsNeed, type DepotStock } from './supply.js';
import { ROAD_DENSITY_WEIGHTING } from '../population/road-density.js';

/** Share of the affected persons who need a shelter place unless the commander says otherwise: all of them. */
export const DEFAULT_EVACUATE_SHARE = 1;
/**
 * Minutes people walk to a shelter: 30 (≈ 2.5 km at 5 km/h), the order of a fixed shelter's
 * service radius (GB 51143-2015 §3.1: 固定避难场所 service radius up to 2–3 km). A setting.
 */
export const DEFAULT_SHELTER_WALK_MINUTES = 30;
export { DEFAULT_DAYS } from './supply.js';

export interface Town {
  code: string;
  name: string;
  population: number;
  geometry: Polygon | MultiPolygon;
}

export interface ShelterSite {
  id: string;
  name: string;
  lon: number;
  lat: number;
  capacity: number;
  hazards: readonly string[];
  status: string;
  manager?: string;
  phone?: string;
  town?: string;
}

export interface GeohazardSite {
  id: string;
  name: string;
  lon: number;
  lat: number;
  type: string;
  risk: string;
  threatenedPersons: number;
  threatenedProperty: number;
  status: string;
  monitor?: string;
  monitorPhone?: string;
  town?: string;
}

export interface AssessInput {
  graph: Graph;
  population?: PopulationGrid;
  towns: readonly Town[];
  origin: [number, number];
  hazard: IncidentHazard;
  affectedPersons?: number;
  area: IncidentArea;
  evacuateShare: number;
  shelterWalkMinutes: number;
  days: number;
  rates: readonly SupplyRate[];
  depots: readonly DepotStock[];
  shelters: readonly ShelterSite[];
  geohazards: readonly GeohazardSite[];
  /** The hazard-zone layer's zones (none: only the geohazard buffer rules shelters out). */
  zones?: readonly HazardZone[];
  bufferM?: number;
}

export interface AreaShape {
  geometry: Polygon | MultiPolygon | null;
  contains(lon: number, lat: number): boolean;
}

/** The affected area as a shape with a membership test. */
export function areaShape(g: Graph, population: PopulationGrid | undefined, origin: [number, number], area: IncidentArea): AreaShape {
  if ('radiusM' in area) {
    const r = area.radiusM;
    // A degree of latitude is ≥ 110 km: a cheap box test before the exact distance.
    const dLat = r / 110_000;
    const dLon = dLat / Math.max(0.1, Math.cos((origin[1] * Math.PI) / 180));
    return {
      geometry: circle(origin, r / 1000, { steps: 64, units: 'kilometers' }).geometry,
      contains: (lon, lat) => Math.abs(lat - origin[1]) <= dLat && Math.abs(lon - origin[0]) <= dLon && haversineM(origin[0], origin[1], lon, lat) <= r,
    };
  }
  const mode = 'driveMinutes' in area ? 'drive' : 'walk';
  const minutes = 'driveMinutes' in area ? area.driveMinutes : area.walkMinutes;
  const iso = isochrones(g, population, { origins: [origin], minutes: [minutes], mode });
  const polys = iso.features.map((f) => f.geometry);
  const boxes = polys.map((p) => {
    const pts = (p.type === 'Polygon' ? p.coordinates : p.coordinates.flat()).flat();
    return [Math.min(...pts.map((q) => q[0])), Math.min(...pts.map((q) => q[1])), Math.max(...pts.map((q) => q[0])), Math.max(...pts.map((q) => q[1]))];
  });
  const geometry: Polygon | MultiPolygon | null =
    polys.length === 0 ? null : polys.length === 1 ? polys[0] : { type: 'MultiPolygon', coordinates: polys.flatMap((p) => (p.type === 'Polygon' ? [p.coordinates] : p.coordinates)) };
  return {
    geometry,
    contains: (lon, lat) => polys.some((p, i) => lon >= boxes[i][0] && lon <= boxes[i][2] && lat >= boxes[i][1] && lat <= boxes[i][3] && booleanPointInPolygon([lon, lat], p)),
  };
}

/** Residents of the population surface inside the area, in all and per town (largest first). */
export function residentsWithin(grid: PopulationGrid, towns: readonly Town[], inside: (lon: number, lat: number) => boolean) {
  const perUnit = new Map<string, number>();
  let residents = 0;
  for (let i = 0; i < grid.count; i++) {
    if (grid.population[i] === 0 || !inside(grid.lon[i], grid.lat[i])) continue;
    residents += grid.population[i];
    const code = grid.units[grid.unit[i]];
    perUnit.set(code, (perUnit.get(code) ?? 0) + grid.population[i]);
  }
  const byCode = new Map(towns.map((t) => [t.code, t]));
  const list = [...perUnit]
    .map(([code, n]) => ({ code, name: byCode.get(code)?.name ?? code, residents: n }))
    .sort((a, b) => b.residents - a.residents || a.code.localeCompare(b.code));
  return { residents, towns: list };
}

type Reason = IncidentAssessment['threatened']['unsuitableShelters'][number]['reason'];
/** A reason, and for `in_hazard_zone` the shared rule's Note naming the zone. */
export interface ShelterReason {
  reason: Reason;
  note?: Note;
}

/**
 * Why a shelter cannot take people for this hazard, or null: closed, near an active geohazard
 * point, inside a hazard zone that rules it out for this hazard (the shelter analysis' rule,
 * suitability.ts sheltersInHazardZones: GB 51143-2015 / GB 21734-2008 §5 site selection), or not
 * rated for the hazard. Hazmat/other: shelters are not rated for them, so not checked.
 */
export function shelterReasons(
  shelters: readonly ShelterSite[],
  geohazards: readonly GeohazardSite[],
  hazard: IncidentHazard,
  bufferM = DEFAULT_HAZARD_BUFFER_M,
  zones: readonly HazardZone[] = [],
): Map<string, ShelterReason> {
  const near = (RULED_OUT_BY_GEOHAZARD as readonly string[]).includes(hazard)
    ? unsuitableShelters(shelters, geohazards.map((h) => ({ id: h.id, lon: h.lon, lat: h.lat, active: activeGeohazard(h.status) })), bufferM)
    : new Map();
  const zoned = sheltersInHazardZones(shelters, zones, hazard);
  const rated = hazard !== 'hazmat' && hazard !== 'other';
  const out = new Map<string, ShelterReason>();
  for (const s of shelters) {
    const z = zoned.get(s.id);
    if (s.status === 'closed') out.set(s.id, { reason: 'closed' });
    else if (near.has(s.id)) out.set(s.id, { reason: 'near_geohazard' });
    else if (z) out.set(s.id, { reason: 'in_hazard_zone', note: z.note });
    else if (rated && !s.hazards.includes(hazard)) out.set(s.id, { reason: 'not_rated_for_hazard' });
  }
  return out;
}

const RISK_ORDER = ['very_high', 'high', 'medium', 'low'];

/** Everything of the assessment but the ranked resources, which `closest` carries in (shelters get their suitability). */
export function assessIncident(i: AssessInput, closest: ClosestResult): IncidentAssessment {
  const messages: Message[] = [];
  const shape = areaShape(i.graph, i.population, i.origin, i.area);
  const within = i.population ? residentsWithin(i.population, i.towns, shape.contains) : { residents: 0, towns: [] };
  if (!i.population) messages.push({ code: 'no_population', params: {} });
  const method = i.affectedPersons !== undefined ? 'typed' : 'radiusM' in i.area ? 'radius' : 'driveMinutes' in i.area ? 'drive' : 'walk';
  const persons = i.affectedPersons ?? within.residents;
  if (method !== 'typed' && i.population?.weighting === ROAD_DENSITY_WEIGHTING) messages.push({ code: 'population_demo', params: { weighting: i.population.weighting } });

  // Shelters within walking distance of the incident.
  const [from] = snapPlaces(i.graph, [i.origin], 'walk', DEFAULT_MAX_SNAP_M);
  const walkSeconds = i.shelterWalkMinutes * 60;
  const time = searchFrom(i.graph, [from], 'walk', walkSeconds);
  const shelterSnaps = snapPlaces(i.graph, i.shelters.map((s) => [s.lon, s.lat] as const), 'walk', DEFAULT_MAX_SNAP_M);
  const walkable = new Set(i.shelters.filter((_, k) => arrival(i.graph, shelterSnaps[k], 'walk', time, 'walk') <= walkSeconds).map((s) => s.id));
  const reasons = shelterReasons(i.shelters, i.geohazards, i.hazard, i.bufferM, i.zones);
  const receiving = i.shelters.filter((s) => walkable.has(s.id) && !reasons.has(s.id) && s.status !== 'planned' && s.status !== 'full');
  const places = receiving.reduce((n, s) => n + s.capacity, 0);
  const toEvacuate = Math.ceil(persons * i.evacuateShare - 1e-9);

  const inArea = (p: { lon: number; lat: number }): boolean => shape.contains(p.lon, p.lat);
  const considered = i.shelters.filter((s) => (walkable.has(s.id) || inArea(s)) && s.status !== 'planned');
  const unsuitable = considered.filter((s) => reasons.has(s.id)).map((s) => ({ id: s.id, name: s.name, ...reasons.get(s.id)! }));
  const hazards = i.geohazards
    .filter((h) => activeGeohazard(h.status) && inArea(h))
    .sort((a, b) => RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) || b.threatenedPersons - a.threatenedPersons || a.id.localeCompare(b.id));

  const byCode = new Map(i.towns.map((t) => [t.code, t]));
  const shelterById = new Map(i.shelters.map((s) => [s.id, s]));
  const groups = closest.groups.map((g) =>
    g.key !== 'shelters'
      ? g
      : {
          ...g,
          items: g.items.map((it) => {
            const why = reasons.get(it.id);
            const properties = { ...it.properties, suitable: !why && shelterById.get(it.id)?.status !== 'planned', unsuitableReason: why?.reason ?? null };
            return { ...it, properties: why?.note ? { ...properties, unsuitableNote: why.note } : properties };
          }),
        },
  );

  const warnedShelters = [...receiving, ...considered.filter((s) => reasons.has(s.id))];
  return {
    closest: { ...closest, groups },
    hazard: i.hazard,
    area: i.area,
    areaGeometry: shape.geometry,
    affected: { persons, estimated: method !== 'typed', method, ...(i.population ? { weighting: i.population.weighting } : {}) },
    supply: { days: i.days, rates: [...i.rates], tiers: supplyVsNeed(persons, i.days, i.rates, closest.tiers, i.depots) },
    shelterPlaces: {
      walkMinutes: i.shelterWalkMinutes,
      places,
      toEvacuate,
      shortfall: Math.max(0, toEvacuate - places),
      evacuateShare: i.evacuateShare,
      shelters: receiving.length,
    },
    threatened: {
      residents: within.residents,
      towns: within.towns,
      geohazards: hazards.map((h) => ({
        id: h.id,
        name: h.name,
        type: h.type,
        risk: h.risk,
        threatenedPersons: h.threatenedPersons,
        threatenedProperty: h.threatenedProperty,
      })),
      unsuitableShelters: unsuitable,
    },
    warn: {
      towns: within.towns.map((t) => ({ code: t.code, name: t.name, population: byCode.get(t.code)?.population ?? 0, residentsInArea: t.residents })),
      monitors: hazards
        .filter((h) => h.monitor && h.monitorPhone)
        .map((h) => ({ name: h.monitor!, phone: h.monitorPhone!, geohazardId: h.id, geohazardName: h.name, town: h.town ?? '' })),
      shelterManagers: [...new Map(warnedShelters.map((s) => [s.id, s])).values()]
        .filter((s) => s.manager && s.phone)
        .map((s) => ({ name: s.manager!, phone: s.phone!, shelterId: s.id, shelterName: s.name, town: s.town ?? '' })),
    },
    messages: [...closest.messages, ...messages],
  };
}
